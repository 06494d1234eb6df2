package reports_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/instancestest"
	"agora/instances/reports"
	"agora/storage/storagetest"
)

var start = instancestest.Start

// tables are every table the reports package writes.
var tables = []string{"outbox_events", "street_reports", "report_works", "report_photos", "report_events", "report_confirmations", "report_categories", "node_settings", "open311_keys", "follows", "notifications"}

// territory is a square around the 11th arrondissement of Paris.
var territory = reports.Polygon{{Lat: 48.85, Lon: 2.36}, {Lat: 48.87, Lon: 2.36}, {Lat: 48.87, Lon: 2.40}, {Lat: 48.85, Lon: 2.40}}

// inside is a point in the territory.
var inside = reports.Point{Lat: 48.8606, Lon: 2.3795}

type fixture struct {
	storagetest.Tables
	ctx   context.Context
	db    *bun.DB
	acc   *accounts.Service
	svc   *reports.Service
	clock *storagetest.Clock

	alice, bob, agent, roads, cleaning, admin *accounts.Account
}

func run(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	storagetest.Parallel(t, newFixture, fn)
}

func newFixture(t testing.TB, dialect string) *fixture {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	c := storagetest.NewClock(start)
	f := &fixture{Tables: storagetest.Tables{DB: db, Names: tables}, ctx: context.Background(), db: db,
		acc: accounts.NewService(db, c.Now), svc: reports.NewService(db, c.Now), clock: c}
	f.alice = instancestest.Account(t, f.acc, "alice")
	f.bob = instancestest.Account(t, f.acc, "bob")
	f.agent = instancestest.Account(t, f.acc, "agent_1", accounts.Agent)
	f.roads = f.official(t, "voirie_1", "Voirie")
	f.cleaning = f.official(t, "proprete_1", "Propreté")
	f.admin = instancestest.Account(t, f.acc, "admin_1", accounts.Admin)
	for i, c := range []reports.Category{
		{Slug: "nid-de-poule", NameFR: "Nid-de-poule", NameEN: "Pothole", Service: "Voirie"},
		{Slug: "graffiti", NameFR: "Graffiti", NameEN: "Graffiti", Service: "Propreté"},
		{Slug: "ancien", NameFR: "Ancien", NameEN: "Old", Service: "Voirie", Retired: true},
	} {
		c.Position = i
		if err := f.svc.SaveCategory(f.ctx, accounts.As(f.admin), c); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.SetTerritory(f.ctx, accounts.As(f.admin), territory); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) official(t testing.TB, handle, service string) *accounts.Account {
	t.Helper()
	a, err := f.acc.Create(f.ctx, accounts.System, accounts.NewAccount{Handle: handle, DisplayName: "Name of " + handle,
		Roles: []accounts.Role{accounts.Official}, Service: service})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// report sends a valid report by who in a category at p.
func (f *fixture) report(t testing.TB, who accounts.Actor, category string, p reports.Point) *reports.Report {
	t.Helper()
	r, err := f.svc.Create(f.ctx, who, reports.Input{Category: category, Point: &p, Description: "Un trou dans la chaussée."})
	if err != nil {
		t.Fatalf("create report: %v", err)
	}
	return r
}

func (f *fixture) get(t testing.TB, id string) *reports.Report {
	t.Helper()
	r, err := f.svc.ByID(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var wantErr = instancestest.WantErr

func photo(ct string) reports.Photo {
	return reports.Photo{BlobKey: "sha256-abc", ContentType: ct, Size: 1234}
}
