package frontend

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
	"agora/instances/proposals"
)

// Every page of participation as people meet it: each passes axe-core,
// in French and in English, with and without errors, for a visitor, a
// resident, an agent, an official and an admin.
func TestParticipationPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := newParticipationNode(t, "sqlite")
	sp := propSpace(t, n, "budget-2027", 5)
	author, authorTok := propResident(t, n, "camille", true)
	id := propCreated(t, propPost(n, sp.Slug, authorTok, propFields("Des arbres rue de Vaugirard"),
		propFile{name: "rue.jpg", data: testJPEG(t, 40, 30, 1)}, propFile{name: "plan.pdf", data: []byte("%PDF-1.4\n%%EOF\n")}))
	answered := propPropose(t, n, author, sp, "Un banc square Violet")
	if err := n.proposals.Answer(t.Context(), accounts.As(n.staff[accounts.Official]), answered.ID, proposals.Study, "Nous **étudions** la demande."); err != nil {
		t.Fatal(err)
	}
	hidden := propPropose(t, n, author, sp, "Propos à masquer")
	if _, err := n.db.NewUpdate().Table("proposals").Set("hidden_at = ?", n.clock.Now()).Set("hidden_reason = ?", "Hors sujet").
		Where("id = ?", hidden.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	for range 21 {
		propPropose(t, n, author, sp, "Une idée de plus pour le quartier")
	}
	if err := n.svc.UpdateProfile(t.Context(), accounts.As(author), author.ID, accounts.Profile{DisplayName: "Camille", Language: "fr", Public: true}); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.h)

	pages := []string{"/", "/people/camille", "/spaces", "/spaces/budget-2027", "/spaces/budget-2027/proposals", "/spaces/budget-2027/proposals?q=arbres&state=published&category=nature&phase=1&sort=newest",
		"/spaces/budget-2027/proposals?page=2", "/proposals/" + id, "/proposals/" + answered.ID, "/proposals/" + hidden.ID}
	check := func(b *browsertest.Browser, paths ...string) {
		t.Helper()
		for _, lang := range []string{"fr", "en"} {
			for _, p := range paths {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				b.Open(base + p + sep + "lang=" + lang)
				b.AssertAccessible()
			}
		}
	}

	t.Run("visitor", func(t *testing.T) {
		b := browsertest.New(t, browsertest.Timeout(2*time.Minute))
		check(b, pages...)
	})
	t.Run("resident", func(t *testing.T) {
		b := browserAs(t, n.staffNode, base, author)
		check(b, "/spaces/budget-2027/proposals/new", "/proposals/"+id, "/proposals/"+id+"/edit")
		// The form with every error shown.
		b.Open(base + "/spaces/budget-2027/proposals/new?lang=fr")
		skipValidation(t, b)
		b.Fill("#f-lat", "cent")
		submitWant(t, b, "#proposal-form button[type=submit]", http.StatusBadRequest)
		b.AssertAccessible()
		if got := b.Text("#f-title-error"); !strings.Contains(got, "titre") {
			t.Errorf("title error %q", got)
		}
		// The withdraw form with its error.
		b.Open(base + "/proposals/" + id)
		skipValidation(t, b)
		submitWant(t, b, `form[action$="/withdraw"] button`, http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("unverified resident", func(t *testing.T) {
		acc, _ := propResident(t, n, "ulysse", false)
		b := browserAs(t, n.staffNode, base, acc)
		check(b, "/proposals/"+id, "/spaces/budget-2027/proposals/new")
	})
	t.Run("agent", func(t *testing.T) {
		b := browserAs(t, n.staffNode, base, n.staff[accounts.Agent])
		check(b, "/spaces/budget-2027/proposals/new", "/proposals/"+id)
		b.Open(base + "/proposals/" + id + "?lang=fr")
		skipValidation(t, b)
		b.Fill("#f-on_behalf", "personne")
		submitWant(t, b, `form input[name=behalf] ~ p button.primary`, http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("official", func(t *testing.T) {
		b := browserAs(t, n.staffNode, base, n.staff[accounts.Official])
		check(b, "/proposals/"+answered.ID)
		b.Open(base + "/proposals/" + answered.ID + "?lang=fr")
		skipValidation(t, b)
		submitWant(t, b, `form[action$="/answer"] button`, http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("admin", func(t *testing.T) {
		b := browserAs(t, n.staffNode, base, n.staff[accounts.Admin])
		check(b, "/admin/spaces/new", "/admin", "/spaces")
		b.Open(base + "/admin/spaces/new?lang=fr")
		skipValidation(t, b)
		b.Fill("#f-slug", "Pas Bon")
		b.Fill("#f-phase_start_0", "2027-01-10")
		b.Fill("#f-threshold", "-4")
		submitWant(t, b, `form[action="/admin/spaces/new"] button[type=submit]`, http.StatusBadRequest)
		b.AssertAccessible()
	})
}

// The main path through the pages, with the keyboard where a person
// would use it: a resident proposes with a photo, another supports it,
// which sends it to review, and an official answers.
func TestProposalPathInBrowser(t *testing.T) {
	t.Parallel()
	n := newParticipationNode(t, "sqlite")
	propSpace(t, n, "budget-2027", 1)
	author, _ := propResident(t, n, "camille", true)
	supporter, _ := propResident(t, n, "bruno", true)
	base := browsertest.Serve(t, n.h)
	photo := filepath.Join(t.TempDir(), "square.jpg")
	if err := os.WriteFile(photo, testJPEG(t, 60, 40, 1), 0o644); err != nil {
		t.Fatal(err)
	}

	// The author finds the space and proposes.
	b := browserAs(t, n.staffNode, base, author)
	b.Open(base + "/spaces?lang=fr")
	if status := b.Submit(`a[href="/spaces/budget-2027"]`); status != http.StatusOK {
		t.Fatalf("space: status %d", status)
	}
	if status := b.Submit(`a[href="/spaces/budget-2027/proposals/new"]`); status != http.StatusOK {
		t.Fatalf("form: status %d", status)
	}
	b.Fill("#f-title", "Des bancs square Violet")
	b.Fill("#f-body", "Poser **trois bancs** à l’ombre des tilleuls.")
	b.Select("#f-category", "nature")
	b.Fill("#f-address", "Square Violet, 75015 Paris")
	b.Fill("#f-lat", "48,8468")
	b.Fill("#f-lon", "2,2918")
	if _, err := chromedp.Run(b.Context(), chromedp.SetUploadFiles(chromedp.CSS("#f-attachments"), []string{photo})); err != nil {
		t.Fatal(err)
	}
	submitWant(t, b, "#proposal-form button[type=submit]", http.StatusOK)
	b.AssertAccessible()
	page, _, _ := strings.Cut(b.URL(), "?")
	page += "?lang=fr"
	if got := b.Text("h1"); got != "Des bancs square Violet" {
		t.Fatalf("proposal page titled %q", got)
	}
	if got := b.Text(".notice"); got != "Votre proposition est publiée." {
		t.Errorf("notice %q", got)
	}
	if got := evaluate(t, b, `document.querySelector(".attachments img").naturalWidth + "x" + document.querySelector(".attachments img").naturalHeight`); got != "60x40" {
		t.Errorf("the photo shows as %s", got)
	}

	// Another resident supports it with the keyboard.
	s := browserAs(t, n.staffNode, base, supporter)
	s.Open(page)
	found := false
	for range 80 {
		if f := s.Tab(); f.Role == "button" && f.Name == "Soutenir cette proposition" {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("the support button is not reachable with Tab")
	}
	if status := s.PressAndLoad(kb.Enter); status != http.StatusOK {
		t.Fatalf("support: status %d", status)
	}
	s.AssertAccessible()
	if got := s.Text(".support-count"); !strings.HasPrefix(got, "1 soutien") {
		t.Errorf("support count %q", got)
	}
	if got := s.Text(".badge"); !strings.Contains(got, "En examen") {
		t.Errorf("state %q, want review at the threshold", got)
	}

	// An official answers.
	o := browserAs(t, n.staffNode, base, n.staff[accounts.Official])
	o.Open(page)
	o.Select("#f-to", "accepted")
	o.Fill("#f-answer", "Les bancs seront posés au printemps.")
	submitWant(t, o, `form[action$="/answer"] button`, http.StatusOK)
	o.AssertAccessible()
	if got := o.Text("ol.timeline"); !strings.Contains(got, "Réponse officielle : Acceptée") || !strings.Contains(got, "Les bancs seront posés au printemps.") || !strings.Contains(got, "Service : Voirie") {
		t.Errorf("timeline %q", got)
	}
}
