package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
)

// appsCommands are the tasks on the catalogue of free software.
func appsCommands() []command {
	return []command{
		{"import", "[flags] FILE-OR-URL", "publish an app from its publiccode.yml, a file or an http(s) URL", cmdAdminAppsImport},
	}
}

func cmdAdminApps(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printCommands(e.stderr, "agora admin apps", appsCommands())
		return usageError{"apps needs a command"}
	}
	return dispatch(ctx, e, "agora admin apps", appsCommands(), args)
}

// Bounds of fetching a publiccode.yml from a URL.
const (
	publicCodeFetchTimeout   = 10 * time.Second
	publicCodeFetchRedirects = 3
)

// cmdAdminAppsImport publishes an app as the node itself. Every problem
// of the file is printed as "path:line: message", and the command fails.
func cmdAdminAppsImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin apps import", "[flags] FILE-OR-URL",
		"Publish an app in the catalogue from its publiccode.yml (standard 0.4): a file, or an http(s) URL\n"+
			"fetched within 10 s and 1 MiB, never from a private or loopback address unless\n"+
			"AGORA_FEDERATION_ALLOW_PRIVATE=true. Each problem is printed as path:line: message; nothing is\n"+
			"stored unless the file passes. Prints the app's URL once published.")
	// The file may come first: flags stop at the first argument that is
	// not one, so move it to the end.
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		args = append(args[1:len(args):len(args)], args[0])
	}
	cfg, err := parseAdminConfig(e, fs, args, "federation-allow-private")
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"import needs one FILE-OR-URL"}
	}
	src := fs.Arg(0)
	yml, err := readPublicCodeSource(ctx, src, cfg.FederationAllowPrivate)
	if err != nil {
		return err
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	svc := apps.NewService(n.db, n.blobs, nil, apps.Options{})
	a, fes, err := svc.Publish(ctx, accounts.System, bytes.NewReader(yml))
	if len(fes) > 0 {
		for _, fe := range fes {
			path := fe.Path
			if path == "" {
				path = "(file)"
			}
			fmt.Fprintf(e.stderr, "%s:%d: %s\n", path, fe.Line, fe.Message)
		}
		return fmt.Errorf("%s: %d problem(s), nothing was published", src, len(fes))
	}
	if errors.Is(err, apps.ErrConflict) {
		return fmt.Errorf("%s: this repository is already in the catalogue", src)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "published %s: %s/apps/%s\n", a.Name, strings.TrimSuffix(cfg.BaseURL.String(), "/"), a.Slug)
	return nil
}

// readPublicCodeSource reads a publiccode.yml from a file or a URL, up to
// one byte past the catalogue's limit: the service refuses a larger one
// with its own message.
func readPublicCodeSource(ctx context.Context, src string, allowPrivate bool) ([]byte, error) {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		return fetchPublicCode(ctx, src, allowPrivate)
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, apps.MaxPublicCodeSize+1))
}

// fetchPublicCode GETs a publiccode.yml. The address is checked when the
// connection is made, after name resolution and for every redirect, so a
// name cannot point the node at its own network (or change its answer
// between a check and the connection).
func fetchPublicCode(ctx context.Context, raw string, allowPrivate bool) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%s: not a URL to fetch (http or https, no user name)", raw)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil || privateAddr(ip) {
				return fmt.Errorf("%s is a private or loopback address (AGORA_FEDERATION_ALLOW_PRIVATE=true allows it, for tests)", host)
			}
			return nil
		}
	}
	client := &http.Client{
		Timeout: publicCodeFetchTimeout,
		Transport: &http.Transport{
			Proxy:                 nil, // a proxy would connect for us, past the address check
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: publicCodeFetchTimeout,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > publicCodeFetchRedirects {
				return fmt.Errorf("more than %d redirects", publicCodeFetchRedirects)
			}
			if req.URL.Scheme != "https" && req.URL.Scheme != "http" || req.URL.User != nil {
				return errors.New("redirected to a URL that is not http(s)")
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.5")
	req.Header.Set("User-Agent", "Agora (publiccode.yml import)")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch publiccode.yml: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("fetch %s: HTTP %s", u.Redacted(), resp.Status)
	}
	if resp.ContentLength > apps.MaxPublicCodeSize {
		return nil, fmt.Errorf("fetch %s: %d bytes, more than the %d KiB a publiccode.yml may have", u.Redacted(), resp.ContentLength, apps.MaxPublicCodeSize>>10)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, apps.MaxPublicCodeSize+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	return body, nil
}

// reservedPrefixes are ranges netip has no predicate for.
var reservedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network"
	netip.MustParsePrefix("100.64.0.0/10"), // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),  // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),   // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),  // NAT64, which reaches any IPv4 address
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// privateAddr reports whether ip is not a public unicast address.
func privateAddr(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return true
	}
	for _, p := range reservedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
