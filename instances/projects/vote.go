package projects

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/decisions"
	"agora/instances/markup"
)

// The vote phase of an edition runs on the decisions machinery: one
// binding vote per heading (a knapsack ballot is a decisions `budget`
// vote of the heading's amount, an approval ballot an `approval` vote
// with at most MaxChoices projects), whose ballots, receipts, desk and
// paper channels and closing are the decisions service's. budget_votes
// links each heading to its vote. docs/BUDGETS.md, "The vote".

// HeadingVote links a heading of an edition to its vote.
type HeadingVote struct {
	bun.BaseModel `bun:"table:budget_votes,alias:bv"`

	BudgetID string    `bun:"budget_id,pk"`
	Heading  string    `bun:"heading,pk"`
	VoteID   string    `bun:"vote_id"`
	OpenedBy string    `bun:"opened_by"`
	OpenedAt time.Time `bun:"opened_at"`
}

// Errors of the vote phase.
var (
	ErrVoting      = errors.New("the vote is open: projects and costs no longer change")
	ErrVoteOpened  = errors.New("the vote of this edition was already opened")
	ErrNoVote      = errors.New("this edition has no vote on the node")
	ErrVoteRunning = errors.New("the vote is not closed yet: the count comes after the closing time")
)

// ProblemPending: a project of the edition still awaits its technical
// review, so the ballot cannot be drawn up.
const ProblemPending = "pending"

// Voting opens, casts and counts the ballots of editions.
type Voting struct {
	db        *bun.DB
	projects  *Service
	decisions *decisions.Service
	now       func() time.Time
}

// NewVoting returns the vote phase of the editions of p, run by d; now
// nil is time.Now.
func NewVoting(db *bun.DB, p *Service, d *decisions.Service, now func() time.Time) *Voting {
	if now == nil {
		now = time.Now
	}
	return &Voting{db: db, projects: p, decisions: d, now: now}
}

// VoteInput is when an edition's vote is open: from OpensAt (included)
// to ClosesAt (excluded), for every heading.
type VoteInput struct {
	OpensAt, ClosesAt time.Time
}

// HeadingBallot is one heading's ballot: its vote and the projects on
// it, in the order of the vote's options.
type HeadingBallot struct {
	Heading  Heading
	Vote     *decisions.Vote
	Projects []Project // Projects[i] is Vote.Options[i]
}

// Project returns the project behind an option key.
func (hb *HeadingBallot) Project(key string) (*Project, bool) {
	for i, o := range hb.Vote.Options {
		if o.Key == key {
			return &hb.Projects[i], true
		}
	}
	return nil, false
}

// Sum is a ballot's running total: what the chosen projects cost, what
// is left of the heading (knapsack ballots), how many are chosen and
// how many may be.
type Sum struct {
	Cost, Left int64
	Chosen     int
	Max        int // 0: no limit on the number
}

// Check adds up a ballot of option keys and checks it as Cast would
// (decisions.Spec.Marks): ErrOverBudget, ErrTooMany, ErrUnknownOption,
// ErrRepeated. An empty ballot is not an error here (nothing is cast).
func (hb *HeadingBallot) Check(keys []string) (Sum, error) {
	sum := Sum{Chosen: len(keys), Max: hb.Vote.MaxChoices}
	spec := hb.Vote.Spec()
	for _, k := range keys {
		if p, ok := hb.Project(k); ok {
			sum.Cost += p.Cost
		}
	}
	if hb.Vote.Method == decisions.Budget {
		sum.Left = hb.Vote.BudgetTotal - sum.Cost
	}
	if len(keys) == 0 {
		return sum, nil
	}
	_, err := spec.Marks(decisions.Choice{Options: keys})
	return sum, err
}

// optionKey is the key of a project on the vote: its reference when
// that is a valid key (short, no separators), its id otherwise.
func optionKey(p Project) string {
	if len(p.Ref) > 0 && len(p.Ref) <= 40 && !strings.ContainsAny(p.Ref, ", \t\n;>=") {
		return p.Ref
	}
	return p.ID
}

