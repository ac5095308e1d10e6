// aes128_expand_key(const uint8_t key[16], uint32_t round_keys[44])
//
// The AES-128 key expansion (FIPS-197, section 5.2). x0: the cipher key; x1: where the 11 round
// keys go (176 bytes, each round key's bytes in FIPS-197 order, the layout aes128_encrypt and
// aes128_decrypt read). Clobbers x1 and v0-v7.
// Per round: DUP splats the last word w[i-1] into every lane; AESE with a zero key then applies
// SubBytes (ShiftRows moves nothing when all four columns are equal); USHR+SLI rotate each lane
// by 8 bits (RotWord commutes with the bytewise SubBytes); MOVI gives Rcon in every lane; three
// EXT/EOR steps turn (w0, w1, w2, w3) into its prefix XORs.

	.text
	.globl	aes128_expand_key
	.p2align	2
aes128_expand_key:
	ld1	{v3.16b}, [x0]
	movi	v0.16b, #0
	// round key 1, Rcon 0x01
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x1
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 2, Rcon 0x02
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x2
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 3, Rcon 0x04
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x4
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 4, Rcon 0x08
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x8
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 5, Rcon 0x10
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x10
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 6, Rcon 0x20
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x20
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 7, Rcon 0x40
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x40
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 8, Rcon 0x80
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x80
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 9, Rcon 0x1b
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x1b
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	// round key 10, Rcon 0x36
	st1	{v3.16b}, [x1], #16
	dup	v6.4s, v3.s[3]
	aese	v6.16b, v0.16b
	ushr	v7.4s, v6.4s, #8
	sli	v7.4s, v6.4s, #24
	movi	v1.4s, #0x36
	ext	v5.16b, v0.16b, v3.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	ext	v5.16b, v0.16b, v5.16b, #12
	eor	v3.16b, v3.16b, v5.16b
	eor	v7.16b, v7.16b, v1.16b
	eor	v3.16b, v3.16b, v7.16b
	st1	{v3.16b}, [x1]
	ret
