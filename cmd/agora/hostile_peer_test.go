package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"agora/federation/signature"
)

// The hostile peer: a fediverse server, in the test process, that puts
// markup and script in every text it sends and misbehaves on purpose
// when the node fetches from it. The suite (hostile_test.go) drives a
// real node against it.

// hostile is what a peer may put in any text: a redirect, a same-origin
// form granting a role, scripts, handlers, script links, remote
// resources (which the node's CSP would block: a violation), styles,
// frames, parser tricks, and the same escaped once (which a careless
// decoder turns back into markup). Pages that render any of it as
// markup show an incident in Chromium.
var hostile = []string{
	`<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
	`<meta http-equiv=refresh content="1;url=/logout">`,
	`<form action="/admin/accounts/ACCOUNT/roles" method="post"><input type="hidden" name="role" value="admin"><button>Continuer</button></form>`,
	`<form action="https://evil.example/phish"><input name="password" type="password"></form>`,
	`<script>alert("script")</script>`,
	`<img src="x" onerror="alert('img')">`,
	`<img src="http://127.0.0.2:9/tracker.png" alt="">`,
	`<svg onload="alert('svg')"></svg>`,
	`<a href="javascript:alert('link')">clic</a>`,
	`<a href="data:text/html,<script>alert(1)</script>">data</a>`,
	`<p style="position:fixed;inset:0;background:red">voile</p>`,
	`<style>body{display:none}</style>`,
	`<link rel="stylesheet" href="https://evil.example/x.css">`,
	`<base href="https://evil.example/">`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>`,
	`<object data="https://evil.example/x.swf"></object>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>`,
	`<noscript><p title="</noscript><img src=x onerror=alert('noscript')>">`,
	`&lt;script&gt;alert("escaped")&lt;/script&gt;`,
	`&amp;lt;img src=x onerror=alert('twice')&amp;gt;`,
	"\u202eevil\u202c",
}

// hostileText is a text with every hostile piece in it after label, a
// plain word the suite looks for on the pages (so a page that shows
// nothing of the peer's text does not pass for a safe one).
func hostileText(label string) string { return label + " " + strings.Join(hostile, " ") + " fin" }

// peerKey is the key of every hostile peer's actors, made once: RSA-2048
// takes a while.
var peerKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// hugeSize is the size of the peer's huge documents: ten times what the
// node accepts.
const hugeSize = 10 << 20

// hostilePeer is a fediverse server on a loopback address of its own
// (127.0.0.2, 127.0.0.3…, another host than the node). Every path is an
// actor with hostile texts (a Group under /c/ and /apps, an Application
// at /actor, else a Person), unless a document was put there, or unless
// it is one of the misbehaving paths:
//
//	/huge/chunked/…   a 10 MB actor document, streamed without Content-Length
//	/huge/declared/…  the same with its Content-Length
//	/loop/…           a redirect to itself, for ever
//	/slow/…           an actor document sent one byte a second
//	/err500/…         500 Internal Server Error
//	/err429/…         429 Too Many Requests, Retry-After: 3
//	/solo/…           a Person with no shared inbox
//
// WebFinger answers acct:NAME@host with the Group /c/NAME, except for the
// names huge, loop and slow, which get the answers above. Every POST to a
// path ending in /inbox is recorded and answered with the next scripted
// answer, or 202.
type hostilePeer struct {
	srv    *httptest.Server
	closed chan struct{} // closed when the test ends
	base   string        // http://127.0.0.x:PORT
	host   string        // 127.0.0.x:PORT
	key    *rsa.PrivateKey

	mu      sync.Mutex
	docs    map[string]any         // by path and query
	fails   map[string][]peerReply // by path: answers to the next GETs
	replies []peerReply            // answers to the next POSTs to an inbox
	posts   []peerPost
	gets    []peerGet
}

// peerReply is a status, with a Retry-After header when not "", sent
// one byte a second when trickle is set.
type peerReply struct {
	status     int
	retryAfter string
	trickle    bool
}

// peerPost is a POST the peer received.
type peerPost struct {
	at     time.Time
	path   string
	doc    map[string]any
	status int // what the peer answered
}

// peerGet is a GET the peer received.
type peerGet struct {
	at   time.Time
	path string
}

func newHostilePeer(t *testing.T, ip string) *hostilePeer {
	t.Helper()
	p := &hostilePeer{key: peerKey(), docs: map[string]any{}, fails: map[string][]peerReply{}, closed: make(chan struct{})}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	// When the test ends: the slow answers stop, connections close, the
	// server stops (cleanups run last first).
	t.Cleanup(srv.Close)
	t.Cleanup(srv.CloseClientConnections)
	t.Cleanup(func() { close(p.closed) })
	p.srv, p.base, p.host = srv, srv.URL, ln.Addr().String()
	return p
}

