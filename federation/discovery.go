package federation

import (
	"agora/federation/as2"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// webfinger answers acct:name@host for spaces (Groups) and public people
// (Persons), and the instance actor by its host name. A space and a
// person cannot share a name (spaces are looked up first).
func (s *Service) webfinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	actor, err := s.lookup(r.Context(), resource)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, "application/jrd+json", map[string]any{
		"subject": resource,
		"aliases": []string{actor},
		"links": []map[string]string{
			{"rel": "self", "type": "application/activity+json", "href": actor},
			{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor},
		},
	})
}

// lookup finds the actor a WebFinger resource names: acct:name@host or
// the actor's URL.
func (s *Service) lookup(ctx context.Context, resource string) (string, error) {
	host := s.cfg.BaseURL.Host
	if strings.HasPrefix(resource, "http://") || strings.HasPrefix(resource, "https://") {
		kind, id, ok := s.local(resource)
		if !ok || kind != "space" && kind != "person" && kind != "instance" && kind != "reportcategory" {
			return "", fmt.Errorf("no actor %s", resource)
		}
		if kind != "instance" {
			if exists, err := s.actorExists(ctx, kind, id); err != nil || !exists {
				return "", fmt.Errorf("no actor %s", resource)
			}
		}
		return resource, nil
	}
	name, at, ok := strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
	if !ok || !strings.EqualFold(at, host) || name == "" {
		return "", fmt.Errorf("no account %q on %s", resource, host)
	}
	if strings.EqualFold(name, s.cfg.BaseURL.Hostname()) {
		return s.ids.Instance(), nil
	}
	if strings.EqualFold(name, as2.CatalogueUsername) && s.apps != nil {
		return s.ids.Catalogue(), nil
	}
	if slug, ok := strings.CutPrefix(strings.ToLower(name), as2.ReportHandlePrefix); ok {
		// A category's name holds a dot, which no space or person has.
		if exists, err := s.actorExists(ctx, "reportcategory", slug); err != nil || !exists {
			return "", fmt.Errorf("no account %q on %s", resource, host)
		}
		return s.ids.ReportCategory(slug), nil
	}
	for _, kind := range []string{"space", "person"} {
		exists, err := s.actorExists(ctx, kind, name)
		if err != nil {
			return "", err
		}
		if exists && kind == "space" {
			return s.ids.Space(name), nil
		}
		if exists {
			return s.ids.Person(name), nil
		}
	}
	return "", fmt.Errorf("no account %q on %s", resource, host)
}

// hostMeta points older clients at WebFinger.
func (s *Service) hostMeta(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="%s/.well-known/webfinger?resource={uri}"/>
</XRD>
`, strings.TrimSuffix(s.cfg.BaseURL.String(), "/"))
}

// nodeinfoLinks is /.well-known/nodeinfo.
func (s *Service) nodeinfoLinks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, "application/json", map[string]any{"links": []map[string]string{{
		"rel":  "http://nodeinfo.diaspora.software/ns/schema/2.1",
		"href": strings.TrimSuffix(s.cfg.BaseURL.String(), "/") + "/nodeinfo/2.1",
	}}})
}

// nodeinfo is NodeInfo 2.1: software, protocols and usage. Usage counts
// public accounts and what they wrote, nothing about private ones.
func (s *Service) nodeinfo(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	count := func(table, where string) int {
		n, err := s.db.NewSelect().Table(table).Where(where).Count(ctx)
		if err != nil {
			return 0
		}
		return int(n)
	}
	users := count("accounts", "public AND deleted_at IS NULL")
	writeJSON(w, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`, map[string]any{
		"version": "2.1",
		"software": map[string]any{
			"name": "agora", "version": s.cfg.Version,
			"repository": "https://github.com/agora-civic/agora", "homepage": s.cfg.BaseURL.String(),
		},
		"protocols":         []string{"activitypub"},
		"services":          map[string]any{"inbound": []string{}, "outbound": []string{"atom1.0"}},
		"openRegistrations": true,
		"usage": map[string]any{
			"users":         map[string]int{"total": users},
			"localPosts":    count("proposals", "hidden_at IS NULL"),
			"localComments": count("comments", "deleted_at IS NULL AND remote_actor IS NULL"),
		},
		"metadata": map[string]any{"nodeName": s.nodeName(r.Context())},
	})
}

// resolve turns a handle (@name@host, name@host) or a URL into an actor id.
func (s *Service) resolve(ctx context.Context, target string) (string, error) {
	target = strings.TrimSpace(target)
	if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
		if _, err := url.Parse(target); err != nil {
			return "", fmt.Errorf("%w: %q is not a URL", ErrInvalid, target)
		}
		return target, nil
	}
	name, host, ok := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(target, "!"), "@"), "@")
	if !ok || name == "" || host == "" || strings.ContainsAny(host, "/@ ") {
		return "", fmt.Errorf("%w: %q is neither @name@host nor a URL", ErrInvalid, target)
	}
	scheme := "https"
	if s.cfg.AllowPrivate {
		scheme = "http" // loopback test nodes
	}
	wf := scheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+name+"@"+host)
	body, _, err := s.client.Document(ctx, wf, nil)
	if err != nil {
		return "", fmt.Errorf("%w: WebFinger for %s: %v", ErrInvalid, target, err)
	}
	var jrd struct {
		Links []struct{ Rel, Type, Href string } `json:"links"`
	}
	if err := json.Unmarshal(body, &jrd); err != nil {
		return "", fmt.Errorf("%w: WebFinger for %s: %v", ErrInvalid, target, err)
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && (l.Type == "application/activity+json" || strings.HasPrefix(l.Type, "application/ld+json")) {
			return l.Href, nil
		}
	}
	return "", fmt.Errorf("%w: %s has no ActivityPub actor", ErrInvalid, target)
}

func writeJSON(w http.ResponseWriter, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "max-age=300")
	json.NewEncoder(w).Encode(v)
}
