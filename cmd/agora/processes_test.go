package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/markup"
	"agora/instances/spaces"
)

// One decision across three real nodes on loopback: a coordinates a
// ranked vote run by a, b and c; a and b vote; c does not answer (it is
// down when the parts are collected) and is shown missing; the aggregate
// merges a's and b's parts, and verify fetches both parts again, checks
// their signatures and recounts, and refuses a changed aggregate.
func TestDecisionAcrossNodes(t *testing.T) {
	dialectB := "sqlite"
	if os.Getenv("AGORA_TEST_POSTGRES_URL") != "" || os.Getenv("AGORA_TEST_REQUIRE") != "" {
		dialectB = "postgres"
	}
	a, b, c := newFedNode(t, "Paris 15e", "sqlite"), newFedNode(t, "Paris 14e", dialectB), newFedNode(t, "Paris 13e", "sqlite")
	nodes := []*fedNode{a, b, c}
	for _, n := range nodes {
		n.admin(t, "create-space", "--slug", "conseil", "--title", "Conseil de quartier")
		n.admin(t, "create-user", "--handle", "claire", "--role", "admin")
		for _, h := range []string{"r1", "r2", "r3"} {
			n.admin(t, "create-user", "--handle", h, "--verified")
		}
		n.start(t)
	}

	closes := time.Now().Add(12 * time.Second)
	out := a.admin(t, "decisions", "coordinate", "--by", "claire", "--question", "Quel nom pour la place ?", "--method", "ranked",
		"--option", "olympe=Olympe de Gouges", "--option", "louise=Louise Michel", "--option", "simone=Simone Veil",
		"--closes", closes.UTC().Format(time.RFC3339Nano), "--deadline", closes.Add(4*time.Second).UTC().Format(time.RFC3339Nano),
		"--participant", a.base, "--participant", b.base, "--participant", c.base, "--space", "conseil")
	process := regexp.MustCompile(`process published: (\S+)`).FindStringSubmatch(out)
	if process == nil {
		t.Fatalf("coordinate: %s", out)
	}
	processURL := process[1]
	voteRE := regexp.MustCompile(`vote \S+/votes/([^\s,]+)`)
	votes := map[*fedNode]string{a: voteRE.FindStringSubmatch(out)[1]}
	for _, n := range []*fedNode{b, c} {
		out := n.admin(t, "decisions", "join", "--by", "claire", "--space", "conseil", processURL)
		votes[n] = voteRE.FindStringSubmatch(out)[1]
	}
	// Joining twice is refused.
	if code, _, stderr := runCmd(t, b.env, "admin", "decisions", "join", "--by", "claire", "--space", "conseil", processURL); code == 0 ||
		!strings.Contains(stderr, decisions.ErrJoined.Error()) {
		t.Errorf("second join: exit %d, %s", code, stderr)
	}

	// The coordinator serves the process; a node answers for its part
	// only after closing, and only for a process it runs.
	var served decisions.Process
	if err := json.Unmarshal([]byte(a.get(t, http.DefaultClient, strings.TrimPrefix(processURL, a.base))), &served); err != nil ||
		served.ID != processURL || len(served.Participants) != 3 {
		t.Fatalf("process: %+v %v", served, err)
	}
	for _, tc := range []struct {
		process string
		want    int
	}{{processURL, http.StatusConflict}, {processURL + "x", http.StatusNotFound}} {
		resp, err := http.Get(b.base + "/processes/part?process=" + url.QueryEscape(tc.process))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("part of %s: %d, want %d", tc.process, resp.StatusCode, tc.want)
		}
	}

	// Ballots: on a, olympe > louise twice and simone once; on b, louise
	// first three times; on c, simone (c will not answer).
	ballots := map[*fedNode][][]string{
		a: {{"olympe", "louise"}, {"olympe", "louise", "simone"}, {"simone"}},
		b: {{"louise", "olympe"}, {"louise"}, {"louise", "simone"}},
		c: {{"simone"}},
	}
	for n, bs := range ballots {
		acc := accounts.NewService(n.db, nil)
		svc := decisions.NewService(n.db, acc, spaces.NewService(n.db, markup.New(), nil), nil)
		for i, ranking := range bs {
			who, err := acc.ByHandle(context.Background(), []string{"r1", "r2", "r3"}[i])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Cast(context.Background(), accounts.As(who), votes[n], decisions.Choice{Ranking: ranking}, false); err != nil {
				t.Fatalf("%s: cast: %v", n.name, err)
			}
		}
	}
	c.kill(t)
	time.Sleep(time.Until(closes) + 200*time.Millisecond)

	// Before the deadline: a's and b's parts are counted, c's missing,
	// no aggregate yet (serve may have collected first: either is fine).
	a.admin(t, "decisions", "collect")
	if got := a.count(t, "decision_process_parts", "status = ?", decisions.PartCounted); got != 2 {
		t.Fatalf("counted parts before the deadline: %d, want 2", got)
	}
	aggURL := processURL + "/aggregate.json"
	if resp, err := http.Get(aggURL); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("aggregate before the deadline: %v %v", resp.Status, err)
	}
	time.Sleep(time.Until(closes.Add(4*time.Second)) + 200*time.Millisecond)
	a.admin(t, "decisions", "collect")

	body := a.get(t, http.DefaultClient, strings.TrimPrefix(aggURL, a.base))
	var agg decisions.Aggregate
	if err := json.Unmarshal([]byte(body), &agg); err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for _, p := range agg.Parts {
		statuses[p.Node] = p.Status
	}
	if statuses[a.base] != decisions.PartCounted || statuses[b.base] != decisions.PartCounted || statuses[c.base] != decisions.PartMissing ||
		!slices.Equal(agg.Missing, []string{c.base}) {
		t.Fatalf("parts %v, missing %v", statuses, agg.Missing)
	}
	// The merged count is the count of the six ballots together (the
	// electorate: three verified residents on each node counted).
	all := decisions.NewCounter(agg.Process.Spec)
	for _, n := range []*fedNode{a, b} {
		for _, ranking := range ballots[n] {
			marks, err := agg.Process.Spec.Marks(decisions.Choice{Ranking: ranking})
			if err != nil {
				t.Fatal(err)
			}
			all.Add(marks, 1, 0)
		}
	}
	want := all.Result()
	if !slices.Equal(agg.Result.Order, want.Order) || !reflect.DeepEqual(agg.Result.Pairwise, want.Pairwise) || agg.Result.Ballots != 6 || agg.Electorate != 2*3 {
		t.Errorf("aggregate order %v, %d ballots, electorate %d; want %v, 6, 6", agg.Result.Order, agg.Result.Ballots, agg.Electorate, want.Order)
	}

	// verify fetches the parts again and recounts.
	code, stdout, stderr := runCmd(t, nil, "admin", "decisions", "verify", "--allow-private", aggURL)
	if code != 0 || !strings.Contains(stdout, "ok:") || !strings.Contains(stdout, "1 missing: "+c.base) ||
		!strings.Contains(stdout, "part "+b.base+": counted") {
		t.Fatalf("verify: exit %d\n%s%s", code, stdout, stderr)
	}
	// Without --allow-private, loopback parts are not fetched.
	if code, _, stderr := runCmd(t, nil, "admin", "decisions", "verify", aggURL); code == 0 {
		t.Errorf("verify without --allow-private: exit 0, %s", stderr)
	}
	// c comes back: verify notes that it serves a valid part now, which
	// the aggregate, made without it, does not count.
	c.start(t)
	code, stdout, stderr = runCmd(t, nil, "admin", "decisions", "verify", "--allow-private", aggURL)
	if code != 0 || !strings.Contains(stdout, "note: "+c.base+" serves a valid part now") {
		t.Errorf("verify with c back: exit %d\n%s%s", code, stdout, stderr)
	}
	// A changed aggregate is refused.
	tampered := strings.Replace(body, `"ballots":6`, `"ballots":7`, 1)
	file := filepath.Join(t.TempDir(), "aggregate.json")
	os.WriteFile(file, []byte(tampered), 0o600)
	if code, _, stderr := runCmd(t, nil, "admin", "decisions", "verify", "--allow-private", file); code == 0 ||
		!strings.Contains(stderr, "not what its parts give") {
		t.Errorf("verify a changed aggregate: exit %d, %s", code, stderr)
	}
}
