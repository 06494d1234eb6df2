package decisions_test

import (
	"testing"

	"agora/frontend/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }
