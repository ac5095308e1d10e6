// Pointwise multiplication mod q = 3329 of int16 coefficients in the style of ML-KEM NEON
// code (mlkem-native, AWS-LC): Barrett multiplication with a precomputed twisted operand
// (SQRDMULH, MUL, MLS by element), then a Barrett reduction (SQDMULH by element, SRSHR, MLS)
// to the centred range. mulmod_neon(int16_t *r, const int16_t *a, const int16_t *b,
// const int16_t *b_twisted, size_t blocks_of_8)
    .text
    .globl mulmod_neon
mulmod_neon:
    mov     w5, #3329
    mov     w6, #20159
    mov     v15.h[0], w5
    mov     v15.h[1], w6
1:
    ldr     q0, [x1], #16
    ldr     q1, [x2], #16
    ldr     q2, [x3], #16
    sqrdmulh v3.8h, v0.8h, v2.8h
    mul     v4.8h, v0.8h, v1.8h
    mls     v4.8h, v3.8h, v15.h[0]
    sqdmulh v5.8h, v4.8h, v15.h[1]
    srshr   v5.8h, v5.8h, #11
    mls     v4.8h, v5.8h, v15.h[0]
    str     q4, [x0], #16
    subs    x4, x4, #1
    b.ne    1b
    ret
