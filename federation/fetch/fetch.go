// Package fetch is the HTTP client every outbound federation request goes
// through: it signs, bounds time and size, and refuses to reach private
// addresses, so a peer cannot make the node fetch from its own network.
package fetch

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// Signer signs an outgoing request (implemented elsewhere by the node's
// instance actor); body is nil for GET.
type Signer interface {
	Sign(r *http.Request, body []byte) error
}

// Config bounds outbound requests. The zero value is usable.
type Config struct {
	UserAgent    string        // e.g. "Agora/0.1 (+https://host/)"; default "Agora"
	Timeout      time.Duration // whole request, body included; default 10s
	MaxBody      int64         // largest document accepted; default 1 MiB
	MaxRedirects int           // default 3; negative follows none
	AllowPrivate bool          // allow loopback/private/link-local addresses and http (tests only)
}

// Client sends federation requests. It is safe for concurrent use; make one
// per node so connections are pooled.
type Client struct {
	cfg       Config
	transport *http.Transport
	post      *http.Client

	// Seams for tests; New sets them from cfg.
	allowHTTP bool
	blocked   func(netip.Addr) bool // nil allows every address
	lookup    func(ctx context.Context, host string) ([]netip.Addr, error)
}

const (
	defaultTimeout   = 10 * time.Second
	defaultMaxBody   = 1 << 20
	defaultRedirects = 3
	drainLimit       = 64 << 10 // bytes read from a response we discard
)

// New returns a client for cfg, filling in defaults.
func New(cfg Config) *Client {
	if cfg.UserAgent == "" {
		cfg.UserAgent = "Agora"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = defaultMaxBody
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = defaultRedirects
	}
	c := &Client{
		cfg:       cfg,
		allowHTTP: cfg.AllowPrivate,
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
	}
	if !cfg.AllowPrivate {
		c.blocked = isPrivate
	}
	c.transport = &http.Transport{
		Proxy:                  nil, // an environment proxy would dial for us, past the address check
		DialContext:            c.dial,
		ForceAttemptHTTP2:      true, // a custom DialContext turns HTTP/2 off otherwise
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    5 * time.Second,
		ResponseHeaderTimeout:  cfg.Timeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		MaxConnsPerHost:        8, // one slow host cannot take every connection
		MaxResponseHeaderBytes: 64 << 10,
	}
	c.post = &http.Client{
		Transport: c.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // an inbox that moves must be re-discovered, not followed
		},
	}
	return c
}

// checkURL refuses what the client must never request, whatever the
// address check would say.
func (c *Client) checkURL(u *url.URL) error {
	switch {
	case u.Scheme != "https" && !(u.Scheme == "http" && c.allowHTTP):
		return fmt.Errorf("%w: scheme %q", ErrBadURL, u.Scheme)
	case u.User != nil:
		return fmt.Errorf("%w: userinfo", ErrBadURL)
	case u.Hostname() == "":
		return fmt.Errorf("%w: no host", ErrBadURL)
	}
	return nil
}

func (c *Client) parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	if err := c.checkURL(u); err != nil {
		return nil, fmt.Errorf("%s: %w", u.Redacted(), err)
	}
	return u, nil
}

// sign (re)signs req: on a redirect the copied headers carry the previous
// hop's signature, which names the old host and must not reach the new one.
func sign(req *http.Request, s Signer, body []byte) error {
	for _, h := range []string{"Signature", "Signature-Input", "Authorization"} {
		req.Header.Del(h)
	}
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	req.Host = req.URL.Host
	if err := s.Sign(req, body); err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	return nil
}
