package opendata_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/frontend/opendata"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
	"agora/instances/proposals"
)

const atomNS = "http://www.w3.org/2005/Atom"

// readAtom checks that a feed answer is well-formed XML whose every
// element is in the Atom namespace, and reads it.
func readAtom(t *testing.T, w *httptest.ResponseRecorder) *atomFeed {
	t.Helper()
	frontendtest.WantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.HasPrefix(w.Body.Bytes(), []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("no XML declaration:\n%s", w.Body)
	}
	dec := xml.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, w.Body)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Space != atomNS {
				t.Errorf("element %s in namespace %q", el.Name.Local, el.Name.Space)
			}
			if depth == 0 && el.Name.Local != "feed" {
				t.Errorf("root element %s", el.Name.Local)
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	f := new(atomFeed)
	if err := xml.Unmarshal(w.Body.Bytes(), f); err != nil {
		t.Fatalf("not Atom: %v", err)
	}
	if f.XMLName.Space != atomNS || f.ID == "" || f.Title.Body == "" || f.Updated == "" {
		t.Errorf("feed head: %+v", f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("updated %q: %v", f.Updated, err)
	}
	for _, e := range f.Entries {
		if e.ID == "" || e.Title.Body == "" || e.Updated == "" || e.Published == "" || len(e.Links) == 0 {
			t.Errorf("entry lacks a required element: %+v", e)
		}
		if len(e.Authors) == 0 && f.Author == nil {
			t.Errorf("entry %s has no author, nor has the feed", e.ID)
		}
		if e.Content != nil && e.Content.Type != "html" {
			t.Errorf("content type %q", e.Content.Type)
		}
	}
	return f
}

// link returns the href of the feed's link of that relation.
func feedLink(f *atomFeed, rel string) string {
	for _, l := range f.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func TestSpaceFeed(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		alice := n.Verified(t, "alice", true)
		bob := n.Verified(t, "bob", false)
		for i := range 51 {
			apiPropose(t, n, accounts.As(bob), sp, fmt.Sprintf("Proposition %02d", i), "Un texte.", "voirie")
		}
		hostile := apiPropose(t, n, accounts.As(alice), sp, `Des <script>alert("titre")</script> bancs`,
			"Un banc <script>alert(1)</script> et **du bois** <img src=x onerror=alert(2)>.", "nature")

		w := n.Get("/spaces/budget/feed.atom")
		f := readAtom(t, w)
		if f.Lang != "fr" || f.ID != "http://localhost/spaces/budget/feed.atom" || f.Title.Body != "Budget participatif 2027 : propositions" ||
			feedLink(f, "self") != "http://localhost/spaces/budget/feed.atom" || feedLink(f, "alternate") != "http://localhost/spaces/budget" {
			t.Errorf("feed head: %+v", f)
		}
		if len(f.Entries) != opendata.SpaceFeedSize {
			t.Fatalf("%d entries, want %d", len(f.Entries), opendata.SpaceFeedSize)
		}
		for i := 1; i < len(f.Entries); i++ {
			if f.Entries[i].Published > f.Entries[i-1].Published {
				t.Errorf("entry %d is newer than entry %d", i, i-1)
			}
		}
		first := f.Entries[0]
		if first.ID != "http://localhost/proposals/"+hostile.ID || first.Title.Body != hostile.Title ||
			first.Links[0].Href != first.ID || first.Authors[0].Name != "Test alice" ||
			len(first.Categories) != 1 || first.Categories[0].Term != "nature" || f.Updated != first.Updated {
			t.Errorf("newest entry: %+v", first)
		}
		if !strings.HasPrefix(first.Content.Body, hostile.BodyHTML) || !strings.Contains(hostile.BodyHTML, "<strong>du bois</strong>") ||
			!strings.Contains(first.Content.Body, "État : publiée · soutiens : 0") {
			t.Errorf("content %q", first.Content.Body)
		}
		if f.Entries[1].Title.Body != "Proposition 50" || f.Entries[49].Title.Body != "Proposition 02" {
			t.Errorf("entries: %s … %s", f.Entries[1].Title.Body, f.Entries[49].Title.Body)
		}
		raw := w.Body.String()
		for _, bad := range []string{"<script", "<img", "onerror"} {
			if strings.Contains(raw, bad) {
				t.Errorf("the feed holds %q raw", bad)
			}
		}
		if !strings.Contains(raw, "&lt;script&gt;alert(&#34;titre&#34;)&lt;/script&gt;") {
			t.Errorf("the title is not escaped:\n%s", raw[:2000])
		}

		// In English when asked, with links that keep the choice.
		en := readAtom(t, n.Get("/spaces/budget/feed.atom?lang=en"))
		if en.Lang != "en" || en.Title.Body != "Budget participatif 2027: proposals" ||
			feedLink(en, "self") != "http://localhost/spaces/budget/feed.atom?lang=en" || en.ID != f.ID ||
			!strings.Contains(en.Entries[0].Content.Body, "State: published") {
			t.Errorf("English feed: %+v", en)
		}
		if en := readAtom(t, n.Get("/spaces/budget/feed.atom", "Accept-Language", "en-GB,en")); en.Lang != "en" {
			t.Errorf("Accept-Language en: %q", en.Lang)
		}

		// Readers that poll get 304 until something changes.
		etag := w.Header().Get("ETag")
		frontendtest.WantStatus(t, n.Get("/spaces/budget/feed.atom", "If-None-Match", etag), http.StatusNotModified)
		if err := n.Proposals.Support(t.Context(), accounts.As(bob), hostile.ID); err != nil {
			t.Fatal(err)
		}
		frontendtest.WantStatus(t, n.Get("/spaces/budget/feed.atom", "If-None-Match", etag), http.StatusOK)

		frontendtest.WantStatus(t, n.Get("/spaces/nope/feed.atom"), http.StatusNotFound)
	})
}

