package storagetest

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
)

// Payload returns size bytes of deterministic content that differs for
// each seed (content-addressed stores would skip a repeat). It repeats a
// 1 MiB random block, so large payloads never sit in memory and cost next
// to nothing to make; the seed is written in the first bytes so payloads
// of one seed differ from any other's.
func Payload(seed uint64, size int64) io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	block := make([]byte, 1<<20)
	rand.NewChaCha8(key).Read(block)
	binary.LittleEndian.PutUint64(block, seed)
	return &patternReader{block: block, left: size}
}

type patternReader struct {
	block []byte
	off   int
	left  int64
}

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n := copy(p, r.block[r.off:])
	r.off = (r.off + n) % len(r.block)
	r.left -= int64(n)
	return n, nil
}
