// aes128_encrypt(const uint8_t in[16], uint8_t out[16], const uint32_t *round_keys)
//
// One AES-128 block encryption (FIPS-197, section 5.1) with AESE/AESMC. x0: the plaintext;
// x1: where the ciphertext goes; x2: the 11 round keys (176 bytes) as aes128_expand_key writes
// them, each round key's bytes in FIPS-197 order. Clobbers x2 and v0-v11.
// AESE is AddRoundKey then ShiftRows and SubBytes, so round r's key enters through the AESE of
// round r+1 and the last key through an EOR.

	.text
	.globl	aes128_encrypt
	.p2align	2
aes128_encrypt:
	ld1	{v0.16b}, [x0]
	ld1	{v1.16b, v2.16b, v3.16b, v4.16b}, [x2], #64
	ld1	{v5.16b, v6.16b, v7.16b, v8.16b}, [x2], #64
	ld1	{v9.16b, v10.16b, v11.16b}, [x2]
	aese	v0.16b, v1.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v2.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v3.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v4.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v5.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v6.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v7.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v8.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v9.16b
	aesmc	v0.16b, v0.16b
	aese	v0.16b, v10.16b
	eor	v0.16b, v0.16b, v11.16b
	st1	{v0.16b}, [x1]
	ret
