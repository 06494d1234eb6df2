// Package browsertest drives a headless Chromium from Go tests, with
// chromedp, to check Agora's pages as a person meets them: load a page,
// check it with axe-core, fill and submit its forms, move through it with
// the keyboard only, and run a passkey ceremony with a virtual
// authenticator.
//
// # Configuration
//
//	AGORA_TEST_CHROMIUM  path to the Chromium (or Chrome) binary
//	AGORA_TEST_AXE       path to axe.min.js of the npm package axe-core
//
// With AGORA_TEST_CHROMIUM empty, New uses the first of chromium,
// chromium-browser and google-chrome found on PATH, so browser tests run
// on a developer's machine as they are. With neither, the test is skipped
// with a message naming the variable, and fails instead when CI or
// AGORA_TEST_REQUIRE is set (storagetest.Env): nothing is skipped silently
// in CI. An axe check with AGORA_TEST_AXE empty is skipped (or fails) the
// same way, so a passkey test needs only the browser.
//
// # Use
//
//	func TestNewProposalPage(t *testing.T) {
//		base := browsertest.Serve(t, newTestServer(t)) // http://localhost:PORT
//		b := browsertest.New(t)
//		b.Open(base + "/proposals/new") // fails unless the page answers 2xx
//		b.AssertAccessible()            // zero axe-core violations
//		b.Fill("#title", "Plus d'arbres rue Oberkampf")
//		if status := b.Submit("#proposal-form button[type=submit]"); status != http.StatusOK {
//			t.Fatalf("submit: status %d", status)
//		}
//		b.AssertAccessible() // the page after the post too
//	}
//
// Every method fails the test (t.Fatalf) when the browser fails, when an
// element cannot be found, or when time runs out, so a test reads as a list
// of steps with no error handling. Each browser action waits at most 10 s,
// and the whole test has 30 s by default (see [Timeout]), or less when the
// deadline of go test -timeout comes first: a hung browser fails the test
// instead of hanging it. For anything the helpers do not cover, use
// [Browser.Context] with chromedp directly.
//
// A Browser belongs to the test that made it and is used from that test's
// goroutine; in a subtest, call New again with the subtest's t.
//
// # Processes
//
// Each New gets a new tab in a new browser context: like a fresh incognito
// window, it shares no cookies, storage or passkeys with other tests. The
// browser process behind it is either the test's own, started and stopped
// with the test (0.7 to 1.5 s to start and 0.2 s to stop on a 2-core
// machine), or, when the test binary's TestMain calls [Main], one browser
// shared by every test of the binary, so that a test costs only its tab
// (0.3 s):
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// Both behave the same; Main only makes a package with many page tests
// faster. Chromium runs headless with --no-sandbox (the tests load only
// local test pages, and the sandbox cannot start as root or under some CI
// kernels), no GPU, no QUIC, no background networking, component updates
// or sync, in a fresh temporary profile that chromedp removes afterwards.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"agora/storage/storagetest"
)

// Environment variables read by this package.
const (
	EnvChromium = "AGORA_TEST_CHROMIUM"
	EnvAxe      = "AGORA_TEST_AXE"
)

const (
	// DefaultTimeout is how long one test may use its browser.
	DefaultTimeout = 30 * time.Second
	// actionTimeout bounds one browser action, such as a navigation or the
	// lookup of an element, so that a wrong selector fails fast.
	actionTimeout = 10 * time.Second
	// startTimeout bounds the start of the browser process.
	startTimeout = 30 * time.Second
)

// Browser is one tab, in its own browser context, bound to one test.
type Browser struct {
	t       testing.TB
	ctx     context.Context // the tab, with the test's deadline
	timeout time.Duration

	// docStatus is the HTTP status of the last document of the main
	// frame; see load.
	docStatus atomic.Int64
}

// Option changes how New sets up a Browser.
type Option func(*Browser)

// Timeout sets how long the test may use the browser, in place of
// DefaultTimeout. Use it for a long keyboard walk or a slow CI runner.
func Timeout(d time.Duration) Option {
	return func(b *Browser) { b.timeout = d }
}

