package web

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPanicBecomesA500Page(t *testing.T) {
	base, _ := url.Parse("http://localhost")
	k, err := New(Config{NodeName: "X", BaseURL: base}, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	boom := recoverPanics(k.log, k.Fail)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	w := httptest.NewRecorder()
	boom.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 || !strings.Contains(w.Body.String(), "Une erreur est survenue") {
		t.Fatalf("panic answered %d: %s", w.Code, w.Body)
	}
}

// A client that sends its headers then trickles its body is cut off once
// the request's read deadline passes; it cannot hold a connection.
func TestSlowBodyIsCutOff(t *testing.T) {
	var got error
	done := make(chan struct{})
	h := deadlines(200*time.Millisecond, time.Second, time.Hour, func(*http.Request) bool { return false })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, got = io.ReadAll(r.Body)
		close(done)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow body was not cut off")
	}
	if got == nil {
		t.Fatal("reading a trickled body succeeded")
	}
}
