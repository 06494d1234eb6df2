package web

// The gzip trailer's CRC-32 covers the whole page, but a page served to
// a signed-in reader is the kept page's segments with the reader's fills
// between them: both are kept across requests. crcCombine gives the CRC
// of two parts joined from the CRC of each and the second's length, so a
// request costs a few multiplications per part instead of a pass over
// every byte (a proposal of 300 comments is about 340 KB).
//
// The arithmetic is that of CRC-32 as polynomials over GF(2), reflected
// (bit 31 is x⁰): appending n zero bytes multiplies a CRC by x^(8n)
// modulo the polynomial, and CRC(A‖B) = CRC(A)·x^(8·len(B)) + CRC(B).

const crcPoly = 0xedb88320 // IEEE, reflected

// crcMul returns a·b modulo the polynomial.
func crcMul(a, b uint32) uint32 {
	var p uint32
	for m := uint32(1) << 31; m != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
		}
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// crcSquares[k] is x^(2^k) modulo the polynomial.
var crcSquares = func() (t [64]uint32) {
	t[0] = 1 << 30 // x¹
	for k := 1; k < len(t); k++ {
		t[k] = crcMul(t[k-1], t[k-1])
	}
	return t
}()

// crcCombine returns the CRC-32 (IEEE) of A‖B from crcA, crcB and len(B).
func crcCombine(crcA, crcB uint32, lenB int) uint32 {
	x := uint32(1) << 31 // x⁰
	// x^(8·lenB): 8 = 2³, so bit k of lenB stands for x^(2^(k+3)).
	for k, n := 3, uint64(lenB); n != 0; k, n = k+1, n>>1 {
		if n&1 != 0 {
			x = crcMul(crcSquares[k], x)
		}
	}
	return crcMul(x, crcA) ^ crcB
}
