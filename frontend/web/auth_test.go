package web

import "testing"

// A redirect after sign-in stays on this node, whatever a browser would
// make of it once it strips tabs and line breaks and reads a backslash as
// a slash.
func TestSafeNext(t *testing.T) {
	for _, tt := range []struct{ next, want string }{
		{"", "/account"},
		{"/", "/"},
		{"/proposals/abc?done=supported#support", "/proposals/abc?done=supported#support"},
		{"  /spaces ", "/spaces"},
		{"//evil.example", "/account"},
		{"/\t/evil.example", "/account"},
		{"/\n/evil.example", "/account"},
		{"/\r\n/evil.example", "/account"},
		{"\t//evil.example", "/account"},
		{"/\\evil.example", "/account"},
		{"\\/evil.example", "/account"},
		{"https://evil.example/", "/account"},
		{"javascript:alert(1)", "/account"},
		{"evil.example", "/account"},
		{"/ok\x00/x", "/account"},
		{"/ok\x1b", "/ok"},                     // trimmed at the end, as browsers do
		{"/a/b\\..\\..\\x", "/a/b\\..\\..\\x"}, // a path on this node, whatever the browser resolves
	} {
		if got := SafeNext(tt.next); got != tt.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
