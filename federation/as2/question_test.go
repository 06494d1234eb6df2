package as2

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"agora/instances/decisions"
)

func testVote(m decisions.Method) *decisions.Vote {
	return &decisions.Vote{
		ID: "v0t3pl4c3", SpaceID: "sp1", Question: "Quel aménagement pour la place Violet ?",
		Description: "La place sera refaite en 2027.\n\nChoisissez <vraiment>.", Method: m,
		Options: []decisions.Option{{Key: "a", Label: "Des arbres"}, {Key: "b", Label: "Des bancs"}, {Key: "c", Label: "Une fontaine & des jeux"}},
		OpensAt: at("2026-12-08T08:00:00Z"), ClosesAt: at("2026-12-15T18:00:00Z"),
		CreatedAt: at("2026-12-01T09:00:00Z"), UpdatedAt: at("2026-12-01T09:00:00Z"),
	}
}

// pollDocs are the vote Questions of testdata/polls/golden_*.json.
func pollDocs() map[string]*Doc {
	r := testRenderer()
	sp := testSpace()
	open := r.VoteQuestion(QuestionInput{Vote: testVote(decisions.Single), Space: sp,
		Opinion: &decisions.Opinion{Counts: []int64{3, 1, 0}, Voters: 4}})
	closed := testVote(decisions.Approval)
	closed.ClosedAt, closed.UpdatedAt = ptr(at("2026-12-15T18:00:30Z")), at("2026-12-15T18:00:30Z")
	tally := &decisions.Tally{Electorate: 120, Result: decisions.Result{Method: decisions.Approval, Ballots: 30, Weight: 30,
		Totals: []decisions.OptionTotal{{Key: "a", Votes: 12}, {Key: "b", Votes: 20}, {Key: "c", Votes: 5}},
		Order:  []string{"b", "a", "c"}, Tied: []bool{false, false, false}}}
	final := r.VoteQuestion(QuestionInput{Vote: closed, Space: sp, Opinion: &decisions.Opinion{Counts: []int64{7, 2, 9}, Voters: 11}, Tally: tally})
	group := r.IDs.Space(sp.Slug)
	return map[string]*Doc{
		"question_open":   open,
		"question_closed": final,
		"create_question": Create(r.IDs.Activity("ev-7"), group, open, []string{Public}, []string{Followers(group)}),
		"update_question": Update(r.IDs.Activity("ev-8"), group, final, []string{Public}, []string{Followers(group)}),
	}
}

// TestPollGolden compares the vote Questions with their golden files in
// testdata/polls (go test -update rewrites them, as TestGolden does).
func TestPollGolden(t *testing.T) {
	for name, d := range pollDocs() {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join("testdata/polls", "golden_"+name+".json")
			got := decode(t, d)
			if *update {
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(got); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			var golden any
			if err := json.Unmarshal(b, &golden); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(plain(t, got), golden) {
				out, _ := json.MarshalIndent(got, "", "  ")
				t.Errorf("differs from %s (go test -update rewrites it):\n%s", file, out)
			}
			roundTrip(t, got)
		})
	}
}

// What the Question promises: oneOf for a single choice and anyOf for
// every other method; only the fediverse's counts in the options and
// votersCount; the binding result in content and as an attachment once
// counted; escaped text.
func TestVoteQuestion(t *testing.T) {
	r := testRenderer()
	for _, m := range decisions.Methods {
		v := testVote(m)
		got := decode(t, r.VoteQuestion(QuestionInput{Vote: v, Space: testSpace(), Opinion: &decisions.Opinion{Counts: []int64{1, 2, 3}, Voters: 5}}))
		want, other := "anyOf", "oneOf"
		if m == decisions.Single {
			want, other = "oneOf", "anyOf"
		}
		opts, _ := got[want].([]any)
		if len(opts) != 3 || got[other] != nil || got["type"] != "Question" || got["votersCount"] != 5.0 || got["endTime"] != "2026-12-15T18:00:00Z" ||
			got["closed"] != nil || got[TermResults] != nil || got["id"] != "https://paris15.example/votes/v0t3pl4c3" {
			t.Errorf("%s: %v", m, got)
			continue
		}
		third := opts[2].(map[string]any)
		if third["name"] != "Une fontaine & des jeux" || third["replies"].(map[string]any)["totalItems"] != 3.0 {
			t.Errorf("%s: option %v", m, third)
		}
		content := got["content"].(string)
		if !strings.Contains(content, "Choisissez &lt;vraiment&gt;.") || strings.Contains(content, "<vraiment>") || got["summary"] != nil {
			t.Errorf("%s: content %q, summary %v", m, content, got["summary"])
		}
	}
	// No opinion yet: zero counts, never a missing option.
	got := decode(t, r.VoteQuestion(QuestionInput{Vote: testVote(decisions.Single), Space: testSpace()}))
	if opts := got["oneOf"].([]any); len(opts) != 3 || got["votersCount"] != 0.0 {
		t.Errorf("without opinion: %v", got)
	}
	// Closed: binding result in content, results attached, counts still
	// the fediverse's.
	final := decode(t, pollDocs()["question_closed"])
	content := final["content"].(string)
	if !strings.Contains(content, "Résultat officiel : Des bancs (20), Des arbres (12), Une fontaine &amp; des jeux (5). 30 votes de résidents, 120 inscrits.") ||
		final["closed"] != "2026-12-15T18:00:00Z" || final[TermResults] != "https://paris15.example/votes/v0t3pl4c3/results.json" ||
		final["anyOf"].([]any)[1].(map[string]any)["replies"].(map[string]any)["totalItems"] != 2.0 || final["votersCount"] != 11.0 {
		t.Errorf("closed: %v", final)
	}
}

