package decisions

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		marks := make([]int32, rng.IntN(8))
		for i := range marks {
			marks[i] = int32(rng.IntN(2001) - 1000)
		}
		got, err := decode(encode(marks), nil, -1)
		if err != nil || !slices.Equal(got, marks) {
			t.Fatalf("decode(encode(%v)) = %v, %v", marks, got, err)
		}
	}
	for _, tc := range []struct {
		s string
		n int
	}{{"1,", 4}, {",1", 4}, {"4", 4}, {"-1", 4}, {"1,,2", 4}, {"x", -1}, {"1-", -1}, {"--1", -1}, {"1234567890", -1}} {
		if got, err := decode(tc.s, nil, tc.n); err == nil {
			t.Errorf("decode(%q, %d) = %v, want an error", tc.s, tc.n, got)
		}
	}
	if got, err := decode([]byte("3,0,-2"), nil, -1); err != nil || !slices.Equal(got, []int32{3, 0, -2}) {
		t.Errorf("decode bytes: %v, %v", got, err)
	}
}
