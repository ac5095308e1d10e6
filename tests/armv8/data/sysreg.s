// Every system-register mnemonic of isa_sysreg.py, for the clang byte check.
        .text
        .arch armv8.5-a
        .globl sysregs
sysregs:
        mrs x0, nzcv
        msr nzcv, x1
        mrs x2, fpcr
        msr fpcr, x3
        mrs x4, fpsr
        msr fpsr, xzr
        mrs x30, tpidr_el0
        msr tpidr_el0, x29
        mrs x5, s3_3_c4_c2_0
        mrs x6, cntvct_el0
        mrs x7, midr_el1
        mrs x8, dczid_el0
        mrs x9, ctr_el0
        mrs x10, s3_3_c15_c2_0
        msr s3_0_c15_c2_7, x11
        msr spsel, #1
        msr daifset, #0xf
        msr daifclr, #2
        cfinv
        xaflag
        axflag
        ret
