package notify_test

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/proposals"
	"agora/storage/storagetest"
)

// refusingSMTP is an SMTP server that refuses every recipient for good
// (550), as a server does for a mailbox that does not exist.
func refusingSMTP(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				r := bufio.NewReader(conn)
				conn.Write([]byte("220 refusing.example ESMTP\r\n"))
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.Fields(line + " x")[0]); cmd {
					case "EHLO", "HELO", "MAIL", "RSET", "NOOP":
						conn.Write([]byte("250 OK\r\n"))
					case "RCPT":
						conn.Write([]byte("550 5.1.1 No such mailbox here\r\n"))
					case "QUIT":
						conn.Write([]byte("221 Bye\r\n"))
						return
					default:
						conn.Write([]byte("502 5.5.2 Not implemented\r\n"))
					}
				}
			}()
		}
	}()
	return "smtp://" + ln.Addr().String()
}

// TestEmailRefused: when the SMTP server refuses a resident's address for
// good, the refusal is recorded and shown on their settings page, their
// notification stays to be mailed, nothing more is tried to that address,
// and giving an address again starts over.
func TestEmailRefused(t *testing.T) {
	smtpURL := refusingSMTP(t)
	frontendtest.OnEachDialect(t, func(t testing.TB, dialect string) *frontendtest.Node {
		n, _, _ := mailNode(t, storagetest.MigratedDB(t, dialect), smtpURL)
		return n
	}, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		svc, courier := n.Deps.Notifications, n.Deps.Courier
		sp := n.Space(t, "quartier", 0)
		resident, token := n.Resident(t, "camille", true)
		p := n.Propose(t, resident, sp, "Un banc au square")
		verify, err := svc.SetAddress(ctx, resident.ID, "personne@example.org")
		must(t, err)
		_, err = svc.Verify(ctx, verify)
		must(t, err)
		must(t, svc.SetFrequency(ctx, resident.ID, notifications.Immediate))
		must(t, n.Proposals.Answer(ctx, accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Study, "À l’étude."))
		if sent, err := courier.DeliverDue(ctx); err != nil || sent != 0 {
			t.Fatalf("DeliverDue to a refusing server = %d, %v", sent, err)
		}
		e, err := svc.Email(ctx, resident.ID)
		must(t, err)
		if e.RefusedAt == nil || !strings.Contains(e.Failure, "550") {
			t.Fatalf("refusal not recorded: refused %v, failure %q", e.RefusedAt, e.Failure)
		}
		for _, lang := range []struct{ code, want string }{
			{"fr", "a refusé ce message pour de bon"}, {"en", "refused this email for good"}} {
			w := n.Request("GET", "/notifications/settings?lang="+lang.code, token, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, lang.want, "No such mailbox here")
		}
		// Long after, still nothing is tried: the address was refused.
		n.Clock.Advance(time.Hour)
		if b, err := svc.ClaimDue(ctx); err != nil || b != nil {
			t.Fatalf("a refused address was claimed again: %+v, %v", b, err)
		}
		var unmailed int
		must(t, n.DB.NewSelect().Table("notifications").ColumnExpr("count(*)").
			Where("account_id = ? AND emailed_at IS NULL", resident.ID).Scan(ctx, &unmailed))
		if unmailed != 1 {
			t.Errorf("%d notifications left to mail, want 1", unmailed)
		}
		// A new address starts over.
		_, err = svc.SetAddress(ctx, resident.ID, "camille@example.org")
		must(t, err)
		if e, _ := svc.Email(ctx, resident.ID); e.RefusedAt != nil || e.Failure != "" {
			t.Errorf("a new address kept the refusal: %v %q", e.RefusedAt, e.Failure)
		}
	})
}
