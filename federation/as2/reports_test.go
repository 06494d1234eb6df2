package as2

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"agora/instances/reports"
)

// The report fixtures: a pothole in the 15th, first sent in
// nid-de-poule; one reporter kept their name private, one did not.
func testCategory() *reports.Category {
	return &reports.Category{Slug: "nid-de-poule", NameFR: "Nid-de-poule", NameEN: "Pothole", Service: "Voirie",
		UpdatedAt: at("2026-12-01T08:00:00Z")}
}

func testPublished(named bool) *reports.Published {
	p := &reports.Published{Origin: "nid-de-poule", OpenRecord: reports.OpenRecord{ID: "r3p0rt", Category: "nid-de-poule",
		Service: "Voirie", State: reports.New, CreatedAt: at("2026-12-07T09:00:00Z"), UpdatedAt: at("2026-12-07T09:00:00Z")}}
	if named {
		p.AuthorID, p.Address = "acc-jeanne", "12 rue Lecourbe, 75015 Paris"
		p.Point = &reports.Point{Lat: 48.842131, Lon: 2.303412}
	} else {
		p.Point, p.Rounded = &reports.Point{Lat: 48.842, Lon: 2.303}, true
	}
	return p
}

func testStateEvent() *reports.Event {
	day := at("2026-12-15T00:00:00Z")
	return &reports.Event{ID: 42, ReportID: "r3p0rt", Kind: reports.KindState, State: reports.Scheduled,
		Message: "Rebouchage prévu le 15.\n\nMerci <b>du</b> signalement.", Category: "nid-de-poule", Service: "Voirie",
		ScheduledFor: &day, At: at("2026-12-08T10:00:00Z")}
}

func reportGoldenDocs(r Renderer) map[string]*Doc {
	c := testCategory()
	group := r.IDs.ReportCategory(c.Slug)
	note := r.ReportNote(ReportInput{Report: testPublished(false), Category: c})
	return map[string]*Doc{
		"group":      r.ReportCategoryGroup(c, "Paris 15e", testPEM),
		"note":       note,
		"note_named": r.ReportNote(ReportInput{Report: testPublished(true), Category: c, AuthorName: "Jeanne Martin"}),
		"state":      r.ReportStateNote(StateInput{Event: testStateEvent(), Category: c}),
		"create":     Create(r.IDs.Activity("ev-9"), group, note, []string{Public}, []string{Followers(group)}),
	}
}

// TestReportGolden compares the reports' documents with their golden
// files in testdata/golden/reports (apart from TestGolden's, so that each
// family of documents keeps its own list); go test -update rewrites them.
func TestReportGolden(t *testing.T) {
	const dir = "testdata/golden/reports"
	docs := reportGoldenDocs(testRenderer())
	if *update {
		for name, d := range docs {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(decode(t, d)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name+".json"), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if files, _ := filepath.Glob(dir + "/*.json"); len(files) != len(docs) {
		t.Errorf("%d golden files, %d documents: remove the stale ones or run go test -update", len(files), len(docs))
	}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, name+".json"))
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			var golden any
			if err := json.Unmarshal(b, &golden); err != nil {
				t.Fatalf("golden file: %v", err)
			}
			got := decode(t, d)
			if !reflect.DeepEqual(plain(t, got), golden) {
				out, _ := json.MarshalIndent(got, "", "  ")
				t.Errorf("differs from %s/%s.json (go test -update rewrites it):\n%s", dir, name, out)
			}
			roundTrip(t, got)
		})
	}
}

