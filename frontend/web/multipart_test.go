package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// What a sender gets wrong in a multipart body is a 4xx, never a 500.
func TestMultipartErrorsAreTheSenders(t *testing.T) {
	manyHeaders := func() string {
		var b strings.Builder
		b.WriteString("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n")
		for i := range 10_001 {
			fmt.Fprintf(&b, "X-H%d: v\r\n", i)
		}
		return b.String() + "\r\nv\r\n--b--\r\n"
	}()
	for _, tt := range []struct {
		name, body string
		status     int
	}{
		{"too many part headers", manyHeaders, http.StatusRequestEntityTooLarge},
		{"no boundary line", "hello", http.StatusBadRequest},
		{"a header line with no colon", "--b\r\nno colon here\r\n\r\nv\r\n--b--\r\n", http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
			m, err := ReadMultipart(r)
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Next()
			var e *Error
			if !errors.As(err, &e) || e.Status != tt.status {
				t.Fatalf("err = %v, want a %d", err, tt.status)
			}
		})
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader("x"))
	r.Header.Set("Content-Type", "text/plain")
	if _, err := ReadMultipart(r); err == nil || !strings.HasPrefix(err.Error(), "400") {
		t.Errorf("not multipart: %v, want a 400", err)
	}
}
