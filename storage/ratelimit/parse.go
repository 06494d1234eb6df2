package ratelimit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseRules reads limits written as "60/1m,1000/1h" (an operator's
// setting): at most Max per Window, each window from 1 s to Kept (a
// counter is not kept longer, so a longer window would never fill),
// each Max from 1 to 1,000,000, 1 to 4 rules.
func ParseRules(s string) ([]Rule, error) {
	var out []Rule
	for p := range strings.SplitSeq(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n, d, ok := strings.Cut(p, "/")
		most, err := strconv.Atoi(strings.TrimSpace(n))
		if !ok || err != nil || most < 1 || most > 1_000_000 {
			return nil, fmt.Errorf("%q is not a limit such as 60/1m", p)
		}
		window, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil || window < time.Second || window > Kept {
			return nil, fmt.Errorf("%q: the window is a duration from 1s to %s", p, Kept)
		}
		if len(out) == 4 {
			return nil, errors.New("at most 4 limits")
		}
		out = append(out, Rule{Max: most, Window: window})
	}
	if len(out) == 0 {
		return nil, errors.New("give 1 to 4 limits such as 60/1m,1000/1h")
	}
	return out, nil
}
