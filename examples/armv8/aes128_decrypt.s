// aes128_decrypt(const uint8_t in[16], uint8_t out[16], const uint32_t *round_keys)
//
// One AES-128 block decryption with AESD/AESIMC, by the equivalent inverse cipher (FIPS-197,
// section 5.3.5). x0: the ciphertext; x1: where the plaintext goes; x2: the same 11 encryption
// round keys that aes128_encrypt takes (176 bytes from aes128_expand_key). The decryption keys
// InvMixColumns(rk[r]) for r = 9..1 are derived here with AESIMC. Clobbers x2 and v0-v11.

	.text
	.globl	aes128_decrypt
	.p2align	2
aes128_decrypt:
	ld1	{v0.16b}, [x0]
	ld1	{v1.16b, v2.16b, v3.16b, v4.16b}, [x2], #64
	ld1	{v5.16b, v6.16b, v7.16b, v8.16b}, [x2], #64
	ld1	{v9.16b, v10.16b, v11.16b}, [x2]
	aesimc	v2.16b, v2.16b
	aesimc	v3.16b, v3.16b
	aesimc	v4.16b, v4.16b
	aesimc	v5.16b, v5.16b
	aesimc	v6.16b, v6.16b
	aesimc	v7.16b, v7.16b
	aesimc	v8.16b, v8.16b
	aesimc	v9.16b, v9.16b
	aesimc	v10.16b, v10.16b
	aesd	v0.16b, v11.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v10.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v9.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v8.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v7.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v6.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v5.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v4.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v3.16b
	aesimc	v0.16b, v0.16b
	aesd	v0.16b, v2.16b
	eor	v0.16b, v0.16b, v1.16b
	st1	{v0.16b}, [x1]
	ret
