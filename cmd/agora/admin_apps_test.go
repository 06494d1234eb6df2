package main

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"agora/storage/storagetest"
)

// testPublicCode is a valid publiccode.yml; broken, the same with three
// problems (lines 8, 9 and 20).
const testPublicCode = `publiccodeYmlVersion: "0.4"
name: Inscriptions scolaires
url: "https://git.example.org/villes/inscriptions.git"
platforms:
  - web
categories:
  - digital-citizenship
developmentStatus: stable
softwareType: standalone/web
description:
  fr:
    shortDescription: Inscriptions scolaires en ligne pour les familles.
    longDescription: >
      Un portail où les familles inscrivent leurs enfants à l’école, à la cantine
      et au centre de loisirs, suivent leur dossier et reçoivent les réponses de
      la mairie ; les agents instruisent les demandes depuis le même outil.
    features:
      - Inscription à l’école
legal:
  license: AGPL-3.0-or-later
maintenance:
  type: internal
  contacts:
    - name: Service numérique
localisation:
  localisationReady: true
  availableLanguages:
    - fr
`

var testPublicCodeBroken = strings.NewReplacer("developmentStatus: stable", "developmentStatus: mature",
	"softwareType: standalone/web", "softwareType: website", "license: AGPL-3.0-or-later", "license: AGPL-4.0").Replace(testPublicCode)

// An operator publishes an app from a file or a URL; a file that does
// not pass prints each problem as path:line: message and publishes
// nothing; a URL to the node's own network is refused.
func TestAdminAppsImport(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		env := map[string]string{"AGORA_DATA_DIR": dir, "AGORA_DATABASE_URL": storagetest.DatabaseURL(t, dialect),
			"AGORA_BASE_URL": "https://agora.example"}
		migrateUp(t, env)
		good, bad := filepath.Join(dir, "publiccode.yml"), filepath.Join(dir, "broken.yml")
		os.WriteFile(good, []byte(testPublicCode), 0o600)
		os.WriteFile(bad, []byte(testPublicCodeBroken), 0o600)

		code, out, errOut := runCmd(t, env, "admin", "apps", "import", bad)
		if code != 1 {
			t.Fatalf("broken file: exit %d\n%s%s", code, out, errOut)
		}
		for _, want := range []string{
			`developmentStatus:8: "mature" is not one of`, `softwareType:9: "website" is not one of`,
			"legal.license:20: invalid SPDX licence expression", "3 problem(s), nothing was published",
		} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}

		code, out, errOut = runCmd(t, env, "admin", "apps", "import", good)
		if code != 0 || strings.TrimSpace(out) != "published Inscriptions scolaires: https://agora.example/apps/inscriptions-scolaires" {
			t.Fatalf("good file: exit %d %q %s", code, out, errOut)
		}
		// Again: the repository is in the catalogue already.
		if code, _, errOut := runCmd(t, env, "admin", "apps", "import", good); code != 1 || !strings.Contains(errOut, "already in the catalogue") {
			t.Errorf("twice: exit %d %s", code, errOut)
		}
		if code, _, errOut := runCmd(t, env, "admin", "apps", "import", filepath.Join(dir, "none.yml")); code != 1 || !strings.Contains(errOut, "no such file") {
			t.Errorf("missing file: exit %d %s", code, errOut)
		}

		// From a URL on this machine: refused unless private addresses
		// are allowed, as for federation.
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("Content-Type", "application/yaml")
			w.Write([]byte(strings.NewReplacer("inscriptions", "cantine", "Inscriptions scolaires", "Cantine").Replace(testPublicCode)))
		}))
		defer srv.Close()
		code, _, errOut = runCmd(t, env, "admin", "apps", "import", srv.URL+"/publiccode.yml")
		if code != 1 || !strings.Contains(errOut, "127.0.0.1 is a private or loopback address") || hits.Load() != 0 {
			t.Errorf("loopback URL: exit %d, %d requests, %s", code, hits.Load(), errOut)
		}
		env["AGORA_FEDERATION_ALLOW_PRIVATE"] = "true"
		code, out, errOut = runCmd(t, env, "admin", "apps", "import", srv.URL+"/publiccode.yml")
		if code != 0 || !strings.Contains(out, "https://agora.example/apps/cantine") {
			t.Errorf("loopback URL allowed: exit %d %q %s", code, out, errOut)
		}
	})
}

