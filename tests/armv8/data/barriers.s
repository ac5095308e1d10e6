// Every barrier mnemonic (isa_barrier.py), in every spelling, for the clang byte check.
        .text
        .arch_extension sb
        .globl barriers
barriers:
        dmb ish
        dmb ishld
        dmb ishst
        dmb osh
        dmb oshld
        dmb oshst
        dmb nsh
        dmb nshld
        dmb nshst
        dmb ld
        dmb st
        dmb sy
        dmb #0
        dmb #4
        dmb #8
        dmb #12
        dsb sy
        dsb ish
        dsb ishst
        dsb ld
        dsb #8
        dsb #12
        dsb #0
        dsb #4
        ssbb
        pssbb
        isb
        isb sy
        isb #0
        isb #7
        sb
        clrex
        clrex #0
        clrex #9
        clrex #15
        ret
