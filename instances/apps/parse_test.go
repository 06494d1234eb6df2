package apps_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"agora/instances/apps"
)

func open(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func parseFile(t testing.TB, name string) (*apps.PublicCode, []apps.FieldError, error) {
	t.Helper()
	return apps.Parse(open(t, name))
}

// The full example (Agora itself) passes and is read whole; unknown keys
// and country sections are ignored.
func TestParseValid(t *testing.T) {
	pc, fes, err := parseFile(t, "valid.yml")
	if err != nil || len(fes) > 0 {
		t.Fatalf("Parse: %v %v", fes, err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"version", pc.Version, "0.4"},
		{"name", pc.Name, "Agora"},
		{"url", pc.URL, "https://git.example.org/agora/agora.git"},
		{"landingURL", pc.LandingURL, "https://agora.example.org"},
		{"softwareVersion", pc.SoftwareVersion, "1.2.0"},
		{"releaseDate", pc.ReleaseDate, "2026-11-02"},
		{"logo", pc.Logo, "docs/logo.png"},
		{"roadmap", pc.Roadmap, "https://agora.example.org/feuille-de-route"},
		{"developmentStatus", pc.DevelopmentStatus, "stable"},
		{"softwareType", pc.SoftwareType, "standalone/web"},
		{"license", pc.Legal.License, "AGPL-3.0-or-later"},
		{"licence", pc.Legal.Licence.Expression, "AGPL-3.0-or-later"},
		{"copyright", pc.Legal.MainCopyrightOwner, "Ville de Paris"},
		{"maintenance", pc.Maintenance.Type, "internal"},
		{"contact", pc.Maintenance.Contacts[0].Name, "Camille Martin"},
		{"phone", pc.Maintenance.Contacts[0].Phone, "+33 1 23 45 67 89"},
		{"fr short", pc.Description["fr"].ShortDescription, "Plateforme de participation citoyenne pour les communes : propositions, débats, votes et budget participatif."},
		{"fr doc", pc.Description["fr"].Documentation, "https://agora.example.org/documentation"},
		{"en short", pc.Description["en"].ShortDescription, "Civic participation platform for municipalities."},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"platforms", pc.Platforms, []string{"web", "android"}},
		{"categories", pc.Categories, []string{"digital-citizenship", "survey", "online-community"}},
		{"usedBy", pc.UsedBy, []string{"Mairie du 11e arrondissement"}},
		{"isBasedOn (one string)", pc.IsBasedOn, []string{"https://git.example.org/agora/upstream.git"}},
		{"languages", pc.Localisation.AvailableLanguages, []string{"fr", "en", "fr-BE"}},
		{"description languages", pc.Languages(), []string{"en", "fr"}},
		{"licence ids", pc.Legal.Licence.IDs, []string{"AGPL-3.0-or-later"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	fr := pc.Description["fr"]
	if len(fr.Features) != 5 || len(fr.Screenshots) != 1 || len(fr.Videos) != 1 || len(fr.Awards) != 1 {
		t.Errorf("fr description lists: %+v", fr)
	}
	if n := len([]rune(fr.LongDescription)); n < 150 || strings.HasSuffix(fr.LongDescription, "\n") {
		t.Errorf("fr longDescription: %d characters, %q", n, fr.LongDescription)
	}
	if !pc.Legal.Licence.OSIApproved || !pc.Localisation.LocalisationReady {
		t.Errorf("OSI %v, localisationReady %v", pc.Legal.Licence.OSIApproved, pc.Localisation.LocalisationReady)
	}
}

// Anchors, aliases and merge keys used as YAML allows are read.
func TestParseAliases(t *testing.T) {
	pc, fes, err := parseFile(t, "aliases.yml")
	if err != nil {
		t.Fatalf("Parse: %v %v", fes, err)
	}
	got := pc.Maintenance.Contacts
	if len(got) != 2 || got[0].Name != "Camille Martin" || got[1].Name != "Dominique Martin" || got[1].Email != "camille@example.org" {
		t.Errorf("contacts %+v", got)
	}
}

// Each bad file is refused with the problem at its field path and line;
// the first error is the one the file was written for.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		file, path string
		line       int
		code       string
		message    string // a part of it
	}{
		// Each mandatory field missing: reported at its section's line.
		{"missing-publiccodeymlversion.yml", "publiccodeYmlVersion", 1, "required", "required"},
		{"missing-name.yml", "name", 1, "required", ""},
		{"empty-name.yml", "name", 2, "required", ""},
		{"missing-url.yml", "url", 1, "required", ""},
		{"missing-platforms.yml", "platforms", 1, "required", ""},
		{"missing-categories.yml", "categories", 1, "required", ""},
		{"missing-developmentstatus.yml", "developmentStatus", 1, "required", ""},
		{"missing-softwaretype.yml", "softwareType", 1, "required", ""},
		{"missing-description.yml", "description", 1, "required", ""},
		{"missing-shortdescription.yml", "description.fr.shortDescription", 12, "required", ""},
		{"missing-longdescription.yml", "description.*.longDescription", 11, "required", "at least one language"},
		{"missing-features.yml", "description.*.features", 11, "required", "at least one language"},
		{"missing-legal.yml", "legal", 1, "required", ""},
		{"missing-license.yml", "legal.license", 20, "required", ""},
		{"missing-maintenance.yml", "maintenance", 1, "required", ""},
		{"missing-maintenance-type.yml", "maintenance.type", 22, "required", ""},
		{"missing-contacts.yml", "maintenance.contacts", 22, "required", ""},
		{"missing-contact-name.yml", "maintenance.contacts[0].name", 24, "required", ""},
		{"contract-without-contractors.yml", "maintenance.contractors", 22, "required", ""},
		{"missing-localisation.yml", "localisation", 1, "required", ""},
		{"missing-localisationready.yml", "localisation.localisationReady", 26, "required", ""},
		{"missing-availablelanguages.yml", "localisation.availableLanguages", 26, "required", ""},
		{"empty-availablelanguages.yml", "localisation.availableLanguages", 27, "required", "empty"},
		// Wrong types, at the line of the value.
		{"type-categories.yml", "categories", 6, "type", "want a list, found a string"},
		{"type-name.yml", "name", 3, "type", "want a string, found a list"},
		{"type-localisationready.yml", "localisation.localisationReady", 26, "type", "want true or false, found a string"},
		{"type-description.yml", "description", 11, "type", "want a mapping, found a list"},
		{"type-shortdescription.yml", "description.fr.shortDescription", 12, "type", "want a string"},
		// Wrong values.
		{"unknown-licence.yml", "legal.license", 20, "licence", "unknown license 'AGPL-4.0'"},
		{"bad-spdx.yml", "legal.license", 20, "licence", "expected expression following OR"},
		{"too-long-shortdescription.yml", "description.fr.shortDescription", 12, "length", "170 characters, at most 150"},
		{"too-short-longdescription.yml", "description.fr.longDescription", 13, "length", "11 characters, want 150 to 10000"},
		{"bad-version.yml", "publiccodeYmlVersion", 1, "value", `"0.1" is not supported`},
		{"bad-url.yml", "url", 3, "url", "not an absolute URL"},
		{"bad-category.yml", "categories[0]", 7, "category", `"civic-tech"`},
		{"bad-developmentstatus.yml", "developmentStatus", 8, "value", `"finished" is not one of`},
		{"bad-softwaretype.yml", "softwareType", 9, "value", `"standalone" is not one of`},
		{"bad-maintenance-type.yml", "maintenance.type", 22, "value", `"volunteers"`},
		{"bad-language.yml", "localisation.availableLanguages[0]", 28, "language", `"fr_FR" is not a BCP 47`},
		{"bad-description-language.yml", "description.français", 11, "language", "BCP 47"},
		{"bad-releasedate.yml", "releaseDate", 29, "date", "YYYY-MM-DD"},
		// The document itself.
		{"duplicate-key.yml", "name", 29, "duplicate", "first at line 2"},
		{"malformed.yml", "", 5, "syntax", "did not find expected '-' indicator"},
		{"two-documents.yml", "", 29, "syntax", "more than one YAML document"},
		{"not-a-mapping.yml", "", 1, "type", "want a mapping"},
		{"empty.yml", "", 0, "required", "empty"},
		{"alias-bomb.yml", "", 31, "alias", "aliases expand"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			pc, fes, err := parseFile(t, tc.file)
			if pc != nil || !errors.Is(err, apps.ErrInvalid) || len(fes) == 0 {
				t.Fatalf("Parse = %v, %v, %v; want refused", pc, fes, err)
			}
			var ie *apps.InvalidError
			if !errors.As(err, &ie) || !reflect.DeepEqual(ie.Errors, fes) {
				t.Errorf("error %v does not carry the field errors", err)
			}
			fe := fes[0]
			if fe.Path != tc.path || fe.Line != tc.line || fe.Code != tc.code || !strings.Contains(fe.Message, tc.message) {
				t.Errorf("first error %+v, want %s at line %d (%s) saying %q; all: %v", fe, tc.path, tc.line, tc.code, tc.message, fes)
			}
			if len(fes) != 1 && !strings.HasPrefix(tc.file, "missing-description") {
				t.Errorf("%d errors, want 1: %v", len(fes), fes)
			}
		})
	}
}