// A ranked vote's result is its order; a result short of its quorum
// says that it does not stand.
func TestBindingLine(t *testing.T) {
	r := testRenderer()
	v := testVote(decisions.Ranked)
	v.ClosedAt = ptr(at("2026-12-15T18:00:30Z"))
	tally := &decisions.Tally{Electorate: 120, Result: decisions.Result{Method: decisions.Ranked, Ballots: 9, Weight: 9, Quorum: 20,
		Order: []string{"c", "a", "b"}}}
	got := decode(t, r.VoteQuestion(QuestionInput{Vote: v, Space: testSpace(), Tally: tally}))["content"].(string)
	if !strings.Contains(got, "Résultat officiel : Une fontaine &amp; des jeux &gt; Des arbres &gt; Des bancs. 9 votes de résidents, 120 inscrits. Quorum non atteint (20 voix requises)") {
		t.Errorf("ranked, not quorate: %s", got)
	}
	en := Renderer{IDs: r.IDs, Lang: "en"}
	if got := decode(t, en.VoteQuestion(QuestionInput{Vote: v, Space: testSpace()}))["content"].(string); !strings.Contains(got, "Vote closed, counting.") {
		t.Errorf("closed, not counted, in English: %s", got)
	}
}

func readPoll(t *testing.T, name string) *Activity {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/polls", name))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReadPollAnswer(t *testing.T) {
	ans, ok, err := ReadPollAnswer(readPoll(t, "mastodon_create_vote.json"))
	if err != nil || !ok || ans != (PollAnswer{ID: "https://mastodon.example/users/ada#votes/4021", Actor: "https://mastodon.example/users/ada",
		Question: "https://paris15.example/votes/v0t3pl4c3", Name: "Des arbres"}) {
		t.Errorf("Mastodon's vote: %+v %v %v", ans, ok, err)
	}
	if _, ok, err := ReadPollAnswer(readPoll(t, "mastodon_create_reply.json")); ok || err != nil {
		t.Errorf("a reply with content read as an answer: %v %v", ok, err)
	}
	if _, _, err := ReadPollAnswer(readPoll(t, "misskey_create_vote_other.json")); !errors.Is(err, ErrMalformed) {
		t.Errorf("an answer in another's name: %v", err)
	}
	long := readPoll(t, "mastodon_create_vote.json")
	long.Raw["object"].(map[string]any)["name"] = strings.Repeat("é", MaxAnswerName)
	if _, _, err := ReadPollAnswer(long); !errors.Is(err, ErrMalformed) {
		t.Errorf("a name of %d bytes: %v", 2*MaxAnswerName, err)
	}
	like := readPoll(t, "mastodon_create_vote.json")
	like.Type = "Like"
	if _, ok, _ := ReadPollAnswer(like); ok {
		t.Error("a Like read as an answer")
	}
}

// FuzzPollAnswer: reading an answer from any activity never panics,
// refuses only as malformed, and what it accepts keeps its promises: a
// bounded UTF-8 name, an http(s) question, the activity's actor.
func FuzzPollAnswer(f *testing.F) {
	addSeeds(f, "testdata/polls")
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := Parse(body)
		if err != nil {
			return
		}
		ans, ok, err := ReadPollAnswer(a)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if !ok {
			return
		}
		if ans.Name == "" || len(ans.Name) > MaxAnswerName || !httpURL(ans.Question) || ans.Actor != a.Actor || ans.ID != a.ObjectID {
			t.Fatalf("accepted %+v from %s", ans, body)
		}
		// The domain's cleaning is total too.
		if n := decisions.CleanName(ans.Name); len(n) > len(ans.Name) {
			t.Fatalf("CleanName grew %q to %q", ans.Name, n)
		}
	})
}

// Shapes of answers other servers send: an empty content or contentMap
// is still an answer; a contentMap with text is a reply.
func TestReadPollAnswerShapes(t *testing.T) {
	for _, tc := range []struct {
		extra map[string]any
		want  bool
	}{
		{map[string]any{"content": ""}, true},
		{map[string]any{"contentMap": map[string]any{}}, true},
		{map[string]any{"content": nil, "contentMap": map[string]any{"fr": ""}}, true},
		{map[string]any{"contentMap": map[string]any{"fr": "<p>Des arbres</p>"}}, false},
		{map[string]any{"name": ""}, false},
		{map[string]any{"name": 42.0}, false},
		{map[string]any{"type": "Question"}, false},
	} {
		a := readPoll(t, "mastodon_create_vote.json")
		o := a.Raw["object"].(map[string]any)
		for k, v := range tc.extra {
			o[k] = v
		}
		if s, ok := tc.extra["type"].(string); ok {
			a.Object.Type = s
		}
		if _, ok, err := ReadPollAnswer(a); ok != tc.want || err != nil {
			t.Errorf("%v: answer %v, %v; want %v", tc.extra, ok, err, tc.want)
		}
	}
}
