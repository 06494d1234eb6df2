package frontendtest

import (
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
)

// BrowserAs opens a browser signed in as acc on the node served at base:
// the session cookie is put straight into the browser, as a passkey
// sign-in would leave it. The browser has two minutes unless opts say
// otherwise.
func (n *Node) BrowserAs(t testing.TB, base string, acc *accounts.Account, opts ...browsertest.Option) *browsertest.Browser {
	t.Helper()
	b := browsertest.New(t, append([]browsertest.Option{browsertest.Timeout(2 * time.Minute)}, opts...)...)
	b.SetCookie(base, SessionCookie, n.Session(t, acc))
	return b
}