// Every problem is reported at once, each with its place.
func TestParseReportsEveryError(t *testing.T) {
	doc := `publiccodeYmlVersion: "0.4"
name: [Agora]
url: agora
platforms: []
categories: [survey, civic-tech]
developmentStatus: done
softwareType: standalone/web
description:
  fr:
    shortDescription: Court.
    longDescription: Trop court.
    features: Propositions
legal: {license: GPL}
maintenance: {type: community}
localisation: {localisationReady: 1, availableLanguages: [fr, "12"]}
`
	_, fes, err := apps.Parse(strings.NewReader(doc))
	if !errors.Is(err, apps.ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, fe := range fes {
		got = append(got, fe.Error())
	}
	want := []string{
		"line 2: name: want a string, found a list",
		`line 3: url: "agora" is not an absolute URL`,
		"line 4: platforms: the list is empty",
		`line 5: categories[1]: "civic-tech" is not in the publiccode.yml list of categories`,
		`line 6: developmentStatus: "done" is not one of concept, development, beta, stable, obsolete`,
		"line 11: description.fr.longDescription: 11 characters, want 150 to 10000",
		"line 12: description.fr.features: want a list, found a string",
		"line 13: legal.license: invalid SPDX licence expression: unknown license 'GPL' at offset 0",
		"line 14: maintenance.contacts: required",
		"line 15: localisation.localisationReady: want true or false, found a number",
		`line 15: localisation.availableLanguages[1]: "12" is not a BCP 47 language tag`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A syntax error the YAML scanner finds is reported at its exact line.
func TestParseSyntaxLine(t *testing.T) {
	doc := "publiccodeYmlVersion: \"0.4\"\nname: Agora\nurl: https://example.org: x\nplatforms: web\n"
	_, fes, err := apps.Parse(strings.NewReader(doc))
	if !errors.Is(err, apps.ErrInvalid) || len(fes) != 1 || fes[0].Line != 3 || fes[0].Code != "syntax" ||
		!strings.Contains(fes[0].Message, "mapping values are not allowed") {
		t.Fatalf("Parse = %v, %v", fes, err)
	}
}

// Platforms may be one string, and values outside the predefined list.
func TestParsePlatforms(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "minimal.yml"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(base), "platforms:\n  - web\n", "platforms: kiosk\n", 1)
	pc, fes, err := apps.Parse(strings.NewReader(doc))
	if err != nil || !slices.Equal(pc.Platforms, []string{"kiosk"}) {
		t.Fatalf("Parse = %v, %v", fes, err)
	}
}

// allocated runs fn and returns the bytes it allocated.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A "billion laughs" (9^9 strings once expanded) is refused at once, in
// a few megabytes. yaml.v3 refuses it too when decoding into Go values,
// but not into the node tree Parse reads first: Parse counts what
// aliases would add before anything expands them.
func TestParseAliasBomb(t *testing.T) {
	var (
		fes []apps.FieldError
		err error
	)
	start := time.Now()
	mem := allocated(func() { _, fes, err = parseFile(t, "alias-bomb.yml") })
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("refusing took %v", elapsed)
	}
	if mem > 8<<20 {
		t.Errorf("refusing allocated %d MiB", mem>>20)
	}
	if !errors.Is(err, apps.ErrInvalid) || len(fes) != 1 || fes[0].Code != "alias" {
		t.Fatalf("Parse = %v, %v", fes, err)
	}
	raw, err := io.ReadAll(open(t, "alias-bomb.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(raw, &v); err == nil || !strings.Contains(err.Error(), "excessive aliasing") {
		t.Errorf("yaml.v3 decoding into Go values: %v, want excessive aliasing", err)
	}
}

// repeat is an endless publiccode.yml-looking stream, counting what is
// read from it.
type repeat struct {
	line []byte
	off  int
	read int64
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.line[r.off:])
		n += c
		r.off = (r.off + c) % len(r.line)
	}
	r.read += int64(n)
	return n, nil
}

