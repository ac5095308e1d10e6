// sha256_block(uint32_t state[8], const uint8_t *in, size_t blocks)
//
// SHA-256 compression of `blocks` 64-byte blocks (FIPS 180-4, section 6.2.2) with the Armv8
// SHA256 instructions. x0: the eight state words in native order; x1: the message;
// x2: the number of blocks (0 leaves the state unchanged). Clobbers x1-x3, v0-v7, v16-v19.
// Fully unrolled: four rounds per SHA256H/SHA256H2 pair, the schedule by SHA256SU0/SU1.

	.text
	.globl	sha256_block
	.p2align	2
sha256_block:
	cbz	x2, .Lsha256_done
	ld1	{v0.4s, v1.4s}, [x0]
.Lsha256_loop:
	adr	x3, .Lsha256_K
	ld1	{v4.16b, v5.16b, v6.16b, v7.16b}, [x1], #64
	sub	x2, x2, #1
	mov	v18.16b, v0.16b
	mov	v19.16b, v1.16b
	rev32	v4.16b, v4.16b
	rev32	v5.16b, v5.16b
	rev32	v6.16b, v6.16b
	rev32	v7.16b, v7.16b
	// rounds 0-3
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v4.4s
	sha256su0	v4.4s, v5.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v4.4s, v6.4s, v7.4s
	// rounds 4-7
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v5.4s
	sha256su0	v5.4s, v6.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v5.4s, v7.4s, v4.4s
	// rounds 8-11
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v6.4s
	sha256su0	v6.4s, v7.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v6.4s, v4.4s, v5.4s
	// rounds 12-15
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v7.4s
	sha256su0	v7.4s, v4.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v7.4s, v5.4s, v6.4s
	// rounds 16-19
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v4.4s
	sha256su0	v4.4s, v5.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v4.4s, v6.4s, v7.4s
	// rounds 20-23
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v5.4s
	sha256su0	v5.4s, v6.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v5.4s, v7.4s, v4.4s
	// rounds 24-27
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v6.4s
	sha256su0	v6.4s, v7.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v6.4s, v4.4s, v5.4s
	// rounds 28-31
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v7.4s
	sha256su0	v7.4s, v4.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v7.4s, v5.4s, v6.4s
	// rounds 32-35
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v4.4s
	sha256su0	v4.4s, v5.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v4.4s, v6.4s, v7.4s
	// rounds 36-39
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v5.4s
	sha256su0	v5.4s, v6.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v5.4s, v7.4s, v4.4s
	// rounds 40-43
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v6.4s
	sha256su0	v6.4s, v7.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v6.4s, v4.4s, v5.4s
	// rounds 44-47
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v7.4s
	sha256su0	v7.4s, v4.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	sha256su1	v7.4s, v5.4s, v6.4s
	// rounds 48-51
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v4.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	// rounds 52-55
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v5.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	// rounds 56-59
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v6.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	// rounds 60-63
	ld1	{v16.4s}, [x3], #16
	add	v16.4s, v16.4s, v7.4s
	mov	v2.16b, v0.16b
	sha256h	q0, q1, v16.4s
	sha256h2	q1, q2, v16.4s
	add	v0.4s, v0.4s, v18.4s
	add	v1.4s, v1.4s, v19.4s
	cbnz	x2, .Lsha256_loop
	st1	{v0.4s, v1.4s}, [x0]
.Lsha256_done:
	ret

	.p2align	4
.Lsha256_K:
	.word	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
	.word	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.word	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
	.word	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.word	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
	.word	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.word	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
	.word	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.word	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
	.word	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.word	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
	.word	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.word	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
	.word	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.word	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
	.word	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
