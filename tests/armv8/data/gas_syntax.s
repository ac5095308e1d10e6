// Spellings real code uses (BoringSSL/OpenSSL perlasm output): no space before `#`, `bne`
// for `b.ne`, negative immediates that flip ADD/SUB and CMP/CMN, bare post-index numbers.
	.text
	.globl	spell
spell:
	add	x2,x1,x2,lsl#6
	adds	x20,x7,x15,lsl#1
	add	x6,x6,x22,lsr#32
	orr	x14,x14,x15,lsl#63
	ldr	x0,[x1,x2,lsl#3]
	ldr	w0,[x1,w2,uxtw#2]
	subs	x11,x8,#-5
	add	x0,x0,#-16
	sub	sp,sp,#-32
	adds	w1,w1,#-1
	cmp	x0,#-1
	cmn	w3,#-7
	ldp	x11,x12,[x3],16
	stp	x29,x30,[sp,-16]!
	ld1	{v0.16b,v1.16b},[x0],32
	ldr	x4,[x5],8
	bne	spell
	beq	1f
	bhs	1f
	blo	spell
1:	cbnz	x0,1b
	ret