// A 50 MB file is refused after reading just over 1 MiB of it, without
// holding more than that in memory.
func TestParseTooLarge(t *testing.T) {
	r := &repeat{line: []byte("# un commentaire pour grossir le fichier\n")}
	const size = 50 << 20
	var (
		fes []apps.FieldError
		err error
	)
	mem := allocated(func() { _, fes, err = apps.Parse(io.LimitReader(r, size)) })
	if !errors.Is(err, apps.ErrTooLarge) || !errors.Is(err, apps.ErrInvalid) || len(fes) != 1 || fes[0].Code != "too_large" {
		t.Fatalf("Parse = %v, %v", fes, err)
	}
	if r.read > 2*apps.MaxPublicCodeSize {
		t.Errorf("read %d bytes of the stream, want about %d", r.read, apps.MaxPublicCodeSize)
	}
	if mem > 8<<20 {
		t.Errorf("refusing allocated %d MiB", mem>>20)
	}
	// Exactly the limit is read (and found to be YAML comments only).
	_, fes, err = apps.Parse(io.LimitReader(&repeat{line: []byte("# une seule longue ligne de commentaire ")}, apps.MaxPublicCodeSize))
	if errors.Is(err, apps.ErrTooLarge) || len(fes) != 1 || fes[0].Code != "required" {
		t.Errorf("a file of exactly the limit: %v, %v", fes, err)
	}
}

