package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

func TestIsPrivate(t *testing.T) {
	tests := []struct {
		addr    string
		private bool
	}{
		{"127.0.0.1", true},
		{"127.255.0.9", true},
		{"::1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"100.64.0.1", true},
		{"100.127.255.255", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"::", true},
		{"224.0.0.1", true},
		{"ff02::1", true},
		{"255.255.255.255", true},
		{"192.0.2.1", true},
		{"2001:db8::1", true},
		{"::ffff:127.0.0.1", true}, // IPv4-mapped loopback
		{"::ffff:10.0.0.1", true},
		{"64:ff9b::a00:1", true}, // NAT64 of 10.0.0.1
		{"64:ff9b:1::1", true},

		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"93.184.215.14", false},
		{"100.63.255.255", false}, // just below CGNAT
		{"100.128.0.0", false},    // just above
		{"172.32.0.1", false},
		{"::ffff:8.8.8.8", false},
		{"2001:4860:4860::8888", false},
		{"2a01:4f8::1", false},
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
	}
	for _, tt := range tests {
		ip := netip.MustParseAddr(tt.addr)
		if got := isPrivate(ip); got != tt.private {
			t.Errorf("isPrivate(%s) = %v, want %v", tt.addr, got, tt.private)
		}
	}
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://example.org/users/a", false, true},
		{"https://example.org:8443/users/a", false, true},
		{"http://example.org/users/a", false, false},
		{"http://127.0.0.1:8080/users/a", true, true},
		{"ftp://example.org/a", true, false},
		{"https://user:pw@example.org/a", false, false},
		{"https://user@example.org/a", true, false},
		{"https:///a", false, false},
		{"/relative", false, false},
		{"https://exa mple.org/", false, false},
	}
	for _, tt := range tests {
		c := New(Config{AllowPrivate: tt.allowPrivate})
		_, err := c.parseURL(tt.url)
		if tt.ok && err != nil {
			t.Errorf("parseURL(%q) = %v, want ok", tt.url, err)
		}
		if !tt.ok && !errors.Is(err, ErrBadURL) {
			t.Errorf("parseURL(%q) = %v, want ErrBadURL", tt.url, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("error %q leaks the password", err)
		}
	}
}

// A real request to a loopback server is refused at dial time; the handler
// never runs.
func TestRefusesLoopbackServer(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	defer srv.Close()
	c := New(Config{})
	u, _ := url.Parse(srv.URL)
	localhost := "https://localhost:" + u.Port() + "/inbox"

	for _, target := range []string{srv.URL + "/actor", localhost} {
		_, _, err := c.Document(t.Context(), target, nil)
		if !errors.Is(err, ErrPrivateAddress) || !Permanent(err) {
			t.Errorf("Document(%s) = %v, want permanent ErrPrivateAddress", target, err)
		}
		err = c.Post(t.Context(), target, []byte("{}"), &recordingSigner{})
		if !errors.Is(err, ErrPrivateAddress) || !Permanent(err) {
			t.Errorf("Post(%s) = %v, want permanent ErrPrivateAddress", target, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// seamClient refuses private addresses like production, except that
// 127.0.0.1 counts as public so a loopback server can stand in for a peer;
// names resolve through the given table.
func seamClient(hosts map[string][]string) *Client {
	c := New(Config{})
	c.allowHTTP = true
	c.blocked = func(ip netip.Addr) bool {
		return ip != netip.MustParseAddr("127.0.0.1") && isPrivate(ip)
	}
	c.lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
		var ips []netip.Addr
		for _, s := range hosts[host] {
			ips = append(ips, netip.MustParseAddr(s))
		}
		if len(ips) == 0 {
			return nil, errors.New("no such host " + host)
		}
		return ips, nil
	}
	return c
}

func TestResolve(t *testing.T) {
	c := seamClient(map[string][]string{
		"public.test":  {"127.0.0.1"},
		"rebind.test":  {"10.0.0.1"},
		"mixed.test":   {"10.0.0.1", "fd00::1", "127.0.0.1"},
		"private.test": {"192.168.0.2", "fe80::1"},
	})
	tests := []struct {
		host    string
		want    []string
		private bool
	}{
		{"public.test", []string{"127.0.0.1"}, false},
		{"mixed.test", []string{"127.0.0.1"}, false}, // only checked addresses are dialled
		{"rebind.test", nil, true},
		{"private.test", nil, true},
		{"10.0.0.1", nil, true}, // literals skip the resolver, not the check
		{"169.254.169.254", nil, true},
		{"::1", nil, true},
	}
	for _, tt := range tests {
		ips, err := c.resolve(t.Context(), tt.host)
		if tt.private {
			if !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("resolve(%s) = %v, %v; want ErrPrivateAddress", tt.host, ips, err)
			}
			continue
		}
		var got []string
		for _, ip := range ips {
			got = append(got, ip.String())
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("resolve(%s) = %v, %v; want %v", tt.host, got, err, tt.want)
		}
	}
}

// The check runs at dial time, so it catches a name that resolves to a
// private address and a redirect that leads to one.
func TestDialTimeCheck(t *testing.T) {
	var reached atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/doc":
			w.Header().Set("Content-Type", "application/activity+json")
			w.Write([]byte(`{"type":"Note"}`))
		case "/to-name":
			http.Redirect(w, r, "http://internal.test:"+r.URL.Query().Get("port")+"/doc", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/to-localhost":
			http.Redirect(w, r, "http://localhost:"+r.URL.Query().Get("port")+"/doc", http.StatusFound)
		}
		reached.Add(1)
	}))
	defer srv.Close()
	port := strings.TrimPrefix(srv.URL, "http://127.0.0.1:")
	c := seamClient(map[string][]string{
		"public.test":   {"127.0.0.1"},
		"rebind.test":   {"10.9.8.7"},
		"internal.test": {"192.168.1.10"},
		"localhost":     {"::1"},
	})

	tests := []struct {
		path    string
		wantErr error
	}{
		{"http://public.test:" + port + "/doc", nil},
		{"http://rebind.test:" + port + "/doc", ErrPrivateAddress},
		{"http://public.test:" + port + "/to-name?port=" + port, ErrPrivateAddress},
		{"http://public.test:" + port + "/to-metadata", ErrPrivateAddress},
		{"http://public.test:" + port + "/to-localhost?port=" + port, ErrPrivateAddress},
	}
	for _, tt := range tests {
		_, _, err := c.Document(t.Context(), tt.path, nil)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("Document(%s) = %v, want %v", tt.path, err, tt.wantErr)
		}
	}
	if err := c.Post(t.Context(), "http://rebind.test:"+port+"/inbox", nil, &recordingSigner{}); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("Post to rebind.test = %v, want ErrPrivateAddress", err)
	}
	// Only public.test requests reached the server: one per Document call
	// that started there.
	if n := reached.Load(); n != 4 {
		t.Errorf("server reached %d times, want 4", n)
	}
}
