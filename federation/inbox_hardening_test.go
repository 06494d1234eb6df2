package federation

import (
	"bufio"
	"bytes"
	"crypto/rsa"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"agora/federation/signature"
)

// rawPost writes a POST to the node's inbox over a TCP connection of its
// own: its headers signed (by key, as keyID) for body, then the first
// sendBody bytes of the body only. It returns the connection.
func (n *node) rawPost(t *testing.T, keyID string, sign func(*http.Request), body []byte, sendBody int, extra string) net.Conn {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, n.base+"/inbox", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if sign != nil {
		sign(req)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(n.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var head strings.Builder
	fmt.Fprintf(&head, "POST /inbox HTTP/1.1\r\nHost: %s\r\n", req.Host)
	if !strings.Contains(extra, "Content-Length") {
		fmt.Fprintf(&head, "Content-Length: %d\r\n", len(body))
	}
	for k, vs := range req.Header {
		if k == "Host" {
			continue // on the first line
		}
		for _, v := range vs {
			fmt.Fprintf(&head, "%s: %s\r\n", k, v)
		}
	}
	head.WriteString(extra)
	head.WriteString("\r\n")
	if _, err := conn.Write([]byte(head.String())); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body[:sendBody]); err != nil {
		t.Fatal(err)
	}
	return conn
}

// signer signs a request for body with key, as keyID.
func signer(t *testing.T, keyID string, key *rsa.PrivateKey, body []byte) func(*http.Request) {
	return func(r *http.Request) {
		t.Helper()
		if err := (&signature.Signer{KeyID: keyID, Private: key}).Sign(r, body); err != nil {
			t.Fatal(err)
		}
	}
}

// readStatus reads the status line of the answer on conn, within d.
func readStatus(t *testing.T, conn net.Conn, d time.Duration) (int, string, error) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b)), nil
}

// A client that sends a well-signed delivery's headers and then trickles
// its body, one byte every second, is cut off once the inbox's read time
// passes, and nothing is stored.
func TestInboxSlowBodyIsCutOff(t *testing.T) {
	n := newNode(t, "sqlite", func(c *Config) { c.InboxReadTimeout = 2 * time.Second })
	r := newRemote(t, "127.0.0.2")
	ada := r.actor("ada")
	body := mustJSON(createNote(ada, r.base+"/users/ada/statuses/slow", n.proposalIRI(), "<p>Lent</p>"))
	before := n.counts(t)
	start := time.Now()
	conn := n.rawPost(t, ada+"#main-key", signer(t, ada+"#main-key", r.key, body), body, 1, "")
	var closed atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 2; i < len(body); i++ {
			time.Sleep(time.Second)
			if _, err := conn.Write(body[i-1 : i]); err != nil {
				closed.Store(true)
				return
			}
		}
	}()
	// The answer (a 4xx, or the connection closed) must come within the
	// bound plus slack, long before the trickle would end.
	status, _, err := readStatus(t, conn, 8*time.Second)
	elapsed := time.Since(start)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the connection is still open after %s (status %d)", elapsed.Round(time.Millisecond), status)
	}
	if err == nil && status < 400 {
		t.Fatalf("a trickled body was accepted: %d", status)
	}
	if elapsed > 6*time.Second {
		t.Errorf("cut after %s, want within about 2 s", elapsed.Round(time.Millisecond))
	}
	conn.Close()
	<-done
	n.sameCounts(t, before)
	t.Logf("cut after %s (status %d, err %v)", elapsed.Round(time.Millisecond), status, err)
}

// The signature is checked before the body is read: a POST whose
// signature does not verify is refused with 401 while its 1 MiB body has
// not been sent at all. A POST without Content-Length, or over the
// limit, is refused before anything.
func TestInboxRefusesBeforeTheBody(t *testing.T) {
	n := newNode(t, "sqlite", nil)
	r := newRemote(t, "127.0.0.2")
	ada := r.actor("ada")
	big := mustJSON(createNote(ada, r.base+"/users/ada/statuses/big", n.proposalIRI(), "<p>"+strings.Repeat("x", maxActivity-1000)+"</p>"))
	if len(big) > maxActivity || len(big) < maxActivity-1024 {
		t.Fatalf("body of %d bytes", len(big))
	}
	before := n.counts(t)

	t.Run("bad signature, body not sent", func(t *testing.T) {
		conn := n.rawPost(t, ada+"#main-key", signer(t, ada+"#main-key", otherKey(), big), big, 0, "")
		status, reason, err := readStatus(t, conn, 5*time.Second)
		if err != nil {
			t.Fatalf("no answer before the body was sent: %v", err)
		}
		if status != http.StatusUnauthorized || reason != "signature: signature does not verify" {
			t.Errorf("got %d %q, want 401 signature: signature does not verify", status, reason)
		}
	})
	t.Run("good signature, body sent: accepted", func(t *testing.T) {
		conn := n.rawPost(t, ada+"#main-key", signer(t, ada+"#main-key", r.key, big), big, len(big), "")
		status, reason, err := readStatus(t, conn, 10*time.Second)
		if err != nil || status != http.StatusAccepted {
			t.Errorf("got %d %q %v, want 202", status, reason, err)
		}
	})
	n.sameCountsBut(t, before, "ap_received", "ap_inbox jobs")

	t.Run("no Content-Length", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, n.base+"/inbox", io.NopCloser(strings.NewReader("{}")))
		req.ContentLength = -1 // chunked
		signer(t, ada+"#main-key", r.key, []byte("{}"))(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusLengthRequired {
			t.Errorf("got %d, want 411", resp.StatusCode)
		}
	})
	t.Run("over the limit, body not sent", func(t *testing.T) {
		conn := n.rawPost(t, ada+"#main-key", nil, []byte("{}"), 0, fmt.Sprintf("Content-Length: %d\r\n", maxActivity+1))
		status, _, err := readStatus(t, conn, 5*time.Second)
		if err != nil || status != http.StatusRequestEntityTooLarge {
			t.Errorf("got %d %v, want 413 before the body", status, err)
		}
	})
}

