package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"agora/frontend/web"
	"agora/instances/notifications"
	"agora/storage/ratelimit"
)

// Config is the node's whole configuration, read once at start-up and
// passed by value: nothing reads settings from a global.
type Config struct {
	Addr    string
	BaseURL *url.URL
	// BaseURLSet is true when the operator gave the base URL (flag or
	// environment); otherwise it follows the port of Addr, see configFlags.
	BaseURLSet  bool
	DataDir     string
	DatabaseURL string
	BlobURL     string
	LogLevel    slog.Level
	LogFormat   string
	NodeName    string
	Location    *time.Location
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	PageCacheTTL   time.Duration
	// Federation: see docs/FEDERATION.md.
	FederationAllowPrivate    bool
	FederationAuthorizedFetch bool
	FederationAllowlist       bool
	// AttachmentQuota is how many bytes of files the proposals of one
	// resident may hold; 0 for no quota.
	AttachmentQuota int64
	// DebugAddr, when set, serves Go's profiles (/debug/pprof) there.
	DebugAddr string
	// SMTPURL is the SMTP server notifications are emailed through; ""
	// sends no email.
	SMTPURL string
	// MapTiles is the maps' tile server; nil shows no map (address fields
	// and lists by distance instead).
	MapTiles *web.MapTiles
	// Open311Limits are how many requests and updates one Open311 API key
	// creates (docs/OPEN311.md).
	Open311Limits []ratelimit.Rule
}

// byteSize reads a size: a number of bytes, or one with a binary unit
// (K, M, G, T, with or without "iB" or "B": 200M, 200MB, 200MiB are all
// 200 × 2^20).
func byteSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	upper := strings.ToUpper(s)
	num := strings.TrimRight(upper, "KMGTIB ")
	unit := strings.TrimSpace(upper[len(num):])
	unit = strings.TrimSuffix(strings.TrimSuffix(unit, "B"), "I")
	shift, ok := map[string]uint{"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || n < 0 || n > 1<<(62-shift) {
		return 0, fmt.Errorf("%q is not a size such as 200MiB, 2GiB or 0", v)
	}
	return n << shift, nil
}

// boolean reads an on/off setting.
func boolean(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off", "":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", v)
}

// option is one setting: a flag, its AGORA_* environment twin, a default,
// and how to check and store a value. Secret settings may also be read
// from a file named by the twin with a _FILE suffix (Docker secrets).
type option struct {
	flag, env, def, usage string
	secret                bool
	set                   func(c *Config, v string) error
}

