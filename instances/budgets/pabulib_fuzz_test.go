package budgets_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"agora/instances/budgets"
)

// FuzzParsePB feeds ParsePB anything. A refusal must be a *ParseError
// with a line and a reason. An accepted file must write back and read
// again to the same value, and, when its votes are approval votes, both
// rules must compute it within its budget.
func FuzzParsePB(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "pb", "*.pb"))
	if err != nil || len(files) == 0 {
		f.Fatal(files, err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"META\nkey;value\n",
		"META\nkey;value\nnum_projects;0\nnum_votes;0\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n",
		"META\nkey;value\ndescription;\"a;\"\"b\"\"\"\n",
	} {
		f.Add([]byte(s))
	}
	limits := budgets.Limits{MaxBytes: 1 << 20, MaxLineBytes: 4096, MaxProjects: 100, MaxVotes: 1000}
	f.Fuzz(func(t *testing.T, data []byte) {
		pb, err := budgets.ParsePB(bytes.NewReader(data), limits)
		if err != nil {
			var pe *budgets.ParseError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Reason == "" || !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("refusal without a line and a reason: %#v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := budgets.WritePB(&buf, pb); err != nil {
			t.Fatalf("an accepted file does not write: %v", err)
		}
		back, err := budgets.ParsePB(bytes.NewReader(buf.Bytes()), limits)
		if err != nil {
			t.Fatalf("a written file does not read: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(normal(pb), normal(back)) {
			t.Fatalf("read, written, read again differs:\n%+v\n%+v", pb, back)
		}
		e, rule, err := pb.Election("h")
		if err != nil {
			if !errors.Is(err, budgets.ErrInvalid) {
				t.Fatalf("Election: %v", err)
			}
			return
		}
		c, err := budgets.Compare(e, rule, budgets.Options{MaxSteps: 200})
		if errors.Is(err, budgets.ErrCompletionTooLong) {
			return
		}
		if err != nil {
			t.Fatalf("Compare: %v", err)
		}
		for _, h := range c.Headings {
			for _, r := range []budgets.HeadingResult{h.Chosen, h.Other} {
				if r.Used > r.Budget {
					t.Fatalf("%s spends %d of %d", r.Heading, r.Used, r.Budget)
				}
			}
		}
	})
}
