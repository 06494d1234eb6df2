package reports_test

import (
	"net/url"
	"testing"
	"time"

	streetreports "agora/frontend/reports"
)

// TestListPages: page_size and page of GET requests, and what is
// refused.
func TestListPages(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		query         string
		limit, offset int
		ok            bool
	}{
		{"", 100, 0, true},
		{"page_size=1000", 1000, 0, true},
		{"page_size=20&page=3", 20, 40, true},
		{"page=101", 100, 10000, true},
		{"page=102", 0, 0, false},
		{"page_size=0", 0, 0, false},
		{"page_size=1001", 0, 0, false},
		{"page=0", 0, 0, false},
		{"page=x", 0, 0, false},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		q, err := streetreports.ParseListQuery(v, now)
		if (err == nil) != tt.ok {
			t.Errorf("%q: %v", tt.query, err)
			continue
		}
		if tt.ok && (q.Query.Limit != tt.limit || q.Query.Offset != tt.offset) {
			t.Errorf("%q: limit %d offset %d, want %d %d", tt.query, q.Query.Limit, q.Query.Offset, tt.limit, tt.offset)
		}
	}
}
