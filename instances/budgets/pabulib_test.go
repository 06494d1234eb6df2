package budgets_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"agora/instances/budgets"
)

func parseFile(t testing.TB, name string) *budgets.PB {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pb", name))
	if err != nil {
		t.Fatal(err)
	}
	pb, err := budgets.ParsePB(bytes.NewReader(data), budgets.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return pb
}

// pabulib.org/format's example, read whole.
func TestParsePBWieliczka(t *testing.T) {
	pb := parseFile(t, "wieliczka.pb")
	m := pb.Meta
	want := budgets.Meta{
		Description: "Municipal PB in Wieliczka", Country: "Poland", Unit: "Wieliczka", Instance: "2020",
		NumProjects: 5, NumVotes: 10, Budget: 2500, Rule: "greedy", VoteType: "approval",
		MinLength: 1, MaxLength: 3, DateBegin: "16.09.2023", DateEnd: "04.10.2023",
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("meta %+v\nwant %+v", m, want)
	}
	if !slices.Equal(pb.ProjectColumns, []string{"project_id", "cost", "category"}) {
		t.Fatalf("project columns %q", pb.ProjectColumns)
	}
	if p := pb.Projects[0]; p.ID != "1" || p.Cost != 600 || p.Fields["category"] != "culture, education" {
		t.Fatalf("project 1: %+v", p)
	}
	// vote moves first; the other columns keep their order.
	if !slices.Equal(pb.VoteColumns, []string{"voter_id", "vote", "age", "sex"}) {
		t.Fatalf("vote columns %q", pb.VoteColumns)
	}
	if v := pb.Votes[4]; v.VoterID != "5" || !slices.Equal(v.Vote, []string{"1", "4", "7"}) || v.Fields["age"] != "62" || v.Fields["sex"] != "f" {
		t.Fatalf("vote 5: %+v", v)
	}
	e, rule, err := pb.Election("Wieliczka")
	if err != nil || rule != budgets.Greedy {
		t.Fatalf("Election: %v %v", rule, err)
	}
	if !reflect.DeepEqual(e, wieliczkaExample()) {
		t.Fatalf("election %+v\nwant %+v", e, wieliczkaExample())
	}
}

// Quoted fields (';' and '"' inside, spaces kept), a comment key, more
// columns, the rule equalshares/add1.
func TestParsePBQuoting(t *testing.T) {
	pb := parseFile(t, "paris-11e.pb")
	if c := pb.Meta.Other; len(c) != 1 || c[0].Key != "comment" || c[0].Value != `#1: Les projets "Jardins partagés" et "Cours Oasis" ont été fusionnés; voir le bilan.` {
		t.Fatalf("other keys %+v", c)
	}
	names := map[string]string{}
	for _, p := range pb.Projects {
		names[p.ID] = p.Fields["name"]
	}
	for id, want := range map[string]string{
		"11-001": "Végétaliser la rue Oberkampf; phase 2",
		"11-002": `Cour "Oasis" à l'école Parmentier`,
		"11-005": "  Bancs et fontaines  ",
	} {
		if names[id] != want {
			t.Errorf("%s: name %q, want %q", id, names[id], want)
		}
	}
	if pb.Meta.Currency != "EUR" || pb.Meta.Language != "fr" || pb.Meta.Subunit != "XIe arrondissement" || pb.Meta.MaxLength != 5 {
		t.Fatalf("meta %+v", pb.Meta)
	}
	e, rule, err := pb.Election("11e")
	if err != nil || rule != budgets.EqualShares {
		t.Fatalf("rule %v %v", rule, err)
	}
	// The file's selected column is what Equal Shares funds. Worked by
	// hand, share 1,500,000/12 = 125,000: 11-001 and 11-004 both have 7
	// votes and equal parts within reach (64,286 and 111,429): count 7
	// each, 11-001 is cheaper. Its voters keep 60,714, so 11-004's
	// supporters hold 5 × 60,714 + 2 × 125,000 < 780,000: unaffordable.
	// Then 11-002 (count 320,000/68,929 ≈ 4.6: three of its voters pay
	// their 60,714), 11-003 (4), 11-005 (≈ 2.6), 11-006 (2): 1,070,000
	// spent, and 11-004 no longer fits in the 430,000 left: exhaustive.
	h := mustCompute(t, e, rule, budgets.Options{}).Headings[0]
	for _, p := range pb.Projects {
		if funded := slices.Contains(h.Funded, p.ID); funded != (p.Fields["selected"] == "1") {
			t.Errorf("%s: funded %v, selected %q", p.ID, funded, p.Fields["selected"])
		}
	}
	if h.Steps != 1 || h.Used != 1_070_000 {
		t.Errorf("steps %d used %d", h.Steps, h.Used)
	}
}

// A byte order mark, CRLF line ends, blank lines, decimal amounts that
// are whole, cumulative votes with points.
func TestParsePBCumulative(t *testing.T) {
	pb := parseFile(t, "aarau-cumulative.pb")
	if pb.Meta.Description != "Windows line ends, a byte order mark, blank lines" || pb.Meta.Budget != 50000 || pb.Projects[0].Cost != 20000 {
		t.Fatalf("meta %+v, first cost %d", pb.Meta, pb.Projects[0].Cost)
	}
	if v := pb.Votes[2]; !slices.Equal(v.Vote, []string{"B", "C", "A"}) || !slices.Equal(v.Points, []int64{5, 3, 2}) {
		t.Fatalf("vote 3: %+v", v)
	}
	if _, _, err := pb.Election("h"); !errors.Is(err, budgets.ErrInvalid) || !strings.Contains(err.Error(), "cumulative") {
		t.Fatalf("cumulative votes counted: %v", err)
	}
	for _, name := range []string{"ordinal.pb", "scoring.pb"} {
		if _, _, err := parseFile(t, name).Election("h"); !errors.Is(err, budgets.ErrInvalid) {
			t.Fatalf("%s counted: %v", name, err)
		}
	}
	if v := parseFile(t, "scoring.pb").Votes[0]; !slices.Equal(v.Points, []int64{2, 1, -1}) {
		t.Fatalf("scoring points %v", v.Points)
	}
	// choose-1 counts as approval; a blank vote is a ballot for nothing.
	e, rule, err := parseFile(t, "empty-vote.pb").Election("h")
	if err != nil || rule != budgets.Greedy || len(e.Ballots) != 2 || len(e.Ballots[1].Projects) != 0 {
		t.Fatalf("choose-1: %+v %v %v", e, rule, err)
	}
	if h := mustCompute(t, e, budgets.Greedy, budgets.Options{}).Headings[0]; h.Voters != 1 || !slices.Equal(h.Funded, []string{"42"}) {
		t.Fatalf("choose-1 result %+v", h)
	}
}

// parse(write(x)) equals x, and writing is stable: for every test file,
// for hand-made edge cases, and for random files.
func TestPBRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "pb", "*.pb"))
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, f := range files {
		roundTrip(t, f, parseFile(t, filepath.Base(f)))
	}
	edge := &budgets.PB{
		Meta: budgets.Meta{
			Description: `  spaces, "quotes"; and semicolons  `, Country: "META", Unit: "VOTES",
			NumProjects: 2, NumVotes: 2, Budget: budgets.MaxAmount, VoteType: "approval", Rule: "greedy",
			Other: []budgets.KeyValue{{Key: "empty", Value: ""}, {Key: "semi;colon key", Value: `"`}},
		},
		ProjectColumns: []string{"project_id", "cost", "name", "PROJECTS"},
		Projects: []budgets.PBProject{
			{ID: "a b", Cost: 1, Fields: map[string]string{"name": "", "PROJECTS": "x"}},
			{ID: `"q"`, Cost: 2, Fields: map[string]string{"name": "é;ü", "PROJECTS": " "}},
		},
		VoteColumns: []string{"voter_id", "vote", "note"},
		Votes: []budgets.PBVote{
			{VoterID: "1", Vote: []string{`"q"`, "a b"}, Fields: map[string]string{"note": `a "b" c`}},
			{VoterID: ";", Vote: nil, Fields: map[string]string{"note": ""}},
		},
	}
	roundTrip(t, "edge cases", edge)
	rng := rand.New(rand.NewPCG(17, 18))
	for i := range 500 {
		roundTrip(t, fmt.Sprintf("random %d", i), randomPB(rng))
	}
}

