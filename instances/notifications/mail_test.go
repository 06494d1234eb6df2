package notifications_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/instances/notifications"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// received is a message as Mailpit read it.
type received struct {
	Subject string
	Text    string
	HTML    string
	Headers map[string][]string
}

// mailpitMessage waits for the one message Mailpit received for to and
// returns it, headers included.
func mailpitMessage(t *testing.T, api, to string) received {
	t.Helper()
	get := func(path string, v any) {
		t.Helper()
		resp, err := http.Get(api + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var list struct {
		Messages []struct{ ID string }
	}
	for range 50 {
		get("/api/v1/search?query="+url.QueryEscape("to:"+to), &list)
		if len(list.Messages) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(list.Messages) != 1 {
		t.Fatalf("Mailpit holds %d messages for %s, want 1", len(list.Messages), to)
	}
	var m received
	get("/api/v1/message/"+list.Messages[0].ID, &m)
	get("/api/v1/message/"+list.Messages[0].ID+"/headers", &m.Headers)
	return m
}

// TestMailerAgainstMailpit: a message reaches a real SMTP server with its
// text and HTML, its encoded subject and the one-click unsubscribe
// headers of RFC 8058.
func TestMailerAgainstMailpit(t *testing.T) {
	t.Parallel()
	smtpURL, api := storagetest.SMTPServer(t)
	m, err := notifications.ParseSMTP(smtpURL, "agora@paris15.example")
	if err != nil {
		t.Fatal(err)
	}
	to := "resident-" + database.NewID() + "@example.org"
	unsub := "https://paris15.example/notifications/unsubscribe/abc123"
	err = m.Send(t.Context(), notifications.Message{To: to, Subject: "Réponse officielle : « Un banc »",
		Text: "Bonjour,\nLa voirie a répondu.\n", HTML: "<p>Bonjour,</p><p>La voirie a <strong>répondu</strong>.</p>", Unsubscribe: unsub})
	if err != nil {
		t.Fatal(err)
	}
	got := mailpitMessage(t, api, to)
	if got.Subject != "Réponse officielle : « Un banc »" {
		t.Errorf("subject = %q", got.Subject)
	}
	if !strings.Contains(got.Text, "La voirie a répondu.") || !strings.Contains(got.HTML, "<strong>répondu</strong>") {
		t.Errorf("text = %q, HTML = %q", got.Text, got.HTML)
	}
	for h, want := range map[string]string{"List-Unsubscribe": "<" + unsub + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Auto-Submitted": "auto-generated", "From": "agora@paris15.example"} {
		if v := got.Headers[h]; len(v) != 1 || v[0] != want {
			t.Errorf("header %s = %q, want %q", h, v, want)
		}
	}
}

func TestMailerRefuses(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"http://mail.example", "smtp://", "smtp://mail.example?starttls=maybe", "smtp://mail.example?from=nobody"} {
		if _, err := notifications.ParseSMTP(raw, "agora@paris15.example"); err == nil {
			t.Errorf("ParseSMTP(%q) accepted", raw)
		}
	}
	for _, c := range []struct{ in, want string }{
		{" camille@example.org ", "camille@example.org"},
		{"Camille <camille@example.org>", ""},
		{"camille@localhost", ""},
		{"camille@example.org\r\nBcc: x@example.org", ""},
		{"a,b@example.org", ""},
		{strings.Repeat("a", 250) + "@example.org", ""},
		{"", ""},
	} {
		got, err := notifications.CheckAddress(c.in)
		if c.want == "" && !errors.Is(err, notifications.ErrAddress) || c.want != "" && got != c.want {
			t.Errorf("CheckAddress(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	m, err := notifications.ParseSMTP("smtp://127.0.0.1:1?from=agora@paris15.example", "")
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(t.Context(), notifications.Message{To: "camille@example.org", Subject: "x\r\nBcc: y@example.org", Text: "x"})
	if err == nil {
		t.Error("a subject with a line break was sent")
	}
}
