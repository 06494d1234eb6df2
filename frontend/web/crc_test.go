package web

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

func TestCRCCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ a, b int }{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {3, 1000}, {4096, 70_000}, {100_000, 341_822}} {
		a, b := make([]byte, c.a), make([]byte, c.b)
		for i := range a {
			a[i] = byte(rng.Uint32())
		}
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		want := crc32.ChecksumIEEE(append(append([]byte{}, a...), b...))
		if got := crcCombine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), len(b)); got != want {
			t.Errorf("%d ‖ %d bytes: %08x, want %08x", c.a, c.b, got, want)
		}
	}
}
