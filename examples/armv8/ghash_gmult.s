// ghash_gmult(uint8_t Xi[16], const uint8_t H[16])
//
// One GHASH multiplication Xi <- Xi * H in GF(2^128) (NIST SP 800-38D, section 6.3), both
// blocks as byte strings in the specification's order. x0: Xi, updated in place; x1: H.
// Clobbers x4, v0-v7.
// GCM numbers the bits of a block from the most significant bit of byte 0 upwards; RBIT on each
// byte turns the little-endian 128-bit lane into the plain polynomial (bit i = coefficient of
// x^i), so PMULL/PMULL2 multiply directly. The 255-bit product hi*x^128 + lo is folded twice by
// x^128 = x^7 + x^2 + x + 1 (0x87): first the top 64 bits, then the remaining 64.

	.text
	.globl	ghash_gmult
	.p2align	2
ghash_gmult:
	ld1	{v0.16b}, [x0]
	ld1	{v1.16b}, [x1]
	rbit	v0.16b, v0.16b
	rbit	v1.16b, v1.16b
	movi	v7.16b, #0
	// schoolbook 128x128 -> 256: lo = a0*b0, hi = a1*b1, mid = a0*b1 + a1*b0
	ext	v2.16b, v1.16b, v1.16b, #8
	pmull	v3.1q, v0.1d, v1.1d
	pmull2	v4.1q, v0.2d, v1.2d
	pmull	v5.1q, v0.1d, v2.1d
	pmull2	v6.1q, v0.2d, v2.2d
	eor	v5.16b, v5.16b, v6.16b
	ext	v6.16b, v7.16b, v5.16b, #8
	eor	v3.16b, v3.16b, v6.16b
	ext	v6.16b, v5.16b, v7.16b, #8
	eor	v4.16b, v4.16b, v6.16b
	// reduce: v4 = (h0, h1) is the coefficient of x^128, v3 the low 128 bits
	mov	x4, #0x87
	dup	v2.2d, x4
	pmull2	v5.1q, v4.2d, v2.2d
	ext	v6.16b, v5.16b, v7.16b, #8
	eor	v4.16b, v4.16b, v6.16b
	ext	v6.16b, v7.16b, v5.16b, #8
	eor	v3.16b, v3.16b, v6.16b
	pmull	v5.1q, v4.1d, v2.1d
	eor	v0.16b, v3.16b, v5.16b
	rbit	v0.16b, v0.16b
	st1	{v0.16b}, [x0]
	ret