// put serves doc (as JSON) at uri, a path with its query.
func (p *hostilePeer) put(uri string, doc any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.docs[uri] = doc
}

// failFirst answers the next GETs of path with replies, one each.
func (p *hostilePeer) failFirst(path string, replies ...peerReply) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fails[path] = append(p.fails[path], replies...)
}

// answerPosts answers the next POSTs to an inbox with replies, one each;
// status 0 answers every later POST with the last reply.
func (p *hostilePeer) answerPosts(replies ...peerReply) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.replies = append(p.replies[:0], replies...)
}

func (p *hostilePeer) received() []peerPost {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]peerPost(nil), p.posts...)
}

// gotten returns the times path was asked for.
func (p *hostilePeer) gotten(path string) []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []time.Time
	for _, g := range p.gets {
		if g.path == path {
			out = append(out, g.at)
		}
	}
	return out
}

// waitPost waits for a POST whose activity has the type (and, for an
// Accept or an Undo, whose object has objType) and returns it.
func (p *hostilePeer) waitPost(t *testing.T, typ string, match func(peerPost) bool) peerPost {
	t.Helper()
	var got peerPost
	eventually(t, 30*time.Second, "a "+typ+" delivered to "+p.host, func() bool {
		for _, d := range p.received() {
			if d.doc["type"] == typ && (match == nil || match(d)) {
				got = d
				return true
			}
		}
		return false
	})
	return got
}

func (p *hostilePeer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		reply := peerReply{status: http.StatusAccepted}
		p.mu.Lock()
		if len(p.replies) > 0 {
			reply = p.replies[0]
			if len(p.replies) > 1 {
				p.replies = p.replies[1:]
			}
		}
		post := peerPost{at: time.Now(), path: r.URL.Path, status: reply.status}
		json.Unmarshal(body, &post.doc)
		p.posts = append(p.posts, post)
		p.mu.Unlock()
		if reply.trickle {
			p.trickle(w, reply.status)
			return
		}
		if reply.retryAfter != "" {
			w.Header().Set("Retry-After", reply.retryAfter)
		}
		w.WriteHeader(reply.status)
		return
	}
	path := r.URL.Path
	p.mu.Lock()
	p.gets = append(p.gets, peerGet{at: time.Now(), path: path})
	doc, hasDoc := p.docs[r.URL.RequestURI()]
	var fail *peerReply
	if fs := p.fails[path]; len(fs) > 0 {
		fail, p.fails[path] = &fs[0], fs[1:]
	}
	p.mu.Unlock()

	switch {
	case fail != nil:
		if fail.retryAfter != "" {
			w.Header().Set("Retry-After", fail.retryAfter)
		}
		http.Error(w, hostileText("Erreur"), fail.status)
	case path == "/.well-known/webfinger":
		p.webfinger(w, r)
	case hasDoc:
		w.Header().Set("Content-Type", "application/activity+json")
		json.NewEncoder(w).Encode(doc)
	case strings.HasPrefix(path, "/huge/chunked/"):
		p.huge(w, path, false)
	case strings.HasPrefix(path, "/huge/declared/"):
		p.huge(w, path, true)
	case strings.HasPrefix(path, "/loop/"):
		http.Redirect(w, r, path, http.StatusFound)
	case strings.HasPrefix(path, "/slow/"):
		p.slow(w, r)
	case strings.HasPrefix(path, "/err500/"):
		http.Error(w, hostileText("Erreur"), http.StatusInternalServerError)
	case strings.HasPrefix(path, "/err429/"):
		w.Header().Set("Retry-After", "3")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	default:
		w.Header().Set("Content-Type", "application/activity+json")
		json.NewEncoder(w).Encode(p.actor(path))
	}
}

// actor is the document of the actor at path, hostile in every text.
func (p *hostilePeer) actor(path string) map[string]any {
	id := p.base + path
	typ, name := "Person", path[strings.LastIndex(path, "/")+1:]
	switch {
	case strings.HasPrefix(path, "/c/"):
		typ = "Group"
	case path == "/apps":
		typ, name = "Group", "catalogue"
	case path == "/actor":
		typ = "Application"
	}
	shared := map[string]any{"sharedInbox": p.base + "/inbox"}
	if strings.HasPrefix(path, "/solo/") { // an inbox of its own
		shared = map[string]any{}
	}
	username := name
	if path != "/apps" { // a catalogue is known by its name
		username = hostileText(name)
	}
	return map[string]any{
		"@context":          []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                id,
		"type":              typ,
		"preferredUsername": username,
		"name":              hostileText("Nom-" + name),
		"summary":           hostileText("<p>Resume-" + name + "</p>"),
		"url":               "javascript:alert('url')",
		"icon":              map[string]any{"type": "Image", "url": "javascript:alert('icon')", "mediaType": "image/png"},
		"image":             map[string]any{"type": "Image", "url": "http://127.0.0.2:9/banner.png"},
		"attachment":        []any{map[string]any{"type": "PropertyValue", "name": hostileText("Champ"), "value": hostileText("Valeur")}},
		"inbox":             id + "/inbox",
		"outbox":            id + "/outbox",
		"endpoints":         shared,
		"publicKey":         map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": peerPEM(&p.key.PublicKey)},
	}
}

