package notify_test

import (
	"os"
	"testing"

	"agora/frontend/browsertest"
)

func TestMain(m *testing.M) {
	if cfg := os.Getenv(sinkEnv); cfg != "" { // a benchmark's SMTP sink (sink_test.go)
		os.Exit(runSinkProcess(cfg))
	}
	browsertest.Main(m)
}