func roundTrip(t *testing.T, name string, x *budgets.PB) {
	t.Helper()
	var buf bytes.Buffer
	if err := budgets.WritePB(&buf, x); err != nil {
		t.Fatalf("%s: write: %v", name, err)
	}
	y, err := budgets.ParsePB(bytes.NewReader(buf.Bytes()), budgets.Limits{})
	if err != nil {
		t.Fatalf("%s: parse(write(x)): %v\n%s", name, err, buf.String())
	}
	if !reflect.DeepEqual(normal(x), normal(y)) {
		t.Fatalf("%s: parse(write(x)) differs:\n%+v\n%+v\n%s", name, x, y, buf.String())
	}
	var again bytes.Buffer
	if err := budgets.WritePB(&again, y); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatalf("%s: writing is not stable (%v)", name, err)
	}
}

// normal makes nil and empty slices alike, as a file cannot tell them
// apart.
func normal(x *budgets.PB) *budgets.PB {
	y := *x
	y.Projects = slices.Clone(x.Projects)
	y.Votes = slices.Clone(x.Votes)
	for i := range y.Votes {
		if len(y.Votes[i].Vote) == 0 {
			y.Votes[i].Vote = nil
		}
		if len(y.Votes[i].Points) == 0 {
			y.Votes[i].Points = nil
		}
	}
	if len(y.Meta.Other) == 0 {
		y.Meta.Other = nil
	}
	return &y
}

