package main

import (
	"bytes"
	"errors"
	"testing"

	"agora/instances/accounts"
)

// FuzzHashCensus feeds agora admin census-hash's reader (the extract a
// city's register makes) anything: it never panics, and whenever it
// writes a file, the node imports that file as it is (the two parsers
// agree). Run it longer with
//
//	go test ./cmd/agora -run '^$' -fuzz '^FuzzHashCensus$' -fuzztime 5m
func FuzzHashCensus(f *testing.F) {
	for _, s := range []string{
		"family_name,given_name,birth_date,postal_code\nMartin,Zoé,1980-01-02,75011\nDurand,Léa,02/03/1990,75015\n",
		"\ufefffamily_name,given_name,birth_date,postal_code\r\n\"d'Artagnan, de\",Charles,1980-01-02,75011\r\n",
		"family_name,given_name,birth_date,postal_code\nMartin,Zoé,1980-01-02\n",
		"family_name,given_name,birth_date,postal_code\nMartin,,1980-01-02,75011\n",
		"nom,prenom,naissance,cp\n",
		"family_name,given_name,birth_date,postal_code\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		if err := hashCensus(bytes.NewReader(data), &out, "sel-de-test-16-caracteres"); err != nil {
			return
		}
		hashes, err := accounts.ParseCensus(bytes.NewReader(out.Bytes()))
		var ce *accounts.CensusError
		if err != nil && !(errors.As(err, &ce) && len(ce.Lines) == 1 && ce.Lines[0] == "line 1: no entries") {
			t.Fatalf("census-hash wrote a file the node refuses: %v\n%s", err, out.Bytes())
		}
		_ = hashes
	})
}