// New opens a tab for the test in a headless Chromium and closes it when
// the test ends. It skips the test (or fails it in CI) when
// AGORA_TEST_CHROMIUM is not set and no Chromium is on PATH.
func New(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	path := chromiumPath(os.Getenv, exec.LookPath)
	if path == "" {
		path = storagetest.Env(t, EnvChromium, "a headless Chromium (none found on PATH as "+
			strings.Join(chromiumNames, ", ")+": apt-get install chromium)")
	}
	b := &Browser{t: t, timeout: DefaultTimeout}
	for _, o := range opts {
		o(b)
	}

	var root context.Context
	var err error
	if p := shared; p != nil {
		root, err = p.browser(path)
	} else {
		var stop func()
		root, stop, err = start(path)
		if err == nil {
			t.Cleanup(stop)
		}
	}
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}

	deadline := time.Now().Add(b.timeout)
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		// Stop a little before go test -timeout, so that the test fails
		// with a message rather than a dump of every goroutine.
		if end, ok := d.Deadline(); ok && end.Add(-2*time.Second).Before(deadline) {
			deadline = end.Add(-2 * time.Second)
		}
	}
	dctx, dcancel := context.WithDeadline(root, deadline)
	tab, tcancel := chromedp.NewContext(dctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		tcancel()
		dcancel()
	})
	b.ctx = tab

	// The first action creates the tab, and chromedp binds the tab to the
	// context of that action: it must be the tab's context itself, not one
	// with the action timeout, or the tab stops seeing its events when the
	// action ends. Focus emulation makes every tab behave as the focused
	// window, which keyboard focus and WebAuthn need, also when tests run
	// in parallel in one browser.
	focus := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})
	if err := chromedp.Do(tab, focus); err != nil {
		t.Fatalf("browsertest: open a tab: %v", b.explain(err))
	}
	if err := b.watchDocuments(); err != nil {
		t.Fatalf("browsertest: listen to the tab: %v", err)
	}
	return b
}

// Context returns the context of the tab, for chromedp calls that the
// helpers do not cover: chromedp.Do(b.Context(), ...). It carries the
// test's deadline and ends with the test.
func (b *Browser) Context() context.Context { return b.ctx }

// run runs one action in the tab with the action timeout and fails t with
// a message naming what was being done when it fails.
func run[T any](b *Browser, t testing.TB, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browsertest: %s: %v", what, b.explain(err))
	}
	return v
}

// explain adds to a timeout which of the two limits ran out.
func (b *Browser) explain(err error) error {
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if b.ctx.Err() != nil {
		return fmt.Errorf("%w (the test's browser time of %v ran out; see browsertest.Timeout)", err, b.timeout)
	}
	return fmt.Errorf("%w (gave up after %v: is the selector right, and does the page do what the test expects?)", err, actionTimeout)
}

// chromiumNames are the names a Chromium goes by on PATH, in the order
// New looks for them.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome"}

// chromiumPath is the browser New starts: AGORA_TEST_CHROMIUM, else the
// first Chromium on PATH, else "".
func chromiumPath(getenv func(string) string, lookPath func(string) (string, error)) string {
	if p := getenv(EnvChromium); p != "" {
		return p
	}
	for _, name := range chromiumNames {
		if p, err := lookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// start starts a browser process and returns its root context and a func
// that stops it and removes its profile.
func start(path string) (context.Context, func(), error) {
	out := &cappedBuffer{max: 16 << 10}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(out),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	root, rcancel := chromedp.NewContext(actx)
	stop := func() {
		// A graceful close lets Chromium exit before its profile is removed.
		ctx, cancel := context.WithTimeout(root, 5*time.Second)
		defer cancel()
		_ = chromedp.Cancel(ctx)
		rcancel()
		acancel()
	}
	// The first Do binds the life of the browser to root, so it cannot
	// take a context with a timeout: a timer cancels root instead.
	timer := time.AfterFunc(startTimeout, rcancel)
	err := chromedp.Do(root)
	if !timer.Stop() && err == nil {
		err = context.DeadlineExceeded
	}
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("start %s: %v\nbrowser output:\n%s", path, err, out)
	}
	return root, stop, nil
}

// cappedBuffer keeps the first max bytes written to it; chromedp writes
// the browser's output from another goroutine.
type cappedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *cappedBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// Do runs one chromedp step of the test's own in the tab, with the action
// timeout, failing the test with what on error.
func (b *Browser) Do(what string, f func(ctx context.Context, tg *chromedp.Target) error) {
	b.t.Helper()
	run(b, b.t, what, chromedp.Func(f))
}
