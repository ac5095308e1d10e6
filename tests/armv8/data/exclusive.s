// Every load/store-exclusive mnemonic (isa_exclusive.py) and CLREX, for the clang byte check.
        .text
        .globl exclusives
exclusives:
        ldxrb w0, [x1]
        ldxrh w2, [x3]
        ldxr w4, [x5]
        ldxr x6, [sp]
        ldaxrb w7, [x8]
        ldaxrh w9, [x10]
        ldaxr w11, [x12]
        ldaxr x13, [x14]
        stxrb w15, w16, [x17]
        stxrh w18, w19, [x20]
        stxr w21, w22, [x23]
        stxr w24, x25, [sp]
        stlxrb w0, w1, [x2]
        stlxrh w3, w4, [x5]
        stlxr w6, w7, [x8]
        stlxr w9, xzr, [x10]
        ldxp w0, w1, [x2]
        ldxp x3, x4, [sp]
        ldaxp w5, w6, [x7]
        ldaxp x8, x9, [x10]
        stxp w11, w12, w13, [x14]
        stxp w15, x16, x17, [sp]
        stlxp w18, w19, w20, [x21]
        stlxp w22, x23, x24, [x25]
        clrex
.Lretry:
        ldaxr x0, [x1]
        add x0, x0, #1
        stlxr w2, x0, [x1]
        cbnz w2, .Lretry
        ret
