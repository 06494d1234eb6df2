package participation_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"github.com/chromedp/chromedp/kb"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// The debate page with a full thread, the public moderation log and the
// moderators' queue, as people meet them in a real browser: each passes
// axe-core in French and in English, for a visitor and for a moderator,
// with forms in error too.
func TestDebatePagesInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	ctx := t.Context()
	sp := n.Space(t, "quartier", 0)
	alice, _ := n.Resident(t, "alice", false)
	bruno, _ := n.Resident(t, "bruno", false)
	mod := n.Staff[accounts.Moderator]
	d := n.OpenDebate(t, alice, sp, "Une rue piétonne le dimanche ?")
	target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}

	// A thread with everything a thread shows: nesting deeper than the
	// page nests, an edit, supports, a remote author, a hidden comment
	// and a deleted one that still holds its reply.
	add := func(who *accounts.Account, parent, body string, align debates.Alignment) *debates.Comment {
		t.Helper()
		n.Clock.Advance(time.Second)
		c, err := n.Debates.Add(ctx, accounts.As(who), debates.NewComment{Target: target, ParentID: parent, Body: body, Alignment: align})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	top := add(alice, "", "Oui, **le dimanche** seulement.", debates.AlignFor)
	parent := top.ID
	for i, who := range []*accounts.Account{bruno, alice, bruno, alice, bruno} {
		parent = add(who, parent, "Réponse de niveau "+string(rune('1'+i))+".", debates.AlignAgainst).ID
	}
	if _, err := n.Debates.Edit(ctx, accounts.As(alice), top.ID, "Oui, le dimanche et les jours fériés."); err != nil {
		t.Fatal(err)
	}
	if err := n.Debates.Support(ctx, accounts.As(bruno), top.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Debates.AddRemote(ctx, debates.RemoteComment{APID: "https://social.example/notes/1", Actor: "https://social.example/users/zoe",
		Name: "Zoé", Target: target, Content: "<p>Bonne idée, vu d’ailleurs.</p>"}); err != nil {
		t.Fatal(err)
	}
	rude := add(bruno, "", "Des mots grossiers.", debates.AlignNeutral)
	if err := n.Moderation.Hide(ctx, accounts.As(mod), moderation.Target{Kind: moderation.TargetComment, ID: rude.ID}, "Insultes"); err != nil {
		t.Fatal(err)
	}
	regretted := add(alice, "", "Je regrette ce que j’écris.", debates.AlignNone)
	add(bruno, regretted.ID, "Trop tard, je l’ai lu.", debates.AlignNone)
	if err := n.Debates.Delete(ctx, accounts.As(alice), regretted.ID); err != nil {
		t.Fatal(err)
	}
	carla, _ := n.Resident(t, "carla", true)
	p := n.Propose(t, carla, sp, "Des bancs")
	for _, r := range []moderation.Target{{Kind: moderation.TargetProposal, ID: p.ID}, {Kind: moderation.TargetDebate, ID: d.ID},
		{Kind: moderation.TargetComment, ID: top.ID}} {
		if _, err := n.Moderation.Report(ctx, accounts.As(bruno), r, "À vérifier"); err != nil {
			t.Fatal(err)
		}
	}

	base := browsertest.Serve(t, n.H)
	page := "/debates/" + d.ID
	visitor := browsertest.New(t, browsertest.Timeout(2*time.Minute))
	for _, path := range []string{page + "?lang=fr", page + "?lang=en&sort=supported", "/moderation?lang=fr", "/moderation?lang=en",
		"/spaces/quartier/debates?lang=fr", "/comments/" + top.ID + "/history?lang=fr"} {
		visitor.Open(base + path)
		visitor.AssertAccessible()
	}
	visitor.Open(base + page + "?lang=fr")
	if got := visitor.Text("#comment-" + top.ID + " .comment-meta"); !strings.Contains(got, "Test alice") || !strings.Contains(got, "Pour") {
		t.Errorf("first comment's meta = %q", got)
	}

	b := n.BrowserAs(t, base, mod)
	for _, path := range []string{page + "?lang=fr", page + "?lang=en", "/moderation/reports?lang=fr", "/moderation/reports?lang=en",
		"/comments/" + top.ID + "/hide?lang=fr", "/moderation/proposals/" + p.ID + "/merge?lang=en", "/spaces/quartier/debates/new?lang=fr"} {
		b.Open(base + path)
		b.AssertAccessible()
	}
	// Forms in error: the close form, a merge, the new debate.
	b.Open(base + page + "?lang=fr")
	b.NoValidate()
	b.SubmitWant(`form[action="/debates/`+d.ID+`/close"] button`, http.StatusBadRequest)
	b.AssertAccessible()
	b.Open(base + "/moderation/proposals/" + p.ID + "/merge")
	b.NoValidate()
	b.SubmitWant(`form.mod-form button`, http.StatusBadRequest)
	b.AssertAccessible()
}

// The main path through the pages in a real browser, by keyboard where
// a person would: Alice comments, Bruno replies, Alice reports the reply,
// a moderator hides it from the queue, and the thread shows why.
func TestCommentPathInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	sp := n.Space(t, "quartier", 0)
	alice, _ := n.Resident(t, "alice", false)
	bruno, _ := n.Resident(t, "bruno", false)
	mod := n.Staff[accounts.Moderator]
	d := n.OpenDebate(t, alice, sp, "Une fête de quartier en juin ?")
	base := browsertest.Serve(t, n.H)
	page := base + "/debates/" + d.ID

	// Alice writes, chooses "Pour" with the arrow keys, and sends with Enter.
	a := n.BrowserAs(t, base, alice)
	a.Open(page + "?lang=fr")
	a.Fill("#f-comment", "Oui, le *samedi* 21 juin.")
	if f := a.Tab(); f.Role != "radio" || f.Name != "Sans position" {
		t.Fatalf("after the text, Tab reaches %s, want the checked radio button", f)
	}
	a.Press(kb.ArrowDown)
	if f := a.Focused(); f.Role != "radio" || f.Name != "Pour" {
		t.Fatalf("ArrowDown moved to %s, want Pour", f)
	}
	if f := a.Tab(); f.Role != "button" || f.Name != "Publier le commentaire" {
		t.Fatalf("then Tab reaches %s, want the submit button", f)
	}
	if status := a.PressAndLoad(kb.Enter); status != http.StatusOK {
		t.Fatalf("posting the comment: status %d", status)
	}
	_, c, ok := strings.Cut(a.URL(), "#comment-")
	if !ok {
		t.Fatalf("after posting, at %s, want #comment-ID", a.URL())
	}
	a.AssertAccessible()
	if got := a.Text("#comment-" + c); !strings.Contains(got, "samedi") || !strings.Contains(got, "Pour") {
		t.Errorf("the new comment reads %q", got)
	}

	// Bruno follows the reply link and answers.
	bb := n.BrowserAs(t, base, bruno)
	bb.Open(page + "?lang=fr")
	bb.SubmitWant(`a[href="/comments/`+c+`/reply"]`, http.StatusOK)
	bb.AssertAccessible()
	bb.Fill("#f-comment", "Le samedi, il y a le marché.")
	bb.Click("#f-alignment-against")
	bb.SubmitWant(`form.comment-form button[type=submit]`, http.StatusOK)
	_, reply, ok := strings.Cut(bb.URL(), "#comment-")
	if !ok {
		t.Fatalf("after replying, at %s", bb.URL())
	}
	if got := bb.Text("#comment-" + c + " ol.thread #comment-" + reply); !strings.Contains(got, "le marché") {
		t.Errorf("the reply, nested under the comment, reads %q", got)
	}

	// Alice reports the reply.
	a.Open(page)
	a.SubmitWant(`a[href="/comments/`+reply+`/report"]`, http.StatusOK)
	a.Fill("#report-reason", "Il se moque de la fête.")
	a.SubmitWant(`form.mod-form button`, http.StatusOK)
	a.AssertAccessible()
	if got := a.Text("main .notice"); !strings.Contains(got, "Merci") {
		t.Errorf("after reporting: %q", got)
	}

	// The moderator hides it from the queue, for a reason.
	m := n.BrowserAs(t, base, mod)
	m.Open(base + "/moderation/reports?lang=fr")
	if got := m.Text("#item-" + reply); !strings.Contains(got, "Il se moque de la fête.") || !strings.Contains(got, "@alice") {
		t.Errorf("the queue shows %q", got)
	}
	m.Fill("#hide-"+reply+"-reason", "Moquerie")
	m.SubmitWant(`form[action="/comments/`+reply+`/hide"] button`, http.StatusOK)
	m.AssertAccessible()
	if got := m.Text("main .notice"); !strings.Contains(got, "masqué") {
		t.Errorf("after hiding: %q", got)
	}
	bb.Open(page)
	if got := bb.Text("#comment-" + reply); !strings.Contains(got, "Masqué par la modération : Moquerie") || strings.Contains(got, "le marché") {
		t.Errorf("the hidden reply reads %q", got)
	}
	bb.Open(base + "/moderation")
	if got := bb.Text("main table"); !strings.Contains(got, "Moquerie") || strings.Contains(got, "alice") || strings.Contains(got, mod.Handle) {
		t.Errorf("the public log reads %q", got)
	}
}
