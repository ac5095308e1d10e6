	.section .text.hot,"ax",%progbits
	.globl	hot
	.weak	maybe
	.hidden	hot
	.type	hot, @function
hot:	ret
maybe:	nop
	.size	hot, 4
	.pushsection .rodata.cst16,"aM",@progbits,16
	.p2align 4
	.type	k, %object
k:	.quad	1, 2
	.size	k, . - k
	.popsection
	nop
	.section .data.rel,"aw"
	.local	loc
loc:	.quad	hot
	.previous
	b	maybe
	.text
	.globl	plain
plain:	b	hot
