package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// A redirect after sign-in stays on this node, whatever a browser would
// make of it once it strips tabs and line breaks and reads a backslash as
// a slash.
func TestSafeNext(t *testing.T) {
	for _, tt := range []struct{ next, want string }{
		{"", "/account"},
		{"/", "/"},
		{"/proposals/abc?done=supported#support", "/proposals/abc?done=supported#support"},
		{"  /spaces ", "/spaces"},
		{"//evil.example", "/account"},
		{"/\t/evil.example", "/account"},
		{"/\n/evil.example", "/account"},
		{"/\r\n/evil.example", "/account"},
		{"\t//evil.example", "/account"},
		{"/\\evil.example", "/account"},
		{"\\/evil.example", "/account"},
		{"https://evil.example/", "/account"},
		{"javascript:alert(1)", "/account"},
		{"evil.example", "/account"},
		{"/ok\x00/x", "/account"},
		{"/ok\x1b", "/ok"},                     // trimmed at the end, as browsers do
		{"/a/b\\..\\..\\x", "/a/b\\..\\..\\x"}, // a path on this node, whatever the browser resolves
	} {
		if got := SafeNext(tt.next); got != tt.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

// X-Forwarded-For names the client only when the peer is a proxy the
// node was told to trust; by default none is.
func TestClientIP(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	for _, tt := range []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		xff     string
		want    string
	}{
		{"no proxy trusted, a header from loopback", nil, "127.0.0.1:4000", "203.0.113.7", "127.0.0.1"},
		{"no proxy trusted, a header from afar", nil, "198.51.100.2:4000", "203.0.113.7", "198.51.100.2"},
		{"a trusted proxy", loopback, "127.0.0.1:4000", "203.0.113.7", "203.0.113.7"},
		{"a trusted proxy, a client's own header before it", loopback, "127.0.0.1:4000", "10.9.9.9, 203.0.113.7", "203.0.113.7"},
		{"an untrusted peer", loopback, "198.51.100.2:4000", "203.0.113.7", "198.51.100.2"},
	} {
		k := &Kit{cfg: Config{TrustedProxies: tt.trusted}}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		r.Header.Set("X-Forwarded-For", tt.xff)
		if got := k.ClientIP(r); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
