package decisions_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// benchSize is the count BenchmarkCount measures: the size,
// 1,000,000 ballots and 100,000 delegations in chains up to 20 deep,
// with AGORA_BENCH_DECISIONS=full; a fiftieth of it otherwise, so CI runs
// it under -benchtime 1x in seconds.
func benchSize() (ballots, delegations int) {
	if os.Getenv("AGORA_BENCH_DECISIONS") == "full" {
		return 1_000_000, 100_000
	}
	return 20_000, 2_000
}

// BenchmarkCount counts a ranked vote of four options from the database,
// delegations included, on SQLite and PostgreSQL. It reports the peak
// Go heap during the count (peak-heap-MB) and the process's CPU time
// per count (cpu-ms/op, which includes the database driver but not the
// PostgreSQL server) beside the wall time.
func BenchmarkCount(b *testing.B) {
	nb, nd := benchSize()
	for _, dialect := range storagetest.Dialects {
		b.Run(fmt.Sprintf("%s/%dk-ballots/%dk-delegations", dialect, nb/1000, nd/1000), func(b *testing.B) {
			f := newFixture(b, dialect)
			v := seedVote(b, f, nb, nd)
			runtime.GC()
			var peak atomic.Uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			var t *decisions.Tally
			cpu := storagetest.CPUTime()
			for b.Loop() {
				var err error
				if t, err = f.svc.Count(f.ctx, v); err != nil {
					b.Fatal(err)
				}
			}
			cpu = storagetest.CPUTime() - cpu
			close(stop)
			<-done
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			// The process's CPU time per count: on a shared machine the
			// wall time says more of the neighbours than of the count.
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			r := t.Result
			if r.Ballots != int64(nb) || r.Weight+r.Lost.NoVote+r.Lost.Cycle != int64(nb+nd) || r.Delegated == 0 {
				b.Fatalf("counted %d ballots weighing %d (%d delegated, lost %v), want %d and %d", r.Ballots, r.Weight, r.Delegated, r.Lost, nb, nb+nd)
			}
		})
	}
}

// seedVote writes nb voters with a ballot each and nd delegators who do
// not vote, as plain rows in batches: delegators form chains of 20
// (each delegates to the previous one), the head of each chain to a
// voter who agreed to be a delegate; in one chain in a hundred the head
// delegates to the tail instead, a cycle.
func seedVote(b *testing.B, f *fixture, nb, nd int) *decisions.Vote {
	b.Helper()
	in := input(decisions.Ranked, nil)
	v, err := f.svc.Create(f.ctx, accounts.As(f.account(b, accounts.Official)), f.spaceID, in)
	if err != nil {
		b.Fatal(err)
	}
	f.clock.Set(v.ClosesAt.Add(time.Hour))
	db := f.DB
	type account struct {
		bun.BaseModel `bun:"table:accounts"`
		ID            string    `bun:"id"`
		Handle        string    `bun:"handle"`
		DisplayName   string    `bun:"display_name"`
		Language      string    `bun:"language"`
		Public        bool      `bun:"public"`
		WebAuthnID    []byte    `bun:"webauthn_id"`
		CreatedAt     time.Time `bun:"created_at"`
	}
	type residency struct {
		bun.BaseModel `bun:"table:residencies"`
		AccountID     string    `bun:"account_id"`
		Method        string    `bun:"method"`
		Document      string    `bun:"document"`
		VerifierID    string    `bun:"verifier_id"`
		VerifiedAt    time.Time `bun:"verified_at"`
		ExpiresAt     time.Time `bun:"expires_at"`
		RevokedReason string    `bun:"revoked_reason"`
	}
	type ballot struct {
		bun.BaseModel `bun:"table:decision_ballots"`
		VoteID        string    `bun:"vote_id"`
		VoterID       string    `bun:"voter_id"`
		Receipt       string    `bun:"receipt"`
		Content       string    `bun:"content"`
		Channel       string    `bun:"channel"`
		EnteredBy     string    `bun:"entered_by"`
		Desk          string    `bun:"desk"`
		CastAt        time.Time `bun:"cast_at"`
		Changes       int       `bun:"changes"`
	}
	type delegate struct {
		bun.BaseModel `bun:"table:decision_delegates"`
		AccountID     string     `bun:"account_id"`
		Since         time.Time  `bun:"since"`
		Until         *time.Time `bun:"until"`
	}
	type delegation struct {
		bun.BaseModel `bun:"table:decision_delegations"`
		ID            string     `bun:"id"`
		DelegatorID   string     `bun:"delegator_id"`
		SpaceID       string     `bun:"space_id"`
		Category      string     `bun:"category"`
		DelegateID    string     `bun:"delegate_id"`
		CreatedAt     time.Time  `bun:"created_at"`
		Named         bool       `bun:"named"`
		RevokedAt     *time.Time `bun:"revoked_at"`
	}
	at := start
	ids := make([]string, nb+nd)
	for i := range ids {
		ids[i] = database.NewID()
	}
	storagetest.InsertRows(b, db, "accounts", nb+nd, 3000, func(i int) account {
		return account{ID: ids[i], Handle: fmt.Sprintf("b%d", i), DisplayName: "B", Language: "fr", WebAuthnID: []byte(ids[i]), CreatedAt: at}
	})
	storagetest.InsertRows(b, db, "residencies", nb+nd, 4000, func(i int) residency {
		return residency{AccountID: ids[i], Method: "operator", VerifiedAt: at, ExpiresAt: at.Add(400 * day)}
	})
	rng := rand.New(rand.NewPCG(3, 5))
	storagetest.InsertRows(b, db, "ballots", nb, 3000, func(i int) ballot {
		p := rng.Perm(4)
		return ballot{VoteID: v.ID, VoterID: ids[i], Receipt: decisions.NewReceipt(),
			Content: fmt.Sprintf("%d,%d,%d,%d", p[0], p[1], p[2], p[3])[:1+2*rng.IntN(4)], Channel: "online", CastAt: v.OpensAt}
	})
	// Every delegator and one voter in ten are delegates.
	storagetest.InsertRows(b, db, "delegates", nd+nb/10, 5000, func(i int) delegate {
		if i < nd {
			return delegate{AccountID: ids[nb+i], Since: at}
		}
		return delegate{AccountID: ids[(i-nd)*10], Since: at}
	})
	storagetest.InsertRows(b, db, "delegations", nd, 3000, func(i int) delegation {
		to := ""
		switch {
		case i%2000 == 0 && i+19 < nd:
			to = ids[nb+i+19] // one chain in a hundred: the head to the tail, a cycle of 20
		case i%20 == 0:
			to = ids[rng.IntN(nb/10)*10] // the head: a voter who is a delegate
		default:
			to = ids[nb+i-1] // the previous delegator: chains of 20
		}
		return delegation{ID: database.NewID(), DelegatorID: ids[nb+i], DelegateID: to, CreatedAt: at}
	})
	// Statistics as autovacuum (PostgreSQL) or a periodic ANALYZE keeps
	// them: with none, PostgreSQL may think the delegations empty and
	// start the count's join from a million residencies.
	if _, err := db.ExecContext(context.Background(), "ANALYZE"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	return v
}
