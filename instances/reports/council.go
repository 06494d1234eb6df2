package reports

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/spaces"
	"agora/storage/database"
)

// A neighbourhood council (a space of kind council) ranks the open
// suggestions by a binding vote of the decisions machinery, as the
// participatory budget's vote is filled from its feasible projects
// (projects.Voting): each option is one suggestion, keyed by its id.
// report_council_votes links the vote to the suggestions' categories;
// when it is closed, Rank writes each suggestion's place on its row.
// docs/REPORTS.md, "Suggestions of new amenities".

// CouncilVote links a council's vote to the suggestions it ranks.
type CouncilVote struct {
	bun.BaseModel `bun:"table:report_council_votes,alias:cv"`

	VoteID     string     `bun:"vote_id,pk"`
	SpaceID    string     `bun:"space_id"`
	Categories string     `bun:"categories"` // comma-separated slugs, "" for every suggestion category
	OpenedBy   string     `bun:"opened_by"`
	OpenedAt   time.Time  `bun:"opened_at"`
	RankedAt   *time.Time `bun:"ranked_at"` // when the ranks were written on the suggestions
}

// Errors of the council's vote.
var (
	ErrNotCouncil     = errors.New("only a neighbourhood council (a space of kind council) ranks suggestions")
	ErrNotSuggestion  = errors.New("this category is not one of suggestions")
	ErrSuggestionsFew = errors.New("a council vote needs 2 to 100 open suggestions in its categories")
	ErrMethod         = errors.New("a council ranks suggestions by ranked choice (Schulze) or approval")
	ErrVoteRunning    = errors.New("the council's vote is not closed yet")
	ErrNoCouncilVote  = errors.New("this vote does not rank suggestions")
)

// Council opens the councils' votes on suggestions and writes their ranks.
type Council struct {
	db        *bun.DB
	reports   *Service
	spaces    *spaces.Service
	decisions *decisions.Service
	now       func() time.Time
}

// NewCouncil returns the councils' votes on the suggestions of r, run by
// d in the spaces of sp; now nil is time.Now.
func NewCouncil(db *bun.DB, r *Service, sp *spaces.Service, d *decisions.Service, now func() time.Time) *Council {
	if now == nil {
		now = time.Now
	}
	return &Council{db: db, reports: r, spaces: sp, decisions: d, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// CouncilInput is a council's vote on suggestions.
type CouncilInput struct {
	Question    string
	Description string
	Method      decisions.Method // Ranked (Schulze) or Approval
	Categories  []string         // suggestion categories; none for all of them
	OpensAt     time.Time
	ClosesAt    time.Time
}

// Ballot returns the open suggestions a council vote on these categories
// would carry, most supported first (then oldest first): the options,
// in their order.
func (c *Council) Ballot(ctx context.Context, categories []string) ([]Report, error) {
	cats, err := c.suggestionCategories(ctx, c.db, categories)
	if err != nil {
		return nil, err
	}
	var out []Report
	err = c.db.NewSelect().Model(&out).Where("category IN (?)", bun.In(cats)).
		Where("state IN (?)", bun.In([]State{New, Acknowledged, Scheduled, Requalified})).
		Order("confirm_count DESC", "created_at", "id").Limit(101).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("open suggestions: %w", err)
	}
	return out, nil
}

// suggestionCategories checks the slugs are suggestion categories, or
// returns every one when none is given.
func (c *Council) suggestionCategories(ctx context.Context, db bun.IDB, slugs []string) ([]string, error) {
	var all []Category
	if err := db.NewSelect().Model(&all).Where("kind = ?", Suggestion).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load suggestion categories: %w", err)
	}
	if len(slugs) == 0 {
		for _, cat := range all {
			slugs = append(slugs, cat.Slug)
		}
		if len(slugs) == 0 {
			return nil, ErrSuggestionsFew
		}
		return slugs, nil
	}
	for _, s := range slugs {
		if !slices.ContainsFunc(all, func(cat Category) bool { return cat.Slug == s }) {
			return nil, fmt.Errorf("%w: %q", ErrNotSuggestion, s)
		}
	}
	return slugs, nil
}