// randomPB draws a valid file: random text in every free field (spaces,
// quotes, semicolons, commas, accents, section names), ids without
// commas.
func randomPB(rng *rand.Rand) *budgets.PB {
	alphabet := []string{"a", "Z", "0", " ", ";", `"`, ",", "é", "ß", "中", "\t", "META", "x y", "'"}
	text := func(max int) string {
		var sb strings.Builder
		for range rng.IntN(max + 1) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return sb.String()
	}
	id := func() string {
		for {
			s := strings.ReplaceAll(strings.TrimSpace(text(4)), ",", "")
			s = strings.TrimSpace(s)
			if s != "" {
				return s
			}
		}
	}
	pb := &budgets.PB{}
	m := &pb.Meta
	m.Description, m.Country, m.Unit, m.Instance = text(8), text(3), text(3), text(3)
	m.Budget = 1 + rng.Int64N(budgets.MaxAmount)
	m.VoteType = []string{"approval", "ordinal", "cumulative", "scoring", "choose-1"}[rng.IntN(5)]
	if rng.IntN(2) == 0 {
		m.Rule = "greedy"
	}
	for range rng.IntN(3) {
		m.Other = append(m.Other, budgets.KeyValue{Key: "x" + id(), Value: text(5)})
	}
	// Keys must be unique.
	m.Other = slices.CompactFunc(m.Other, func(a, b budgets.KeyValue) bool { return a.Key == b.Key })
	pb.ProjectColumns = []string{"project_id", "cost"}
	for range rng.IntN(3) {
		c := "c" + id()
		if !slices.Contains(pb.ProjectColumns, c) {
			pb.ProjectColumns = append(pb.ProjectColumns, c)
		}
	}
	seen := map[string]bool{}
	for range rng.IntN(6) {
		pid := id()
		if seen[pid] {
			continue
		}
		seen[pid] = true
		p := budgets.PBProject{ID: pid, Cost: 1 + rng.Int64N(1000), Fields: map[string]string{}}
		for _, c := range pb.ProjectColumns[2:] {
			p.Fields[c] = text(6)
		}
		pb.Projects = append(pb.Projects, p)
	}
	pb.VoteColumns = []string{"voter_id", "vote"}
	withPoints := rng.IntN(2) == 0
	if withPoints {
		pb.VoteColumns = append(pb.VoteColumns, "points")
	}
	if rng.IntN(2) == 0 {
		pb.VoteColumns = append(pb.VoteColumns, "sex")
	}
	voters := map[string]bool{}
	for range rng.IntN(6) {
		vid := id()
		if voters[vid] {
			continue
		}
		voters[vid] = true
		v := budgets.PBVote{VoterID: vid, Fields: map[string]string{}}
		for _, i := range rng.Perm(len(pb.Projects))[:rng.IntN(len(pb.Projects)+1)] {
			v.Vote = append(v.Vote, pb.Projects[i].ID)
			if withPoints {
				v.Points = append(v.Points, rng.Int64N(21)-10)
			}
		}
		if slices.Contains(pb.VoteColumns, "sex") {
			v.Fields["sex"] = text(2)
		}
		pb.Votes = append(pb.Votes, v)
	}
	m.NumProjects, m.NumVotes = len(pb.Projects), len(pb.Votes)
	return pb
}