// A hostile publiccode.yml (an alias naming the list that holds it, a
// document nested thousands deep) is refused by a real agora process
// with a clear message and exit code 1; it used to end in "fatal error:
// stack overflow", which takes the whole process down.
func TestAdminAppsImportHostileYAML(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		files := map[string]struct{ body, want string }{
			"cycle.yml":  {"publiccodeYmlVersion: \"0.4\"\na: &a [*a]\n", "(file):2: an alias names a node that contains it"},
			"mutual.yml": {"publiccodeYmlVersion: \"0.4\"\na: &a {b: &b [*a, *b]}\n", "a node that contains it"},
			"merge.yml":  {"publiccodeYmlVersion: \"0.4\"\na: &a {<<: *a}\n", "a node that contains it"},
			"deep.yml": {"publiccodeYmlVersion: \"0.4\"\nx: " + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + "\n",
				"(file):2: the document nests deeper than"},
		}
		for name, f := range files {
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, []byte(f.body), 0o600); err != nil {
					t.Fatal(err)
				}
				dbURL := storagetest.DatabaseURL(t, dialect)
				migrateUp(t, map[string]string{"AGORA_DATA_DIR": dir, "AGORA_DATABASE_URL": dbURL})
				cmd := exec.Command(os.Args[0], "admin", "apps", "import", path)
				cmd.Env = append(os.Environ(), "AGORA_TEST_HELPER=cli", "AGORA_DATA_DIR="+dir,
					"AGORA_DATABASE_URL="+dbURL, "AGORA_BASE_URL=https://agora.example")
				var stdout, stderr strings.Builder
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				code := cmd.ProcessState.ExitCode()
				if code != 1 || strings.Contains(stderr.String(), "fatal error") || strings.Contains(stderr.String(), "goroutine ") {
					t.Fatalf("exit %d (%v), want 1\nstdout: %s\nstderr: %.2000s", code, err, stdout.String(), stderr.String())
				}
				for _, want := range []string{f.want, "1 problem(s), nothing was published"} {
					if !strings.Contains(stderr.String(), want) {
						t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
					}
				}
			})
		}
	})
}

func TestAdminAppsUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"admin", "apps"}, 2, "apps needs a command"},
		{[]string{"admin", "apps", "export"}, 2, `unknown command "export"`},
		{[]string{"admin", "apps", "import"}, 2, "needs one FILE-OR-URL"},
		{[]string{"admin", "apps", "--help"}, 0, "import"},
		{[]string{"admin", "apps", "import", "--help"}, 0, "Usage: agora admin apps import [flags] FILE-OR-URL"},
	} {
		code, out, errOut := runCmd(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%v: exit %d %q %q, want %d and %q", tc.args, code, out, errOut, tc.code, tc.want)
		}
	}
}

func TestPrivateAddr(t *testing.T) {
	for addr, private := range map[string]bool{
		"127.0.0.1": true, "::1": true, "10.0.0.1": true, "192.168.1.1": true, "169.254.169.254": true, "100.64.0.1": true,
		"0.0.0.0": true, "::ffff:127.0.0.1": true, "fd00::1": true, "64:ff9b::a00:1": true,
		"8.8.8.8": false, "2001:4860:4860::8888": false, "93.184.215.14": false,
	} {
		if got := privateAddr(netip.MustParseAddr(addr)); got != private {
			t.Errorf("privateAddr(%s) = %v", addr, got)
		}
	}
}