// options is the one table of settings; the README documents it.
var options = []option{
	{flag: "addr", env: "AGORA_ADDR", def: ":8080", usage: "address to listen on, host:port",
		set: func(c *Config, v string) error {
			if !strings.Contains(v, ":") {
				return fmt.Errorf("%q is not host:port (e.g. :8080 or 127.0.0.1:8080)", v)
			}
			c.Addr = v
			return nil
		}},
	{flag: "base-url", env: "AGORA_BASE_URL", def: "http://localhost:8080", usage: "public URL of the node, used in links and ActivityPub ids; left unset, http://localhost on the port of --addr",
		set: func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("%q is not an http(s) URL such as https://participation.example.org", v)
			}
			if _, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
				return fmt.Errorf("%q names an IP address, but passkeys only work with a host name: "+
					"on this machine use http://localhost%s, otherwise the node's domain name such as https://participation.example.org", v, portSuffix(u))
			}
			if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
				return fmt.Errorf("%q must have no path, query or fragment: the node serves at the root of its host", v)
			}
			u.Path = ""
			c.BaseURL = u
			return nil
		}},
	{flag: "data-dir", env: "AGORA_DATA_DIR", def: "./data", usage: "directory for the SQLite database and local blob files",
		set: func(c *Config, v string) error {
			if v == "" {
				return errors.New("must not be empty")
			}
			c.DataDir = v
			return nil
		}},
	{flag: "database-url", env: "AGORA_DATABASE_URL", def: "", secret: true,
		usage: "database: empty for SQLite in the data dir, sqlite:PATH, or postgres://USER:PASS@HOST:PORT/DB",
		set:   func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{flag: "blob-url", env: "AGORA_BLOB_URL", def: "", secret: true,
		usage: "blob store: empty for DATA_DIR/blobs, a directory, or s3://ACCESS:SECRET@HOST:PORT/BUCKET?secure=false",
		set:   func(c *Config, v string) error { c.BlobURL = v; return nil }},
	{flag: "log-level", env: "AGORA_LOG_LEVEL", def: "info", usage: "debug, info, warn or error",
		set: func(c *Config, v string) error {
			if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
				return fmt.Errorf("%q is not one of debug, info, warn, error", v)
			}
			return nil
		}},
	{flag: "log-format", env: "AGORA_LOG_FORMAT", def: "text", usage: "text or json",
		set: func(c *Config, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("%q is not text or json", v)
			}
			c.LogFormat = v
			return nil
		}},
	{flag: "node-name", env: "AGORA_NODE_NAME", def: "Agora", usage: `name of the territory shown to residents, e.g. "Paris 15e"`,
		set: func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" || len(v) > 100 {
				return errors.New("must be 1 to 100 characters")
			}
			c.NodeName = strings.TrimSpace(v)
			return nil
		}},
	{flag: "timezone", env: "AGORA_TIMEZONE", def: "Europe/Paris", usage: "time zone of the territory, for dates shown to residents",
		set: func(c *Config, v string) error {
			loc, err := time.LoadLocation(v)
			if err != nil {
				return fmt.Errorf("%q is not a time zone such as Europe/Paris", v)
			}
			c.Location = loc
			return nil
		}},
	{flag: "smtp-url", env: "AGORA_SMTP_URL", def: "", secret: true,
		usage: "SMTP server to email notifications through: empty for none, smtp://USER:PASS@HOST:587?starttls=true&from=ADDRESS, or smtps://...:465",
		set: func(c *Config, v string) error {
			if v != "" {
				if _, err := notifications.ParseSMTP(v, "agora@agora.invalid"); err != nil {
					return err
				}
			}
			c.SMTPURL = v
			return nil
		}},
	{flag: "map-tiles", env: "AGORA_MAP_TILES", def: "",
		usage: "tile server of the maps: a URL template with {z}/{x}/{y}, a space, the attribution (empty: no map)",
		set: func(c *Config, v string) (err error) {
			c.MapTiles, err = web.ParseMapTiles(v)
			return err
		}},
	{flag: "open311-limits", env: "AGORA_OPEN311_LIMITS", def: "60/1m,1000/1h",
		usage: "how many Open311 requests and updates one API key creates: limits such as 60/1m,1000/1h (windows up to 1h)",
		set: func(c *Config, v string) (err error) {
			c.Open311Limits, err = ratelimit.ParseRules(v)
			return err
		}},
	{flag: "page-cache", env: "AGORA_PAGE_CACHE", def: "2s",
		usage: "how long pages read by anonymous visitors, and who a session cookie names, are reused (0 turns both caches off)",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > time.Minute {
				return fmt.Errorf("%q is not a duration between 0s and 1m, such as 2s", v)
			}
			c.PageCacheTTL = d
			return nil
		}},
	{flag: "federation-allow-private", env: "AGORA_FEDERATION_ALLOW_PRIVATE", def: "false",
		usage: "let federation reach private and loopback addresses (tests on one machine only)",
		set:   func(c *Config, v string) (err error) { c.FederationAllowPrivate, err = boolean(v); return err }},
	{flag: "federation-authorized-fetch", env: "AGORA_FEDERATION_AUTHORIZED_FETCH", def: "false",
		usage: "require signed requests to read the node's ActivityPub JSON",
		set:   func(c *Config, v string) (err error) { c.FederationAuthorizedFetch, err = boolean(v); return err }},
	{flag: "federation-allowlist", env: "AGORA_FEDERATION_ALLOWLIST", def: "false",
		usage: "federate only with hosts an admin allowed (a closed federation of partner cities)",
		set:   func(c *Config, v string) (err error) { c.FederationAllowlist, err = boolean(v); return err }},
	{flag: "attachment-quota", env: "AGORA_ATTACHMENT_QUOTA", def: "200MiB",
		usage: "bytes of files the proposals of one resident may hold, e.g. 200MiB or 1GiB (0: no quota)",
		set: func(c *Config, v string) (err error) {
			c.AttachmentQuota, err = byteSize(v)
			return err
		}},
	{flag: "debug-addr", env: "AGORA_DEBUG_ADDR", def: "",
		usage: "address to serve Go's profiles on (/debug/pprof), e.g. 127.0.0.1:6060; never a public one (off by default)",
		set:   func(c *Config, v string) error { c.DebugAddr = v; return nil }},
	{flag: "trusted-proxies", env: "AGORA_TRUSTED_PROXIES", def: "",
		usage: "comma-separated networks of reverse proxies whose X-Forwarded-For names the client (none by default: the peer is the client)",
		set: func(c *Config, v string) error {
			c.TrustedProxies = nil
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part == "" {
					continue
				}
				p, err := netip.ParsePrefix(part)
				if err != nil {
					return fmt.Errorf("%q is not a network such as 10.0.0.0/8", part)
				}
				c.TrustedProxies = append(c.TrustedProxies, p)
			}
			return nil
		}},
}

