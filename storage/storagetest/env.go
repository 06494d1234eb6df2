// Package storagetest gives tests the real services they run against:
// databases (SQLite and PostgreSQL) and blob stores (local disk and S3),
// with what tests check them with: row snapshots and a clock they move.
//
// A service that is not configured is skipped with a message naming the
// variable to set, except in CI (CI or AGORA_TEST_REQUIRE set), where a
// missing service fails the test: nothing is skipped silently there.
package storagetest

import (
	"os"
	"testing"
)

// Required reports whether missing test services must fail the run.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv("AGORA_TEST_REQUIRE") != ""
}

// Env returns the value of the environment variable key, which names a
// service the test needs (what). When it is empty the test is skipped, or
// fails when services are required.
func Env(t testing.TB, key, what string) string {
	t.Helper()
	v := os.Getenv(key)
	if v != "" {
		return v
	}
	if Required() {
		t.Fatalf("%s is required here (CI or AGORA_TEST_REQUIRE is set) but %s is empty", what, key)
	}
	t.Skipf("skipping: set %s to run against %s", key, what)
	return ""
}