// sameCountsBut is sameCounts for every table but those named.
func (n *node) sameCountsBut(t *testing.T, before map[string]int, except ...string) {
	t.Helper()
	b := map[string]int{}
	for k, v := range before {
		b[k] = v
	}
	for _, k := range except {
		delete(b, k)
	}
	n.sameCounts(t, b)
}

// A delivery signed for another server (its signed host is not this
// node's) is refused, even when it is sent with that Host header.
func TestInboxRefusesAnotherServersDelivery(t *testing.T) {
	n := newNode(t, "sqlite", nil)
	r := newRemote(t, "127.0.0.2")
	ada := r.actor("ada")
	body := mustJSON(activity("Like", r.base+"/likes/elsewhere", ada, n.proposalIRI()))
	before := n.counts(t)
	for _, host := range []string{"paris12.example", "127.0.0.1:1"} {
		req, _ := http.NewRequest(http.MethodPost, n.base+"/inbox", bytes.NewReader(body))
		req.Host = host // signed for it, and sent with it
		if err := (&signature.Signer{KeyID: ada + "#main-key", Private: r.key}).Sign(req, body); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		reason, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || strings.TrimSpace(string(reason)) != "signature: signed for another host" {
			t.Errorf("signed for %s: %d %q, want 401 signature: signed for another host", host, resp.StatusCode, reason)
		}
	}
	n.sameCounts(t, before)
	// The same delivery signed for this node is taken.
	if got := n.accepted(t, r, activity("Like", r.base+"/likes/here", ada, n.proposalIRI())); !strings.HasPrefix(got, "like of") {
		t.Errorf("outcome %q", got)
	}
}

// Bad signatures cannot make the node hammer a host with key fetches: a
// key that cannot be had is not asked for again for a while, a host gets
// at most keyFetchBurst fetches at once, a known key is not fetched again
// for every signature that fails with it; and the answer is a short
// public reason, never what went wrong inside.
func TestInboxKeyFetchLimits(t *testing.T) {
	n := newNode(t, "sqlite", nil)
	victim := newRemote(t, "127.0.0.2")
	victim.failFirst("/users/ghost", 1000)
	for i := range 40 {
		victim.failFirst(fmt.Sprintf("/users/ghost%d", i), 1000)
	}
	body := func(actor string, i int) []byte {
		return mustJSON(activity("Like", fmt.Sprintf("%s/likes/%d", actor, i), actor, n.proposalIRI()))
	}
	before := n.counts(t)

	t.Run("one unknown key, many times", func(t *testing.T) {
		ghost := victim.actor("ghost")
		for i := range 30 {
			status, reason := n.post(t, send{keyID: ghost + "#main-key", key: victim.key, body: body(ghost, i)})
			if status != http.StatusUnauthorized || reason != "signature: cannot get signing key" {
				t.Fatalf("POST %d: %d %q, want 401 signature: cannot get signing key", i, status, reason)
			}
		}
		if got := victim.gotten("/users/ghost"); got != 1 {
			t.Errorf("the key's actor was fetched %d times, want 1", got)
		}
	})
	t.Run("many unknown keys on one host", func(t *testing.T) {
		for i := range 40 {
			ghost := victim.actor(fmt.Sprintf("ghost%d", i))
			status, reason := n.post(t, send{keyID: ghost + "#main-key", key: victim.key, body: body(ghost, i)})
			if status != http.StatusUnauthorized || reason != "signature: cannot get signing key" {
				t.Fatalf("POST %d: %d %q", i, status, reason)
			}
		}
		got := 0
		for i := range 40 {
			got += victim.gotten(fmt.Sprintf("/users/ghost%d", i))
		}
		if got > keyFetchBurst {
			t.Errorf("%d fetches from one host, want at most %d", got, keyFetchBurst)
		}
		t.Logf("%d fetches for 40 unknown keys", got)
	})
	t.Run("a known key and bad signatures", func(t *testing.T) {
		// Another host: the victim's bucket is empty by now.
		known := newRemote(t, "127.0.0.3")
		ada := known.actor("ada")
		if got := n.accepted(t, known, activity("Like", known.base+"/likes/ok", ada, n.proposalIRI())); !strings.HasPrefix(got, "like of") {
			t.Fatalf("outcome %q", got)
		}
		fetched := known.gotten("/users/ada")
		for i := range 20 {
			status, reason := n.post(t, send{keyID: ada + "#main-key", key: otherKey(), body: body(ada, 100+i)})
			if status != http.StatusUnauthorized || reason != "signature: signature does not verify" {
				t.Fatalf("POST %d: %d %q", i, status, reason)
			}
		}
		if got := known.gotten("/users/ada") - fetched; got != 0 {
			t.Errorf("the actor was fetched again %d times for bad signatures, want 0 (fetched just now)", got)
		}
	})
	n.sameCountsBut(t, before, "ap_received", "ap_inbox jobs", "ap_reactions")
}

func TestSignedHost(t *testing.T) {
	for base, want := range map[string]string{
		"https://paris15.example":      "paris15.example",
		"https://paris15.example:443":  "paris15.example",
		"https://paris15.example:8443": "paris15.example:8443",
		"http://127.0.0.1:8080":        "127.0.0.1:8080",
		"http://localhost:80":          "localhost",
	} {
		u, _ := url.Parse(base)
		if got := signedHost(u); got != want {
			t.Errorf("signedHost(%s) = %q, want %q", base, got, want)
		}
	}
}