// settingError names the setting at fault, flag and variable both, so the
// one line an operator reads tells them what to fix.
type settingError struct {
	opt option
	err error
}

func (e *settingError) Error() string {
	return fmt.Sprintf("%s (--%s): %v", e.opt.env, e.opt.flag, e.err)
}

func (e *settingError) Unwrap() error { return e.err }

// settingErr wraps err as a fault of the setting whose variable is env.
func settingErr(env string, err error) error {
	for _, o := range options {
		if o.env == env {
			return &settingError{opt: o, err: err}
		}
	}
	return fmt.Errorf("%s: %w", env, err)
}

// configFlags registers options on fs and returns a function that, after
// fs.Parse, resolves flag > environment > default into a Config. With
// names, only those options become flags (so a command's --help lists
// what it uses); the others are still read from the environment.
//
// A base URL left unset follows the port of the address: --addr :8091
// serves http://localhost:8091, in links too.
func configFlags(fs *flag.FlagSet, getenv func(string) string, names ...string) func() (Config, error) {
	values := make([]*string, len(options))
	for i, o := range options {
		if len(names) == 0 || slices.Contains(names, o.flag) {
			values[i] = fs.String(o.flag, o.def, o.usage+" ["+o.env+"]")
		}
	}
	return func() (Config, error) {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		var c Config
		for i, o := range options {
			v, given, err := resolve(o, values[i], set[o.flag], getenv)
			if err == nil {
				err = o.set(&c, v)
			}
			if err != nil {
				return Config{}, &settingError{opt: o, err: err}
			}
			if o.flag == "base-url" {
				c.BaseURLSet = given
			}
		}
		if !c.BaseURLSet {
			if _, port, err := net.SplitHostPort(c.Addr); err == nil && port != "" && port != "0" {
				c.BaseURL = localURL(port)
			}
		}
		return c, nil
	}
}

// resolve returns an option's value and whether the operator gave it
// (flag, variable or file) rather than leaving the default. flagValue is
// nil when the option is not a flag of this command.
func resolve(o option, flagValue *string, flagSet bool, getenv func(string) string) (string, bool, error) {
	if flagSet {
		return *flagValue, true, nil
	}
	if v := getenv(o.env); v != "" {
		return v, true, nil
	}
	if o.secret {
		if path := getenv(o.env + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", true, fmt.Errorf("read %s_FILE: %w", o.env, err)
			}
			return strings.TrimSpace(string(b)), true, nil
		}
	}
	return o.def, false, nil
}

// localURL is the base URL of a node on this machine listening on port.
func localURL(port string) *url.URL {
	return &url.URL{Scheme: "http", Host: net.JoinHostPort("localhost", port)}
}

// portSuffix is ":PORT" for a URL with an explicit port, else "".
func portSuffix(u *url.URL) string {
	if p := u.Port(); p != "" {
		return ":" + p
	}
	return ""
}

// urlPort is the port a URL reaches, explicit or implied by its scheme.
func urlPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

func (c Config) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