// A file under the size limit but made of a million tiny entries is
// refused before yaml.v3 builds a tree of them.
func TestParseTooManyEntries(t *testing.T) {
	for _, doc := range []string{
		"x:\n" + strings.Repeat("- a\n", apps.MaxPublicCodeSize/4-1),
		"x: [" + strings.Repeat("a,", apps.MaxPublicCodeSize/2-4) + "a]",
	} {
		var (
			fes []apps.FieldError
			err error
		)
		mem := allocated(func() { _, fes, err = apps.Parse(strings.NewReader(doc)) })
		if !errors.Is(err, apps.ErrInvalid) || len(fes) != 1 || fes[0].Code != "too_complex" {
			t.Fatalf("Parse = %v, %v", fes, err)
		}
		if mem > 8<<20 {
			t.Errorf("refusing allocated %d MiB", mem>>20)
		}
	}
}

// A failing reader is an error of its own, not a field error.
func TestParseReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, fes, err := apps.Parse(io.MultiReader(strings.NewReader("name: x\n"), errReader{boom}))
	if !errors.Is(err, boom) || errors.Is(err, apps.ErrInvalid) || fes != nil {
		t.Fatalf("Parse = %v, %v", fes, err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestParseLicence(t *testing.T) {
	for _, tc := range []struct {
		expr, norm string
		ids        []string
		osi        bool
		bad        string // part of the error, "" for valid
	}{
		{"AGPL-3.0-or-later", "AGPL-3.0-or-later", []string{"AGPL-3.0-or-later"}, true, ""},
		{"agpl-3.0-or-later", "AGPL-3.0-or-later", []string{"AGPL-3.0-or-later"}, true, ""},
		{"EUPL-1.2", "EUPL-1.2", []string{"EUPL-1.2"}, true, ""},
		{"CECILL-2.1", "CECILL-2.1", []string{"CECILL-2.1"}, true, ""},
		{"GPL-3.0", "GPL-3.0", []string{"GPL-3.0"}, true, ""}, // deprecated, still valid
		{"MIT OR Apache-2.0", "MIT OR Apache-2.0", []string{"Apache-2.0", "MIT"}, true, ""},
		{"MIT OR CC-BY-NC-4.0", "MIT OR CC-BY-NC-4.0", []string{"CC-BY-NC-4.0", "MIT"}, true, ""},
		{"MIT AND CC-BY-NC-4.0", "MIT AND CC-BY-NC-4.0", []string{"CC-BY-NC-4.0", "MIT"}, false, ""},
		{"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", []string{"GPL-2.0-only"}, true, ""},
		{"CC-BY-4.0", "CC-BY-4.0", []string{"CC-BY-4.0"}, false, ""},
		{"LicenseRef-Ville-de-Paris", "LicenseRef-Ville-de-Paris", []string{"LicenseRef-Ville-de-Paris"}, false, ""},
		{"AGPL-4.0", "", nil, false, "unknown license 'AGPL-4.0'"},
		{"MIT OR", "", nil, false, "expected expression following OR"},
		{"(MIT", "", nil, false, "parenthesis"},
		{"MIT WITH Nothing-exception", "", nil, false, "invalid"},
		{strings.Repeat("MIT OR ", 100) + "MIT", "", nil, false, "too long"},
	} {
		l, err := apps.ParseLicence(tc.expr)
		if tc.bad != "" {
			if err == nil || !strings.Contains(err.Error(), tc.bad) {
				t.Errorf("%q: %v, want an error saying %q", tc.expr, err, tc.bad)
			}
			continue
		}
		if err != nil || l.Expression != tc.norm || !slices.Equal(l.IDs, tc.ids) || l.OSIApproved != tc.osi {
			t.Errorf("%q = %+v, %v; want %q %q OSI %v", tc.expr, l, err, tc.norm, tc.ids, tc.osi)
		}
	}
}

func TestVocabulary(t *testing.T) {
	if !slices.IsSorted(apps.Categories) || len(apps.Categories) != 103 {
		t.Errorf("%d categories, sorted %v", len(apps.Categories), slices.IsSorted(apps.Categories))
	}
	for _, c := range []string{"digital-citizenship", "whistleblowing", "design-system", "e-signature"} {
		if !apps.IsCategory(c) {
			t.Errorf("%s is not a category", c)
		}
	}
	if apps.IsCategory("civic-tech") {
		t.Error("civic-tech is a category")
	}
}
