package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agora/instances/decisions"
)

// verify recomputes a published document from a file or a URL, and
// fails on one that was changed.
func TestAdminDecisionsVerify(t *testing.T) {
	p := &decisions.Published{Format: decisions.Format, Question: "Quel nom pour la place ?",
		Spec: decisions.Spec{VoteID: "v1", Method: decisions.Approval,
			Options: []decisions.Option{{Key: "a", Label: "Olympe"}, {Key: "b", Label: "Louise"}}},
		Electorate: 10,
		Ballots: []decisions.PublishedBallot{
			{Receipt: "AAAA", Choice: decisions.Choice{Options: []string{"a"}}, Weight: 1},
			{Receipt: "BBBB", Choice: decisions.Choice{Options: []string{"a", "b"}}, Weight: 3, Delegated: 2, Delegate: "marie"},
		}}
	res, err := decisions.Recompute(p)
	if err != nil {
		t.Fatal(err)
	}
	p.Result = res
	good, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), `"options":["a","b"]`, `"options":["b"]`, 1)
	dir := t.TempDir()
	goodFile, badFile := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
	os.WriteFile(goodFile, good, 0o600)
	os.WriteFile(badFile, []byte(bad), 0o600)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/results.json" {
			http.NotFound(w, r)
			return
		}
		w.Write(good)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		src  string
		code int
		want string
	}{
		{goodFile, 0, "ok: \"Quel nom pour la place ?\", 2 ballots weighing 4 (2 through delegation, 0 lost), 10 in the electorate; order: a > b"},
		{srv.URL + "/results.json", 0, "ok:"},
		{badFile, 1, "not what the published ballots give"},
		{srv.URL + "/missing", 1, "404"},
		{filepath.Join(dir, "none.json"), 1, "no such file"},
	} {
		code, out, errOut := runCmd(t, nil, "admin", "decisions", "verify", tc.src)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("verify %s: exit %d, %q %q; want %d and %q", tc.src, code, out, errOut, tc.code, tc.want)
		}
	}
}
