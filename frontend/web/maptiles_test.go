package web

import (
	"strings"
	"testing"
)

func TestParseMapTiles(t *testing.T) {
	tests := []struct {
		in, origin, host, err string
	}{
		{"", "", "", ""},
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png © OpenStreetMap contributors", "https://tile.openstreetmap.org", "tile.openstreetmap.org", ""},
		{"https://{s}.tile.example.org/{z}/{x}/{y}.png Fond © Example", "https://*.tile.example.org", "tile.example.org", ""},
		{"http://127.0.0.1:8080/{z}/{x}/{y}.png Test", "http://127.0.0.1:8080", "127.0.0.1:8080", ""},
		{"https://tile.example.org/{z}/{x}/{y}.png", "", "", "attribution"},
		{"https://tile.example.org/{z}/{x}.png © X", "", "", "{z}, {x} and {y}"},
		{"javascript:alert(1)//{z}{x}{y} © X", "", "", "http(s)"},
		{"https://tile.example.org/{z}/{x}/{y}.png <b>X</b>", "", "", "attribution"},
		{"https://a.example;x/{z}/{x}/{y}.png © X", "", "", "http(s)"},
	}
	for _, tt := range tests {
		got, err := ParseMapTiles(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: %v, want an error about %s", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.in == "":
			if got != nil {
				t.Errorf("empty: %+v, want no tiles", got)
			}
		case got.Origin != tt.origin || got.Host != tt.host:
			t.Errorf("%q: origin %q host %q, want %q %q", tt.in, got.Origin, got.Host, tt.origin, tt.host)
		case !strings.Contains(policyWithTiles(got), "img-src 'self' data: "+tt.origin+";"):
			t.Errorf("%q: policy %s", tt.in, policyWithTiles(got))
		}
	}
}
