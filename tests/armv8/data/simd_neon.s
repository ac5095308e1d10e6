// Every AdvSIMD mnemonic of the saturating/halving/rounding, by-element and scalar rows:
// Assay's assembler must give clang's bytes (tests/armv8/test_simd_arith.py).
    .text
    .globl neon_forms
neon_forms:
    shadd   v0.16b, v1.16b, v2.16b
    uhadd   v3.8h, v4.8h, v5.8h
    srhadd  v6.4s, v7.4s, v8.4s
    urhadd  v9.8b, v10.8b, v11.8b
    shsub   v12.4h, v13.4h, v14.4h
    uhsub   v15.2s, v16.2s, v17.2s
    sqadd   v18.2d, v19.2d, v20.2d
    uqadd   v21.16b, v22.16b, v23.16b
    sqsub   v24.8h, v25.8h, v26.8h
    uqsub   v27.4s, v28.4s, v29.4s
    sqadd   b0, b1, b2
    uqadd   h3, h4, h5
    sqsub   s6, s7, s8
    uqsub   d9, d10, d11
    sqshl   v0.4s, v1.4s, v2.4s
    uqshl   d3, d4, d5
    srshl   v6.2d, v7.2d, v8.2d
    urshl   d9, d10, d11
    sqrshl  v12.8h, v13.8h, v14.8h
    uqrshl  b15, b16, b17
    sabd    v0.16b, v1.16b, v2.16b
    uabd    v3.4s, v4.4s, v5.4s
    saba    v6.8h, v7.8h, v8.8h
    uaba    v9.2s, v10.2s, v11.2s
    sqdmulh v12.8h, v13.8h, v14.8h
    sqrdmulh v15.4s, v16.4s, v17.4s
    sqdmulh h18, h19, h20
    sqrdmulh s21, s22, s23
    suqadd  v0.4s, v1.4s
    usqadd  d2, d3
    sqabs   v4.16b, v5.16b
    sqneg   h6, h7
    sqxtn   v8.8b, v9.8h
    sqxtn2  v10.8h, v11.4s
    uqxtn   v12.2s, v13.2d
    uqxtn2  v14.16b, v15.8h
    sqxtun  v16.4h, v17.4s
    sqxtun2 v18.4s, v19.2d
    sqxtn   b20, h21
    uqxtn   s22, d23
    sqxtun  h24, s25
    abs     d0, d1
    neg     d2, d3
    cmgt    d4, d5, #0
    cmeq    d6, d7, #0
    cmlt    d8, d9, #0
    cmge    d10, d11, #0
    cmle    d12, d13, #0
    mul     v0.8h, v1.8h, v2.h[7]
    mla     v3.4s, v4.4s, v31.s[3]
    mls     v5.4h, v6.4h, v15.h[0]
    sqdmulh v7.2s, v8.2s, v9.s[1]
    sqrdmulh v10.8h, v11.8h, v12.h[5]
    smull   v13.4s, v14.4h, v15.h[2]
    smull2  v16.2d, v17.4s, v18.s[3]
    umull   v19.2d, v20.2s, v21.s[0]
    umull2  v22.4s, v23.8h, v7.h[6]
    smlal   v24.4s, v25.4h, v3.h[1]
    smlal2  v26.2d, v27.4s, v28.s[2]
    umlal   v29.2d, v30.2s, v31.s[1]
    umlal2  v0.4s, v1.8h, v2.h[4]
    smlsl   v3.2d, v4.2s, v5.s[0]
    smlsl2  v6.4s, v7.8h, v8.h[3]
    umlsl   v9.4s, v10.4h, v11.h[7]
    umlsl2  v12.2d, v13.4s, v14.s[3]
    sqdmull v15.4s, v16.4h, v1.h[1]
    sqdmull2 v17.2d, v18.4s, v19.s[2]
    sqdmlal v20.2d, v21.2s, v22.s[0]
    sqdmlal2 v23.4s, v24.8h, v9.h[5]
    sqdmlsl v25.4s, v26.4h, v10.h[6]
    sqdmlsl2 v27.2d, v28.4s, v29.s[1]
    sqdmulh h0, h1, v2.h[3]
    sqrdmulh s3, s4, v5.s[1]
    sqdmull s6, h7, v8.h[2]
    sqdmlal d9, s10, v11.s[3]
    sqdmlsl s12, h13, v14.h[7]
    cmle    v0.4s, v1.4s, v2.4s
    cmlt    v3.16b, v4.16b, v5.16b
    cmlo    v6.8h, v7.8h, v8.8h
    cmls    v9.2d, v10.2d, v11.2d
    cmle    d12, d13, d14
    cmlt    d15, d16, d17
    cmlo    d18, d19, d20
    cmls    d21, d22, d23
    srshr   v0.16b, v1.16b, #3
    urshr   v2.2d, v3.2d, #64
    srsra   v4.4s, v5.4s, #17
    ursra   v6.8h, v7.8h, #1
    srshr   d8, d9, #63
    urshr   d10, d11, #1
    srsra   d12, d13, #32
    ursra   d14, d15, #7
    rshrn   v16.8b, v17.8h, #8
    rshrn2  v18.8h, v19.4s, #16
    sqshl   v20.16b, v21.16b, #7
    uqshl   v22.2d, v23.2d, #0
    sqshlu  v24.4s, v25.4s, #31
    sqshl   b26, b27, #1
    uqshl   h28, h29, #15
    sqshlu  d30, d31, #63
    sqshrn  v0.8b, v1.8h, #1
    sqshrn2 v2.16b, v3.8h, #8
    uqshrn  v4.4h, v5.4s, #16
    uqshrn2 v6.4s, v7.2d, #32
    sqrshrn v8.2s, v9.2d, #3
    sqrshrn2 v10.8h, v11.4s, #9
    uqrshrn v12.8b, v13.8h, #4
    uqrshrn2 v14.4s, v15.2d, #20
    sqshrun v16.4h, v17.4s, #2
    sqshrun2 v18.16b, v19.8h, #5
    sqrshrun v20.2s, v21.2d, #31
    sqrshrun2 v22.8h, v23.4s, #11
    sqshrn  b24, h25, #8
    uqshrn  h26, s27, #1
    sqrshrn s28, d29, #32
    uqrshrn b30, h31, #2
    sqshrun h0, s1, #16
    sqrshrun s2, d3, #17
    sabal   v0.8h, v1.8b, v2.8b
    uabal2  v3.4s, v4.8h, v5.8h
    sabdl2  v6.2d, v7.4s, v8.4s
    uabdl   v9.8h, v10.8b, v11.8b
    sqdmull v12.4s, v13.4h, v14.4h
    sqdmull2 v15.2d, v16.4s, v17.4s
    sqdmlal v18.2d, v19.2s, v20.2s
    sqdmlsl2 v21.4s, v22.8h, v23.8h
    addhn   v24.8b, v25.8h, v26.8h
    raddhn2 v27.16b, v28.8h, v29.8h
    subhn   v30.2s, v31.2d, v0.2d
    rsubhn2 v1.8h, v2.4s, v3.4s
    smaxp   v0.16b, v1.16b, v2.16b
    umaxp   v3.4h, v4.4h, v5.4h
    sminp   v6.4s, v7.4s, v8.4s
    uminp   v9.8b, v10.8b, v11.8b
    pmul    v12.16b, v13.16b, v14.16b
    pmul    v15.8b, v16.8b, v17.8b
    sqrdmlah v0.8h, v1.8h, v2.8h
    sqrdmlsh v3.2s, v4.2s, v5.2s
    sqrdmlah s6, s7, s8
    sqrdmlsh h9, h10, h11
    sqrdmlah v12.4s, v13.4s, v14.s[3]
    sqrdmlsh v15.4h, v16.4h, v7.h[6]
    sqrdmlah h17, h18, v9.h[1]
    sqrdmlsh s19, s20, v21.s[2]
    shll    v0.8h, v1.8b, #8
    shll2   v2.4s, v3.8h, #16
    shll    v4.2d, v5.2s, #0x20
    sqdmull s6, h7, h8
    sqdmlal d9, s10, s11
    sqdmlsl s12, h13, h14
    sdot    v0.4s, v1.16b, v2.16b
    udot    v3.2s, v4.8b, v5.8b
    sdot    v6.2s, v7.8b, v31.4b[3]
    udot    v8.4s, v9.16b, v10.4b[0]
