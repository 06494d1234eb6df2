package accounts_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"agora/instances/accounts"
)

// FuzzParseCensus feeds the census file parser (an admin uploads the
// file a city's systems made) anything: it never panics, and it answers
// either unique 64-digit lower-case hashes or a *CensusError of at most
// 20 lines. Run it longer with
//
//	go test ./instances/accounts -run '^$' -fuzz '^FuzzParseCensus$' -fuzztime 5m
func FuzzParseCensus(f *testing.F) {
	h := strings.Repeat("ab", 32)
	for _, s := range []string{
		"hash\n" + h + "\n",
		"\ufeffhash\r\n" + strings.ToUpper(h) + "\r\n\r\n" + h + "\n",
		"hash\n" + h + "," + h + "\n",
		"hash\nnot hex\n",
		"name\n" + h + "\n",
		"hash\n",
		"",
		"hash\n\"" + h + "\n",
		"hash\n\"a\"b\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		hashes, err := accounts.ParseCensus(bytes.NewReader(data))
		if err != nil {
			var ce *accounts.CensusError
			if !errors.As(err, &ce) || len(ce.Lines) == 0 || len(ce.Lines) > 20 || hashes != nil {
				t.Fatalf("ParseCensus = %d hashes, %v", len(hashes), err)
			}
			return
		}
		if len(hashes) == 0 {
			t.Fatal("accepted a file with no entries")
		}
		seen := map[string]bool{}
		for _, h := range hashes {
			if b, err := hex.DecodeString(h); err != nil || len(b) != 32 || strings.ToLower(h) != h || seen[h] {
				t.Fatalf("hash %q", h)
			}
			seen[h] = true
		}
	})
}

// FuzzCensusHash feeds what a resident types to be matched: never a
// panic, and a hash only when every field has something once normalised.
func FuzzCensusHash(f *testing.F) {
	f.Add("Martin", "Zoé", "1980-01-02", "75011")
	f.Add("  d'Artagnan--de  Castelmore ", "Charles", "02/01/1980", " 75 011 ")
	f.Add("", "x", "1980-02-30", "")
	f.Add("ǅǆ\u0301", "Σ", "31.12.1999", "2A004")
	f.Fuzz(func(t *testing.T, family, given, birth, postal string) {
		h, err := accounts.CensusHash(strings.Repeat("s", 16), accounts.Identity{FamilyName: family, GivenName: given, BirthDate: birth, PostalCode: postal})
		if err != nil {
			if !errors.Is(err, accounts.ErrIdentity) || h != "" {
				t.Fatalf("CensusHash = %q, %v", h, err)
			}
			return
		}
		if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
			t.Fatalf("hash %q", h)
		}
	})
}
