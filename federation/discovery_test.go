package federation

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"agora/federation/as2"
	"agora/federation/signature"
)

// get GETs path from the node with the Accept header given ("" for
// none) and returns the response and its body.
func (n *node) get(t *testing.T, path, accept string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(n.ctx, http.MethodGet, n.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return m
}

// WebFinger finds spaces, public people and the instance actor by
// acct:name@host (the host with its port here), and nothing else.
func TestWebFinger(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		host := strings.TrimPrefix(n.base, "http://")
		for _, tc := range []struct {
			resource, self string
		}{
			{"acct:budget-2027@" + host, n.groupIRI()},
			{"acct:jeanne@" + host, n.base + "/people/jeanne"},
			{"acct:127.0.0.1@" + host, n.base + "/actor"},
			{n.groupIRI(), n.groupIRI()},
			{"acct:marc@" + host, ""},                    // private
			{"acct:nobody@" + host, ""},                  // unknown
			{"acct:budget-2027@other.example", ""},       // another host
			{n.base + "/people/marc", ""},                // private, by URL
			{n.base + "/proposals/" + n.proposal.ID, ""}, // no actor
		} {
			t.Run(tc.resource, func(t *testing.T) {
				resp, body := n.get(t, "/.well-known/webfinger?resource="+url.QueryEscape(tc.resource), "")
				if tc.self == "" {
					if resp.StatusCode != http.StatusNotFound {
						t.Errorf("status %d, want 404: %s", resp.StatusCode, body)
					}
					return
				}
				if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/jrd+json" {
					t.Fatalf("status %d, %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
				}
				var jrd struct {
					Subject string
					Links   []struct{ Rel, Type, Href string }
				}
				if err := json.Unmarshal(body, &jrd); err != nil {
					t.Fatal(err)
				}
				self := ""
				for _, l := range jrd.Links {
					if l.Rel == "self" && l.Type == "application/activity+json" {
						self = l.Href
					}
				}
				if jrd.Subject != tc.resource || self != tc.self {
					t.Errorf("subject %q, self %q; want %q, %q", jrd.Subject, self, tc.resource, tc.self)
				}
			})
		}
	})
}

// host-meta points at WebFinger; NodeInfo 2.1 is found from
// /.well-known/nodeinfo and counts only what is public.
func TestHostMetaAndNodeInfo(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		resp, body := n.get(t, "/.well-known/host-meta", "")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xrd+xml") ||
			!strings.Contains(string(body), `template="`+n.base+`/.well-known/webfinger?resource={uri}"`) {
			t.Errorf("host-meta: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}

		_, body = n.get(t, "/.well-known/nodeinfo", "")
		var links struct{ Links []struct{ Rel, Href string } }
		if err := json.Unmarshal(body, &links); err != nil || len(links.Links) != 1 ||
			links.Links[0].Rel != "http://nodeinfo.diaspora.software/ns/schema/2.1" || links.Links[0].Href != n.base+"/nodeinfo/2.1" {
			t.Fatalf("nodeinfo links: %s (%v)", body, err)
		}
		resp, body = n.get(t, "/nodeinfo/2.1", "")
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "schema/2.1") {
			t.Errorf("content type %q", ct)
		}
		var ni struct {
			Version           string
			Software          struct{ Name, Version string }
			Protocols         []string
			Services          struct{ Inbound, Outbound []string }
			OpenRegistrations *bool
			Usage             struct {
				Users         struct{ Total int }
				LocalPosts    int
				LocalComments int
			}
			Metadata map[string]any
		}
		if err := json.Unmarshal(body, &ni); err != nil {
			t.Fatal(err)
		}
		if ni.Version != "2.1" || ni.Software.Name != "agora" || ni.Software.Version != "test" ||
			len(ni.Protocols) != 1 || ni.Protocols[0] != "activitypub" || ni.Services.Inbound == nil || ni.OpenRegistrations == nil ||
			ni.Metadata["nodeName"] != "Paris 15" {
			t.Errorf("nodeinfo: %s", body)
		}
		// jeanne is public, marc is not; one proposal, two comments.
		if ni.Usage.Users.Total != 1 || ni.Usage.LocalPosts != 1 || ni.Usage.LocalComments != 2 {
			t.Errorf("usage: %+v", ni.Usage)
		}
	})
}

