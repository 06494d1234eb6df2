package decisions

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// Method is how ballots are cast and counted.
type Method string

const (
	// Single: one option per ballot; most votes wins.
	Single Method = "single"
	// Approval: any number of options (at least one); most votes wins.
	Approval Method = "approval"
	// Ranked: options in order of preference, decided by the Schulze
	// method; options a ballot leaves out rank below all it ranks, tied.
	Ranked Method = "ranked"
	// Score: every option gets a score between the vote's bounds (an
	// option left out gets the lowest); highest total wins.
	Score Method = "score"
	// Budget: projects whose costs fit the vote's total; each project on
	// a ballot counts as an approval, and the projects are funded by
	// votes within the total (the participatory budget's ballot, counted
	// with package budgets).
	Budget Method = "budget"
)

// Methods lists the methods in the order forms show them.
var Methods = []Method{Single, Approval, Ranked, Score, Budget}

// Option is one answer a vote offers. Key is stable and short (it
// appears in published ballots); Cost is a budget project's cost.
type Option struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Cost  int64  `json:"cost,omitempty"`
}

// Spec is what a count needs of a vote: it is also the head of the
// published results, so anyone can count again.
type Spec struct {
	VoteID      string   `json:"vote"`
	Method      Method   `json:"method"`
	Options     []Option `json:"options"`
	StatusQuo   string   `json:"status_quo,omitempty"` // key of the status quo option (ranked)
	ScoreMin    int      `json:"score_min,omitempty"`
	ScoreMax    int      `json:"score_max,omitempty"`
	BudgetTotal int64    `json:"budget_total,omitempty"`
	MaxChoices  int      `json:"max_choices,omitempty"` // approval, budget: at most so many options per ballot
	Quorum      int64    `json:"quorum,omitempty"`      // counted weight needed for the result to stand
}

// Choice is a ballot as a resident fills it, by option keys.
type Choice struct {
	Options []string       `json:"options,omitempty"` // single (exactly one), approval, budget
	Ranking []string       `json:"ranking,omitempty"` // ranked, best first
	Scores  map[string]int `json:"scores,omitempty"`  // score
}

// Errors of a ballot's content.
var (
	ErrUnknownOption = errors.New("this option is not one of the vote's")
	ErrEmptyBallot   = errors.New("choose at least one option")
	ErrOneOption     = errors.New("choose exactly one option")
	ErrRepeated      = errors.New("an option appears twice on the ballot")
	ErrScoreBounds   = errors.New("a score is outside the vote's bounds")
	ErrOverBudget    = errors.New("the chosen projects cost more than the total")
	ErrTooMany       = errors.New("this ballot chooses more options than the vote allows")
	ErrWrongForm     = errors.New("this ballot does not match the vote's method")
)

func (sp *Spec) position(key string) (int, bool) {
	for i, o := range sp.Options {
		if o.Key == key {
			return i, true
		}
	}
	return 0, false
}

