package web

import (
	"errors"
	"net/url"
	"strings"
)

// MapTiles is where the maps' background comes from: a tile server the
// admin chose (AGORA_MAP_TILES), named with its attribution on every map
// and on the privacy page, since each visitor's browser asks it for
// tiles. Without it, pages show no map: an address field and lists by
// distance do the job.
type MapTiles struct {
	URL         string // a template with {z}, {x} and {y}, maybe {s}
	Attribution string // plain text, shown on the map
	Origin      string // what the Content-Security-Policy lets images come from
	Host        string // the provider, as the privacy page names it
}

// ParseMapTiles reads AGORA_MAP_TILES: the tile URL template, a space,
// then the attribution, e.g.
// "https://tile.openstreetmap.org/{z}/{x}/{y}.png © OpenStreetMap contributors".
// An empty value is no tiles (nil, no error).
func ParseMapTiles(s string) (*MapTiles, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	raw, attribution, _ := strings.Cut(s, " ")
	attribution = strings.TrimSpace(attribution)
	if attribution == "" || len(attribution) > 300 || strings.ContainsAny(attribution, "<>") {
		return nil, errors.New("map tiles: the URL is followed by a space and the attribution (plain text, at most 300 characters)")
	}
	for _, v := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(raw, v) {
			return nil, errors.New("map tiles: the URL template needs {z}, {x} and {y}")
		}
	}
	host := strings.ReplaceAll(raw, "{s}", "s")
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(host))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || strings.ContainsAny(raw, " '\";") {
		return nil, errors.New("map tiles: the URL must be an http(s) URL")
	}
	origin := u.Scheme + "://" + u.Host
	if strings.HasPrefix(raw, u.Scheme+"://{s}.") {
		// Subdomains a, b, c...: the policy allows any subdomain.
		origin = u.Scheme + "://*." + strings.TrimPrefix(u.Host, "s.")
	}
	return &MapTiles{URL: raw, Attribution: attribution, Origin: origin, Host: strings.TrimPrefix(u.Host, "s.")}, nil
}

// policyWithTiles is the Content-Security-Policy that also lets images
// come from the tile server.
func policyWithTiles(t *MapTiles) string {
	if t == nil {
		return contentSecurityPolicy
	}
	return strings.Replace(contentSecurityPolicy, "img-src 'self' data:", "img-src 'self' data: "+t.Origin, 1)
}

// MapTiles is the node's tile server, nil without one.
func (k *Kit) MapTiles() *MapTiles { return k.cfg.MapTiles }
