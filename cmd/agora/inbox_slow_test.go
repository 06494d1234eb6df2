package main

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"agora/frontend"
	"agora/storage/storagetest"
)

// A client that trickles the headers of a POST to an inbox, a byte every
// 2 s, is cut off by the server's header timeout: the inboxes sit in
// front of the pages' middleware, but not in front of the server. (Their
// body is bounded by the inbox itself: federation's
// TestInboxSlowBodyIsCutOff.)
func TestInboxSlowHeadersAreCutOff(t *testing.T) {
	h := startHelper(t, "AGORA_DATA_DIR="+t.TempDir(), "AGORA_DATABASE_URL="+storagetest.DatabaseURL(t, "sqlite"))
	conn, err := net.Dial("tcp", h.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /inbox HTTP/1.1\r\nHost: %s\r\n", h.addr)
	closed := make(chan time.Duration, 1)
	go func() {
		io.Copy(io.Discard, conn) // until the server closes it
		closed <- time.Since(start)
	}()
	header := []byte("X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	bound := frontend.ReadHeaderTimeout + 5*time.Second
	for i := 0; ; i++ {
		select {
		case d := <-closed:
			if d > bound {
				t.Fatalf("cut after %s, want within %s", d.Round(time.Millisecond), bound)
			}
			t.Logf("cut after %s", d.Round(time.Millisecond))
			return
		case <-time.After(2 * time.Second):
		}
		if time.Since(start) > bound {
			t.Fatalf("still open after %s", time.Since(start).Round(time.Millisecond))
		}
		conn.Write(header[i%len(header) : i%len(header)+1])
	}
}
