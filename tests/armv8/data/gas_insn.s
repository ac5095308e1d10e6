	.text
	.globl	f
f:
	adrp	x0, table
	add	x0, x0, :lo12:table
	ldr	q1, [x0, :lo12:table]
	ldrb	w2, [x0, :lo12:table + 3]
	ldrsh	x2, [x0, :lo12:table + 2]
	ldr	x3, .Llocal
	ldr	w3, table
	ldr	x4, =0x1122334455667788
	ldr	x11, =0x10
	ldr	w12, =0xffff0000
	ldr	x13, =0x12340000
	ldr	x14, =-1
	ldr	w15, =0x12345
	ldr	w5, =table
	ldr	x6, =table + 8
	adr	x7, .Llocal
	adr	x8, table
	movz	x9, #:abs_g1:table
	movk	x9, #:abs_g0_nc:table
	add	x10, x10, #COUNT * 2
	ldp	x1, x2, [sp, #-16]!
	stp	q0, q1, [x0], #32
	ld1	{v0.16b-v3.16b}, [x1], #64
	st1	{v4.4s, v5.4s}, [x2], x3
	ld1r	{v6.2d}, [x4]
	ld4	{v0.s, v1.s, v2.s, v3.s}[3], [x5], #16
	ldr	x0, [x1, w2, sxtw #3]
	str	h0, [x1, x2, lsl #1]
	ldur	x0, [x1, #-3]
	uxtw	x0, w1
	uxtb	x2, w3
	uxth	x4, w5
	sxtw	x6, w7
	prfm	pldl1keep, [x0, #64]
	.inst	0xd65f03c0
	.set	COUNT, 5
	.p2align 3
.Llocal:
	.quad	0xfeedface
	.ltorg
	.rodata
	.p2align 4
table:	.word	1, 2, 3, 4
