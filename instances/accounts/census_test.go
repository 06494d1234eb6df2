package accounts_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

const salt = "sel-de-la-ville-2026"

// The documented formula, computed here without the package:
// hex(HMAC-SHA256(salt, FAMILY|GIVEN|YYYY-MM-DD|POSTCODE)).
func TestCensusHashFormula(t *testing.T) {
	id := accounts.Identity{FamilyName: " d'Arcy-Lefèvre ", GivenName: "Élodie  Marie", BirthDate: "07/03/1985", PostalCode: "75 015"}
	mac := hmac.New(sha256.New, []byte(salt))
	mac.Write([]byte("D ARCY LEFEVRE|ELODIE MARIE|1985-03-07|75015"))
	want := hex.EncodeToString(mac.Sum(nil))
	got, err := accounts.CensusHash(salt, id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("CensusHash = %s, want %s", got, want)
	}
}

func TestCensusHashNormalisation(t *testing.T) {
	base := accounts.Identity{FamilyName: "Lefèvre", GivenName: "Jean-Éric", BirthDate: "1985-03-07", PostalCode: "75015"}
	with := func(change func(*accounts.Identity)) accounts.Identity {
		id := base
		change(&id)
		return id
	}
	same := []struct {
		name string
		id   accounts.Identity
	}{
		{"lower case", with(func(id *accounts.Identity) { id.FamilyName, id.GivenName = "lefèvre", "jean-éric" })},
		{"upper case", with(func(id *accounts.Identity) { id.FamilyName, id.GivenName = "LEFÈVRE", "JEAN-ÉRIC" })},
		{"no accents", with(func(id *accounts.Identity) { id.FamilyName, id.GivenName = "Lefevre", "Jean-Eric" })},
		{"combining accents", with(func(id *accounts.Identity) { id.FamilyName, id.GivenName = "Lefe\u0300vre", "Jean-E\u0301ric" })},
		{"space for hyphen", with(func(id *accounts.Identity) { id.GivenName = "Jean Éric" })},
		{"apostrophe for hyphen", with(func(id *accounts.Identity) { id.GivenName = "Jean'Éric" })},
		{"several separators", with(func(id *accounts.Identity) { id.GivenName = "  Jean -- ' Éric  " })},
		{"tab and spaces", with(func(id *accounts.Identity) { id.FamilyName = "\tLefèvre  " })},
		{"DD/MM/YYYY", with(func(id *accounts.Identity) { id.BirthDate = "07/03/1985" })},
		{"DD-MM-YYYY", with(func(id *accounts.Identity) { id.BirthDate = "07-03-1985" })},
		{"DD.MM.YYYY", with(func(id *accounts.Identity) { id.BirthDate = "07.03.1985" })},
		{"date with spaces", with(func(id *accounts.Identity) { id.BirthDate = " 1985-03-07 " })},
		{"postal code with a space", with(func(id *accounts.Identity) { id.PostalCode = " 75 015 " })},
	}
	different := []struct {
		name string
		id   accounts.Identity
	}{
		{"another family name", with(func(id *accounts.Identity) { id.FamilyName = "Lefebvre" })},
		{"given names run together", with(func(id *accounts.Identity) { id.GivenName = "Jeanéric" })},
		{"day and month swapped", with(func(id *accounts.Identity) { id.BirthDate = "1985-07-03" })},
		{"MM/DD/YYYY is read as DD/MM", with(func(id *accounts.Identity) { id.BirthDate = "03/07/1985" })},
		{"another postal code", with(func(id *accounts.Identity) { id.PostalCode = "75016" })},
		{"family and given swapped", with(func(id *accounts.Identity) { id.FamilyName, id.GivenName = base.GivenName, base.FamilyName })},
	}
	missing := []struct {
		name string
		id   accounts.Identity
	}{
		{"no family name", with(func(id *accounts.Identity) { id.FamilyName = "" })},
		{"family name of punctuation", with(func(id *accounts.Identity) { id.FamilyName = "-- '" })},
		{"no given name", with(func(id *accounts.Identity) { id.GivenName = "  " })},
		{"no birth date", with(func(id *accounts.Identity) { id.BirthDate = "" })},
		{"impossible date", with(func(id *accounts.Identity) { id.BirthDate = "1985-02-30" })},
		{"two-digit year", with(func(id *accounts.Identity) { id.BirthDate = "85-03-07" })},
		{"YYYY/MM/DD", with(func(id *accounts.Identity) { id.BirthDate = "1985/03/07" })},
		{"no postal code", with(func(id *accounts.Identity) { id.PostalCode = " " })},
	}

	want, err := accounts.CensusHash(salt, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range same {
		if got, err := accounts.CensusHash(salt, tt.id); err != nil || got != want {
			t.Errorf("%s: %s, %v; want the same hash as %+v", tt.name, got, err, base)
		}
	}
	for _, tt := range different {
		if got, err := accounts.CensusHash(salt, tt.id); err != nil || got == want {
			t.Errorf("%s: %s, %v; want another hash", tt.name, got, err)
		}
	}
	if got, _ := accounts.CensusHash(salt+"x", base); got == want {
		t.Error("another salt gives the same hash")
	}
	for _, tt := range missing {
		if got, err := accounts.CensusHash(salt, tt.id); !errors.Is(err, accounts.ErrIdentity) || got != "" {
			t.Errorf("%s: %q, %v; want ErrIdentity", tt.name, got, err)
		}
	}
}

// people of the test census.
var people = []accounts.Identity{
	{FamilyName: "Lefèvre", GivenName: "Jean-Éric", BirthDate: "1985-03-07", PostalCode: "75015"},
	{FamilyName: "N'Diaye", GivenName: "Awa", BirthDate: "2001-12-24", PostalCode: "75015"},
	{FamilyName: "Martin", GivenName: "Zoé", BirthDate: "1950-01-01", PostalCode: "75015"},
	{FamilyName: "Nguyen", GivenName: "Linh", BirthDate: "1999-09-09", PostalCode: "75015"},
}

func censusFile(t testing.TB, salt string, ids ...accounts.Identity) string {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("\ufeffhash\r\n") // as a spreadsheet saves it
	for _, id := range ids {
		h, err := accounts.CensusHash(salt, id)
		if err != nil {
			t.Fatal(err)
		}
		sb.WriteString(strings.ToUpper(h) + "\r\n")
	}
	return sb.String()
}

func TestImportAndMatchCensus(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		admin := f.account(t, "admin_1", accounts.Admin)
		agent := f.account(t, "agent_1", accounts.Agent)
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		carol := f.account(t, "carol")
		year := 365 * 24 * time.Hour

		// A file listing someone twice stores them once.
		file := censusFile(t, salt, append(people, people[0])...)
		for _, tt := range []struct {
			name  string
			actor accounts.Actor
			salt  string
			want  error
		}{
			{"by an agent", accounts.As(agent), salt, accounts.ErrForbidden},
			{"by a resident", accounts.As(alice), salt, accounts.ErrForbidden},
			{"salt too short", accounts.As(admin), "fifteen-chars-x", accounts.ErrSalt},
			{"no salt", accounts.As(admin), "", accounts.ErrSalt},
		} {
			before := f.State(t)
			_, err := f.svc.ImportCensus(f.ctx, tt.actor, tt.salt, strings.NewReader(file), year)
			wantErr(t, err, tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		imp, err := f.svc.ImportCensus(f.ctx, accounts.As(admin), salt, strings.NewReader(file), year)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Entries != len(people) || imp.ImportedBy != admin.ID || !imp.ExpiresAt.Equal(start.Add(year)) {
			t.Fatalf("import %+v", imp)
		}
		if f.Count(t, "census_entries", "import = ?", imp.ID) != len(people) || f.Count(t, "census_imports", "") != 1 {
			t.Fatalf("stored %q %q", f.Rows(t, "census_imports"), f.Rows(t, "census_entries"))
		}
		e := f.lastAudit(t, "residency.census_import", "")
		if e.ActorID != admin.ID || !strings.Contains(e.Details, fmt.Sprintf("import=%s entries=%d", imp.ID, len(people))) {
			t.Fatalf("audit %+v", e)
		}

		// Alice types her identity her own way.
		typed := accounts.Identity{FamilyName: "LEFEVRE", GivenName: "jean eric", BirthDate: "07/03/1985", PostalCode: "75 015"}
		refusals := []struct {
			name  string
			actor accounts.Actor
			id    string
			who   accounts.Identity
			want  error
		}{
			{"not in the census", accounts.As(alice), alice.ID, accounts.Identity{FamilyName: "Lefèvre", GivenName: "Jean-Éric", BirthDate: "1985-03-08", PostalCode: "75015"}, accounts.ErrNoCensusMatch},
			{"incomplete identity", accounts.As(alice), alice.ID, accounts.Identity{FamilyName: "Lefèvre", BirthDate: "1985-03-07", PostalCode: "75015"}, accounts.ErrIdentity},
			{"bad date", accounts.As(alice), alice.ID, accounts.Identity{FamilyName: "Lefèvre", GivenName: "Jean", BirthDate: "7 mars 1985", PostalCode: "75015"}, accounts.ErrIdentity},
			{"for someone else", accounts.As(bob), alice.ID, typed, accounts.ErrForbidden},
		}
		for _, tt := range refusals {
			before := f.State(t)
			wantErr(t, f.svc.MatchCensus(f.ctx, tt.actor, tt.id, tt.who), tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		if err := f.svc.MatchCensus(f.ctx, accounts.As(alice), alice.ID, typed); err != nil {
			t.Fatal(err)
		}
		r := f.wantResidency(t, alice.ID, accounts.Verified)
		// The census vouched for the date of birth: it is kept for votes
		// with an age floor, and the audit log says so without it.
		if r.Method != accounts.MethodCensus || r.VerifierID != alice.ID || r.BirthDateText() != "1985-03-07" {
			t.Fatalf("residency %+v", r)
		}
		if e := f.lastAudit(t, "residency.verify", alice.ID); e.Details != "method=census birth_date=recorded" {
			t.Fatalf("audit %+v", e)
		}
		if n := f.Count(t, "census_entries", "used_by = ?", alice.ID); n != 1 {
			t.Fatalf("%d entries used by alice", n)
		}

		// One entry verifies one account: bob cannot reuse alice's identity.
		before := f.State(t)
		wantErr(t, f.svc.MatchCensus(f.ctx, accounts.As(bob), bob.ID, people[0]), accounts.ErrNoCensusMatch, "bob as alice")
		f.Unchanged(t, before, "a census entry used twice")
		f.wantResidency(t, bob.ID, accounts.Unverified)

		// Alice may renew with her own entry.
		f.clock.Advance(time.Hour)
		if err := f.svc.MatchCensus(f.ctx, accounts.As(alice), alice.ID, people[0]); err != nil {
			t.Fatalf("renewing: %v", err)
		}
		if r := f.wantResidency(t, alice.ID, accounts.Verified); !r.VerifiedAt.Equal(f.clock.Now()) {
			t.Fatalf("renewed %+v", r)
		}

		// An agent at a desk may match for a resident.
		if err := f.svc.MatchCensus(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "guichet 3"}, bob.ID, people[1]); err != nil {
			t.Fatal(err)
		}
		f.wantResidency(t, bob.ID, accounts.Verified)

		// The import expires.
		f.clock.Advance(year)
		before = f.State(t)
		wantErr(t, f.svc.MatchCensus(f.ctx, accounts.As(carol), carol.ID, people[2]), accounts.ErrNoCensusMatch, "expired import")
		f.Unchanged(t, before, "a match against an expired import")

		// A new import, with a new salt, verifies again.
		salt2 := "sel-de-la-ville-2027"
		if _, err := f.svc.ImportCensus(f.ctx, accounts.System, salt2, strings.NewReader(censusFile(t, salt2, people...)), year); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MatchCensus(f.ctx, accounts.As(carol), carol.ID, people[2]); err != nil {
			t.Fatal(err)
		}
		f.wantResidency(t, carol.ID, accounts.Verified)
	})
}

// Importing the same census again (same salt) renews its entries and keeps
// who used them.
func TestReimportCensusRenews(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		month := 30 * 24 * time.Hour
		if _, err := f.svc.ImportCensus(f.ctx, accounts.System, salt, strings.NewReader(censusFile(t, salt, people...)), month); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MatchCensus(f.ctx, accounts.As(alice), alice.ID, people[0]); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(month + time.Hour)
		second, err := f.svc.ImportCensus(f.ctx, accounts.System, salt, strings.NewReader(censusFile(t, salt, people...)), month)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MatchCensus(f.ctx, accounts.As(bob), bob.ID, people[1]); err != nil {
			t.Fatalf("a person listed in the live import: %v", err)
		}
		before := f.State(t)
		wantErr(t, f.svc.MatchCensus(f.ctx, accounts.As(bob), bob.ID, people[0]), accounts.ErrNoCensusMatch, "bob with alice's renewed entry")
		f.Unchanged(t, before, "bob with alice's renewed entry")
		if err := f.svc.MatchCensus(f.ctx, accounts.As(alice), alice.ID, people[0]); err != nil {
			t.Fatalf("alice renewing against the new import: %v", err)
		}
		if n := f.Count(t, "census_entries", "import = ?", second.ID); n != len(people) {
			t.Fatalf("%d entries belong to the live import", n)
		}
	})
}

