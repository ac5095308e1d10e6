// sha512_block(uint64_t state[8], const uint8_t *in, size_t blocks)
//
// SHA-512 compression of `blocks` 128-byte blocks (FIPS 180-4, section 6.4.2) with the Armv8
// SHA512 instructions. x0: the eight state words in native order; x1: the message;
// x2: the number of blocks (0 leaves the state unchanged). Clobbers x1-x3, v0-v7, v16-v29.
// Fully unrolled: two rounds per SHA512H/SHA512H2 pair; the state lives in a ring of five
// registers (ab, cd, ef, gh and a spare), the schedule in v16-v23. The round constants sit
// in .rodata, addressed by ADRP/ADD as compilers emit them (two relocations in an object).

	.text
	.globl	sha512_block
	.p2align	2
sha512_block:
	cbz	x2, .Lsha512_done
	ld1	{v0.2d, v1.2d, v2.2d, v3.2d}, [x0]
.Lsha512_loop:
	adrp	x3, .Lsha512_K
	add	x3, x3, :lo12:.Lsha512_K
	ld1	{v16.16b, v17.16b, v18.16b, v19.16b}, [x1], #64
	ld1	{v20.16b, v21.16b, v22.16b, v23.16b}, [x1], #64
	sub	x2, x2, #1
	mov	v26.16b, v0.16b
	mov	v27.16b, v1.16b
	mov	v28.16b, v2.16b
	mov	v29.16b, v3.16b
	rev64	v16.16b, v16.16b
	rev64	v17.16b, v17.16b
	rev64	v18.16b, v18.16b
	rev64	v19.16b, v19.16b
	rev64	v20.16b, v20.16b
	rev64	v21.16b, v21.16b
	rev64	v22.16b, v22.16b
	rev64	v23.16b, v23.16b
	// rounds 0-1
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v16.2d
	sha512su0	v16.2d, v17.2d
	ext	v7.16b, v20.16b, v21.16b, #8
	sha512su1	v16.2d, v23.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 2-3
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v17.2d
	sha512su0	v17.2d, v18.2d
	ext	v7.16b, v21.16b, v22.16b, #8
	sha512su1	v17.2d, v16.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 4-5
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v18.2d
	sha512su0	v18.2d, v19.2d
	ext	v7.16b, v22.16b, v23.16b, #8
	sha512su1	v18.2d, v17.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 6-7
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v19.2d
	sha512su0	v19.2d, v20.2d
	ext	v7.16b, v23.16b, v16.16b, #8
	sha512su1	v19.2d, v18.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 8-9
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v20.2d
	sha512su0	v20.2d, v21.2d
	ext	v7.16b, v16.16b, v17.16b, #8
	sha512su1	v20.2d, v19.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	// rounds 10-11
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v21.2d
	sha512su0	v21.2d, v22.2d
	ext	v7.16b, v17.16b, v18.16b, #8
	sha512su1	v21.2d, v20.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 12-13
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v22.2d
	sha512su0	v22.2d, v23.2d
	ext	v7.16b, v18.16b, v19.16b, #8
	sha512su1	v22.2d, v21.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 14-15
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v23.2d
	sha512su0	v23.2d, v16.2d
	ext	v7.16b, v19.16b, v20.16b, #8
	sha512su1	v23.2d, v22.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 16-17
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v16.2d
	sha512su0	v16.2d, v17.2d
	ext	v7.16b, v20.16b, v21.16b, #8
	sha512su1	v16.2d, v23.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 18-19
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v17.2d
	sha512su0	v17.2d, v18.2d
	ext	v7.16b, v21.16b, v22.16b, #8
	sha512su1	v17.2d, v16.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	// rounds 20-21
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v18.2d
	sha512su0	v18.2d, v19.2d
	ext	v7.16b, v22.16b, v23.16b, #8
	sha512su1	v18.2d, v17.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 22-23
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v19.2d
	sha512su0	v19.2d, v20.2d
	ext	v7.16b, v23.16b, v16.16b, #8
	sha512su1	v19.2d, v18.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 24-25
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v20.2d
	sha512su0	v20.2d, v21.2d
	ext	v7.16b, v16.16b, v17.16b, #8
	sha512su1	v20.2d, v19.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 26-27
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v21.2d
	sha512su0	v21.2d, v22.2d
	ext	v7.16b, v17.16b, v18.16b, #8
	sha512su1	v21.2d, v20.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 28-29
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v22.2d
	sha512su0	v22.2d, v23.2d
	ext	v7.16b, v18.16b, v19.16b, #8
	sha512su1	v22.2d, v21.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	// rounds 30-31
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v23.2d
	sha512su0	v23.2d, v16.2d
	ext	v7.16b, v19.16b, v20.16b, #8
	sha512su1	v23.2d, v22.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 32-33
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v16.2d
	sha512su0	v16.2d, v17.2d
	ext	v7.16b, v20.16b, v21.16b, #8
	sha512su1	v16.2d, v23.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 34-35
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v17.2d
	sha512su0	v17.2d, v18.2d
	ext	v7.16b, v21.16b, v22.16b, #8
	sha512su1	v17.2d, v16.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 36-37
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v18.2d
	sha512su0	v18.2d, v19.2d
	ext	v7.16b, v22.16b, v23.16b, #8
	sha512su1	v18.2d, v17.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 38-39
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v19.2d
	sha512su0	v19.2d, v20.2d
	ext	v7.16b, v23.16b, v16.16b, #8
	sha512su1	v19.2d, v18.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	// rounds 40-41
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v20.2d
	sha512su0	v20.2d, v21.2d
	ext	v7.16b, v16.16b, v17.16b, #8
	sha512su1	v20.2d, v19.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 42-43
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v21.2d
	sha512su0	v21.2d, v22.2d
	ext	v7.16b, v17.16b, v18.16b, #8
	sha512su1	v21.2d, v20.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 44-45
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v22.2d
	sha512su0	v22.2d, v23.2d
	ext	v7.16b, v18.16b, v19.16b, #8
	sha512su1	v22.2d, v21.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 46-47
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v23.2d
	sha512su0	v23.2d, v16.2d
	ext	v7.16b, v19.16b, v20.16b, #8
	sha512su1	v23.2d, v22.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 48-49
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v16.2d
	sha512su0	v16.2d, v17.2d
	ext	v7.16b, v20.16b, v21.16b, #8
	sha512su1	v16.2d, v23.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	// rounds 50-51
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v17.2d
	sha512su0	v17.2d, v18.2d
	ext	v7.16b, v21.16b, v22.16b, #8
	sha512su1	v17.2d, v16.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 52-53
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v18.2d
	sha512su0	v18.2d, v19.2d
	ext	v7.16b, v22.16b, v23.16b, #8
	sha512su1	v18.2d, v17.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 54-55
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v19.2d
	sha512su0	v19.2d, v20.2d
	ext	v7.16b, v23.16b, v16.16b, #8
	sha512su1	v19.2d, v18.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 56-57
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v20.2d
	sha512su0	v20.2d, v21.2d
	ext	v7.16b, v16.16b, v17.16b, #8
	sha512su1	v20.2d, v19.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 58-59
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v21.2d
	sha512su0	v21.2d, v22.2d
	ext	v7.16b, v17.16b, v18.16b, #8
	sha512su1	v21.2d, v20.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	// rounds 60-61
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v22.2d
	sha512su0	v22.2d, v23.2d
	ext	v7.16b, v18.16b, v19.16b, #8
	sha512su1	v22.2d, v21.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 62-63
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v23.2d
	sha512su0	v23.2d, v16.2d
	ext	v7.16b, v19.16b, v20.16b, #8
	sha512su1	v23.2d, v22.2d, v7.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 64-65
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v16.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 66-67
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v17.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 68-69
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v18.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	// rounds 70-71
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v19.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v2.16b, v3.16b, #8
	ext	v6.16b, v1.16b, v2.16b, #8
	add	v3.2d, v3.2d, v24.2d
	sha512h	q3, q5, v6.2d
	add	v4.2d, v1.2d, v3.2d
	sha512h2	q3, q1, v0.2d
	// rounds 72-73
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v20.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v4.16b, v2.16b, #8
	ext	v6.16b, v0.16b, v4.16b, #8
	add	v2.2d, v2.2d, v24.2d
	sha512h	q2, q5, v6.2d
	add	v1.2d, v0.2d, v2.2d
	sha512h2	q2, q0, v3.2d
	// rounds 74-75
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v21.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v1.16b, v4.16b, #8
	ext	v6.16b, v3.16b, v1.16b, #8
	add	v4.2d, v4.2d, v24.2d
	sha512h	q4, q5, v6.2d
	add	v0.2d, v3.2d, v4.2d
	sha512h2	q4, q3, v2.2d
	// rounds 76-77
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v22.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v0.16b, v1.16b, #8
	ext	v6.16b, v2.16b, v0.16b, #8
	add	v1.2d, v1.2d, v24.2d
	sha512h	q1, q5, v6.2d
	add	v3.2d, v2.2d, v1.2d
	sha512h2	q1, q2, v4.2d
	// rounds 78-79
	ld1	{v24.2d}, [x3], #16
	add	v24.2d, v24.2d, v23.2d
	ext	v24.16b, v24.16b, v24.16b, #8
	ext	v5.16b, v3.16b, v0.16b, #8
	ext	v6.16b, v4.16b, v3.16b, #8
	add	v0.2d, v0.2d, v24.2d
	sha512h	q0, q5, v6.2d
	add	v2.2d, v4.2d, v0.2d
	sha512h2	q0, q4, v1.2d
	add	v0.2d, v0.2d, v26.2d
	add	v1.2d, v1.2d, v27.2d
	add	v2.2d, v2.2d, v28.2d
	add	v3.2d, v3.2d, v29.2d
	cbnz	x2, .Lsha512_loop
	st1	{v0.2d, v1.2d, v2.2d, v3.2d}, [x0]
