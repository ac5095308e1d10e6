// directives and data, compared byte for byte with clang
	.text
	.globl	start
	.type	start, %function
start:
	.inst	0xd503201f
	.byte	1
	.p2align 3
	.inst	0xd503201f, 0xd65f03c0
	.balign	16
	.size	start, .-start
	.set	COUNT, 3 * (4 + 1)
	.equ	MASK, (1 << 12) - 1
	.section .rodata
	.p2align 4
table:	.word	COUNT, MASK, -1, 0x7fffffff
	.hword	0xffff, -2, 'A'
	.short	3
	.byte	0x80, -128, 255, 1 + 2 * 3
	.ascii	"ab\n"
	.asciz	"tab\there"
	.string	"quote\"d\\"
	.zero	3
	.space	4, 0x5a
	.fill	2, 4, 0x11223344
	.align	3
	.quad	start, table + 8, -1
	.xword	0x0123456789abcdef
	.dword	table_end - table
	.8byte	start - 8
1:	.word	1b - table, 2f - 1b
2:	.4byte	start - .
	.2byte	(table_end - table) / 2
	.word	~0 & 0xff, 7 % 3, 1 << 4 | 1, 6 ^ 3, -(5)
table_end:
	.data
	.p2align 2
counter: .long 0x12345678 /* a block
	comment */ ; .int 2
	.quad	counter
	.bss
	.zero	16