// Every refusal names its line and its reason.
func TestParsePBRefusals(t *testing.T) {
	const head = "META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;100\nvote_type;approval\n"
	const projects = "PROJECTS\nproject_id;cost\na;10\nb;20\n"
	const votes = "VOTES\nvoter_id;vote\n1;a\n2;a,b\n"
	for _, c := range []struct {
		name, file string
		line       int
		reason     string
	}{
		{"empty file", "", 1, "the file ends before the META section"},
		{"blank file", "\n\n", 3, "the file ends before the META section"},
		{"no META title", "key;value\n", 1, `expected the META section, found "key;value"`},
		{"no META header", "META\n", 2, "the META section has no header row"},
		{"bad META header", "META\nkey;value;x\n", 2, "the META header must be key;value"},
		{"META header missing", "META\nPROJECTS\n", 2, "the META section has no header row"},
		{"META row with 3 fields", "META\nkey;value\nbudget;1;2\n", 3, "a META row has 3 fields, not 2"},
		{"META row with 1 field", "META\nkey;value\nbudget\n", 3, "a META row has 1 fields, not 2"},
		{"META key twice", "META\nkey;value\nbudget;1\nbudget;2\n", 4, `META key "budget" appears twice`},
		{"META key empty", "META\nkey;value\n;2\n", 3, "a META row has no key"},
		{"budget not a number", "META\nkey;value\nbudget;lots\n", 3, `budget "lots" is not a positive amount`},
		{"budget fractional", "META\nkey;value\nbudget;10.5\n", 3, `budget "10.5" is not a whole number of currency units`},
		{"budget zero", "META\nkey;value\nbudget;0\n", 3, `budget "0" is not a positive amount`},
		{"budget negative", "META\nkey;value\nbudget;-4\n", 3, `budget "-4" is not a positive amount`},
		{"budget too big", "META\nkey;value\nbudget;99999999999999999999\n", 3, "budget 99999999999999999999 is above the limit"},
		{"num_votes not a number", "META\nkey;value\nnum_votes;x\n", 3, `num_votes "x" is not a whole number`},
		{"num_votes negative", "META\nkey;value\nnum_votes;-1\n", 3, `num_votes "-1" is not a whole number`},
		{"num_projects above limit", "META\nkey;value\nnum_projects;10001\n", 3, "num_projects 10001 is above the limit of 10000"},
		{"vote_type unknown", "META\nkey;value\nvote_type;knapsack\n", 3, `vote_type "knapsack" is not one of approval, ordinal, cumulative, scoring, choose-1`},
		{"budget missing", "META\nkey;value\nnum_projects;0\nnum_votes;0\nvote_type;approval\nPROJECTS\n", 6, `META has no "budget" key`},
		{"lengths crossed", "META\nkey;value\nnum_projects;0\nnum_votes;0\nbudget;1\nvote_type;approval\nmin_length;3\nmax_length;2\nPROJECTS\n", 9, "min_length 3 is above max_length 2"},
		{"ends in META", head, 7, "the file ends before the PROJECTS section"},
		{"VOTES before PROJECTS", head + "VOTES\n", 7, `expected the PROJECTS section, found "VOTES"`},
		{"no PROJECTS header", head + "PROJECTS\n", 8, "the PROJECTS section has no header row"},
		{"no cost column", head + "PROJECTS\nproject_id;name\n", 8, `the PROJECTS header has no "cost" column`},
		{"column twice", head + "PROJECTS\nproject_id;cost;cost\n", 8, `the PROJECTS header names "cost" twice`},
		{"column unnamed", head + "PROJECTS\nproject_id;;cost\n", 8, "column 2 of the PROJECTS header has no name"},
		{"project row short", head + "PROJECTS\nproject_id;cost\na\n", 9, "the row has 1 fields but the PROJECTS header has 2"},
		{"project id empty", head + "PROJECTS\nproject_id;cost\n;10\n", 9, "a project has no project_id"},
		{"project id twice", head + "PROJECTS\nproject_id;cost\na;10\na;20\n", 10, `project_id "a" appears twice`},
		{"project id comma", head + "PROJECTS\nproject_id;cost\n\"a,b\";10\n", 9, `project_id "a,b" contains a comma`},
		{"cost zero", head + "PROJECTS\nproject_id;cost\na;0\n", 9, `cost "0" is not a positive amount`},
		{"cost decimal", head + "PROJECTS\nproject_id;cost\na;9.99\n", 9, `cost "9.99" is not a whole number of currency units`},
		{"num_projects wrong", head + "PROJECTS\nproject_id;cost\na;10\nVOTES\n", 10, "num_projects says 2 but PROJECTS has 1"},
		{"ends in PROJECTS", head + projects, 11, "the file ends before the VOTES section"},
		{"no VOTES header", head + projects + "VOTES\n", 12, "the VOTES section has no header row"},
		{"no vote column", head + projects + "VOTES\nvoter_id;age\n", 12, `the VOTES header has no "vote" column`},
		{"voter id twice", head + projects + "VOTES\nvoter_id;vote\n1;a\n1;b\n", 14, `voter_id "1" appears twice`},
		{"voter id empty", head + projects + "VOTES\nvoter_id;vote\n;a\n", 13, "a vote has no voter_id"},
		{"unknown project", head + projects + "VOTES\nvoter_id;vote\n1;a,z\n", 13, `the vote names project "z", which is not in PROJECTS`},
		{"project twice in vote", head + projects + "VOTES\nvoter_id;vote\n1;a,b,a\n", 13, `the vote names project "a" twice`},
		{"empty id in vote", head + projects + "VOTES\nvoter_id;vote\n1;a,,b\n", 13, "the vote has an empty project id"},
		{"vote row long", head + projects + "VOTES\nvoter_id;vote\n1;a;x\n", 13, "the row has 3 fields but the VOTES header has 2"},
		{"points count", head + projects + "VOTES\nvoter_id;vote;points\n1;a,b;1\n", 13, "the vote has 1 points for 2 projects"},
		{"points not numbers", head + projects + "VOTES\nvoter_id;vote;points\n1;a;many\n", 13, `points "many" is not a whole number`},
		{"num_votes wrong", head + projects + "VOTES\nvoter_id;vote\n1;a\n", 13, "num_votes says 2 but VOTES has 1"},
		{"section after VOTES", head + projects + votes + "META\n", 15, "a META section after VOTES"},
		{"min_length", strings.Replace(head, "approval\n", "approval\nmin_length;2\n", 1) + projects + votes, 14, "the vote names 1 projects, fewer than min_length 2"},
		{"max_length", strings.Replace(head, "approval\n", "approval\nmax_length;1\n", 1) + projects + votes, 15, "the vote names 2 projects, more than max_length 1"},
		{"quote not closed", "META\nkey;value\ndescription;\"abc\n", 3, "a quoted field is not closed before the end of the line"},
		{"text after quote", "META\nkey;value\ndescription;\"abc\"d\n", 3, "text after a closing quote"},
		{"not UTF-8", "META\nkey;value\ndescription;\xff\xfe\n", 3, "the line is not UTF-8 text"},
		{"NUL byte", "META\nkey;value\ndescription;a\x00b\n", 3, "the line contains a NUL byte"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := budgets.ParsePB(strings.NewReader(c.file), budgets.Limits{})
			checkParseError(t, err, c.line, c.reason)
		})
	}
}

