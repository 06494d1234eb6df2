package notify_test

import (
	"fmt"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/storage/storagetest"
)

// TestCourierAgainstSink: the courier hands every due email to an SMTP
// server once, with pipelining (RFC 2920) and without, well formed (the
// sink checks each, its To and its own unsubscribe link); recipients the
// server refuses are recorded as refused, on both databases, and a
// second delivery sends nothing again.
func TestCourierAgainstSink(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		for _, pipelining := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/pipelining=%v", dialect, pipelining), func(t *testing.T) {
				s, smtpURL := startSink(t, sinkConfig{Pipelining: pipelining, Refuse: "refused.example",
					Unsubscribe: "https://paris15.example/notifications/unsubscribe/"})
				db := storagetest.MigratedDB(t, dialect)
				n, courier, _ := mailNode(t, db, smtpURL)
				sp := n.Space(t, "quartier", 0)
				author, _ := n.Resident(t, "autrice", true)
				p := n.Propose(t, author, sp, "Un banc au square")
				const good, bad = 45, 7
				seedFollowers(t, db, n.Clock.Now(), p.ID, good, "ok.example")
				seedFollowers(t, db, n.Clock.Now(), p.ID, bad, "refused.example")
				if err := n.Proposals.Answer(t.Context(), accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Study, "Nous l’étudions."); err != nil {
					t.Fatal(err)
				}
				sent, err := courier.DeliverDue(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if sent != good {
					t.Errorf("%d sent, want %d", sent, good)
				}
				st := s.Stats()
				if st.Accepted != good || st.Bad != 0 || st.Duplicates != 0 || st.Refused != bad {
					t.Errorf("the sink took %d (want %d), %d malformed %q, %d twice, refused %d (want %d)",
						st.Accepted, good, st.Bad, st.Errors, st.Duplicates, st.Refused, bad)
				}
				var refused []struct {
					Address string
					Failure string
				}
				if err := db.NewSelect().Table("notification_email").Column("address", "failure").
					Where("refused_at IS NOT NULL").Scan(t.Context(), &refused); err != nil {
					t.Fatal(err)
				}
				if len(refused) != bad {
					t.Errorf("%d addresses recorded as refused, want %d: %v", len(refused), bad, refused)
				}
				for _, r := range refused {
					if !strings.HasSuffix(r.Address, "@refused.example") || !strings.Contains(r.Failure, "550") {
						t.Errorf("refused %s: %q", r.Address, r.Failure)
					}
				}
				var unmailed int
				if err := db.NewSelect().Table("notifications").ColumnExpr("count(*)").
					Where("subject_id = ? AND kind = 'answer' AND NOT mailed", p.ID).
					Where("account_id IN (SELECT account_id FROM notification_email WHERE address LIKE '%@ok.example')").
					Scan(t.Context(), &unmailed); err != nil {
					t.Fatal(err)
				}
				if unmailed != 0 {
					t.Errorf("%d taken emails not recorded as mailed", unmailed)
				}
				if again, err := courier.DeliverDue(t.Context()); err != nil || again != 0 {
					t.Errorf("a second delivery sent %d, %v", again, err)
				}
				if st := s.Stats(); st.Accepted != good || st.Duplicates != 0 {
					t.Errorf("after a second delivery the sink took %d, %d twice", st.Accepted, st.Duplicates)
				}
			})
		}
	}
}
