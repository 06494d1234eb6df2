// Package decisions holds the binding votes of a node: votes in a space
// with their options and method, the ballots of verified residents with
// their receipts (cast online, at a desk, or entered from paper),
// liquid delegation between residents, and the count, published after
// closing with every ballot keyed by its receipt so that anyone can
// count again (Recompute). docs/DECISIONS.md is the specification.
package decisions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/instances/spaces"
	"agora/storage/database"
)

// Vote is one binding question put to the residents.
type Vote struct {
	bun.BaseModel `bun:"table:decision_votes,alias:v"`

	ID          string     `bun:"id,pk"`
	SpaceID     string     `bun:"space_id"`
	Category    string     `bun:"category"` // the delegations of this category apply first
	Question    string     `bun:"question"`
	Description string     `bun:"description"`
	Method      Method     `bun:"method"`
	StatusQuo   string     `bun:"status_quo"`
	ScoreMin    int        `bun:"score_min"`
	ScoreMax    int        `bun:"score_max"`
	BudgetTotal int64      `bun:"budget_total"`
	MaxChoices  int        `bun:"max_choices"` // approval and budget: at most so many options, 0 for no limit
	Quorum      int64      `bun:"quorum"`
	Delegation  bool       `bun:"delegation"`
	MinAge      int        `bun:"min_age"`  // the electorate's age floor, 0 for none
	District    string     `bun:"district"` // the electorate's district, "" for the whole node
	OpensAt     time.Time  `bun:"opens_at"`
	ClosesAt    time.Time  `bun:"closes_at"`
	CreatedBy   string     `bun:"created_by"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
	ClosedAt    *time.Time `bun:"closed_at"` // when the result was frozen and published

	Options []Option `bun:"-"`
}

// optionRow is one stored option.
type optionRow struct {
	bun.BaseModel `bun:"table:decision_options"`

	VoteID   string `bun:"vote_id,pk"`
	Position int    `bun:"position,pk"`
	Key      string `bun:"key"`
	Label    string `bun:"label"`
	Cost     int64  `bun:"cost"`
}

// Spec is what a count needs of the vote.
func (v *Vote) Spec() Spec {
	return Spec{VoteID: v.ID, Method: v.Method, Options: v.Options, StatusQuo: v.StatusQuo,
		ScoreMin: v.ScoreMin, ScoreMax: v.ScoreMax, BudgetTotal: v.BudgetTotal, MaxChoices: v.MaxChoices, Quorum: v.Quorum}
}

// Window says where now stands: ErrNotOpen before opening, ErrClosed
// from closing on, nil in between.
func (v *Vote) Window(now time.Time) error {
	switch {
	case now.Before(v.OpensAt):
		return ErrNotOpen
	case !now.Before(v.ClosesAt):
		return ErrClosed
	}
	return nil
}

// snapshot is the instant a count reads delegations and residency at:
// the closing time, or while the vote is open everything done until now
// included (times are kept to the microsecond).
func (v *Vote) snapshot(now time.Time) time.Time {
	if at := now.Add(time.Microsecond); at.Before(v.ClosesAt) {
		return at
	}
	return v.ClosesAt
}

// Errors of the decisions service.
var (
	ErrNotFound     = errors.New("vote not found")
	ErrSignIn       = errors.New("sign in to do this")
	ErrForbidden    = errors.New("not allowed")
	ErrNotVerified  = errors.New("only verified residents may do this")
	ErrNotOpen      = errors.New("this vote is not open yet")
	ErrClosed       = errors.New("this vote is closed")
	ErrStillOpen    = errors.New("this vote is not closed yet")
	ErrBallotsCast  = errors.New("ballots were cast: the options and the method can no longer change")
	ErrPaperCast    = errors.New("a paper ballot was entered for this resident: it is final")
	ErrOnlineCast   = errors.New("this resident already voted online: a paper ballot is refused")
	ErrQuestion     = errors.New("the question is 1 to 300 characters")
	ErrDescription  = errors.New("the description is at most 5,000 characters")
	ErrMethod       = errors.New("unknown voting method")
	ErrOptions      = errors.New("a vote has 2 to 100 options, each with a label of 1 to 200 characters and a distinct key")
	ErrDates        = errors.New("the vote must close after it opens")
	ErrBounds       = errors.New("the lowest score must be below the highest, both between -1000 and 1000")
	ErrBudget       = errors.New("a budget vote needs a total and a positive cost for every project")
	ErrStatusQuo    = errors.New("the status quo must be one of the options of a ranked vote")
	ErrQuorum       = errors.New("the quorum cannot be negative")
	ErrMaxChoices   = errors.New("the most options a ballot may choose is a whole number from 0 (no limit) to the number of options, for approval and budget votes")
	ErrMinAge       = errors.New("the age floor is a whole number of years from 0 (none) to 120")
	ErrCategory     = errors.New("choose one of the space's categories")
	ErrNoDelegation = errors.New("this vote does not take delegations")
)

// Service runs the decisions of a node.
type Service struct {
	db       *bun.DB
	accounts *accounts.Service
	spaces   *spaces.Service
	now      func() time.Time
	votes    voteCache // votes read for ballots (ForBallot)
}

// NewService returns the decisions service; now is the clock (nil:
// time.Now).
func NewService(db *bun.DB, acc *accounts.Service, sp *spaces.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, accounts: acc, spaces: sp,
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Input is a vote as an official or admin writes it.
type Input struct {
	Question    string
	Description string
	Category    string
	Method      Method
	Options     []Option // keys may be empty: "1", "2", ... are given
	StatusQuo   string
	ScoreMin    int
	ScoreMax    int
	BudgetTotal int64
	MaxChoices  int // approval and budget: at most so many options per ballot, 0 for no limit
	Quorum      int64
	Delegation  bool
	MinAge      int    // age floor of the electorate, 0 for none
	District    string // one of the node's districts, "" for all
	OpensAt     time.Time
	ClosesAt    time.Time
}

// MayRun says whether actor may open and edit votes: officials and
// admins, acting for themselves.
func MayRun(actor accounts.Actor) error {
	if actor.Account == nil {
		return ErrSignIn
	}
	if actor.OnBehalfOf != nil || !(actor.Account.Has(accounts.Official) || actor.Account.Has(accounts.Admin)) {
		return ErrForbidden
	}
	return nil
}

// check cleans the input and returns every rule it breaks at once (an
// *InvalidError), so a form shows all its messages together; districts
// are the node's.
func (in *Input) check(sp *spaces.Space, districts []string) error {
	var bad problems
	in.Question = strings.TrimSpace(in.Question)
	in.Description = strings.TrimSpace(in.Description)
	if n := utf8.RuneCountInString(in.Question); n < 1 || n > 300 {
		bad.Add("question", ErrQuestion)
	}
	if utf8.RuneCountInString(in.Description) > 5000 {
		bad.Add("description", ErrDescription)
	}
	if in.Category != "" && !sp.HasCategory(in.Category) {
		bad.Add("category", ErrCategory)
	}
	if !slices.Contains(Methods, in.Method) {
		bad.Add("method", ErrMethod)
	}
	keys := map[string]bool{}
	if len(in.Options) < 2 || len(in.Options) > 100 {
		bad.Add("options", ErrOptions)
	}
	for i := range in.Options {
		o := &in.Options[i]
		o.Label = strings.TrimSpace(o.Label)
		o.Key = strings.TrimSpace(o.Key)
		if o.Key == "" {
			o.Key = fmt.Sprint(i + 1)
		}
		if n := utf8.RuneCountInString(o.Label); n < 1 || n > 200 || len(o.Key) > 40 || keys[o.Key] || strings.ContainsAny(o.Key, ", \t\n") {
			if !bad.Has("options") {
				bad.Add("options", ErrOptions)
			}
		}
		keys[o.Key] = true
		if in.Method == Budget && (o.Cost <= 0 || o.Cost > 1_000_000_000_000) && !bad.Has("costs") {
			bad.Add("costs", ErrBudget)
		}
		if in.Method != Budget {
			o.Cost = 0
		}
	}
	if !in.ClosesAt.After(in.OpensAt) {
		bad.Add("closes_at", ErrDates)
	}
	switch in.Method {
	case Score:
		if in.ScoreMin >= in.ScoreMax || in.ScoreMin < -1000 || in.ScoreMax > 1000 {
			bad.Add("score", ErrBounds)
		}
	case Budget:
		if in.BudgetTotal <= 0 || in.BudgetTotal > 1_000_000_000_000 {
			bad.Add("budget_total", ErrBudget)
		}
	}
	if in.Method != Score {
		in.ScoreMin, in.ScoreMax = 0, 0
	}
	if in.Method != Budget {
		in.BudgetTotal = 0
	}
	if in.StatusQuo != "" && (in.Method != Ranked || !keys[in.StatusQuo]) {
		bad.Add("status_quo", ErrStatusQuo)
	}
	if in.MaxChoices < 0 || in.MaxChoices > len(in.Options) || in.MaxChoices > 0 && in.Method != Approval && in.Method != Budget {
		bad = append(bad, FieldError{Field: "max_choices", Err: ErrMaxChoices})
	}
	if in.Quorum < 0 {
		bad.Add("quorum", ErrQuorum)
	}
	if in.MinAge < 0 || in.MinAge > 120 {
		bad.Add("min_age", ErrMinAge)
	}
	in.District = strings.TrimSpace(in.District)
	if in.District != "" && !slices.Contains(districts, in.District) {
		bad.Add("district", accounts.ErrDistrict)
	}
	in.OpensAt, in.ClosesAt = in.OpensAt.UTC().Truncate(time.Microsecond), in.ClosesAt.UTC().Truncate(time.Microsecond)
	return bad.Err("vote")
}

func (v *Vote) apply(in Input) {
	v.Question, v.Description, v.Category, v.Method = in.Question, in.Description, in.Category, in.Method
	v.Options, v.StatusQuo, v.ScoreMin, v.ScoreMax = in.Options, in.StatusQuo, in.ScoreMin, in.ScoreMax
	v.BudgetTotal, v.Quorum, v.Delegation, v.OpensAt, v.ClosesAt = in.BudgetTotal, in.Quorum, in.Delegation, in.OpensAt, in.ClosesAt
	v.MinAge, v.District, v.MaxChoices = in.MinAge, in.District, in.MaxChoices
}

// Districts are the node's districts, which a vote may be narrowed to.
func (s *Service) Districts(ctx context.Context) ([]string, error) { return s.accounts.Districts(ctx) }

// checkInput checks in against the space and the node's districts.
func (s *Service) checkInput(ctx context.Context, sp *spaces.Space, in *Input) error {
	ds, err := s.accounts.Districts(ctx)
	if err != nil {
		return err
	}
	return in.check(sp, ds)
}

// Create opens a vote in a space.
func (s *Service) Create(ctx context.Context, actor accounts.Actor, spaceID string, in Input) (*Vote, error) {
	return s.create(ctx, actor, spaceID, in, nil)
}

// create opens a vote; also, when set, runs in its transaction.
func (s *Service) create(ctx context.Context, actor accounts.Actor, spaceID string, in Input, also func(context.Context, bun.Tx, *Vote) error) (*Vote, error) {
	if err := MayRun(actor); err != nil {
		return nil, err
	}
	sp, err := s.spaces.ByID(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	if err := s.checkInput(ctx, sp, &in); err != nil {
		return nil, err
	}
	now := s.now()
	v := &Vote{ID: database.NewID(), SpaceID: sp.ID, CreatedBy: actor.Account.ID, CreatedAt: now, UpdatedAt: now}
	v.apply(in)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
			return fmt.Errorf("insert vote: %w", err)
		}
		if err := insertOptions(ctx, tx, v); err != nil {
			return err
		}
		if also != nil {
			if err := also(ctx, tx, v); err != nil {
				return err
			}
		}
		if err := accounts.Record(ctx, tx, now, actor, "decision.create", v.ID, v.Question, ""); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Create, "vote", v.ID, actor.Account.ID)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

func insertOptions(ctx context.Context, tx bun.IDB, v *Vote) error {
	rows := make([]optionRow, len(v.Options))
	for i, o := range v.Options {
		rows[i] = optionRow{VoteID: v.ID, Position: i, Key: o.Key, Label: o.Label, Cost: o.Cost}
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert options: %w", err)
	}
	return nil
}

// Update changes a vote before its first ballot; after it, ErrBallotsCast.
func (s *Service) Update(ctx context.Context, actor accounts.Actor, voteID string, in Input) (*Vote, error) {
	if err := MayRun(actor); err != nil {
		return nil, err
	}
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return nil, err
	}
	sp, err := s.spaces.ByID(ctx, v.SpaceID)
	if err != nil {
		return nil, err
	}
	if err := s.checkInput(ctx, sp, &in); err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if v, err = s.load(ctx, tx, voteID, "UPDATE"); err != nil {
			return err
		}
		n, err := tx.NewSelect().Table("decision_ballots").Where("vote_id = ?", v.ID).Limit(1).Count(ctx)
		if err != nil {
			return fmt.Errorf("count ballots: %w", err)
		}
		if n > 0 || v.ClosedAt != nil {
			return ErrBallotsCast
		}
		now := s.now()
		if err := resetAnswers(ctx, tx, v, in); err != nil { // opinion.go
			return err
		}
		v.apply(in)
		v.UpdatedAt = now
		if _, err := tx.NewUpdate().Model(v).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update vote: %w", err)
		}
		if _, err := tx.NewDelete().Model((*optionRow)(nil)).Where("vote_id = ?", v.ID).Exec(ctx); err != nil {
			return fmt.Errorf("replace options: %w", err)
		}
		if err := insertOptions(ctx, tx, v); err != nil {
			return err
		}
		if err := accounts.Record(ctx, tx, now, actor, "decision.update", v.ID, v.Question, ""); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Update, "vote", v.ID, actor.Account.ID)
	})
	s.votes.forget(voteID)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// ByID returns a vote with its options.
func (s *Service) ByID(ctx context.Context, id string) (*Vote, error) {
	return s.load(ctx, s.db, id, "")
}

// load reads a vote and its options through db; lock is "", "SHARE" or
// "UPDATE" (a row lock on PostgreSQL; SQLite's write transactions are
// serial already).
func (s *Service) load(ctx context.Context, db bun.IDB, id, lock string) (*Vote, error) {
	v := new(Vote)
	q := db.NewSelect().Model(v).Where("v.id = ?", id)
	if lock != "" && db.Dialect().Name() == dialect.PG {
		q = q.For(lock)
	}
	err := q.Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load vote: %w", err)
	}
	var rows []optionRow
	if err := db.NewSelect().Model(&rows).Where("vote_id = ?", id).Order("position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load options: %w", err)
	}
	v.Options = make([]Option, len(rows))
	for i, r := range rows {
		v.Options[i] = Option{Key: r.Key, Label: r.Label, Cost: r.Cost}
	}
	return v, nil
}

// InSpace lists a space's votes, the latest to close first.
func (s *Service) InSpace(ctx context.Context, spaceID string) ([]Vote, error) {
	var out []Vote
	if err := s.db.NewSelect().Model(&out).Where("space_id = ?", spaceID).Order("closes_at DESC", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list votes: %w", err)
	}
	return out, nil
}

func isNoRows(err error) bool { return errors.Is(database.Translate(err), database.ErrNotFound) }

// List lists the node's votes, the latest to close first (at most 200).
func (s *Service) List(ctx context.Context) ([]Vote, error) {
	var out []Vote
	if err := s.db.NewSelect().Model(&out).Order("closes_at DESC", "id").Limit(200).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list votes: %w", err)
	}
	return out, nil
}

// Editable says whether a vote's question, options and method may still
// change: ErrBallotsCast once a ballot was cast or the vote closed,
// ErrNotFound for no such vote. Update decides again under its lock;
// this lets a page say so before the form is filled.
func (s *Service) Editable(ctx context.Context, voteID string) error {
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return err
	}
	if v.ClosedAt != nil {
		return ErrBallotsCast
	}
	n, err := s.db.NewSelect().Table("decision_ballots").Where("vote_id = ?", voteID).Limit(1).Count(ctx)
	if err != nil {
		return fmt.Errorf("count ballots: %w", err)
	}
	if n > 0 {
		return ErrBallotsCast
	}
	return nil
}

// Validate checks a vote's input for a space as Create would, without
// storing anything: every mistake at once (an *InvalidError), or the
// space's ErrNotFound.
func (s *Service) Validate(ctx context.Context, spaceID string, in Input) error {
	sp, err := s.spaces.ByID(ctx, spaceID)
	if err != nil {
		return err
	}
	in.Options = slices.Clone(in.Options)
	return s.checkInput(ctx, sp, &in)
}
