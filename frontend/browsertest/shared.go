package browsertest

import (
	"context"
	"sync"
	"testing"
)

// shared is the browser of the test binary while Main runs the tests, and
// nil otherwise. Main sets it before the tests start and clears it after
// they end, so the tests read it without a lock.
var shared *sharedBrowser

// Main runs the tests of the binary with one browser process shared by all
// of them, and stops it afterwards. Call it from TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// The browser starts with the first New, so a run where every test is
// skipped starts none. Each test still gets its own tab and browser
// context. When TestMain returns, the testing package exits with the result
// of m.Run. A TestMain with its own setup calls Main in place of m.Run.
func Main(m *testing.M) {
	s := &sharedBrowser{}
	shared = s
	defer func() {
		shared = nil
		s.stop()
	}()
	m.Run()
}

// sharedBrowser starts one browser on first use.
type sharedBrowser struct {
	mu   sync.Mutex
	root context.Context
	halt func()
}

// browser returns the root context of the shared browser, and starts it
// the first time, or again if it has stopped.
func (s *sharedBrowser) browser(path string) (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root != nil && s.root.Err() == nil {
		return s.root, nil
	}
	if s.halt != nil {
		s.halt()
	}
	root, halt, err := start(path)
	if err != nil {
		s.root, s.halt = nil, nil
		return nil, err
	}
	s.root, s.halt = root, halt
	return root, nil
}

func (s *sharedBrowser) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.halt != nil {
		s.halt()
		s.root, s.halt = nil, nil
	}
}
