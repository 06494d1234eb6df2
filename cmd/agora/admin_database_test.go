package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"agora/storage/storagetest"
)

// migrateUp creates and migrates the database env points at, as a first
// agora serve would: admin commands never create one.
func migrateUp(t *testing.T, env map[string]string) {
	t.Helper()
	if code, _, errOut := runCmd(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate up: %s", errOut)
	}
}

// adminOnDatabase lists one run of every admin command that opens the
// database, with arguments it would accept.
func adminOnDatabase(dir string) [][]string {
	yml := filepath.Join(dir, "publiccode.yml")
	os.WriteFile(yml, []byte(testPublicCode), 0o600)
	return [][]string{
		{"admin", "check"},
		{"admin", "backup", "--to", filepath.Join(dir, "copy.db")},
		{"admin", "create-user", "--handle", "camille"},
		{"admin", "login-link", "--handle", "demo_admin"},
		{"admin", "set-role", "--handle", "camille", "--role", "agent"},
		{"admin", "create-space", "--slug", "budget", "--title", "Budget"},
		{"admin", "demo"},
		{"admin", "seed", "--scale", "0.0001"},
		{"admin", "apps", "import", yml},
	}
}

// An admin command run from the wrong folder, or with the wrong settings,
// creates nothing: it names the database it looked at and how to point
// at the right one.
func TestAdminNeverCreatesADatabase(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		missingDir := filepath.Join(dir, "data")
		missingFile := filepath.Join(dir, "elsewhere", "agora.db")
		empty := filepath.Join(dir, "empty.db")
		if err := os.WriteFile(empty, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, where, reason string
			env                 map[string]string
		}{
			{"no data directory", filepath.Join(missingDir, "agora.db"), "no database at", map[string]string{"AGORA_DATA_DIR": missingDir}},
			{"no SQLite file", missingFile, "no database at", map[string]string{"AGORA_DATA_DIR": missingDir, "AGORA_DATABASE_URL": "sqlite:" + missingFile}},
			{"a file that is not a node", empty, "no Agora node in the database at", map[string]string{"AGORA_DATA_DIR": missingDir, "AGORA_DATABASE_URL": "sqlite:" + empty}},
		}
		if dialect == "postgres" {
			url := storagetest.DatabaseURL(t, dialect)
			cases = []struct {
				name, where, reason string
				env                 map[string]string
			}{{"an empty PostgreSQL database", "PostgreSQL ", "no Agora node in the database at", map[string]string{"AGORA_DATA_DIR": missingDir, "AGORA_DATABASE_URL": url}}}
		}
		for _, c := range cases {
			for _, args := range adminOnDatabase(dir) {
				t.Run(c.name+"/"+strings.Join(args[:2], " "), func(t *testing.T) {
					code, out, errOut := runCmd(t, c.env, args...)
					if code != 1 {
						t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
					}
					for _, want := range []string{c.reason + " " + c.where, "admin commands never create a database",
						"--data-dir (AGORA_DATA_DIR)", "--database-url (AGORA_DATABASE_URL)"} {
						if !strings.Contains(errOut, want) {
							t.Errorf("stderr lacks %q:\n%s", want, errOut)
						}
					}
					for _, p := range []string{missingDir, missingFile, filepath.Dir(missingFile), filepath.Join(dir, "copy.db")} {
						if _, err := os.Stat(p); err == nil {
							t.Errorf("%s was created", p)
						}
					}
				})
			}
		}
		if dialect == "postgres" {
			// The database stays empty: no table was created.
			env := map[string]string{"AGORA_DATA_DIR": t.TempDir(), "AGORA_DATABASE_URL": cases[0].env["AGORA_DATABASE_URL"]}
			if _, out, _ := runCmd(t, env, "migrate", "status"); regexp.MustCompile(`\bapplied\b`).MatchString(out) {
				t.Errorf("a migration was applied by a refused command:\n%s", out)
			}
		}
	})
}

// The newcomer's case: in another folder, with no settings, the command
// looks for ./data/agora.db, says so in full, and leaves no ./data behind.
func TestAdminFromAnotherFolder(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, _, errOut := runCmd(t, nil, "admin", "login-link", "--handle", "demo_admin")
	if code != 1 || !strings.Contains(errOut, "no database at "+filepath.Join(dir, "data", "agora.db")) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Error("./data was created")
	}
}

// Each admin command's --help lists its own flags and where the data is,
// not the server's settings.
func TestAdminHelpListsItsOwnFlags(t *testing.T) {
	// Command groups are tried through one of their commands.
	groups := map[string]string{"apps": "import", "budget": "import", "open311": "create-key", "decisions": "verify", "mail": "bounce"}
	var cmds [][]string
	for _, c := range adminCommands() {
		if sub, ok := groups[c.name]; ok {
			cmds = append(cmds, []string{"admin", c.name, sub})
		} else {
			cmds = append(cmds, []string{"admin", c.name})
		}
	}
	for _, args := range cmds {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runCmd(t, nil, append(args, "--help")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			help := out + errOut
			for _, server := range []string{"-addr", "-log-level", "-log-format", "-page-cache", "-trusted-proxies",
				"-node-name", "-timezone", "-attachment-quota", "-federation-authorized-fetch", "-federation-allowlist"} {
				if strings.Contains(help, "  "+server+" ") {
					t.Errorf("--help lists the server flag %s:\n%s", server, help)
				}
			}
			// census-hash and decisions verify work without a node.
			if args[1] != "census-hash" && args[1] != "decisions" && !strings.Contains(help, "  -data-dir ") {
				t.Errorf("--help does not say where the data is:\n%s", help)
			}
		})
	}
	code, _, errOut := runCmd(t, nil, "admin", "create-user", "--help")
	if code != 0 || !strings.Contains(errOut, "  -handle ") || !strings.Contains(errOut, "  -verified") {
		t.Errorf("create-user --help lacks its own flags:\n%s", errOut)
	}
}

// serve with the base URL left at its default follows the port it listens
// on, and admin commands run afterwards without settings print links to
// that port; a base URL set on this machine with another port is kept,
// with a warning.
func TestServeBaseURLFollowsTheAddress(t *testing.T) {
	dataDir := t.TempDir()
	h := startHelper(t, "AGORA_DATA_DIR="+dataDir)
	_, port, _ := strings.Cut(h.addr, ":")
	want := "http://localhost:" + port
	if !strings.Contains(h.log(), "url="+want+" ") {
		t.Errorf("serve logs another URL than %s:\n%s", want, h.log())
	}
	env := map[string]string{"AGORA_DATA_DIR": dataDir}
	if code, _, errOut := runCmd(t, env, "admin", "create-user", "--handle", "camille"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCmd(t, env, "admin", "login-link", "--handle", "camille")
	if code != 0 || !strings.Contains(out, "\n"+want+"/login/link/") {
		t.Errorf("login link does not follow the served port %s: %d %s%s", port, code, out, errOut)
	}
	env["AGORA_BASE_URL"] = "https://agora.example.org"
	if _, out, _ := runCmd(t, env, "admin", "login-link", "--handle", "camille"); !strings.Contains(out, "\nhttps://agora.example.org/login/link/") {
		t.Errorf("a base URL given to the command is not used: %s", out)
	}

	h2 := startHelper(t, "AGORA_DATA_DIR="+t.TempDir(), "AGORA_BASE_URL=http://localhost:1")
	if !strings.Contains(h2.log(), "level=WARN msg=\"the base URL names another port") {
		t.Errorf("no warning for a base URL on another port:\n%s", h2.log())
	}
	h3 := startHelper(t, "AGORA_DATA_DIR="+t.TempDir(), "AGORA_BASE_URL=https://agora.example.org")
	if strings.Contains(h3.log(), "WARN") {
		t.Errorf("a public base URL behind a proxy is warned about:\n%s", h3.log())
	}
}

func TestPortMismatch(t *testing.T) {
	for _, tc := range []struct {
		base string
		want bool
	}{
		{"http://localhost:8091", false},
		{"http://localhost:8080", true},
		{"http://localhost", true}, // port 80
		{"http://[::1]:8080", true},
		{"https://participation.example.org", false},
		{"https://participation.example.org:8091", false},
		{"http://agora.lan:8080", true},
	} {
		u, err := url.Parse(tc.base)
		if err != nil {
			t.Fatal(err)
		}
		if got := portMismatch(u, "8091"); got != tc.want {
			t.Errorf("portMismatch(%s, 8091) = %v, want %v", tc.base, got, tc.want)
		}
	}
}
