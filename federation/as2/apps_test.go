package as2

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"agora/instances/apps"
)

// TestAppPageAndAdoption: an app is a Page carrying its publiccode.yml and
// releases in Agora's terms; an adoption is an Add the parser reads back.
func TestAppPageAndAdoption(t *testing.T) {
	base, _ := url.Parse("https://paris15.example")
	r := Renderer{IDs: IDs{Base: base}}
	when := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	a := &apps.App{Slug: "agora", Name: "Agora", URL: "https://git.example.org/agora.git", License: "AGPL-3.0-or-later",
		ShortDescriptions: apps.Texts{"fr": "Participation <citoyenne>", "en": "Civic participation"}, CreatedAt: when, UpdatedAt: when}
	releases := []apps.Release{{Version: "1.2", Date: when, Changelog: "Corrections.",
		Artifacts: []apps.Artifact{{ID: "f1", Name: "agora.tar.gz", SHA256: "ab12", Size: 42, MediaType: "application/gzip"}}}}
	body, err := Serialize(r.AppPage(AppInput{App: a, PublicCode: "publiccodeYmlVersion: \"0.4\"\n", Releases: releases,
		Artifact: func(slug, id string) string { return "https://paris15.example/apps/" + slug + "/artifacts/" + id }}))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	rel, _ := m[TermReleases].([]any)
	if m["type"] != "Page" || m["id"] != "https://paris15.example/apps/agora" || m["name"] != "Agora" ||
		m["summary"] != "Participation &lt;citoyenne&gt;" || m[TermPublicCode] != "publiccodeYmlVersion: \"0.4\"\n" ||
		m["attributedTo"] != "https://paris15.example/apps" || len(rel) != 1 {
		t.Fatalf("app page = %s", body)
	}
	files, _ := rel[0].(map[string]any)["artifacts"].([]any)
	if f, _ := files[0].(map[string]any); f["url"] != "https://paris15.example/apps/agora/artifacts/f1" || f["sha256"] != "ab12" {
		t.Errorf("artifact = %v", files)
	}

	d := &apps.Adoption{Name: "Mairie du 3e", Version: "1.2", Contact: "dsi@lyon3.example", Since: when}
	body, err = Serialize(Adopt("https://lyon3.example/activities/1", "https://lyon3.example/actor", "https://paris15.example/apps/agora", d,
		"https://lyon3.example/adoptions/9"))
	if err != nil {
		t.Fatal(err)
	}
	act, err := Parse(body)
	if err != nil {
		t.Fatalf("parse the adoption: %v\n%s", err, body)
	}
	obj, _ := act.Raw["object"].(map[string]any)
	if act.Type != "Add" || act.Raw["target"] != "https://paris15.example/apps/agora" || act.Object == nil ||
		act.Object.Type != "agora:Adoption" || act.Object.Name != "Mairie du 3e" || obj[TermSince] != "2026-11-02" {
		t.Errorf("adoption = %s", body)
	}

	// Withdrawn: Remove of the adoption by id, the app as target.
	body, err = Serialize(Unadopt("https://lyon3.example/activities/2", "https://lyon3.example/actor", "https://paris15.example/apps/agora",
		"https://lyon3.example/adoptions/9"))
	if err != nil {
		t.Fatal(err)
	}
	if act, err = Parse(body); err != nil {
		t.Fatalf("parse the withdrawal: %v\n%s", err, body)
	}
	if act.Type != "Remove" || act.Actor != "https://lyon3.example/actor" || act.ObjectID != "https://lyon3.example/adoptions/9" ||
		act.Object != nil || act.Raw["target"] != "https://paris15.example/apps/agora" || len(act.To) != 1 || act.To[0] != "https://paris15.example/apps/agora" {
		t.Errorf("withdrawal = %s", body)
	}
}