// byRef orders projects by reference, numbers as numbers: 2 before 10.
func byRef(a, b Project) int {
	na, ea := strconv.Atoi(a.Ref)
	nb, eb := strconv.Atoi(b.Ref)
	switch {
	case ea == nil && eb == nil && na != nb:
		return na - nb
	case ea == nil && eb != nil:
		return -1
	case ea != nil && eb == nil:
		return 1
	}
	return strings.Compare(a.Ref, b.Ref)
}

// OpenVote opens an edition's vote: one decisions vote per heading, with
// the heading's feasible projects (unfeasible ones are left off). A
// heading whose slug is a node district's (markup.Slug of its name) is
// voted by that district's residents; the others by the whole node.
// Refused, with nothing stored: anyone but an official or admin acting
// for themselves, a decided edition (ErrDecided), a vote already opened
// (ErrVoteOpened), a project still pending review, a heading with fewer
// than two feasible projects or more than 100, closing not after
// opening (an *InvalidError naming the fields).
func (s *Voting) OpenVote(ctx context.Context, actor accounts.Actor, budgetID string, in VoteInput) ([]HeadingVote, error) {
	if decisions.MayRun(actor) != nil {
		return nil, ErrForbidden
	}
	b, err := s.projects.Budget(ctx, budgetID)
	if err != nil {
		return nil, err
	}
	if !b.ResultsAt.IsZero() {
		return nil, ErrDecided
	}
	if open, err := s.links(ctx, s.db, b.ID); err != nil {
		return nil, err
	} else if len(open) > 0 {
		return nil, ErrVoteOpened
	}
	list, err := s.projects.Projects(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	districts, err := s.decisions.Districts(ctx)
	if err != nil {
		return nil, err
	}
	bad := Problems{}
	if !in.ClosesAt.After(in.OpensAt) {
		bad["closes_at"] = ProblemRange
	}
	inputs := make([]decisions.Input, len(b.Headings))
	for i, h := range b.Headings {
		var on []Project
		for _, p := range list {
			switch {
			case p.Heading != h.Slug:
			case p.Review == Pending:
				bad["projects"] = ProblemPending
			case p.Review == Feasible:
				on = append(on, p)
			}
		}
		if len(on) < 2 || len(on) > 100 {
			bad[fmt.Sprintf("heading.%d.projects", i+1)] = ProblemCount
			continue
		}
		slices.SortFunc(on, byRef)
		vin := decisions.Input{Question: clipRunes(b.Title+" — "+h.Name, 300), Method: decisions.Approval,
			OpensAt: in.OpensAt, ClosesAt: in.ClosesAt}
		for _, p := range on {
			vin.Options = append(vin.Options, decisions.Option{Key: optionKey(p), Label: clipRunes(p.Title, 200), Cost: p.Cost})
		}
		if b.BallotKind == Knapsack {
			vin.Method, vin.BudgetTotal = decisions.Budget, h.Amount
		}
		if b.MaxChoices > 0 && b.MaxChoices < len(on) {
			vin.MaxChoices = b.MaxChoices
		}
		for _, d := range districts {
			if markup.Slug(d, 40) == h.Slug {
				vin.District = d
			}
		}
		inputs[i] = vin
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	for i, vin := range inputs {
		if err := s.decisions.Validate(ctx, b.SpaceID, vin); err != nil {
			return nil, fmt.Errorf("heading %q: %w", b.Headings[i].Name, err)
		}
	}
	// Each vote is created by the decisions service in its own
	// transaction; the links are written last, under the budget's row,
	// so a second opening that raced this one fails on the links' keys
	// (its votes are then left unlinked, never shown from the edition).
	now := s.now().UTC()
	links := make([]HeadingVote, len(inputs))
	for i, vin := range inputs {
		v, err := s.decisions.Create(ctx, actor, b.SpaceID, vin)
		if err != nil {
			return nil, fmt.Errorf("heading %q: %w", b.Headings[i].Name, err)
		}
		links[i] = HeadingVote{BudgetID: b.ID, Heading: b.Headings[i].Slug, VoteID: v.ID, OpenedBy: actorID(actor), OpenedAt: now}
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("budgets").Set("id = id").Where("id = ?", b.ID).Exec(ctx); err != nil {
			return fmt.Errorf("hold budget: %w", err)
		}
		if open, err := s.links(ctx, tx, b.ID); err != nil {
			return err
		} else if len(open) > 0 {
			return ErrVoteOpened
		}
		if _, err := tx.NewInsert().Model(&links).Exec(ctx); err != nil {
			return fmt.Errorf("link votes: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "budget.vote.open", b.ID, fmt.Sprintf("headings=%d", len(links)), "")
	})
	if err != nil {
		return nil, err
	}
	return links, nil
}

func (s *Voting) links(ctx context.Context, db bun.IDB, budgetID string) ([]HeadingVote, error) {
	var out []HeadingVote
	if err := db.NewSelect().Model(&out).Where("bv.budget_id = ?", budgetID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read budget votes: %w", err)
	}
	return out, nil
}

// voting reports whether an edition's vote was opened (its projects are
// then frozen).
func voting(ctx context.Context, db bun.IDB, budgetID string) (bool, error) {
	ok, err := db.NewSelect().Model((*HeadingVote)(nil)).Where("bv.budget_id = ?", budgetID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("read budget votes: %w", err)
	}
	return ok, nil
}

// Opened reports whether an edition's vote was opened: its projects and
// their reviews no longer change.
func (s *Voting) Opened(ctx context.Context, budgetID string) (bool, error) {
	return voting(ctx, s.db, budgetID)
}

// Ballots returns an edition's ballots, one per heading in the
// edition's order; none when its vote was never opened.
func (s *Voting) Ballots(ctx context.Context, budgetID string) ([]HeadingBallot, error) {
	b, err := s.projects.Budget(ctx, budgetID)
	if err != nil {
		return nil, err
	}
	links, err := s.links(ctx, s.db, b.ID)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	list, err := s.projects.Projects(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	var out []HeadingBallot
	for _, h := range b.Headings {
		i := slices.IndexFunc(links, func(l HeadingVote) bool { return l.Heading == h.Slug })
		if i < 0 {
			continue
		}
		v, err := s.decisions.ByID(ctx, links[i].VoteID)
		if err != nil {
			return nil, err
		}
		hb := HeadingBallot{Heading: h, Vote: v, Projects: make([]Project, len(v.Options))}
		for j, o := range v.Options {
			k := slices.IndexFunc(list, func(p Project) bool {
				return p.Heading == h.Slug && (p.Ref == o.Key || p.ID == o.Key)
			})
			if k < 0 {
				return nil, fmt.Errorf("vote %s: option %q is no project of the edition", v.ID, o.Key)
			}
			hb.Projects[j] = list[k]
		}
		out = append(out, hb)
	}
	return out, nil
}

// Ballot returns one heading's ballot: ErrNoVote when the edition has
// no vote, ErrNotFound for an unknown heading.
func (s *Voting) Ballot(ctx context.Context, budgetID, heading string) (*HeadingBallot, error) {
	all, err := s.Ballots(ctx, budgetID)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, ErrNoVote
	}
	for i := range all {
		if all[i].Heading.Slug == heading {
			return &all[i], nil
		}
	}
	return nil, ErrNotFound
}

// MayVote says whether the signed-in resident may vote in a heading now
// (the decisions rules: window, verified residency, district).
func (s *Voting) MayVote(ctx context.Context, who *accounts.Account, hb *HeadingBallot) error {
	if who == nil {
		return decisions.ErrSignIn
	}
	return s.decisions.MayVote(ctx, who, hb.Vote)
}

// Cast records a resident's ballot in a heading, by option keys, as
// decisions.Service.Cast does (online, or at a desk for the resident
// present): the receipt is returned once. Refused with the decisions
// errors (outside the window, another district, over the heading's
// amount, too many projects), nothing changed.
func (s *Voting) Cast(ctx context.Context, actor accounts.Actor, budgetID, heading string, keys []string) (decisions.Cast, error) {
	hb, err := s.Ballot(ctx, budgetID, heading)
	if err != nil {
		return decisions.Cast{}, err
	}
	return s.decisions.Cast(ctx, actor, hb.Vote.ID, decisions.Choice{Options: keys}, false)
}

// Turnout is one heading's participation: ballots per channel and, once
// closed, the electorate at closing.
type Turnout struct {
	Heading             Heading
	Online, Desk, Paper int64
	Electorate          int64 // 0 before closing
}

// Total is the number of ballots.
func (t Turnout) Total() int64 { return t.Online + t.Desk + t.Paper }

// Turnout counts an edition's ballots per heading and channel.
func (s *Voting) Turnout(ctx context.Context, budgetID string) ([]Turnout, error) {
	all, err := s.Ballots(ctx, budgetID)
	if err != nil {
		return nil, err
	}
	out := make([]Turnout, len(all))
	for i, hb := range all {
		out[i].Heading = hb.Heading
		var rows []struct {
			Channel decisions.Channel `bun:"channel"`
			N       int64             `bun:"n"`
		}
		if err := s.db.NewSelect().Table("decision_ballots").ColumnExpr("channel, count(*) AS n").
			Where("vote_id = ?", hb.Vote.ID).Group("channel").Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("count ballots: %w", err)
		}
		for _, r := range rows {
			switch r.Channel {
			case decisions.Online:
				out[i].Online = r.N
			case decisions.Desk:
				out[i].Desk = r.N
			case decisions.Paper:
				out[i].Paper = r.N
			}
		}
		if hb.Vote.ClosedAt != nil {
			t, err := s.decisions.Results(ctx, hb.Vote.ID)
			if err != nil {
				return nil, err
			}
			out[i].Electorate = t.Electorate
		}
	}
	return out, nil
}

// Compare counts a closed edition from its headings' published ballots,
// by the edition's rule and by the other one: what Count stores, and
// what anyone can do with the published ballots of each heading's vote.
// Project ids are the edition's project ids. Before every heading's
// vote is closed: ErrVoteRunning.
func (s *Voting) Compare(ctx context.Context, budgetID string) (budgets.Comparison, error) {
	b, err := s.projects.Budget(ctx, budgetID)
	if err != nil {
		return budgets.Comparison{}, err
	}
	all, err := s.Ballots(ctx, budgetID)
	if err != nil {
		return budgets.Comparison{}, err
	}
	if len(all) == 0 {
		return budgets.Comparison{}, ErrNoVote
	}
	var e budgets.Election
	for _, hb := range all {
		if hb.Vote.ClosedAt == nil {
			return budgets.Comparison{}, ErrVoteRunning
		}
		e.Headings = append(e.Headings, budgets.Heading{ID: hb.Heading.Slug, Budget: hb.Heading.Amount})
		// The project's cost, frozen since the vote opened: the vote's
		// options keep a cost only for knapsack (budget) votes.
		for _, p := range hb.Projects {
			e.Projects = append(e.Projects, budgets.Project{ID: p.ID, Heading: hb.Heading.Slug, Cost: p.Cost})
		}
		spec := hb.Vote.Spec()
		for _, i := range spec.TieOrder() {
			e.TieOrder = append(e.TieOrder, hb.Projects[i].ID)
		}
		err := s.decisions.EachBallot(ctx, hb.Vote.ID, func(marks []int32, weight int64) error {
			ps := make([]string, len(marks))
			for i, m := range marks {
				ps[i] = hb.Projects[m].ID
			}
			e.Ballots = append(e.Ballots, budgets.Ballot{Projects: ps, Weight: weight})
			return nil
		})
		if err != nil {
			return budgets.Comparison{}, err
		}
	}
	return budgets.Compare(e, b.Rule, budgets.Options{})
}

// Count closes the headings' votes whose closing time has passed (the
// decisions count, frozen and published), counts the edition by both
// rules (Compare) and records the result: each project's votes, whether
// each rule funds it, and the edition's result date. An official or
// admin (or the node itself) counts; counting a decided edition again
// is ErrDecided.
func (s *Voting) Count(ctx context.Context, actor accounts.Actor, budgetID string) (budgets.Comparison, error) {
	if !manages(actor) {
		return budgets.Comparison{}, ErrForbidden
	}
	b, err := s.projects.Budget(ctx, budgetID)
	if err != nil {
		return budgets.Comparison{}, err
	}
	if !b.ResultsAt.IsZero() {
		return budgets.Comparison{}, ErrDecided
	}
	links, err := s.links(ctx, s.db, b.ID)
	if err != nil {
		return budgets.Comparison{}, err
	}
	if len(links) == 0 {
		return budgets.Comparison{}, ErrNoVote
	}
	for _, l := range links {
		if _, err := s.decisions.Close(ctx, l.VoteID); errors.Is(err, decisions.ErrStillOpen) {
			return budgets.Comparison{}, ErrVoteRunning
		} else if err != nil {
			return budgets.Comparison{}, err
		}
	}
	cmp, err := s.Compare(ctx, b.ID)
	if err != nil {
		return budgets.Comparison{}, err
	}
	now := s.now().UTC()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Table("budgets").Set("results_at = ?", now).
			Where("id = ? AND results_at IS NULL", b.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("record result: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("record result: %w", err)
		} else if n == 0 {
			return ErrDecided // counted meanwhile
		}
		for _, h := range cmp.Headings {
			funded, other := set(h.Chosen.Funded), set(h.Other.Funded)
			for _, p := range h.Chosen.Projects {
				if _, err := tx.NewUpdate().Model((*Project)(nil)).Where("id = ?", p.ID).
					Set("votes = ?", p.Votes).Set("funded = ?", funded[p.ID]).Set("funded_other = ?", other[p.ID]).
					Set("updated_at = ?", now).Exec(ctx); err != nil {
					return fmt.Errorf("record project result: %w", err)
				}
			}
		}
		if err := publishProjects(ctx, tx, now, b.ID); err != nil {
			return err
		}
		return accounts.Record(ctx, tx, now, actor, "budget.vote.count", b.ID, "rule="+string(b.Rule), "")
	})
	if err != nil {
		return budgets.Comparison{}, err
	}
	return cmp, nil
}

// CountDue counts every edition whose headings' votes have all closed
// and that is not counted yet, as the node itself; serve runs it with the
// closing of votes, so results need no one to click. It returns how many
// editions it counted; one that fails is skipped and its error returned
// after the others were tried.
func (s *Voting) CountDue(ctx context.Context) (int, error) {
	var ids []string
	err := s.db.NewSelect().TableExpr("budget_votes AS bv").ColumnExpr("DISTINCT bv.budget_id").
		Join("JOIN budgets AS b ON b.id = bv.budget_id").
		Where("b.results_at IS NULL").
		Where("NOT EXISTS (SELECT 1 FROM budget_votes AS o JOIN decision_votes AS v ON v.id = o.vote_id WHERE o.budget_id = bv.budget_id AND v.closes_at > ?)", s.now()).
		Scan(ctx, &ids)
	if err != nil {
		return 0, fmt.Errorf("editions due: %w", err)
	}
	n := 0
	var errs []error
	for _, id := range ids {
		switch _, err := s.Count(ctx, accounts.System, id); {
		case err == nil:
			n++
		case errors.Is(err, ErrDecided): // another process counted it
		default:
			errs = append(errs, fmt.Errorf("count edition %s: %w", id, err))
		}
	}
	return n, errors.Join(errs...)
}