// huge streams a 10 MB actor document: a summary of ten million bytes.
func (p *hostilePeer) huge(w http.ResponseWriter, path string, declared bool) {
	id := p.base + path
	head := fmt.Sprintf(`{"id":%q,"type":"Person","inbox":%q,"summary":"`, id, id+"/inbox")
	key, _ := json.Marshal(map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": peerPEM(&p.key.PublicKey)})
	tail := `","publicKey":` + string(key) + "}"
	w.Header().Set("Content-Type", "application/activity+json")
	if declared {
		w.Header().Set("Content-Length", strconv.Itoa(len(head)+hugeSize+len(tail)))
	}
	io.WriteString(w, head)
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for sent := 0; sent < hugeSize; sent += len(chunk) {
		if _, err := w.Write(chunk[:min(len(chunk), hugeSize-sent)]); err != nil {
			return // the node stopped reading: what it should do
		}
	}
	io.WriteString(w, tail)
}

// slow sends an actor document one byte a second, until the node hangs
// up (or a minute passes).
func (p *hostilePeer) slow(w http.ResponseWriter, r *http.Request) {
	doc, _ := json.Marshal(p.actor(r.URL.Path))
	w.Header().Set("Content-Type", "application/activity+json")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	for i := 0; i < len(doc) && i < 60; i++ {
		if _, err := w.Write(doc[i : i+1]); err != nil {
			return
		}
		rc.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-p.closed:
			return
		case <-time.After(time.Second):
		}
	}
}

// trickle sends the answer one byte a second, its status line first,
// until the node hangs up or the peer closes.
func (p *hostilePeer) trickle(w http.ResponseWriter, status int) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	answer := fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n", status, http.StatusText(status))
	for i := range len(answer) {
		if _, err := io.WriteString(conn, answer[i:i+1]); err != nil {
			return
		}
		select {
		case <-p.closed:
			return
		case <-time.After(time.Second):
		}
	}
}

// webfinger answers for the Group /c/NAME, or misbehaves for the names
// huge, loop and slow.
func (p *hostilePeer) webfinger(w http.ResponseWriter, r *http.Request) {
	resource := strings.TrimPrefix(r.URL.Query().Get("resource"), "acct:")
	name, _, _ := strings.Cut(resource, "@")
	switch name {
	case "huge":
		p.huge(w, "/huge/chunked/webfinger", false)
	case "loop":
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	case "slow":
		p.slow(w, r)
	default:
		w.Header().Set("Content-Type", "application/jrd+json")
		json.NewEncoder(w).Encode(map[string]any{"subject": "acct:" + resource, "links": []any{
			map[string]any{"rel": "self", "type": "application/activity+json", "href": p.base + "/c/" + name},
		}})
	}
}

// send posts an activity to the node's shared inbox, signed with the key
// of its actor, and returns the status.
func (p *hostilePeer) send(t *testing.T, n *fedNode, activity map[string]any) int {
	t.Helper()
	actor, _ := activity["actor"].(string)
	return p.sendSigned(t, n, actor+"#main-key", activity)
}

// sendSigned posts an activity signed as keyID says (with the peer's
// key), and returns the status.
func (p *hostilePeer) sendSigned(t *testing.T, n *fedNode, keyID string, activity map[string]any) int {
	t.Helper()
	status, err := p.post(n, keyID, activity)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

// post is sendSigned for any goroutine: it returns what went wrong.
func (p *hostilePeer) post(n *fedNode, keyID string, activity map[string]any) (int, error) {
	body, err := json.Marshal(activity)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodPost, n.base+"/inbox", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := (&signature.Signer{KeyID: keyID, Private: p.key}).Sign(req, body); err != nil {
		return 0, err
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return 0, fmt.Errorf("POST %s to %s: %w", activity["type"], n.name, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// accept answers the node's Follow of group, as the Group.
func (p *hostilePeer) accept(t *testing.T, n *fedNode, group string) {
	t.Helper()
	follow := p.waitPost(t, "Follow", func(d peerPost) bool { return d.doc["object"] == group })
	accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": group + "/accepts/1", "type": "Accept",
		"actor": group, "object": follow.doc}
	if status := p.send(t, n, accept); status != http.StatusAccepted {
		t.Fatalf("Accept of the follow of %s: status %d", group, status)
	}
}

func peerPEM(k *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// as is an activity of the peer.
func as(typ, id, actor string, object any) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": typ, "actor": actor,
		"object": object, "to": []string{"https://www.w3.org/ns/activitystreams#Public"}}
}