func TestProposalFeed(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		alice := n.Verified(t, "alice", false)
		bob, carol := n.Verified(t, "bob", false), n.Verified(t, "carol", false)
		p := apiPropose(t, n, accounts.As(alice), sp, "Des bancs", "Square *Violet* <script>x()</script>.", "nature")
		for _, who := range []*accounts.Account{bob, carol} {
			n.Clock.Advance(time.Second)
			if err := n.Proposals.Support(t.Context(), accounts.As(who), p.ID); err != nil {
				t.Fatal(err)
			}
		}
		n.Clock.Advance(time.Minute)
		if err := n.Proposals.Answer(t.Context(), accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Accepted, "Posés en **mars**."); err != nil {
			t.Fatal(err)
		}

		w := n.Get("/proposals/" + p.ID + "/feed.atom")
		f := readAtom(t, w)
		if f.ID != "http://localhost/proposals/"+p.ID+"/feed.atom" || f.Title.Body != "Suivi de la proposition « Des bancs »" ||
			feedLink(f, "alternate") != "http://localhost/proposals/"+p.ID {
			t.Errorf("feed head: %+v", f)
		}
		var got []string
		for _, e := range f.Entries {
			got = append(got, e.Title.Body+" / "+e.Authors[0].Name)
			if !strings.HasPrefix(e.ID, "http://localhost/proposals/"+p.ID+"#event-") {
				t.Errorf("entry id %q", e.ID)
			}
		}
		want := []string{"Réponse officielle : acceptée / Voirie",
			"Seuil de soutiens atteint : proposition en examen / Paris 15e",
			"Proposition publiée / Test alice"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("entries, newest first:\n%s", strings.Join(got, "\n"))
		}
		if f.Entries[0].Content.Body != "<p>Posés en <strong>mars</strong>.</p>" || f.Updated != f.Entries[0].Updated ||
			f.Entries[2].Content.Body != p.BodyHTML || !strings.Contains(p.BodyHTML, "<em>Violet</em>") {
			t.Errorf("contents: %q, %q", f.Entries[0].Content.Body, f.Entries[2].Content.Body)
		}
		if strings.Contains(w.Body.String(), "<script") {
			t.Error("a script shows raw")
		}
		if en := readAtom(t, n.Get("/proposals/"+p.ID+"/feed.atom?lang=en")); en.Entries[0].Title.Body != "Official answer: accepted" {
			t.Errorf("English: %q", en.Entries[0].Title.Body)
		}

		// Hidden: the entries stay, what the proposal and its answer said
		// goes, and so does its author's name.
		if _, err := n.DB.NewUpdate().TableExpr("proposals").Set("hidden_at = ?", n.Clock.Now()).
			Set("hidden_reason = ?", "Hors sujet").Where("id = ?", p.ID).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		w = n.Get("/proposals/" + p.ID + "/feed.atom")
		f = readAtom(t, w)
		if len(f.Entries) != 3 || f.Title.Body != "Suivi de la proposition « Proposition masquée par la modération »" {
			t.Errorf("hidden feed: %+v", f)
		}
		for _, text := range []string{"Des bancs", "Violet", "mars", "Test alice"} {
			if strings.Contains(w.Body.String(), text) {
				t.Errorf("the hidden proposal's feed shows %q", text)
			}
		}
		frontendtest.WantBody(t, w, "Motif : Hors sujet")
		space := readAtom(t, n.Get("/spaces/budget/feed.atom"))
		if e := space.Entries[0]; e.Title.Body != "Proposition masquée par la modération" || len(e.Authors) != 0 ||
			!strings.Contains(e.Content.Body, "Hors sujet") {
			t.Errorf("hidden entry in the space feed: %+v", e)
		}

		frontendtest.WantStatus(t, n.Get("/proposals/nope/feed.atom"), http.StatusNotFound)
	})
}

