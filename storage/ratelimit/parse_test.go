package ratelimit_test

import (
	"reflect"
	"testing"
	"time"

	"agora/storage/ratelimit"
)

func TestParseRules(t *testing.T) {
	got, err := ratelimit.ParseRules(" 60/1m, 1000/1h ,")
	want := []ratelimit.Rule{{Max: 60, Window: time.Minute}, {Max: 1000, Window: time.Hour}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseRules = %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"", ",", "60", "60/", "/1m", "0/1m", "-1/1m", "60/0s", "60/500ms", "60/2h", "x/1m", "60/1m/2",
		"1/1s,2/2s,3/3s,4/4s,5/5s", "2000000/1m"} {
		if r, err := ratelimit.ParseRules(bad); err == nil {
			t.Errorf("ParseRules(%q) = %v, want an error", bad, r)
		}
	}
}

// FuzzParseRules: whatever an operator writes, the rules read are 1 to
// 4, each with a window the counters live through and a positive Max.
func FuzzParseRules(f *testing.F) {
	for _, s := range []string{"60/1m,1000/1h", "", "1/1s", "5/1h30m", "3/-1m", "9/1e3s", "1/1s,1/1s,1/1s,1/1s,1/1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := ratelimit.ParseRules(s)
		if err != nil {
			return
		}
		if len(rules) < 1 || len(rules) > 4 {
			t.Fatalf("%q: %d rules", s, len(rules))
		}
		for _, r := range rules {
			if r.Max < 1 || r.Max > 1_000_000 || r.Window < time.Second || r.Window > ratelimit.Kept {
				t.Fatalf("%q: rule %+v", s, r)
			}
		}
	})
}
