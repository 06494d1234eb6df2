package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agora/storage/storagetest"
)

// An operator loads a finished edition from a Pabulib file; a bad file
// names its line and stores nothing; the budget's URL is the last line.
func TestAdminBudgetImport(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		env := map[string]string{"AGORA_DATA_DIR": dir, "AGORA_DATABASE_URL": storagetest.DatabaseURL(t, dialect),
			"AGORA_BASE_URL": "https://agora.example"}
		file, err := os.ReadFile("../../instances/projects/testdata/quartier.pb")
		if err != nil {
			t.Fatal(err)
		}
		good, bad := filepath.Join(dir, "quartier.pb"), filepath.Join(dir, "bad.pb")
		os.WriteFile(good, file, 0o600)
		os.WriteFile(bad, []byte(strings.Replace(string(file), "SL-3;100000", "SL-3;cent mille", 1)), 0o600)

		if code, out, errOut := runCmd(t, env, "migrate", "up"); code != 0 {
			t.Fatalf("migrate up: exit %d %s %s", code, out, errOut)
		}
		if code, out, errOut := runCmd(t, env, "admin", "create-space", "--slug", "budget-2025", "--title", "Budget 2025"); code != 0 {
			t.Fatalf("create-space: exit %d %s %s", code, out, errOut)
		}
		if code, _, errOut := runCmd(t, env, "admin", "budget", "import", "--space", "nowhere", good); code != 1 || !strings.Contains(errOut, `no space "nowhere"`) {
			t.Errorf("unknown space: exit %d %s", code, errOut)
		}
		code, _, errOut := runCmd(t, env, "admin", "budget", "import", "--space", "budget-2025", bad)
		if code != 1 || !strings.Contains(errOut, "bad.pb:20:") || !strings.Contains(errOut, "nothing was stored") {
			t.Errorf("bad file: exit %d %s", code, errOut)
		}
		code, out, errOut := runCmd(t, env, "admin", "budget", "import", "--space", "budget-2025", good)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || !strings.HasPrefix(lines[len(lines)-1], "https://agora.example/budgets/") ||
			!strings.Contains(out, "5 projects") {
			t.Fatalf("good file: exit %d %q %s", code, out, errOut)
		}
	})
}