// OpenVote opens a council's vote on the open suggestions of its
// categories, one option each (key: the report's id; label: its
// description, clipped). Refused, nothing stored: anyone but an official
// or admin acting for themselves (decisions.MayRun), a space that is not
// a council (ErrNotCouncil), a category not of suggestions, fewer than 2
// or more than 100 open suggestions, another method than ranked or
// approval, and every mistake decisions.Service.Validate finds.
func (c *Council) OpenVote(ctx context.Context, actor accounts.Actor, spaceID string, in CouncilInput) (*decisions.Vote, error) {
	if err := decisions.MayRun(actor); err != nil {
		return nil, err
	}
	sp, err := c.spaces.ByID(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	if sp.Kind != spaces.Council {
		return nil, ErrNotCouncil
	}
	if in.Method != decisions.Ranked && in.Method != decisions.Approval {
		return nil, ErrMethod
	}
	list, err := c.Ballot(ctx, in.Categories)
	if err != nil {
		return nil, err
	}
	if len(list) < 2 || len(list) > 100 {
		return nil, ErrSuggestionsFew
	}
	vin := decisions.Input{Question: in.Question, Description: in.Description, Method: in.Method,
		OpensAt: in.OpensAt, ClosesAt: in.ClosesAt}
	for _, r := range list {
		vin.Options = append(vin.Options, decisions.Option{Key: r.ID, Label: optionLabel(r)})
	}
	if err := c.decisions.Validate(ctx, sp.ID, vin); err != nil {
		return nil, err
	}
	// As the budget's vote: the vote is created by the decisions
	// service in its transaction, then linked.
	v, err := c.decisions.Create(ctx, actor, sp.ID, vin)
	if err != nil {
		return nil, err
	}
	now := c.now()
	link := &CouncilVote{VoteID: v.ID, SpaceID: sp.ID, Categories: strings.Join(in.Categories, ","), OpenedBy: actor.Account.ID, OpenedAt: now}
	err = c.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(link).Exec(ctx); err != nil {
			return fmt.Errorf("link council vote: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "report.council.open", v.ID, fmt.Sprintf("suggestions=%d", len(list)), "")
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// optionLabel is a suggestion as a ballot shows it: its address, if any,
// and its description, within the 200 characters of an option.
func optionLabel(r Report) string {
	label := strings.Join(strings.Fields(r.Description), " ")
	if r.Address != "" {
		label = r.Address + " — " + label
	}
	if rs := []rune(label); len(rs) > 200 {
		label = string(rs[:199]) + "…"
	}
	return label
}

// Votes returns the council votes on suggestions, newest first.
func (c *Council) Votes(ctx context.Context) ([]CouncilVote, error) {
	var out []CouncilVote
	if err := c.db.NewSelect().Model(&out).Order("opened_at DESC", "vote_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read council votes: %w", err)
	}
	return out, nil
}

// Rank closes a council's vote if its closing time has passed (the
// decisions count, frozen and published) and writes each suggestion's
// place in the result on its report: 1 for the first of the result's
// order. ErrVoteRunning before the closing time. Ranking again writes
// the same ranks.
func (c *Council) Rank(ctx context.Context, voteID string) error {
	link := new(CouncilVote)
	if err := c.db.NewSelect().Model(link).Where("cv.vote_id = ?", voteID).Scan(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return ErrNoCouncilVote
		}
		return fmt.Errorf("read council vote: %w", err)
	}
	t, err := c.decisions.Close(ctx, voteID)
	if errors.Is(err, decisions.ErrStillOpen) {
		return ErrVoteRunning
	} else if err != nil {
		return err
	}
	now := c.now()
	defer c.reports.changed()
	return c.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i, key := range t.Result.Order {
			// A later vote's rank is kept over an older one's.
			if _, err := tx.NewUpdate().Model((*Report)(nil)).Where("id = ?", key).
				Where("council_vote IS NULL OR council_vote = ? OR council_vote IN (SELECT vote_id FROM report_council_votes WHERE opened_at < ?)", voteID, link.OpenedAt).
				Set("council_rank = ?", i+1).Set("council_vote = ?", voteID).Exec(ctx); err != nil {
				return fmt.Errorf("record rank: %w", err)
			}
		}
		if _, err := tx.NewUpdate().Model((*CouncilVote)(nil)).Where("vote_id = ?", voteID).Set("ranked_at = ?", now).Exec(ctx); err != nil {
			return fmt.Errorf("record ranking: %w", err)
		}
		return nil
	})
}

// RankDue ranks every council vote whose closing time has passed and
// whose ranks are not written yet; serve runs it with the closing of
// votes. It returns how many it ranked; one that fails is skipped and
// its error returned after the others were tried.
func (c *Council) RankDue(ctx context.Context) (int, error) {
	var ids []string
	err := c.db.NewSelect().TableExpr("report_council_votes AS cv").Column("cv.vote_id").
		Join("JOIN decision_votes AS v ON v.id = cv.vote_id").
		Where("cv.ranked_at IS NULL AND v.closes_at <= ?", c.now()).Order("cv.opened_at").Scan(ctx, &ids)
	if err != nil {
		return 0, fmt.Errorf("council votes due: %w", err)
	}
	n := 0
	var errs []error
	for _, id := range ids {
		if err := c.Rank(ctx, id); err != nil {
			errs = append(errs, fmt.Errorf("rank council vote %s: %w", id, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Councils returns the spaces of kind council, where suggestions are
// ranked.
func (c *Council) Councils(ctx context.Context) ([]spaces.Space, error) {
	all, err := c.spaces.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []spaces.Space
	for _, sp := range all {
		if sp.Kind == spaces.Council {
			out = append(out, sp)
		}
	}
	return out, nil
}