// A category's Group is found under a handle no space or person can
// hold, points its page at the category's list, and names the service.
func TestReportCategoryGroup(t *testing.T) {
	r := testRenderer()
	m := decode(t, r.ReportCategoryGroup(testCategory(), "Paris 15e", testPEM))
	want := map[string]any{
		"type": "Group", "id": "https://paris15.example/reports/categories/nid-de-poule",
		"preferredUsername": "signalements.nid-de-poule", "name": "Signalements : Nid-de-poule",
		"url":   "https://paris15.example/reports?category=nid-de-poule",
		"inbox": "https://paris15.example/reports/categories/nid-de-poule/inbox", "agora:service": "Voirie",
		"followers": "https://paris15.example/reports/categories/nid-de-poule/followers",
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	if s, _ := m["summary"].(string); !strings.Contains(s, "Service en charge : Voirie") || !strings.Contains(s, "Paris 15e") {
		t.Errorf("summary %q", s)
	}
	en := Renderer{IDs: r.IDs, Lang: "en"}
	if m := decode(t, en.ReportCategoryGroup(testCategory(), "Paris 15e", testPEM)); m["name"] != "Reports: Pothole" {
		t.Errorf("English name %v", m["name"])
	}
}

// A report's Note holds its public part only: a private reporter is not
// named, has no address and a rounded point; a named one is named.
func TestReportNote(t *testing.T) {
	r := testRenderer()
	tests := []struct {
		name      string
		in        ReportInput
		has, hasn []string
		lat       float64
	}{
		{"private", ReportInput{Report: testPublished(false), Category: testCategory()},
			[]string{"Nouveau signalement", "Service en charge : Voirie", `href="https://paris15.example/reports/r3p0rt"`},
			[]string{"Signalé par", "rue"}, 48.842},
		{"named", ReportInput{Report: testPublished(true), Category: testCategory(), AuthorName: "Jeanne <Martin>"},
			[]string{"Signalé par Jeanne &lt;Martin&gt;", "12 rue Lecourbe"}, []string{"<Martin>"}, 48.842131},
		{"suggestion", ReportInput{Report: testPublished(false), Category: func() *reports.Category {
			c := testCategory()
			c.Kind = reports.Suggestion
			return c
		}()}, []string{"Nouvelle suggestion d’aménagement"}, []string{"Nouveau signalement"}, 48.842},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decode(t, r.ReportNote(tt.in))
			content, _ := m["content"].(string)
			for _, s := range tt.has {
				if !strings.Contains(content, s) {
					t.Errorf("content %q lacks %q", content, s)
				}
			}
			for _, s := range tt.hasn {
				if strings.Contains(content, s) {
					t.Errorf("content %q holds %q", content, s)
				}
			}
			loc, _ := m["location"].(map[string]any)
			if loc["latitude"] != tt.lat {
				t.Errorf("latitude %v, want %v", loc["latitude"], tt.lat)
			}
			if m["attributedTo"] != "https://paris15.example/reports/categories/nid-de-poule" || m["agora:state"] != "new" {
				t.Errorf("attributedTo %v, state %v", m["attributedTo"], m["agora:state"])
			}
			if _, ok := m["summary"]; ok {
				t.Error("a Note with a summary shows as a content warning in Mastodon")
			}
		})
	}
}

// A change of state replies to the report's Note, with the state, its
// date and the service's message, escaped.
func TestReportStateNote(t *testing.T) {
	r := testRenderer()
	m := decode(t, r.ReportStateNote(StateInput{Event: testStateEvent(), Category: testCategory()}))
	report := "https://paris15.example/reports/r3p0rt"
	if m["id"] != report+"/states/42" || m["inReplyTo"] != report || m["context"] != report {
		t.Errorf("id %v, inReplyTo %v, context %v", m["id"], m["inReplyTo"], m["context"])
	}
	content, _ := m["content"].(string)
	for _, s := range []string{"Intervention programmée (2026-12-15)", "<p>Rebouchage prévu le 15.</p>", "Merci &lt;b&gt;du&lt;/b&gt; signalement."} {
		if !strings.Contains(content, s) {
			t.Errorf("content %q lacks %q", content, s)
		}
	}
	if m["agora:scheduledFor"] != "2026-12-15" || m["agora:state"] != "scheduled" {
		t.Errorf("terms: %v %v", m["agora:scheduledFor"], m["agora:state"])
	}
	e := testStateEvent()
	e.State, e.Category, e.Service, e.ScheduledFor = reports.Requalified, "graffiti", "Propreté", nil
	graffiti := &reports.Category{Slug: "graffiti", NameFR: "Graffiti", Service: "Propreté"}
	m = decode(t, r.ReportStateNote(StateInput{Event: e, Category: testCategory(), NewCategory: graffiti}))
	if content, _ := m["content"].(string); !strings.Contains(content, "Confié à un autre service : Graffiti (Propreté)") {
		t.Errorf("requalified: %q", content)
	}
	if m["attributedTo"] != "https://paris15.example/reports/categories/nid-de-poule" {
		t.Errorf("a change is sent by the report's first category: %v", m["attributedTo"])
	}
}
