// Load/store syntax forms: Assay's assembler must produce clang's bytes for each line.
	.text
	.globl	forms
forms:
	ldr	x0, [x1]
	ldr	x0, [x1, #32760]
	ldr	w30, [sp, #16380]
	ldrb	wzr, [x2, #4095]
	ldrh	w3, [x4, #8190]
	ldrsb	x5, [x6, #1]
	ldrsb	w5, [x6]
	ldrsh	x7, [x8, #2]
	ldrsh	w7, [x8, #4]
	ldrsw	x9, [x10, #16380]
	str	xzr, [sp]
	strb	w1, [x2, #7]
	strh	w1, [x2, #6]
	str	b0, [x1, #4095]
	str	h1, [x1, #2]
	str	s2, [x1, #4]
	str	d3, [x1, #8]
	str	q4, [x1, #65520]
	ldr	b5, [x1]
	ldr	h6, [x1, #8190]
	ldr	s7, [x1, #16380]
	ldr	d8, [x1, #32760]
	ldr	q9, [x1, #16]
	ldur	x0, [x1, #-256]
	ldur	w0, [x1, #255]
	ldurb	w0, [x1, #-1]
	ldursh	x0, [x1, #3]
	ldursw	x0, [x1, #-7]
	stur	q0, [sp, #-16]
	sturh	w0, [x1, #1]
	ldr	x0, [x1, #-8]
	str	w0, [x1, #3]
	ldr	x0, [x1, #8]!
	ldr	x0, [x1, #-256]!
	str	x0, [sp, #-16]!
	ldrb	w0, [x1], #1
	ldr	q0, [x1], #-16
	str	d0, [x1], #255
	ldrsw	x2, [x3], #4
	ldr	x0, [x1, x2]
	ldr	x0, [x1, x2, lsl #3]
	ldr	x0, [x1, w2, uxtw]
	ldr	x0, [x1, w2, uxtw #3]
	ldr	x0, [x1, w2, sxtw #3]
	ldr	x0, [x1, x2, sxtx]
	ldr	w0, [sp, x2, lsl #2]
	ldrb	w0, [x1, x2]
	ldrb	w0, [x1, x2, lsl #0]
	ldrb	w0, [x1, w2, sxtw]
	ldrh	w0, [x1, w2, uxtw #1]
	ldr	q0, [x1, x2, lsl #4]
	str	h0, [x1, w2, sxtw #1]
	prfm	pldl1keep, [x0]
	prfm	pstl3strm, [x0, #32760]
	prfm	plil2keep, [x0, x1, lsl #3]
	prfum	pldl1strm, [x0, #-1]
	prfm	#31, [x0]
	ldr	x0, .Lpool
	ldr	w0, .Lpool
	ldrsw	x0, .Lpool
	ldr	s0, .Lpool
	ldr	d0, .Lpool
	ldr	q0, .Lpool
	prfm	pldl2keep, .Lpool
	ldp	x0, x1, [x2]
	ldp	w0, w1, [sp, #252]
	ldp	x0, x1, [x2, #-512]
	ldp	q0, q1, [x2, #1008]!
	ldp	d0, d1, [x2], #-8
	ldpsw	x0, x1, [x2, #-256]
	ldpsw	x0, x1, [x2], #8
	stp	x29, x30, [sp, #-16]!
	stp	s0, s1, [x0, #4]
	stp	wzr, wzr, [x0]
	ldnp	q0, q1, [x0, #32]
	stnp	x0, x1, [x2, #-8]
	stnp	s0, s1, [x2]
	ld1	{v0.16b}, [x0]
	ld1	{v0.8b, v1.8b}, [x0], #16
	ld1	{v0.4h, v1.4h, v2.4h}, [x0], x5
	ld1	{v30.2d, v31.2d, v0.2d, v1.2d}, [sp], #64
	ld1	{v0.4s-v3.4s}, [x0]
	ld1	{v0.1d}, [x1], #8
	st1	{v0.2s}, [x0]
	st1	{v4.16b, v5.16b}, [x0], x1
	ld2	{v0.8h, v1.8h}, [x0]
	ld3	{v0.2s, v1.2s, v2.2s}, [x0], #24
	ld4	{v0.16b, v1.16b, v2.16b, v3.16b}, [x0], #64
	st2	{v2.4s, v3.4s}, [x1], #32
	st3	{v0.8b, v1.8b, v2.8b}, [x0], x2
	st4	{v28.2d, v29.2d, v30.2d, v31.2d}, [x0]
	ld1	{v0.b}[15], [x0]
	ld1	{v0.h}[7], [x0], #2
	ld1	{v0.s}[3], [x0], x3
	ld1	{v0.d}[1], [x0]
	st1	{v9.s}[2], [sp]
	ld2	{v0.h, v1.h}[3], [x0], #4
	ld3	{v0.s, v1.s, v2.s}[1], [x0]
	ld4	{v31.d, v0.d, v1.d, v2.d}[0], [x0], #32
	st4	{v0.b, v1.b, v2.b, v3.b}[9], [x0], x7
	ld1r	{v0.16b}, [x0]
	ld1r	{v0.4s}, [x0], #4
	ld1r	{v0.1d}, [x0], x2
	ld2r	{v0.8h, v1.8h}, [x0], #4
	ld3r	{v0.2s, v1.2s, v2.2s}, [x0]
	ld4r	{v0.2d, v1.2d, v2.2d, v3.2d}, [x0], #32
	.p2align 4
.Lpool:
	.quad	0x0123456789abcdef, 0xfedcba9876543210
