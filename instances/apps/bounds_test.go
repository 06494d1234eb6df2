package apps_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"agora/instances/apps"
)

// Documents whose node tree has a cycle, or nests deeper than any
// publiccode.yml, are refused with one field error, and reading them
// neither recurses without end (a stack overflow kills the process: no
// recover catches it) nor does unbounded work.
func TestParseRefusesCyclesAndDepth(t *testing.T) {
	deep := func(open, close string, n int) string {
		return "publiccodeYmlVersion: \"0.4\"\nx: " + strings.Repeat(open, n) + "1" + strings.Repeat(close, n) + "\n"
	}
	var block strings.Builder
	block.WriteString("x:\n")
	for i := range 1000 {
		block.WriteString(strings.Repeat(" ", i) + "- \n")
	}
	for _, tc := range []struct {
		name, doc, code string
	}{
		{"the one-line file", "file:alias-cycle.yml", "alias"},
		{"a list holding itself", "a: &a [*a]\n", "alias"},
		{"a mapping holding itself", "a: &a {b: *a}\n", "alias"},
		{"a list holding itself twice", "a: &a [*a, *a, [*a]]\n", "alias"},
		{"mutual anchors", "a: &a [&b [*a, *b]]\n", "alias"},
		{"mutual anchors in mappings", "a: &a\n  b: &b\n    c: *a\n    d: *b\n", "alias"},
		{"a merge of itself", "a: &a {<<: *a}\n", "alias"},
		{"a merge of its parent", "a: &a {b: {<<: *a}}\n", "alias"},
		{"a cycle under a valid document", "file:valid.yml+x-loop: &l [{k: *l}]\n", "alias"},
		{"the deep nesting file", "file:deep-nesting.yml", "too_complex"},
		{"deep flow lists", deep("[", "]", 9000), "too_complex"},
		{"deep flow mappings", deep("{a: ", "}", 9000), "too_complex"},
		{"deep block lists", block.String(), "too_complex"},
		{"deep lists on one line", "x:\n" + strings.Repeat("- ", 5000) + "1\n", "too_complex"},
		{"a deep merge chain", "merge:40", "too_complex"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			if n, ok := strings.CutPrefix(doc, "merge:"); ok {
				raw, err := readTestdata("valid.yml")
				if err != nil {
					t.Fatal(err)
				}
				depth, _ := strconv.Atoi(n)
				doc = mergeChain(depth) + raw + fmt.Sprintf("<<: *m%d\n", depth)
			}
			if name, ok := strings.CutPrefix(doc, "file:"); ok {
				name, extra, _ := strings.Cut(name, "+")
				raw, err := readTestdata(name)
				if err != nil {
					t.Fatal(err)
				}
				doc = raw + extra
			}
			var (
				pc  *apps.PublicCode
				fes []apps.FieldError
				err error
			)
			mem := allocated(func() { pc, fes, err = apps.Parse(strings.NewReader(doc)) })
			if pc != nil || !errors.Is(err, apps.ErrInvalid) || len(fes) != 1 || fes[0].Code != tc.code {
				t.Fatalf("Parse = %v, %v, %v; want one %q error", pc != nil, fes, err, tc.code)
			}
			if fes[0].Line == 0 {
				t.Errorf("no line in %v", fes[0])
			}
			if mem > 64<<20 {
				t.Errorf("refusing allocated %d MiB", mem>>20)
			}
		})
	}
}

func readTestdata(name string) (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	return string(b), err
}

// mergeChain is mappings m0 to mn (unknown keys, ignored), each merging
// the one before: each level alone is valid YAML and small.
func mergeChain(n int) string {
	var b strings.Builder
	b.WriteString("m0: &m0 {k0: v}\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "m%d: &m%d {<<: *m%d, k%d: v}\n", i, i, i-1, i)
	}
	return b.String()
}

// Anchors used honestly still pass: a merge of a merge, an alias in a
// list, the same anchor used many times.
func TestParseAcceptsSharedAnchors(t *testing.T) {
	raw, err := readTestdata("valid.yml")
	if err != nil {
		t.Fatal(err)
	}
	doc := raw + "x-base: &base {a: 1}\nx-mid: &mid {<<: *base, b: 2}\nx-use: [*mid, *mid, {<<: [*mid, *base]}]\n"
	if _, fes, err := apps.Parse(strings.NewReader(doc)); err != nil {
		t.Fatalf("Parse = %v, %v", fes, err)
	}
}

// An SPDX expression of many OR groups joined by AND is checked in time
// linear in its length. go-spdx's Satisfies expands it into disjunctive
// normal form first: 2^k terms for k groups, so a 490-character
// expression took hours and gigabytes.
func TestParseLicenceBoundedWork(t *testing.T) {
	for _, k := range []int{18, 27} {
		expr := strings.TrimSuffix(strings.Repeat("(MIT OR 0BSD) AND ", k), " AND ")
		var (
			l   apps.Licence
			err error
		)
		mem := allocated(func() { l, err = apps.ParseLicence(expr) })
		if err != nil || !l.OSIApproved {
			t.Fatalf("%d groups: %+v, %v", k, l, err)
		}
		if mem > 16<<20 {
			t.Fatalf("%d groups: checking allocated %d MiB", k, mem>>20)
		}
	}
	for _, tc := range []struct {
		expr string
		osi  bool
	}{
		{"(MIT OR CC-BY-NC-4.0) AND (Apache-2.0 OR CC-BY-4.0)", true},
		{"(MIT OR CC-BY-NC-4.0) AND CC-BY-4.0", false},
		{"MIT AND Apache-2.0 OR CC-BY-4.0", true},
		{"CC-BY-4.0 OR MIT AND CC-BY-NC-4.0", false},
		{"CC-BY-4.0 AND (MIT OR (0BSD AND LicenseRef-x))", false},
		{"((MIT))", true},
		{"GPL-2.0+ WITH Classpath-exception-2.0 AND MIT", true},
	} {
		l, err := apps.ParseLicence(tc.expr)
		if err != nil || l.OSIApproved != tc.osi {
			t.Errorf("%q: %+v, %v; want OSI %v", tc.expr, l, err, tc.osi)
		}
	}
}
