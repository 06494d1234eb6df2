package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/storage/storagetest"
)

// An operator bootstraps a node from the command line: the first admin,
// a role, and a sign-in link that really signs in, once.
func TestAdminAccountCommands(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		dataDir := t.TempDir()
		dbURL := storagetest.DatabaseURL(t, dialect)
		env := map[string]string{"AGORA_DATA_DIR": dataDir, "AGORA_DATABASE_URL": dbURL}
		migrateUp(t, env)

		code, out, errOut := runCmd(t, env, "admin", "create-user", "--handle", "camille", "--display-name", "Camille D.", "--role", "admin", "--role", "agent", "--verified")
		if code != 0 || !strings.HasPrefix(out, "created @camille") {
			t.Fatalf("create-user: %d %q %s", code, out, errOut)
		}
		for _, tc := range []struct {
			args []string
			code int
			want string
		}{
			{[]string{"admin", "create-user", "--handle", "camille"}, 1, "this handle is taken"},
			{[]string{"admin", "create-user", "--handle", "Bad Handle!"}, 1, "a handle is 1 to 30"},
			{[]string{"admin", "create-user", "--handle", "x", "--role", "mayor"}, 2, `unknown role: "mayor"`},
			{[]string{"admin", "create-user"}, 2, "needs --handle"},
			{[]string{"admin", "login-link", "--handle", "nobody"}, 1, `no account with handle "nobody"`},
			{[]string{"admin", "set-role", "--handle", "nobody", "--role", "agent"}, 1, `no account with handle "nobody"`},
			{[]string{"admin", "set-role", "--handle", "camille", "--role", "king"}, 1, `unknown role: "king"`},
			{[]string{"admin", "set-role", "--handle", "camille", "--role", "moderator"}, 0, "granted moderator: @camille"},
			{[]string{"admin", "set-role", "--handle", "camille", "--role", "moderator", "--remove"}, 0, "removed moderator: @camille"},
			{[]string{"admin", "districts", "Necker", "Necker"}, 1, "a district name is 1 to 80"},
			{[]string{"admin", "districts", "--clear", "Necker"}, 2, "--clear takes no names"},
			{[]string{"admin", "districts", "Necker", "Grenelle"}, 0, "Necker\nGrenelle\n"},
			{[]string{"admin", "districts"}, 0, "Necker\nGrenelle\n"},
			{[]string{"admin", "create-user", "--handle", "lea", "--district", "Necker"}, 2, "go with --verified"},
			{[]string{"admin", "create-user", "--handle", "lea", "--verified", "--district", "Javel"}, 1, "not one of the node's"},
			{[]string{"admin", "create-user", "--handle", "lea", "--verified", "--birth-date", "2001-02-30"}, 1, "not a real date"},
			{[]string{"admin", "create-user", "--handle", "lea", "--verified", "--birth-date", "2001-02-03", "--district", "Grenelle"}, 0, "created @lea"},
		} {
			code, out, errOut := runCmd(t, env, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Errorf("%v: exit %d %q %q, want %d and %q", tc.args, code, out, errOut, tc.code, tc.want)
			}
		}

		code, out, errOut = runCmd(t, env, "admin", "login-link", "--handle", "camille")
		if code != 0 {
			t.Fatalf("login-link: %s", errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		link, err := url.Parse(lines[len(lines)-1])
		if err != nil || !strings.HasPrefix(link.Path, "/login/link/") {
			t.Fatalf("last line is not a sign-in URL: %q", out)
		}

		h := startHelper(t, "AGORA_DATA_DIR="+dataDir, "AGORA_DATABASE_URL="+dbURL)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		// Opening the printed URL signs in, as a person (or a scripted
		// browser) opening it would.
		open := func() *http.Response {
			resp, err := client.Get("http://" + h.addr + link.Path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		resp := open()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
			t.Fatalf("using the link: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "agora_session" && c.Value != "" {
				session = c
			}
		}
		if session == nil {
			t.Fatal("no session cookie after the link")
		}
		req, _ := http.NewRequest("GET", "http://"+h.addr+"/account", nil)
		req.AddCookie(session)
		acc, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		acc.Body.Close()
		if acc.StatusCode != http.StatusOK {
			t.Fatalf("/account with the new session: %d", acc.StatusCode)
		}
		if again := open(); again.StatusCode != http.StatusBadRequest {
			t.Fatalf("link used twice: %d", again.StatusCode)
		}

	})
}

func TestCensusHashCommand(t *testing.T) {
	dir := t.TempDir()
	salt := filepath.Join(dir, "salt")
	os.WriteFile(salt, []byte("a-secret-salt-of-the-city\n"), 0o600)
	in := filepath.Join(dir, "census.csv")
	os.WriteFile(in, []byte("family_name,given_name,birth_date,postal_code\nDupont-Lefèvre,Élodie,1984-03-07,75015\n"), 0o600)
	out := filepath.Join(dir, "hashes.csv")
	if code, _, errOut := runCmd(t, nil, "admin", "census-hash", "--salt-file", salt, "--in", in, "--out", out); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(out)
	want, _ := accounts.CensusHash("a-secret-salt-of-the-city", accounts.Identity{FamilyName: "DUPONT LEFEVRE", GivenName: "elodie", BirthDate: "07/03/1984", PostalCode: "75015"})
	if string(b) != "hash\n"+want+"\n" {
		t.Fatalf("output %q, want the hash %s", b, want)
	}
	os.WriteFile(in, []byte("family_name,given_name,birth_date,postal_code\nDupont,,1984-03-07,75015\n"), 0o600)
	if code, _, errOut := runCmd(t, nil, "admin", "census-hash", "--salt-file", salt, "--in", in, "--out", out); code != 1 || !strings.Contains(errOut, "line 2") {
		t.Fatalf("bad line: %d %s", code, errOut)
	}
}