func TestImportCensusRefusesBadFiles(t *testing.T) {
	good := func(i int) string {
		h, _ := accounts.CensusHash(salt, accounts.Identity{FamilyName: "F", GivenName: fmt.Sprint("G", i), BirthDate: "2000-01-01", PostalCode: "75015"})
		return h
	}
	many := "hash\n"
	for i := range 25 {
		many += fmt.Sprintf("bad%d\n", i)
	}
	tests := []struct {
		name  string
		file  string
		lines []string // expected CensusError lines, by prefix
		more  int
	}{
		{"empty file", "", []string{"line 1: no entries"}, 0},
		{"header only", "hash\n", []string{"line 1: no entries"}, 0},
		{"wrong header", "hashes\n" + good(1) + "\n", []string{"line 1: the header"}, 0},
		{"no header", good(1) + "\n" + good(2) + "\n", []string{"line 1: the header"}, 0},
		{"two-column header", "hash,name\n" + good(1) + "\n", []string{"line 1: the header"}, 0},
		{"bad hex on lines 3 and 5", "hash\n" + good(1) + "\nnot-hex\n" + good(2) + "\n" + good(3)[:63] + "z\n" + good(4) + "\n",
			[]string{`line 3: "not-hex" is not 64`, "line 5: "}, 0},
		{"short hash", "hash\n" + good(1)[:62] + "\n", []string{"line 2: "}, 0},
		{"long hash", "hash\n" + good(1) + "00\n", []string{"line 2: "}, 0},
		{"wrong column count on line 4", "hash\n" + good(1) + "\n" + good(2) + "\n" + good(3) + ",Martin\n", []string{"line 4: want 1 column, got 2"}, 0},
		{"blank lines do not shift line numbers", "hash\n" + good(1) + "\n\n\nxyz\n", []string{"line 5: "}, 0},
		{"bare quote on line 3", "hash\n" + good(1) + "\nab\"c\n" + good(2) + "\n", []string{"line 3: "}, 0},
		{"more than 20 errors", many, []string{"line 2: ", "line 3: ", "line 4: ", "line 5: ", "line 6: ", "line 7: ", "line 8: ", "line 9: ", "line 10: ",
			"line 11: ", "line 12: ", "line 13: ", "line 14: ", "line 15: ", "line 16: ", "line 17: ", "line 18: ", "line 19: ", "line 20: ", "line 21: "}, 5},
	}
	run(t, func(t *testing.T, f *fixture) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.State(t)
				imp, err := f.svc.ImportCensus(f.ctx, accounts.System, salt, strings.NewReader(tt.file), time.Hour)
				var ce *accounts.CensusError
				if !errors.As(err, &ce) || imp != nil {
					t.Fatalf("ImportCensus = %+v, %v; want a *CensusError", imp, err)
				}
				if len(ce.Lines) != len(tt.lines) || ce.More != tt.more {
					t.Fatalf("errors %q (+%d), want %q (+%d)", ce.Lines, ce.More, tt.lines, tt.more)
				}
				for i, want := range tt.lines {
					if !strings.HasPrefix(ce.Lines[i], want) {
						t.Errorf("error %d is %q, want it to start with %q", i, ce.Lines[i], want)
					}
				}
				if !strings.Contains(err.Error(), "nothing imported") {
					t.Errorf("message %q", err)
				}
				if f.Count(t, "census_entries", "") != 0 || f.Count(t, "census_imports", "") != 0 {
					t.Fatal("a refused file was partly imported")
				}
				f.Unchanged(t, before, "a refused census file")
			})
		}
	})
}