// The pages' URLs serve ActivityStreams JSON to those who ask for it, and
// fall through to the pages otherwise.
func TestContentNegotiation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		path := "/proposals/" + n.proposal.ID
		for _, accept := range []string{"application/activity+json",
			`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
			"text/html;q=0.9, application/activity+json"} {
			resp, body := n.get(t, path, accept)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/activity+json") {
				t.Fatalf("Accept %s: %d %s", accept, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			page := decode(t, body)
			if page["type"] != "Page" || page["id"] != n.proposalIRI() || page[as2.TermState] != "published" ||
				page["attributedTo"] != n.base+"/people/jeanne" || page["audience"] != n.groupIRI() {
				t.Errorf("Accept %s: %s", accept, body)
			}
			if resp.Header.Get("Vary") != "Accept" {
				t.Errorf("Vary %q", resp.Header.Get("Vary"))
			}
		}
		for _, accept := range []string{"", "text/html", "application/json"} {
			if resp, _ := n.get(t, path, accept); resp.StatusCode != http.StatusNotFound {
				t.Errorf("Accept %q: status %d, want the pages' 404", accept, resp.StatusCode)
			}
		}
		as := "application/activity+json"
		for _, tc := range []struct {
			path   string
			status int
			typ    string
		}{
			{"/spaces/budget-2027", http.StatusOK, "Group"},
			{"/spaces/nosuchspace", http.StatusNotFound, ""},
			{"/people/jeanne", http.StatusOK, "Person"},
			{"/people/marc", http.StatusNotFound, ""}, // private: not an actor
			{"/actor", http.StatusOK, "Application"},
			{"/comments/" + n.comment.ID, http.StatusOK, "Note"},
			{"/proposals/nosuchproposal", http.StatusNotFound, ""},
			{"/spaces/budget-2027/outbox", http.StatusOK, "OrderedCollection"},
			{"/spaces/budget-2027/outbox?page=1", http.StatusOK, "OrderedCollectionPage"},
			{"/proposals/" + n.proposal.ID + "/replies?page=1", http.StatusOK, "OrderedCollectionPage"},
		} {
			resp, body := n.get(t, tc.path, as)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: status %d, want %d", tc.path, resp.StatusCode, tc.status)
				continue
			}
			if tc.typ != "" {
				if doc := decode(t, body); doc["type"] != tc.typ {
					t.Errorf("%s: type %v, want %s", tc.path, doc["type"], tc.typ)
				}
			}
		}
		_, body := n.get(t, "/spaces/budget-2027", as)
		group := decode(t, body)
		key, _ := group["publicKey"].(map[string]any)
		if key["id"] != n.groupIRI()+"#main-key" || key["owner"] != n.groupIRI() ||
			!strings.Contains(key["publicKeyPem"].(string), "PUBLIC KEY") || strings.Contains(string(body), "PRIVATE") {
			t.Errorf("Group key: %v", key)
		}
	})
}

// A remote comment's URL sends those who ask for its JSON to its origin.
func TestRemoteCommentRedirects(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		note := r.base + "/users/ada/statuses/1"
		n.accepted(t, r, createNote(r.actor("ada"), note, n.proposalIRI(), "<p>Bonjour</p>"))
		c := n.remoteComment(t, note)
		resp, _ := n.get(t, "/comments/"+c.ID, "application/activity+json")
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != note {
			t.Errorf("status %d to %q, want 302 to %s", resp.StatusCode, resp.Header.Get("Location"), note)
		}
		_, body := n.get(t, "/proposals/"+n.proposal.ID+"/replies?page=1", "application/activity+json")
		if !strings.Contains(string(body), note) {
			t.Errorf("replies do not list the remote comment by its id: %s", body)
		}
	})
}

// With authorized fetch, the JSON of the node's things is for signed
// requests only; the instance actor stays open.
func TestAuthorizedFetch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, func(c *Config) { c.AuthorizedFetch = true })
		r := newRemote(t, "127.0.0.2")
		as := "application/activity+json"
		if resp, _ := n.get(t, "/proposals/"+n.proposal.ID, as); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("unsigned GET: %d, want 401", resp.StatusCode)
		}
		if resp, _ := n.get(t, "/actor", as); resp.StatusCode != http.StatusOK {
			t.Errorf("unsigned GET of the instance actor: %d, want 200", resp.StatusCode)
		}
		req, err := http.NewRequestWithContext(n.ctx, http.MethodGet, n.base+"/proposals/"+n.proposal.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", as)
		if err := (&signature.Signer{KeyID: r.actor("ada") + "#main-key", Private: r.key, Now: time.Now}).Sign(req, nil); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("signed GET: %d, want 200", resp.StatusCode)
		}
	})
}

// The node's name as its admin sets it is the one peers read, on the
// node's actor and in nodeinfo; unset, it is the configured name.
func TestNodeNameFollowsTheAdmin(t *testing.T) {
	var name atomic.Value
	name.Store("")
	n := newNode(t, "sqlite", func(c *Config) {
		c.Name = func(context.Context) string { return name.Load().(string) }
	})
	for _, want := range []string{"Paris 15", "Mairie du 15e"} {
		if want != "Paris 15" {
			name.Store(want)
		}
		_, body := n.get(t, "/actor", "application/activity+json")
		if doc := decode(t, body); doc["name"] != want {
			t.Errorf("actor name %v, want %q", doc["name"], want)
		}
		_, body = n.get(t, "/nodeinfo/2.1", "")
		if !strings.Contains(string(body), `"nodeName":"`+want+`"`) {
			t.Errorf("nodeinfo: %s, want nodeName %q", body, want)
		}
	}
}
