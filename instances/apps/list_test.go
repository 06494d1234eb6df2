package apps_test

import (
	"slices"
	"testing"

	"agora/instances/apps"
)

// The catalogue filters on each value a publiccode.yml gives, searches
// names and descriptions, and pages by name.
func TestList(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		agora := f.publish(t, testdata(t, "valid.yml")) // web, android; 3 categories; AGPL; fr, en, fr-BE; stable
		f.app(t, "Guichet",                             // minimal: web; digital-citizenship; AGPL; fr; stable
			"shortDescription: Plateforme de participation citoyenne pour les communes.", "shortDescription: Prise de rendez-vous en mairie.")
		f.app(t, "Cantine",
			"  - web\n", "  - ios\n  - android\n",
			"  - digital-citizenship\n", "  - online-booking\n  - payment-gateway\n",
			"license: AGPL-3.0-or-later", "license: MIT OR Apache-2.0",
			"developmentStatus: stable", "developmentStatus: beta",
			"    - fr\n", "    - de\n    - en-GB\n",
			"shortDescription: Plateforme de participation citoyenne pour les communes.", "shortDescription: Réservation des repas à l’école, paiement en ligne.")
		old := f.app(t, "Archives", "developmentStatus: stable", "developmentStatus: obsolete", "license: AGPL-3.0-or-later", "license: CC-BY-4.0")
		lyon := f.app(t, "Lyon Démarches")
		makeRemote(t, f, lyon.ID)
		certify(t, f, agora.Slug)
		gone := f.app(t, "Supprimée")
		wantErr(t, f.svc.Delete(f.ctx, f.admin, gone.Slug), nil, "delete")
		_ = old

		for _, tc := range []struct {
			name   string
			filter apps.Filter
			want   []string
		}{
			{"everything, by name", apps.Filter{}, []string{"Agora", "Archives", "Cantine", "Guichet", "Lyon Démarches"}},
			{"a category", apps.Filter{Category: "digital-citizenship"}, []string{"Agora", "Archives", "Guichet", "Lyon Démarches"}},
			{"another category", apps.Filter{Category: "payment-gateway"}, []string{"Cantine"}},
			{"a platform", apps.Filter{Platform: "android"}, []string{"Agora", "Cantine"}},
			{"a licence named in an OR", apps.Filter{License: "Apache-2.0"}, []string{"Cantine"}},
			{"a licence, any case", apps.Filter{License: "agpl-3.0-or-later"}, []string{"Agora", "Guichet", "Lyon Démarches"}},
			{"a status", apps.Filter{Status: apps.Obsolete}, []string{"Archives"}},
			{"a language", apps.Filter{Language: "de"}, []string{"Cantine"}},
			{"a primary language finds regional ones", apps.Filter{Language: "en"}, []string{"Agora", "Cantine"}},
			{"a regional language", apps.Filter{Language: "fr-BE"}, []string{"Agora"}},
			{"certified", apps.Filter{Certified: true}, []string{"Agora"}},
			{"local only", apps.Filter{LocalOnly: true}, []string{"Agora", "Archives", "Cantine", "Guichet"}},
			{"together", apps.Filter{Category: "digital-citizenship", Platform: "android", Status: apps.Stable}, []string{"Agora"}},
			{"search, accents and case folded", apps.Filter{Query: "REPAS ecole"}, []string{"Cantine"}},
			{"search a long description", apps.Filter{Query: "ActivityPub"}, []string{"Agora"}},
			{"search a feature", apps.Filter{Query: "guichet"}, []string{"Agora", "Guichet"}},
			{"search a prefix", apps.Filter{Query: "rendez"}, []string{"Guichet"}},
			{"search every word", apps.Filter{Query: "mairie paiement"}, []string{}},
			{"search wildcards are text", apps.Filter{Query: "%_"}, []string{"Agora", "Archives", "Cantine", "Guichet", "Lyon Démarches"}},
			{"no match", apps.Filter{Category: "payroll"}, []string{}},
		} {
			p, err := f.svc.List(f.ctx, tc.filter)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			got := []string{}
			for _, a := range p.Items {
				got = append(got, a.Name)
			}
			if !slices.Equal(got, tc.want) || p.Total != len(tc.want) {
				t.Errorf("%s: %q (total %d), want %q", tc.name, got, p.Total, tc.want)
			}
		}

		// Pages.
		var seen []string
		for page := 1; page <= 3; page++ {
			p, err := f.svc.List(f.ctx, apps.Filter{Page: page, PerPage: 2})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 5 || p.Pages() != 3 {
				t.Errorf("page %d: total %d, %d pages", page, p.Total, p.Pages())
			}
			for _, a := range p.Items {
				seen = append(seen, a.Name)
			}
		}
		if !slices.Equal(seen, []string{"Agora", "Archives", "Cantine", "Guichet", "Lyon Démarches"}) {
			t.Errorf("pages gave %q", seen)
		}
		if p, err := f.svc.List(f.ctx, apps.Filter{Page: 9}); err != nil || len(p.Items) != 0 || p.Total != 5 {
			t.Errorf("past the end: %+v, %v", p, err)
		}
	})
}