// A proposal's feed carries its visible comments among its timeline,
// newest first: who wrote them (a former participant, a fediverse author
// with their server), their sanitised text and a link into the thread;
// hidden and deleted ones are not there.
func TestProposalFeedComments(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		sp := apiNewSpace(t, n, "budget")
		alice, bob := n.Verified(t, "alice", false), n.Verified(t, "bob", false)
		gone := n.Verified(t, "gone", false)
		p := apiPropose(t, n, accounts.As(alice), sp, "Des bancs", "Square Violet.", "nature")
		target := debates.Target{Kind: debates.TargetProposal, ID: p.ID}
		add := func(who *accounts.Account, in debates.NewComment) *debates.Comment {
			t.Helper()
			n.Clock.Advance(time.Minute)
			if in.Target.ID == "" && in.ParentID == "" {
				in.Target = target
			}
			c, err := n.Debates.Add(ctx, accounts.As(who), in)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		first := add(bob, debates.NewComment{Body: "Oui, **à l’ombre** <script>alert(1)</script> <img src=x onerror=alert(2)>."})
		reply := add(alice, debates.NewComment{ParentID: first.ID, Body: "Merci !"})
		byGone := add(gone, debates.NewComment{Body: "Un avis d’un compte effacé."})
		if _, err := n.DB.NewUpdate().TableExpr("accounts").Set("deleted_at = ?", n.Clock.Now()).Where("id = ?", gone.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		n.Clock.Advance(time.Minute)
		remote, err := n.Debates.AddRemote(ctx, debates.RemoteComment{APID: "https://social.example/notes/1", Actor: "https://social.example/users/ada",
			Name: "Ada", Target: target, Content: `<p>Pareil rue Lecourbe <script>x()</script></p>`})
		if err != nil {
			t.Fatal(err)
		}
		hidden := add(bob, debates.NewComment{Body: "Un texte à masquer."})
		if err := n.Moderation.Hide(ctx, accounts.As(n.Staff[accounts.Moderator]), moderation.Target{Kind: moderation.TargetComment, ID: hidden.ID}, "Hors sujet"); err != nil {
			t.Fatal(err)
		}
		deleted := add(bob, debates.NewComment{Body: "Un texte retiré par son auteur."})
		if err := n.Debates.Delete(ctx, accounts.As(bob), deleted.ID); err != nil {
			t.Fatal(err)
		}
		n.Clock.Advance(time.Minute)
		if err := n.Proposals.Answer(ctx, accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Study, "Nous regardons."); err != nil {
			t.Fatal(err)
		}

		w := n.Get("/proposals/" + p.ID + "/feed.atom")
		f := readAtom(t, w)
		var got []string
		for _, e := range f.Entries {
			got = append(got, e.Title.Body+" / "+e.Authors[0].Name)
		}
		want := []string{"Réponse officielle : à l’étude / Voirie",
			"Commentaire d’Ada / Ada (social.example, depuis le fédivers)",
			"Commentaire d’ancien participant / ancien participant",
			"Réponse de Test alice / Test alice",
			"Commentaire de Test bob / Test bob",
			"Proposition publiée / Test alice"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("entries, newest first:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		page := "http://localhost/proposals/" + p.ID
		for i, c := range []*debates.Comment{remote, byGone, reply, first} {
			e := f.Entries[i+1]
			if e.ID != page+"#comment-"+c.ID || e.Links[0].Href != page+"#comment-"+c.ID || e.Published != atomTime(c.CreatedAt) {
				t.Errorf("entry of comment %s: %+v", c.ID, e)
			}
		}
		if e := f.Entries[1]; e.Authors[0].URI != "https://social.example/users/ada" || e.Content.Body != remote.BodyHTML {
			t.Errorf("remote entry: %+v", e)
		}
		if e := f.Entries[4]; !strings.Contains(e.Content.Body, "<strong>à l’ombre</strong>") || e.Content.Body != first.BodyHTML {
			t.Errorf("comment content %q", e.Content.Body)
		}
		raw := w.Body.String()
		for _, bad := range []string{"<script", "<img", "onerror", "Un texte à masquer", "Hors sujet", "Un texte retiré", gone.DisplayName} {
			if strings.Contains(raw, bad) {
				t.Errorf("the feed holds %q", bad)
			}
		}
		if en := readAtom(t, n.Get("/proposals/"+p.ID+"/feed.atom?lang=en")); en.Entries[2].Title.Body != "Comment by former participant" ||
			en.Entries[3].Title.Body != "Reply by Test alice" || en.Entries[3].Links[0].Href != page+"?lang=en#comment-"+reply.ID {
			t.Errorf("English entries: %+v", en.Entries[2:4])
		}

		// The newest comments only, at most opendata.ProposalFeedComments.
		for i := range opendata.ProposalFeedComments {
			add(bob, debates.NewComment{Body: fmt.Sprintf("Avis %02d.", i)})
		}
		f = readAtom(t, n.Get("/proposals/"+p.ID+"/feed.atom"))
		if len(f.Entries) != opendata.ProposalFeedComments+2 || f.Entries[0].Title.Body != "Commentaire de Test bob" ||
			f.Entries[0].Content.Body != "<p>Avis 49.</p>" || f.Entries[opendata.ProposalFeedComments].Title.Body != "Réponse officielle : à l’étude" {
			t.Errorf("%d entries, newest %+v", len(f.Entries), f.Entries[0])
		}
		if f.Updated != f.Entries[0].Updated {
			t.Errorf("feed updated %s, newest entry %s", f.Updated, f.Entries[0].Updated)
		}
	})
}

type atomFeed = opendata.AtomFeed

var atomTime = opendata.AtomTime
