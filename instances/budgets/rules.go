package budgets

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// MaxAmount bounds every cost and budget (whole currency units): a
// thousand billion, far above any city's budget, low enough that sums of
// costs never overflow an int64.
const MaxAmount int64 = 1_000_000_000_000

// MaxWeight bounds the weight of one ballot and the total weight of all
// ballots, so that vote counts never overflow.
const MaxWeight int64 = 1_000_000_000_000

// DefaultMaxSteps is how many times the Add1 completion may raise the
// per-voter share by one unit before Equal Shares gives up with
// ErrCompletionTooLong (see Options.MaxSteps).
const DefaultMaxSteps = 100_000

// ErrInvalid is wrapped by every refusal of an Election: the message
// says which heading, project or ballot and why.
var ErrInvalid = errors.New("invalid budget input")

// ErrCompletionTooLong is returned when Equal Shares' completion would
// need more than Options.MaxSteps runs (a per-voter share of millions of
// units raised one unit at a time).
var ErrCompletionTooLong = errors.New("equal shares: the completion needs too many steps")

// Rule is how a heading's ballots become funded projects. Its values are
// those of the .pb format's rule key.
type Rule string

const (
	// Greedy funds projects by number of votes, skipping any that no
	// longer fits.
	Greedy Rule = "greedy"
	// EqualShares is the Method of Equal Shares with Add1 completion and
	// greedy fill.
	EqualShares Rule = "equalshares"
)

// ParseRule reads a rule as written in a .pb file or a form: "greedy",
// "equalshares" or "equalshares/add1" (Pabulib's names for what this
// package computes); an empty string is Greedy, as the issue asks for
// files without a rule.
func ParseRule(s string) (Rule, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "greedy":
		return Greedy, nil
	case "equalshares", "equalshares/add1":
		return EqualShares, nil
	}
	return "", fmt.Errorf("%w: unknown rule %q (greedy or equalshares)", ErrInvalid, s)
}

// Other is the rule shown beside r on the results page.
func (r Rule) Other() Rule {
	if r == EqualShares {
		return Greedy
	}
	return EqualShares
}

// Heading is one envelope of the budget (a district, or the city-wide
// heading) with its own amount.
type Heading struct {
	ID     string
	Budget int64 // whole currency units, > 0
}

// Project is one project on the ballot.
type Project struct {
	ID      string
	Heading string
	Cost    int64 // whole currency units, > 0
}

// Ballot is one approval (or knapsack) ballot: the projects it
// supports, in any heading, counted Weight times (a paper ballot entered
// once for several identical ones, or 1).
type Ballot struct {
	Projects []string
	Weight   int64
}

// Election is everything the rules read.
type Election struct {
	Headings []Heading
	Projects []Project
	Ballots  []Ballot
	// TieOrder, when not empty, is an order of project ids drawn by lot
	// before the count: when two projects are still tied after cost and
	// votes, the one earlier in TieOrder wins. Projects not in it come
	// after those in it, by id.
	TieOrder []string
}

// Options tune a computation; the zero value is the documented default.
type Options struct {
	// MaxSteps bounds the Add1 completion (runs of Equal Shares per
	// heading); 0 means DefaultMaxSteps.
	MaxSteps int
	// Workers is how many headings are computed at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Exact makes every run of Equal Shares use exact arithmetic
	// throughout, instead of the certified float64 run that falls back
	// to it. The result is the same; it is slower, and there to check.
	Exact bool
}

// Fraction is an exact non-negative rational Num/Den, in lowest terms.
type Fraction struct {
	Num, Den int64
}

func (f Fraction) String() string {
	if f.Den == 1 {
		return fmt.Sprint(f.Num)
	}
	return fmt.Sprintf("%d/%d", f.Num, f.Den)
}

// Result is the outcome of one rule on every heading.
type Result struct {
	Rule     Rule
	Headings []HeadingResult // in the order of Election.Headings
}

// HeadingResult is the outcome of one rule on one heading.
type HeadingResult struct {
	Heading string
	Budget  int64
	// Voters is the total weight of the ballots that support at least
	// one project of this heading.
	Voters int64
	// Funded lists the funded projects in the order the rule chose them.
	// For Equal Shares, the last Filled of them were added by the greedy
	// fill after the completion.
	Funded []string
	Filled int
	// Used is the total cost of Funded, never above Budget.
	Used int64
	// Projects is every project of the heading with its votes, in the
	// greedy order (votes descending, then cost ascending, then the tie
	// order).
	Projects []ProjectResult
	// StartShare and Share are Equal Shares' per-voter virtual budget:
	// Budget/Voters at the start, and in the run the completion kept.
	// Both are zero for Greedy.
	StartShare, Share Fraction
	// Steps is how many runs of Equal Shares the completion made.
	Steps int
	// Ties lists the ties that neither cost nor votes could break, and
	// that the tie order (or project id) decided.
	Ties []Tie
}

// ProjectResult is one project's line in a heading's results.
type ProjectResult struct {
	ID     string
	Cost   int64
	Votes  int64
	Funded bool
}

