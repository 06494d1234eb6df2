package apps_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"agora/instances/apps"
)

// FuzzParse feeds publiccode.yml parsing anything: it must never panic
// or crash (a stack overflow is a crash no recover catches), and it
// answers either a PublicCode or field errors with an *InvalidError,
// never both, never neither. The seed corpus is testdata/*.yml (and
// testdata/fuzz/FuzzParse, what the fuzzer found). Run it longer with
//
//	go test ./instances/apps -run '^$' -fuzz '^FuzzParse$' -fuzztime 5m
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pc, fes, err := apps.Parse(bytes.NewReader(data))
		switch {
		case pc != nil && (err != nil || len(fes) > 0):
			t.Fatalf("a PublicCode and problems: %v %v", fes, err)
		case pc == nil && (!errors.Is(err, apps.ErrInvalid) || len(fes) == 0):
			t.Fatalf("no PublicCode and no problem: %v %v", fes, err)
		}
		for _, fe := range fes {
			if fe.Code == "" || fe.Problem == "" || fe.Message == "" || fe.Line < 0 {
				t.Fatalf("incomplete field error %+v", fe)
			}
		}
		if pc != nil && pc.Legal.Licence.Expression == "" {
			t.Fatalf("accepted without a licence: %+v", pc)
		}
	})
}