.Lsha512_done:
	ret

	.section	.rodata
	.p2align	4
.Lsha512_K:
	.quad	0x428a2f98d728ae22, 0x7137449123ef65cd
	.quad	0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc
	.quad	0x3956c25bf348b538, 0x59f111f1b605d019
	.quad	0x923f82a4af194f9b, 0xab1c5ed5da6d8118
	.quad	0xd807aa98a3030242, 0x12835b0145706fbe
	.quad	0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2
	.quad	0x72be5d74f27b896f, 0x80deb1fe3b1696b1
	.quad	0x9bdc06a725c71235, 0xc19bf174cf692694
	.quad	0xe49b69c19ef14ad2, 0xefbe4786384f25e3
	.quad	0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65
	.quad	0x2de92c6f592b0275, 0x4a7484aa6ea6e483
	.quad	0x5cb0a9dcbd41fbd4, 0x76f988da831153b5
	.quad	0x983e5152ee66dfab, 0xa831c66d2db43210
	.quad	0xb00327c898fb213f, 0xbf597fc7beef0ee4
	.quad	0xc6e00bf33da88fc2, 0xd5a79147930aa725
	.quad	0x06ca6351e003826f, 0x142929670a0e6e70
	.quad	0x27b70a8546d22ffc, 0x2e1b21385c26c926
	.quad	0x4d2c6dfc5ac42aed, 0x53380d139d95b3df
	.quad	0x650a73548baf63de, 0x766a0abb3c77b2a8
	.quad	0x81c2c92e47edaee6, 0x92722c851482353b
	.quad	0xa2bfe8a14cf10364, 0xa81a664bbc423001
	.quad	0xc24b8b70d0f89791, 0xc76c51a30654be30
	.quad	0xd192e819d6ef5218, 0xd69906245565a910
	.quad	0xf40e35855771202a, 0x106aa07032bbd1b8
	.quad	0x19a4c116b8d2d0c8, 0x1e376c085141ab53
	.quad	0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8
	.quad	0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb
	.quad	0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3
	.quad	0x748f82ee5defb2fc, 0x78a5636f43172f60
	.quad	0x84c87814a1f0ab72, 0x8cc702081a6439ec
	.quad	0x90befffa23631e28, 0xa4506cebde82bde9
	.quad	0xbef9a3f7b2c67915, 0xc67178f2e372532b
	.quad	0xca273eceea26619c, 0xd186b8c721c0c207
	.quad	0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178
	.quad	0x06f067aa72176fba, 0x0a637dc5a2c898a6
	.quad	0x113f9804bef90dae, 0x1b710b35131c471b
	.quad	0x28db77f523047d84, 0x32caab7b40c72493
	.quad	0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c
	.quad	0x4cc5d4becb3e42b6, 0x597f299cfc657e2a
	.quad	0x5fcb6fab3ad6faec, 0x6c44198c4a475817
