package as2

import (
	"errors"
	"strings"
	"testing"
)

// testBudgetProject is a funded project at the works stage, in an
// edition of two envelopes.
func testBudgetProject() BudgetProjectInput {
	return BudgetProjectInput{ID: "pr0j3t", Ref: "7", Title: "Des arbres rue Violet",
		Description: "Douze arbres <d’alignement>.\n\nEt des bancs.", Edition: "Budget participatif 2027",
		Heading: "Saint-Lambert", Cost: 120000, Spent: 45000, Votes: 312, Currency: "EUR", Funded: true,
		Status: "works", Progress: 40, Published: at("2026-12-16T09:00:00Z"), Updated: at("2027-03-02T10:00:00Z"),
		Space: testSpace()}
}

// The Page says where the project stands three ways: the summary line
// Mastodon shows, PropertyValue fields, and Agora's terms; what the
// renderer writes, the parser reads back the same.
func TestBudgetProjectPage(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*BudgetProjectInput)
		lang    string
		summary string
		fields  int
		want    BudgetProject
	}{
		{"funded, works", nil, "fr", "<p>Financé · Coût : 120\u202f000\u00a0€ · Travaux, avancement : 40 %</p>", 6,
			BudgetProject{Edition: "Budget participatif 2027", Heading: "Saint-Lambert", Ref: "7", Cost: 120000, Spent: 45000, Votes: 312,
				Currency: "EUR", Funded: true, Status: "works", Progress: 40}},
		{"english", nil, "en", "<p>Funded · Cost: €120,000 · Works, progress: 40%</p>", 6,
			BudgetProject{Edition: "Budget participatif 2027", Heading: "Saint-Lambert", Ref: "7", Cost: 120000, Spent: 45000, Votes: 312,
				Currency: "EUR", Funded: true, Status: "works", Progress: 40}},
		{"funded, no step yet", func(in *BudgetProjectInput) { in.Status, in.Progress, in.Spent = "", 0, 0 }, "fr",
			"<p>Financé · Coût : 120\u202f000\u00a0€</p>", 3,
			BudgetProject{Edition: "Budget participatif 2027", Heading: "Saint-Lambert", Ref: "7", Cost: 120000, Votes: 312,
				Currency: "EUR", Funded: true}},
		{"not funded, one envelope", func(in *BudgetProjectInput) { in.Funded, in.Status, in.Heading = false, "", "" }, "fr",
			"<p>Non retenu · Coût : 120\u202f000\u00a0€</p>", 2,
			BudgetProject{Edition: "Budget participatif 2027", Ref: "7", Cost: 120000, Votes: 312, Currency: "EUR"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := testBudgetProject()
			if tc.change != nil {
				tc.change(&in)
			}
			r := testRenderer()
			r.Lang = tc.lang
			m, err := r.BudgetProjectPage(in).Map()
			if err != nil {
				t.Fatal(err)
			}
			if m["type"] != "Page" || m["id"] != "https://paris15.example/budgets/projects/pr0j3t" || m["url"] != m["id"] ||
				m["attributedTo"] != "https://paris15.example/spaces/budget-2027" || m["name"] != "Des arbres rue Violet" {
				t.Errorf("page: %v", m)
			}
			if m["summary"] != tc.summary {
				t.Errorf("summary %q, want %q", m["summary"], tc.summary)
			}
			content, _ := m["content"].(string)
			if !strings.Contains(content, "Douze arbres &lt;d’alignement&gt;.") || !strings.HasSuffix(content, tc.summary) {
				t.Errorf("content %q", content)
			}
			att, _ := m["attachment"].([]any)
			if len(att) != tc.fields {
				t.Fatalf("%d fields, want %d: %v", len(att), tc.fields, att)
			}
			if f, _ := att[0].(map[string]any); f["type"] != "PropertyValue" || f["value"] == "" {
				t.Errorf("field %v", f)
			}
			// Through JSON, as a peer reads it.
			body, err := Serialize(r.BudgetProjectPage(in))
			if err != nil {
				t.Fatal(err)
			}
			_, raw, err := ParseObject(body)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := ReadBudgetProject(raw)
			if err != nil || !ok || got != tc.want {
				t.Errorf("read back %+v, %v, %v; want %+v", got, ok, err, tc.want)
			}
		})
	}
}

