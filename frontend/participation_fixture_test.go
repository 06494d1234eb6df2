package frontend

import (
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// participationNode is a node's handler with every surface, over a fresh
// migrated database of one dialect and a local blob store, wired as
// cmd/agora/serve.go does, with a clock tests can move.
type participationNode struct {
	*staffNode
	spaces     *spaces.Service
	proposals  *proposals.Service
	debates    *debates.Service
	moderation *moderation.Service
	clock      *testClock
}

type testClock = storagetest.Clock

func newParticipationNode(t testing.TB, dialect string) *participationNode {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	return newParticipationNodeOn(t, db)
}

// newParticipationNodeOn builds the node over db; tweaks change its Deps
// before the handler is made (a fake Federation, the catalogue…).
func newParticipationNodeOn(t testing.TB, db *bun.DB, tweaks ...func(*Deps)) *participationNode {
	t.Helper()
	clock := storagetest.NewClock(time.Now().UTC())
	md := markup.New()
	acc := accounts.NewService(db, clock.Now)
	sp := spaces.NewService(db, md, clock.Now)
	pr := proposals.NewService(db, md, acc, sp, clock.Now)
	dbt := debates.NewService(db, md, clock.Now)
	mod := moderation.NewService(db, clock.Now)
	store := storagetest.NewBlobStore(t, "local")
	deps := Deps{
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Accounts: acc, Limiter: ratelimit.New(db, testSecret, clock.Now), Secret: testSecret,
		Spaces: sp, Proposals: pr, Debates: dbt, Moderation: mod, Markup: md, Blobs: store, Now: clock.Now,
	}
	for _, tweak := range tweaks {
		tweak(&deps)
	}
	h, err := New(Config{NodeName: "Paris 15e", BaseURL: mustURL(t, "http://localhost")}, deps)
	if err != nil {
		t.Fatal(err)
	}
	n := &participationNode{
		staffNode: &staffNode{h: h, svc: acc, db: db, staff: map[accounts.Role]*accounts.Account{}},
		spaces:    sp, proposals: pr, debates: dbt, moderation: mod, clock: clock,
	}
	for _, role := range accounts.Roles {
		n.staff[role] = n.account(t, "staff_"+string(role), role)
	}
	return n
}
