package notify_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/frontend"
	"agora/frontend/frontendtest"
	"agora/frontend/notify"
	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/proposals"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// mail is a message as Mailpit received it.
type mail struct {
	ID      string
	Subject string
	Text    string
	HTML    string
	Headers map[string][]string
}

// mailpit reads what the test SMTP server received.
type mailpit struct {
	t   *testing.T
	api string
}

func (m mailpit) get(path string, v any) {
	m.t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		m.t.Fatalf("Mailpit %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		m.t.Fatal(err)
	}
}

// to returns the messages received for an address, oldest first, waiting
// a little for want of them.
func (m mailpit) to(addr string, want int) []mail {
	m.t.Helper()
	var list struct{ Messages []struct{ ID string } }
	for range 50 {
		m.get("/api/v1/search?query="+url.QueryEscape("to:"+addr), &list)
		if len(list.Messages) >= want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	out := make([]mail, len(list.Messages))
	for i, x := range list.Messages { // newest first
		var msg mail
		m.get("/api/v1/message/"+x.ID, &msg)
		m.get("/api/v1/message/"+x.ID+"/headers", &msg.Headers)
		out[len(out)-1-i] = msg
	}
	return out
}

// mailNode is a test node whose courier sends to the test SMTP server.
func mailNode(t testing.TB, db *bun.DB, smtpURL string) (*frontendtest.Node, *notify.Courier, *notifications.Service) {
	t.Helper()
	var courier *notify.Courier
	var svc *notifications.Service
	n := frontendtest.NewNodeOn(t, db, func(d *frontend.Deps) {
		m, err := notifications.ParseSMTP(smtpURL, "agora@paris15.example")
		if err != nil {
			t.Fatal(err)
		}
		svc = d.Notifications
		courier, err = notify.NewCourier(notify.CourierConfig{Notifications: svc, Mailer: m,
			BaseURL: frontendtest.MustURL(t, "https://paris15.example"), NodeName: "Paris 15e"})
		if err != nil {
			t.Fatal(err)
		}
		d.Courier = courier
	})
	return n, courier, svc
}

// TestEmailNotifications: a resident gives an address, proves it by the
// link received, chooses email right away, and gets the official answer
// of a proposal they follow by email, in French, with text, HTML and a
// one-click unsubscribe that works; a daily digest waits a day; a bad
// address or an unverified one is refused and changes nothing; a refusal
// of the server is shown to the resident.
func TestEmailNotifications(t *testing.T) {
	smtpURL, api := storagetest.SMTPServer(t)
	frontendtest.OnEachDialect(t, func(t testing.TB, dialect string) *frontendtest.Node {
		n, _, _ := mailNode(t, storagetest.MigratedDB(t, dialect), smtpURL)
		return n
	}, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		courier := n.Deps.Courier
		box := mailpit{t: t, api: api}
		sp := n.Space(t, "quartier", 0)
		resident, token := n.Resident(t, "camille", true)
		addr := "camille-" + database.NewID() + "@example.org"
		p := n.Propose(t, resident, sp, "Un banc au square")
		official := accounts.As(n.Staff[accounts.Official])

		// Refused: a bad address, a frequency before verification.
		for _, bad := range []string{"camille", "Camille <c@example.org>", strings.Repeat("a", 300) + "@example.org"} {
			w := n.Request("POST", "/notifications/settings/address", token, url.Values{"email": {bad}})
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
		}
		if c := n.Count(t, "notification_email"); c != 0 {
			t.Errorf("refused addresses wrote %d rows", c)
		}
		w := n.Request("POST", "/notifications/settings/address", token, url.Values{"email": {addr}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Request("POST", "/notifications/settings/frequency", token, url.Values{"frequency": {"immediate"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)

		// The verification link.
		got := box.to(addr, 1)
		if len(got) != 1 {
			t.Fatalf("%d verification emails, want 1", len(got))
		}
		link := regexp.MustCompile(`https://paris15\.example(/notifications/email/verify/[0-9a-f]{64})`).FindStringSubmatch(got[0].Text)
		if link == nil {
			t.Fatalf("no verification link in %q", got[0].Text)
		}
		frontendtest.WantStatus(t, n.Request("GET", link[1]+"x", "", nil), http.StatusNotFound)
		frontendtest.WantStatus(t, n.Request("GET", link[1], "", nil), http.StatusOK)
		frontendtest.WantStatus(t, n.Request("GET", link[1], "", nil), http.StatusNotFound) // once only
		w = n.Request("POST", "/notifications/settings/frequency", token, url.Values{"frequency": {"immediate"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)

		// An answer, mailed at once.
		if err := n.Proposals.Answer(ctx, official, p.ID, proposals.Study, "Nous l’étudions."); err != nil {
			t.Fatal(err)
		}
		if sent, err := courier.DeliverDue(ctx); err != nil || sent != 1 {
			t.Fatalf("DeliverDue = %d, %v; want 1 email", sent, err)
		}
		if sent, _ := courier.DeliverDue(ctx); sent != 0 {
			t.Errorf("a second round sent %d emails again", sent)
		}
		got = box.to(addr, 2)
		if len(got) != 2 {
			t.Fatalf("%d emails, want 2", len(got))
		}
		m := got[1]
		link2 := "https://paris15.example/proposals/" + p.ID
		if !strings.Contains(m.Subject, "Réponse officielle") || !strings.Contains(m.Subject, "[Paris 15e]") {
			t.Errorf("subject = %q", m.Subject)
		}
		if !strings.Contains(m.Text, "Un banc au square") || !strings.Contains(m.Text, link2) || !strings.Contains(m.HTML, `href="`+link2+`"`) {
			t.Errorf("text = %q\nHTML = %q", m.Text, m.HTML)
		}
		unsub := m.Headers["List-Unsubscribe"]
		if len(unsub) != 1 || m.Headers["List-Unsubscribe-Post"][0] != "List-Unsubscribe=One-Click" {
			t.Fatalf("unsubscribe headers = %q, %q", unsub, m.Headers["List-Unsubscribe-Post"])
		}
		path := strings.TrimSuffix(strings.TrimPrefix(unsub[0], "<https://paris15.example"), ">")
		// A mail client's one-click POST (RFC 8058).
		req := n.Request("POST", path, "", url.Values{"List-Unsubscribe": {"One-Click"}})
		frontendtest.WantStatus(t, req, http.StatusOK)
		if err := n.Proposals.Answer(ctx, official, p.ID, proposals.Accepted, "Accepté."); err != nil {
			t.Fatal(err)
		}
		if sent, _ := courier.DeliverDue(ctx); sent != 0 {
			t.Errorf("after unsubscribing, %d emails were sent", sent)
		}

		// A daily digest: nothing the same day, both the next (and not
		// what came while email was off).
		n.Clock.Advance(time.Minute)
		frontendtest.WantStatus(t, n.Request("POST", "/notifications/settings/frequency", token, url.Values{"frequency": {"daily"}}), http.StatusSeeOther)
		q := n.Propose(t, n.Verified(t, "bruno", false), sp, "Des arbres")
		must(t, n.Deps.Notifications.Follow(ctx, resident.ID, notifications.Target{Kind: notifications.Proposal, ID: q.ID}))
		for _, to := range []proposals.State{proposals.Review, proposals.Rejected} {
			if err := n.Proposals.Answer(ctx, official, q.ID, to, "Réponse."); err != nil {
				t.Fatal(err)
			}
		}
		if sent, _ := courier.DeliverDue(ctx); sent != 0 {
			t.Errorf("a daily digest went out at once")
		}
		n.Clock.Advance(25 * time.Hour)
		if sent, err := courier.DeliverDue(ctx); err != nil || sent != 1 {
			t.Fatalf("the next day DeliverDue = %d, %v; want 1 digest", sent, err)
		}
		got = box.to(addr, 3)
		if len(got) != 3 || !strings.Contains(got[2].Subject, "2 nouvelles notifications") {
			t.Errorf("digest = %+v", got[len(got)-1].Subject)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEmailFailureShown: when the SMTP server cannot be reached, the
// notification stays to be mailed later, and the resident's settings page
// says the last email failed; an unknown unsubscribe link changes nothing.
func TestEmailFailureShown(t *testing.T) {
	frontendtest.OnEachDialect(t, func(t testing.TB, dialect string) *frontendtest.Node {
		n, _, _ := mailNode(t, storagetest.MigratedDB(t, dialect), "smtp://127.0.0.1:1")
		return n
	}, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		svc, courier := n.Deps.Notifications, n.Deps.Courier
		sp := n.Space(t, "quartier", 0)
		resident, token := n.Resident(t, "camille", true)
		p := n.Propose(t, resident, sp, "Un banc au square")
		verify, err := svc.SetAddress(ctx, resident.ID, "camille@example.org")
		must(t, err)
		_, err = svc.Verify(ctx, verify)
		must(t, err)
		must(t, svc.SetFrequency(ctx, resident.ID, notifications.Immediate))
		if err := n.Proposals.Answer(ctx, accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Study, "À l’étude."); err != nil {
			t.Fatal(err)
		}
		if sent, err := courier.DeliverDue(ctx); err != nil || sent != 0 {
			t.Fatalf("DeliverDue with no server = %d, %v", sent, err)
		}
		w := n.Request("GET", "/notifications/settings?lang=fr", token, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Le dernier envoi a échoué", "Adresse vérifiée : camille@example.org.")
		var unmailed int
		must(t, n.DB.NewSelect().Table("notifications").ColumnExpr("count(*)").
			Where("account_id = ? AND emailed_at IS NULL", resident.ID).Scan(ctx, &unmailed))
		if unmailed != 1 {
			t.Errorf("%d notifications left to mail, want 1 (given back after the failure)", unmailed)
		}
		frontendtest.WantStatus(t, n.Request("POST", "/notifications/unsubscribe/"+strings.Repeat("0", 48), "", url.Values{}), http.StatusNotFound)
		e, err := svc.Email(ctx, resident.ID)
		must(t, err)
		if e.Frequency != notifications.Immediate {
			t.Errorf("an unknown unsubscribe link changed the frequency to %s", e.Frequency)
		}
	})
}