// Marks turns a choice into option positions, checked against the vote:
// for single, approval and budget the chosen positions in order of the
// vote's options; for ranked the ranking; for score one score per
// option, in the vote's order.
func (sp *Spec) Marks(c Choice) ([]int32, error) {
	switch sp.Method {
	case Single, Approval, Budget:
		if len(c.Ranking) > 0 || len(c.Scores) > 0 {
			return nil, ErrWrongForm
		}
		if len(c.Options) == 0 {
			return nil, ErrEmptyBallot
		}
		if sp.Method == Single && len(c.Options) != 1 {
			return nil, ErrOneOption
		}
		marks, err := sp.positions(c.Options)
		if err != nil {
			return nil, err
		}
		if sp.MaxChoices > 0 && len(marks) > sp.MaxChoices && sp.Method != Single {
			return nil, fmt.Errorf("%w: at most %d", ErrTooMany, sp.MaxChoices)
		}
		slices.Sort(marks)
		if sp.Method == Budget {
			var cost int64
			for _, m := range marks {
				cost += sp.Options[m].Cost
			}
			if cost > sp.BudgetTotal {
				return nil, ErrOverBudget
			}
		}
		return marks, nil
	case Ranked:
		if len(c.Options) > 0 || len(c.Scores) > 0 {
			return nil, ErrWrongForm
		}
		if len(c.Ranking) == 0 {
			return nil, ErrEmptyBallot
		}
		return sp.positions(c.Ranking)
	case Score:
		if len(c.Options) > 0 || len(c.Ranking) > 0 {
			return nil, ErrWrongForm
		}
		if len(c.Scores) == 0 {
			return nil, ErrEmptyBallot
		}
		marks := make([]int32, len(sp.Options))
		for i := range marks {
			marks[i] = int32(sp.ScoreMin)
		}
		for k, v := range c.Scores {
			i, ok := sp.position(k)
			if !ok {
				return nil, fmt.Errorf("%w: %q", ErrUnknownOption, k)
			}
			if v < sp.ScoreMin || v > sp.ScoreMax {
				return nil, ErrScoreBounds
			}
			marks[i] = int32(v)
		}
		return marks, nil
	}
	return nil, fmt.Errorf("unknown method %q", sp.Method)
}

func (sp *Spec) positions(keys []string) ([]int32, error) {
	seen := make([]bool, len(sp.Options))
	out := make([]int32, 0, len(keys))
	for _, k := range keys {
		i, ok := sp.position(k)
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownOption, k)
		}
		if seen[i] {
			return nil, ErrRepeated
		}
		seen[i] = true
		out = append(out, int32(i))
	}
	return out, nil
}

// Choice turns marks back into a choice by keys.
func (sp *Spec) Choice(marks []int32) Choice {
	keys := func() []string {
		out := make([]string, len(marks))
		for i, m := range marks {
			out[i] = sp.Options[m].Key
		}
		return out
	}
	switch sp.Method {
	case Ranked:
		return Choice{Ranking: keys()}
	case Score:
		s := make(map[string]int, len(marks))
		for i, m := range marks {
			s[sp.Options[i].Key] = int(m)
		}
		return Choice{Scores: s}
	}
	return Choice{Options: keys()}
}

// encode writes marks as stored: decimal numbers joined by commas.
func encode(marks []int32) string {
	b := make([]byte, 0, 4*len(marks))
	for i, m := range marks {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(m), 10)
	}
	return string(b)
}

// decode reads stored marks into buf (reused), checking them against
// the number of options n (positions) or nothing (scores: n < 0).
func decode[S ~string | ~[]byte](s S, buf []int32, n int) ([]int32, error) {
	buf = buf[:0]
	if len(s) == 0 {
		return buf, nil
	}
	var v int64
	neg, digits := false, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if digits == 0 || digits > 9 || n >= 0 && (neg || v >= int64(n)) {
				return nil, fmt.Errorf("stored ballot %q is malformed", string(s))
			}
			if neg {
				v = -v
			}
			buf = append(buf, int32(v))
			v, neg, digits = 0, false, 0
			continue
		}
		switch c := s[i]; {
		case c == '-' && digits == 0 && !neg:
			neg = true
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			digits++
		default:
			return nil, fmt.Errorf("stored ballot %q is malformed", string(s))
		}
	}
	return buf, nil
}

// TieOrder is the order that breaks ties between options, drawn before
// any ballot and the same for anyone who counts: options sorted by the
// SHA-256 of the vote's id, a zero byte and the option's key, the
// smaller hash first. It returns option positions.
func (sp *Spec) TieOrder() []int {
	type h struct {
		i   int
		sum [32]byte
	}
	hs := make([]h, len(sp.Options))
	for i, o := range sp.Options {
		hs[i] = h{i, sha256.Sum256([]byte(sp.VoteID + "\x00" + o.Key))}
	}
	slices.SortFunc(hs, func(a, b h) int { return slices.Compare(a.sum[:], b.sum[:]) })
	out := make([]int, len(hs))
	for i, x := range hs {
		out[i] = x.i
	}
	return out
}