// Tie is a choice between projects with equal cost and votes (and, for
// Equal Shares, equal effective vote count) that the tie order made.
type Tie struct {
	Projects []string // the tied projects, in tie order
	Chosen   []string // those of them the tie order funded
}

// Comparison is what the results page shows: the rule chosen when the
// budget was created and, beside it, what the other rule would have
// funded.
type Comparison struct {
	Rule, Other Rule
	Headings    []HeadingComparison
}

// HeadingComparison is one heading under both rules.
type HeadingComparison struct {
	Heading       string
	Chosen, Other HeadingResult
	// OnlyChosen and OnlyOther are the projects funded by one rule and
	// not the other, in the order of each rule's Funded list.
	OnlyChosen, OnlyOther []string
}

// Compute applies rule r to every heading of e.
func Compute(e Election, r Rule, opts Options) (Result, error) {
	if r != Greedy && r != EqualShares {
		return Result{}, fmt.Errorf("%w: unknown rule %q", ErrInvalid, r)
	}
	hs, err := prepare(e)
	if err != nil {
		return Result{}, err
	}
	out := make([]HeadingResult, len(hs))
	var tasks []task
	for i, h := range hs {
		tasks = append(tasks, task{h: h, rule: r, out: &out[i], order: i})
	}
	if err := runTasks(tasks, opts); err != nil {
		return Result{}, err
	}
	return Result{Rule: r, Headings: out}, nil
}

// Compare applies r and the other rule to every heading of e, side by
// side.
func Compare(e Election, r Rule, opts Options) (Comparison, error) {
	if r != Greedy && r != EqualShares {
		return Comparison{}, fmt.Errorf("%w: unknown rule %q", ErrInvalid, r)
	}
	hs, err := prepare(e)
	if err != nil {
		return Comparison{}, err
	}
	other := r.Other()
	out := make([]HeadingComparison, len(hs))
	var tasks []task
	for i, h := range hs {
		tasks = append(tasks,
			task{h: h, rule: r, out: &out[i].Chosen, order: 2 * i},
			task{h: h, rule: other, out: &out[i].Other, order: 2*i + 1})
	}
	if err := runTasks(tasks, opts); err != nil {
		return Comparison{}, err
	}
	for i := range out {
		c := &out[i]
		c.Heading = c.Chosen.Heading
		c.OnlyChosen = difference(c.Chosen.Funded, c.Other.Funded)
		c.OnlyOther = difference(c.Other.Funded, c.Chosen.Funded)
	}
	return Comparison{Rule: r, Other: other, Headings: out}, nil
}

// task is one heading under one rule.
type task struct {
	h     *heading
	rule  Rule
	out   *HeadingResult
	order int // its place in the result: errors are reported in that order
	err   error
}

// runTasks computes the tasks on up to opts.Workers goroutines (0:
// GOMAXPROCS), the slowest first (Equal Shares on the heading with the
// most ballot entries) so that no core is left alone with a long one at
// the end. Its error is that of the first task in result order that
// failed, so it does not depend on scheduling.
func runTasks(tasks []task, opts Options) error {
	cost := func(t *task) int {
		if t.rule == Greedy {
			return 0
		}
		return t.h.entries
	}
	slices.SortStableFunc(tasks, func(a, b task) int { return cost(&b) - cost(&a) })
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(tasks)))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(tasks) {
					return
				}
				t := &tasks[i]
				*t.out, t.err = computeHeading(t.h, t.rule, opts)
			}
		})
	}
	wg.Wait()
	var first *task
	for i := range tasks {
		if t := &tasks[i]; t.err != nil && (first == nil || t.order < first.order) {
			first = t
		}
	}
	if first != nil {
		return first.err
	}
	return nil
}

func difference(a, b []string) []string {
	var d []string
	for _, id := range a {
		if !slices.Contains(b, id) {
			d = append(d, id)
		}
	}
	return d
}

func computeHeading(h *heading, r Rule, opts Options) (HeadingResult, error) {
	var res HeadingResult
	if r == Greedy {
		res = h.greedy()
	} else {
		maxSteps := opts.MaxSteps
		if maxSteps <= 0 {
			maxSteps = DefaultMaxSteps
		}
		var err error
		res, err = h.equalShares(maxSteps, opts.Exact)
		if err != nil {
			return HeadingResult{}, fmt.Errorf("heading %q: %w", h.id, err)
		}
	}
	h.fill(&res)
	return res, nil
}

// fill completes the parts of a result both rules share.
func (h *heading) fill(res *HeadingResult) {
	res.Heading = h.id
	res.Budget = h.budget
	res.Voters = h.voters
	funded := make([]bool, len(h.projects))
	res.Used = 0
	for _, id := range res.Funded {
		p := h.index[id]
		funded[p] = true
		res.Used += h.projects[p].cost
	}
	res.Projects = make([]ProjectResult, len(h.order))
	for i, p := range h.order {
		pr := &h.projects[p]
		res.Projects[i] = ProjectResult{ID: pr.id, Cost: pr.cost, Votes: h.votes[p], Funded: funded[p]}
	}
}
