"""An integer-only SHA-256 block function in AArch64 assembly (no SHA instructions), generated
fully unrolled: the workload for measuring the model's integer path (data processing, loads,
stores, branches) at scale. Used by bench/armv8_exec.py; its digests are checked there against
hashlib.

Calling convention as sha256_block: x0 = uint32_t state[8], x1 = input, x2 = blocks.
"""

from __future__ import annotations

from assay.models.armv8.crypto_specs import SHA256_K

K = list(SHA256_K)  # the one table, from the executable specification


def source() -> str:
    out = ["sha256_int:", "    sub sp, sp, #256", "    adr x20, ktable", "block:"]
    regs = [f"w{i}" for i in range(3, 11)]  # a b c d e f g h
    for i, r in enumerate(regs):
        out.append(f"    ldr {r}, [x0, #{4 * i}]")
    for i in range(64):
        if i < 16:
            out += [f"    ldr w15, [x1, #{4 * i}]", "    rev w15, w15",
                    f"    str w15, [sp, #{4 * i}]"]
        else:
            out += [f"    ldr w11, [sp, #{4 * (i - 15)}]",       # sigma0(W[i-15])
                    "    ror w12, w11, #7", "    eor w12, w12, w11, ror #18",
                    "    eor w12, w12, w11, lsr #3",
                    f"    ldr w11, [sp, #{4 * (i - 2)}]",        # sigma1(W[i-2])
                    "    ror w13, w11, #17", "    eor w13, w13, w11, ror #19",
                    "    eor w13, w13, w11, lsr #10",
                    "    add w12, w12, w13",
                    f"    ldr w11, [sp, #{4 * (i - 7)}]", "    add w12, w12, w11",
                    f"    ldr w11, [sp, #{4 * (i - 16)}]", "    add w15, w12, w11",
                    f"    str w15, [sp, #{4 * (i % 64)}]" if i < 64 else ""]
        a, b, c, d, e, f, g, h = regs
        out += [f"    ror w13, {e}, #6", f"    eor w13, w13, {e}, ror #11",
                f"    eor w13, w13, {e}, ror #25",                       # Sigma1(e)
                f"    and w14, {e}, {f}", f"    bic w16, {g}, {e}", "    orr w14, w14, w16",
                f"    add w16, {h}, w13", "    add w16, w16, w14",
                f"    ldr w14, [x20, #{4 * i}]", "    add w16, w16, w14",
                "    add w16, w16, w15",                                  # T1
                f"    ror w13, {a}, #2", f"    eor w13, w13, {a}, ror #13",
                f"    eor w13, w13, {a}, ror #22",                       # Sigma0(a)
                f"    eor w14, {a}, {b}", f"    and w14, w14, {c}", f"    and w17, {a}, {b}",
                "    eor w14, w14, w17",                                  # Maj
                f"    add {d}, {d}, w16", f"    add {h}, w16, w13", f"    add {h}, {h}, w14"]
        regs = [h, a, b, c, d, e, f, g]
    for i, r in enumerate(regs):
        out += [f"    ldr w11, [x0, #{4 * i}]", f"    add {r}, {r}, w11",
                f"    str {r}, [x0, #{4 * i}]"]
    out += ["    add x1, x1, #64", "    subs x2, x2, #1", "    b.ne block",
            "    add sp, sp, #256", "    ret", "ktable:"]
    out += [f"    .word 0x{k:08x}" for k in K]
    return "\n".join(line for line in out if line) + "\n"
