package participation_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"

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
	n := frontendtest.NewNode(t, "sqlite")
	sp := n.Space(t, "budget-2027", 5)
	author, authorTok := n.Resident(t, "camille", true)
	id := propCreated(t, propPost(n, sp.Slug, authorTok, propFields("Des arbres rue de Vaugirard"),
		propFile{name: "rue.jpg", data: frontendtest.JPEG(t, 40, 30, 1)}, propFile{name: "plan.pdf", data: []byte("%PDF-1.4\n%%EOF\n")}))
	answered := n.Propose(t, author, sp, "Un banc square Violet")
	if err := n.Proposals.Answer(t.Context(), accounts.As(n.Staff[accounts.Official]), answered.ID, proposals.Study, "Nous **étudions** la demande."); err != nil {
		t.Fatal(err)
	}
	hidden := n.Propose(t, author, sp, "Propos à masquer")
	if _, err := n.DB.NewUpdate().Table("proposals").Set("hidden_at = ?", n.Clock.Now()).Set("hidden_reason = ?", "Hors sujet").
		Where("id = ?", hidden.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	for range 21 {
		n.Propose(t, author, sp, "Une idée de plus pour le quartier")
	}
	if err := n.Accounts.UpdateProfile(t.Context(), accounts.As(author), author.ID, accounts.Profile{DisplayName: "Camille", Language: "fr", Public: true}); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)

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
		b := n.BrowserAs(t, base, author)
		check(b, "/spaces/budget-2027/proposals/new", "/proposals/"+id, "/proposals/"+id+"/edit")
		// The form with every error shown.
		b.Open(base + "/spaces/budget-2027/proposals/new?lang=fr")
		b.NoValidate()
		b.Fill("#f-lat", "cent")
		b.SubmitWant("#proposal-form button[type=submit]", http.StatusBadRequest)
		b.AssertAccessible()
		if got := b.Text("#f-title-error"); !strings.Contains(got, "Rien n’est écrit") {
			t.Errorf("title error %q", got)
		}
		// The withdraw form with its error.
		b.Open(base + "/proposals/" + id)
		b.NoValidate()
		b.SubmitWant(`form[action$="/withdraw"] button`, http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("unverified resident", func(t *testing.T) {
		acc, _ := n.Resident(t, "ulysse", false)
		b := n.BrowserAs(t, base, acc)
		check(b, "/proposals/"+id, "/spaces/budget-2027/proposals/new")
	})
	t.Run("agent", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Agent])
		check(b, "/spaces/budget-2027/proposals/new", "/proposals/"+id)
		b.Open(base + "/proposals/" + id + "?lang=fr")
		b.NoValidate()
		b.Fill("#f-on_behalf", "personne")
		b.SubmitWant(`form input[name=behalf] ~ p button.primary`, http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("official", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Official])
		check(b, "/proposals/"+answered.ID)
		b.Open(base + "/proposals/" + answered.ID + "?lang=fr")
		b.NoValidate()
		b.SubmitWant(`form[action$="/answer"] button`, http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("admin", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Admin])
		check(b, "/admin/spaces/new", "/admin", "/admin/spaces", "/spaces")
		b.Open(base + "/admin/spaces/new?lang=fr")
		b.NoValidate()
		b.Fill("#f-slug", "Pas Bon")
		b.Fill("#f-phase_start_0", "2027-01-10")
		b.Fill("#f-threshold", "-4")
		b.SubmitWant(`form[action="/admin/spaces/new"] button.primary`, http.StatusBadRequest)
		b.AssertAccessible()
	})
}

// The main path through the pages, with the keyboard where a person
// would use it: a resident proposes with a photo, another supports it,
// which sends it to review, and an official answers.
func TestProposalPathInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	n.Space(t, "budget-2027", 1)
	author, _ := n.Resident(t, "camille", true)
	supporter, _ := n.Resident(t, "bruno", true)
	base := browsertest.Serve(t, n.H)
	photo := filepath.Join(t.TempDir(), "square.jpg")
	if err := os.WriteFile(photo, frontendtest.JPEG(t, 60, 40, 1), 0o644); err != nil {
		t.Fatal(err)
	}

	// The author finds the space and proposes.
	b := n.BrowserAs(t, base, author)
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
	b.SubmitWant("#proposal-form button[type=submit]", http.StatusOK)
	b.AssertAccessible()
	page, _, _ := strings.Cut(b.URL(), "?")
	page += "?lang=fr"
	if got := b.Text("h1"); got != "Des bancs square Violet" {
		t.Fatalf("proposal page titled %q", got)
	}
	if got := b.Text(".notice"); got != "Votre proposition est publiée." {
		t.Errorf("notice %q", got)
	}
	if got := b.Eval(`document.querySelector(".attachments img").naturalWidth + "x" + document.querySelector(".attachments img").naturalHeight`); got != "60x40" {
		t.Errorf("the photo shows as %s", got)
	}

	// Another resident supports it with the keyboard.
	s := n.BrowserAs(t, base, supporter)
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
	o := n.BrowserAs(t, base, n.Staff[accounts.Official])
	o.Open(page)
	o.Select("#f-to", "accepted")
	o.Fill("#f-answer", "Les bancs seront posés au printemps.")
	o.SubmitWant(`form[action$="/answer"] button`, http.StatusOK)
	o.AssertAccessible()
	if got := o.Text("ol.timeline"); !strings.Contains(got, "Réponse officielle : Acceptée") || !strings.Contains(got, "Les bancs seront posés au printemps.") || !strings.Contains(got, "Service : Voirie") {
		t.Errorf("timeline %q", got)
	}
}