func checkParseError(t *testing.T, err error, line int, reason string) {
	t.Helper()
	var pe *budgets.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v, want a *ParseError", err)
	}
	if pe.Line != line || !strings.Contains(pe.Reason, reason) {
		t.Fatalf("line %d: %q; want line %d: %q", pe.Line, pe.Reason, line, reason)
	}
	if want := fmt.Sprintf("line %d: ", line); !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("message %q does not start with %q", err.Error(), want)
	}
}

// Each limit refuses the file at the line that crosses it.
func TestParsePBLimits(t *testing.T) {
	wieliczka, err := os.ReadFile(filepath.Join("testdata", "pb", "wieliczka.pb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		lim    budgets.Limits
		line   int
		reason string
	}{
		{"bytes", budgets.Limits{MaxBytes: 100}, 6, "the file is longer than 100 bytes"},
		{"line", budgets.Limits{MaxLineBytes: 30}, 3, "the line is longer than 30 bytes"},
		{"fields", budgets.Limits{MaxFields: 3}, 24, "the row has more than 3 fields"},
		{"meta keys", budgets.Limits{MaxMetaKeys: 5}, 8, "META has more than 5 keys"},
		{"projects", budgets.Limits{MaxProjects: 4}, 7, "num_projects 5 is above the limit of 4"},
		{"votes", budgets.Limits{MaxVotes: 9}, 8, "num_votes 10 is above the limit of 9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := budgets.ParsePB(bytes.NewReader(wieliczka), c.lim)
			checkParseError(t, err, c.line, c.reason)
		})
	}
	// Rows past the limit are refused even when num_* lie.
	file := "META\nkey;value\nnum_projects;1\nnum_votes;1\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;1\nb;1\nVOTES\nvoter_id;vote\n1;a\n2;a\n"
	_, err = budgets.ParsePB(strings.NewReader(file), budgets.Limits{MaxProjects: 1})
	checkParseError(t, err, 10, "more than 1 projects")
	_, err = budgets.ParsePB(strings.NewReader(strings.Replace(file, "b;1\n", "", 1)), budgets.Limits{MaxVotes: 1})
	checkParseError(t, err, 13, "more than 1 votes")
	// A line far beyond the limit is not read whole.
	long := "META\nkey;value\ndescription;" + strings.Repeat("x", 10<<20) + "\n"
	_, err = budgets.ParsePB(strings.NewReader(long), budgets.Limits{})
	checkParseError(t, err, 3, "the line is longer than 1048576 bytes")
}

