package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestPermanent(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("connection reset"), false},
		{context.DeadlineExceeded, false},
		{fmt.Errorf("x: %w", &StatusError{Code: 404}), true},
		{&StatusError{Code: 400}, true},
		{&StatusError{Code: 408}, false},
		{&StatusError{Code: 429}, false},
		{&StatusError{Code: 500}, false},
		{&StatusError{Code: 503}, false},
		{&StatusError{Code: 301}, false},
		{fmt.Errorf("x: %w", ErrPrivateAddress), true},
		{fmt.Errorf("x: %w", ErrBadURL), true},
		{fmt.Errorf("x: %w", ErrTooLarge), true},
		{fmt.Errorf("x: %w", ErrNotJSON), true},
		{fmt.Errorf("x: %w", ErrTooManyRedirects), true},
	}
	for _, tt := range tests {
		if got := Permanent(tt.err); got != tt.want {
			t.Errorf("Permanent(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"30", 30 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{"99999999999999", 0}, // would overflow
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.header, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
