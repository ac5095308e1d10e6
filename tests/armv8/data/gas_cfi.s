// Call-frame information: .cfi_* directives to .eh_frame, compared byte for byte with clang.
	.text
	.globl f
	.type f,%function
f:
	.cfi_startproc
	stp x29, x30, [sp, #-32]!
	.cfi_def_cfa_offset 32
	.cfi_offset x30, -24
	.cfi_offset 29, -32
	mov x29, sp
	.cfi_def_cfa_register x29
	.rept 20
	nop
	.endr
	.cfi_remember_state
	ldp x29, x30, [sp], #32
	.cfi_restore x30
	.cfi_restore x29
	.cfi_def_cfa sp, 0
	ret
	.cfi_restore_state
	.rept 70
	nop
	.endr
	.cfi_adjust_cfa_offset 16
	ret
	.cfi_endproc
	.size f, .-f
g:	.cfi_startproc
	.cfi_negate_ra_state
	nop
	ret
	.cfi_endproc
	.section .text.other,"ax",%progbits
h:	.cfi_startproc
	sub	sp, sp, #0x120
	.cfi_def_cfa_offset 0x120
	stp	d8, d9, [sp, #16]
	.cfi_offset d8, -0x110
	.cfi_offset b9, -8
	.cfi_rel_offset x19, 8
	.cfi_escape 0x2e, 0x10
	.cfi_undefined x20
	.cfi_same_value x21
	.cfi_register x22, x23
	.cfi_def_cfa x29, 300
	.cfi_def_cfa_offset 70000
	ret
	.cfi_endproc