// What WritePB refuses, it refuses before ParsePB would.
func TestWritePBRefusals(t *testing.T) {
	base := func() *budgets.PB {
		return &budgets.PB{
			Meta:     budgets.Meta{NumProjects: 1, NumVotes: 1, Budget: 10, VoteType: "approval"},
			Projects: []budgets.PBProject{{ID: "a", Cost: 5}},
			Votes:    []budgets.PBVote{{VoterID: "1", Vote: []string{"a"}}},
		}
	}
	for _, c := range []struct {
		name   string
		change func(*budgets.PB)
		says   string
	}{
		{"line break", func(pb *budgets.PB) { pb.Meta.Description = "a\nb" }, "line break"},
		{"comma in id", func(pb *budgets.PB) { pb.Projects[0].ID = "a,b" }, "contains a comma"},
		{"missing cell", func(pb *budgets.PB) { pb.ProjectColumns = []string{"project_id", "cost", "name"} }, `has no value for column "name"`},
		{"column twice", func(pb *budgets.PB) { pb.VoteColumns = []string{"x", "x"} }, `column "x" is empty or named twice`},
	} {
		pb := base()
		c.change(pb)
		if err := budgets.WritePB(&bytes.Buffer{}, pb); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want %q", c.name, err, c.says)
		}
	}
	if err := budgets.WritePB(&bytes.Buffer{}, base()); err != nil {
		t.Fatal(err)
	}
}

// A computed budget exported, written, read back and computed again
// gives the same result; selected marks what was funded.
func TestExportPB(t *testing.T) {
	e := wieliczkaExample()
	e.Ballots[0].Weight = 3 // two more voters with the same ballot
	for _, r := range []budgets.Rule{budgets.Greedy, budgets.EqualShares} {
		res := mustCompute(t, e, r, budgets.Options{})
		pb, err := budgets.ExportPB(budgets.Meta{Description: "Wieliczka", Country: "Poland", Unit: "Wieliczka", Instance: "2020", Currency: "PLN"}, e, res, "Wieliczka")
		if err != nil {
			t.Fatal(err)
		}
		if pb.Meta.NumVotes != 12 || pb.Meta.NumProjects != 5 || pb.Meta.Budget != 2500 {
			t.Fatalf("%s: meta %+v", r, pb.Meta)
		}
		var buf bytes.Buffer
		if err := budgets.WritePB(&buf, pb); err != nil {
			t.Fatal(err)
		}
		back, err := budgets.ParsePB(&buf, budgets.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		e2, r2, err := back.Election("Wieliczka")
		if err != nil || r2 != r {
			t.Fatalf("%s: read back as %s: %v", r, r2, err)
		}
		res2 := mustCompute(t, e2, r2, budgets.Options{})
		if !reflect.DeepEqual(res, res2) {
			t.Fatalf("%s: recomputed %+v\nwant %+v", r, res2, res)
		}
		for _, p := range back.Projects {
			want := "0"
			if slices.Contains(res.Headings[0].Funded, p.ID) {
				want = "1"
			}
			if p.Fields["selected"] != want {
				t.Fatalf("%s: project %s selected %q, want %q", r, p.ID, p.Fields["selected"], want)
			}
		}
	}
	if _, err := budgets.ExportPB(budgets.Meta{}, e, mustCompute(t, e, budgets.Greedy, budgets.Options{}), "nowhere"); !errors.Is(err, budgets.ErrInvalid) {
		t.Fatalf("unknown heading: %v", err)
	}
}