// A peer's figures are read only when they say what they are, and of the
// right kind and bounds; anything else refuses the project whole.
func TestReadBudgetProject(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{TermBudgetProject: true, TermCost: 1000.0, TermCurrency: "EUR", TermFunded: true,
			TermStatus: "done", TermProgress: 100.0, TermVotes: 3.0, TermSpent: 900.0, TermEdition: "BP", TermHeading: "Nord", TermRef: "1"}
	}
	if _, ok, err := ReadBudgetProject(map[string]any{TermCost: 5.0}); ok || err != nil {
		t.Errorf("a Page without agora:budgetProject: ok %v, %v", ok, err)
	}
	if _, ok, err := ReadBudgetProject(map[string]any{TermBudgetProject: "true"}); ok || err != nil {
		t.Errorf("agora:budgetProject as a string: ok %v, %v", ok, err)
	}
	if p, ok, err := ReadBudgetProject(base()); !ok || err != nil || p.Progress != 100 || p.Spent != 900 {
		t.Errorf("good project: %+v, %v, %v", p, ok, err)
	}
	for _, tc := range []struct {
		name  string
		key   string
		value any
	}{
		{"negative cost", TermCost, -1.0},
		{"fractional cost", TermCost, 10.5},
		{"cost over the bound", TermCost, 1e13},
		{"cost as text", TermCost, "1000"},
		{"votes as object", TermVotes, map[string]any{}},
		{"spent over the bound", TermSpent, 2e12},
		{"progress over 100", TermProgress, 101.0},
		{"progress negative", TermProgress, -5.0},
		{"unknown status", TermStatus, "<script>"},
		{"status as number", TermStatus, 3.0},
		{"lowercase currency", TermCurrency, "eur"},
		{"long currency", TermCurrency, "EURO"},
		{"funded as text", TermFunded, "yes"},
		{"edition as list", TermEdition, []any{"a"}},
		{"edition too long", TermEdition, strings.Repeat("x", 1001)},
		{"reference too long", TermRef, strings.Repeat("x", 201)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			m[tc.key] = tc.value
			p, ok, err := ReadBudgetProject(m)
			if !ok || !errors.Is(err, ErrMalformed) || p != (BudgetProject{}) {
				t.Errorf("got %+v, ok %v, err %v; want a malformed refusal", p, ok, err)
			}
		})
	}
}

// ReadBudgetProject never panics; what it accepts keeps its bounds.
func FuzzReadBudgetProject(f *testing.F) {
	body, err := Serialize(testRenderer().BudgetProjectPage(testBudgetProject()))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	f.Add([]byte(`{"id":"https://a.example/p","type":"Page","agora:budgetProject":true,"agora:cost":1e300,"agora:progress":"50"}`))
	f.Add([]byte(`{"id":"https://a.example/p","type":"Page","agora:budgetProject":true,"agora:status":"works","agora:currency":"€€€"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, raw, err := ParseObject(body)
		if err != nil {
			return
		}
		p, ok, err := ReadBudgetProject(raw)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || p != (BudgetProject{}) {
				t.Fatalf("refusal %v with %+v", err, p)
			}
			return
		}
		if !ok {
			return
		}
		if p.Cost < 0 || p.Cost > MaxBudgetAmount || p.Spent < 0 || p.Spent > MaxBudgetAmount || p.Votes < 0 ||
			p.Votes > MaxBudgetAmount || p.Progress < 0 || p.Progress > 100 || len(p.Edition) > 1000 || len(p.Heading) > 1000 ||
			len(p.Ref) > 200 || (p.Currency != "" && !currencyCode.MatchString(p.Currency)) {
			t.Fatalf("out of bounds: %+v", p)
		}
		known := p.Status == ""
		for _, s := range BudgetStatuses {
			known = known || s == p.Status
		}
		if !known {
			t.Fatalf("status %q", p.Status)
		}
	})
}
