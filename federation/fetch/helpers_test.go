package fetch

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
)

// recordingSigner writes a fake signature naming the host it signed for and
// records each call.
type recordingSigner struct {
	mu    sync.Mutex
	calls []signCall
	err   error
}

type signCall struct {
	method, host, date string
	body               []byte
}

func (s *recordingSigner) Sign(r *http.Request, body []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.calls = append(s.calls, signCall{r.Method, r.Host, r.Header.Get("Date"), body})
	r.Header.Set("Signature", `keyId="test",host="`+r.Host+`"`)
	return nil
}

func (s *recordingSigner) Calls() []signCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]signCall(nil), s.calls...)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func checkStatus(t *testing.T, err error, code int) *StatusError {
	t.Helper()
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *StatusError %d", err, code)
	}
	if se.Code != code {
		t.Fatalf("status = %d, want %d", se.Code, code)
	}
	return se
}
