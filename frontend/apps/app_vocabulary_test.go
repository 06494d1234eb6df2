package apps_test

import (
	"regexp"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/apps"
)

// The category filter offers every category of the standard once, in
// groups, each named in the reader's language and never by its code;
// an app's page names its categories, type, platforms and languages in
// words too.
func TestAppVocabularyInWords(t *testing.T) {
	n := newAppNode(t, "sqlite", "local", apps.Options{})
	a := appPublish(t, n, "Cantine")
	option := regexp.MustCompile(`<option value="([^"]*)"[^>]*>([^<]*)</option>`)
	for _, tc := range []struct {
		lang, group, category, kind, language string
	}{
		{"fr", `<optgroup label="Relation avec les usagers">`, "Citoyenneté numérique", "Application web", "français, anglais"},
		{"en", `<optgroup label="Serving the public">`, "Digital citizenship", "Web application", "French, English"},
	} {
		w := n.Get("/apps?lang=" + tc.lang)
		frontendtest.WantStatus(t, w, 200)
		body := w.Body.String()
		if got := strings.Count(body, "<optgroup "); got != 8 {
			t.Errorf("%s: %d groups, want 8", tc.lang, got)
		}
		frontendtest.WantBody(t, w, tc.group, `<option value="digital-citizenship">`+tc.category+`</option>`)
		start, end := strings.Index(body, `id="f-category"`), strings.Index(body, `id="f-platform"`)
		if start < 0 || end < start {
			t.Fatalf("%s: no category filter", tc.lang)
		}
		seen := map[string]bool{}
		for _, m := range option.FindAllStringSubmatch(body[start:end], -1) {
			if m[1] == "" {
				continue
			}
			if seen[m[1]] || !apps.IsCategory(m[1]) {
				t.Errorf("%s: option %q twice or not a category", tc.lang, m[1])
			}
			seen[m[1]] = true
			if m[2] == m[1] {
				t.Errorf("%s: category %q is shown as its code", tc.lang, m[1])
			}
		}
		if len(seen) != len(apps.Categories) {
			t.Errorf("%s: %d categories offered, want %d", tc.lang, len(seen), len(apps.Categories))
		}
		w = n.Get("/apps/" + a.Slug + "?lang=" + tc.lang)
		frontendtest.WantBody(t, w, tc.category, tc.kind, tc.language)
		frontendtest.WantNoBody(t, w, "standalone/web", "digital-citizenship,")
	}
}
