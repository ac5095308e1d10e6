	.text
	.globl	entry
	.type	entry, %function
entry:
	adrp	x0, table
	add	x0, x0, :lo12:table
	ldrb	w1, [x0, :lo12:bytes]
	ldrh	w1, [x0, :lo12:halves]
	ldr	w1, [x0, :lo12:words]
	ldr	x1, [x0, :lo12:table]
	ldr	q1, [x0, :lo12:table]
	adrp	x2, far_data+24
	ldr	d3, [x2, :lo12:far_data+24]
	ldr	x4, literal
	ldr	w4, literal
	ldrsw	x4, literal
	ldr	q4, literal
	adr	x5, table
	movz	x6, #:abs_g3:table
	movk	x6, #:abs_g2_nc:table
	movk	x6, #:abs_g1_nc:table
	movk	x6, #:abs_g0_nc:table
	bl	helper
	b	helper
	b.eq	helper
	cbz	x0, helper
	tbnz	w0, #5, helper
	ret
	.size	entry, .-entry
	.globl	helper
	.type	helper, %function
helper:
	ret
	.section .rodata
	.p2align 4
literal:
	.quad	0x0123456789abcdef, 0xfedcba9876543210
table:	.quad	entry, helper + 4
	.word	table - .
	.word	entry
	.hword	1
halves:	.hword	2, 3
bytes:	.byte	1, 2, 3, 4
	.p2align 2
words:	.word	5
	.data
	.p2align 3
far_data:
	.zero	24
	.quad	table
	.xword	entry - 4
