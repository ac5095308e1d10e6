// Macros, repetition, conditionals and register aliases, compared byte for byte with clang.
	.text
	KEY	.req	x0
	CNT	.req	x2
	.macro	round4 a, b, c=v2, d:vararg
	add	\a\().4s, \b\().4s, \c\().4s
	.ifnb	\d
	eor	\d
	.endif
	.endm
	.macro	load_key reg:req, off=0
	ldr	\reg, [KEY, #\off]
	.endm
	.macro	count n
	.if \n > 1
	nop
	count	"(\n - 1)"
	.endif
	.endm
f:	round4	v0, v1
	round4	v3, v4, v5, v6.16b, v7.16b, v8.16b
1:	load_key q1, 16
	load_key	x3
	.rept	3
	add	CNT, CNT, #1
	.endr
	.irp	r, 4, 5, 6
	mov	v\r\().16b, v0.16b
	.endr
	.irpc	c, 012
	ldr	w\c, [sp, #\c * 4]
	.endr
	.set	FLAG, 2
	.if FLAG == 2
	sub	x1, x1, #2
	.elseif FLAG == 3
	sub	x1, x1, #3
	.else
	sub	x1, x1, #4
	.endif
	.ifdef	FLAG
	.ifndef	OTHER
	mul	x0, x1, x2
	.else
	udf	#1
	.endif
	.endif
	.ifc	a, b
	udf	#2
	.endif
	count	4
	.unreq	KEY
	.macro	lbl
.Lm\@:	b	.Lm\@
	.endm
	lbl
	lbl
	b	1b
