// Package projects holds a participatory budget's editions as the node
// keeps them: the budget of a space with its headings, the projects on
// its ballot (with the ideas they came from and their technical review),
// the result, and the follow-up of each funded project until it is built.
// The counting itself is package budgets' (pure computation); the ballots
// are the decisions machinery's. An edition imported from a Pabulib .pb
// file keeps the file, so its result can be recomputed by anyone.
package projects

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/geo"
	"agora/instances/markup"
	"agora/storage/blobs"
	"agora/storage/database"
)

// BallotKind is how residents choose projects.
type BallotKind string

const (
	// Approval: at most MaxChoices projects, whatever they cost (as
	// Paris votes).
	Approval BallotKind = "approval"
	// Knapsack: projects whose costs fit the heading's amount.
	Knapsack BallotKind = "knapsack"
)

// Budget is one edition of a space's participatory budget.
type Budget struct {
	bun.BaseModel `bun:"table:budgets,alias:b"`

	ID         string       `bun:"id,pk"`
	SpaceID    string       `bun:"space_id"`
	Title      string       `bun:"title"`
	Rule       budgets.Rule `bun:"rule"`
	BallotKind BallotKind   `bun:"ballot_kind"`
	MaxChoices int          `bun:"max_choices"`
	Currency   string       `bun:"currency"`
	PBKey      string       `bun:"pb_key"`
	ResultsAt  time.Time    `bun:"results_at,nullzero"`
	CreatedBy  string       `bun:"created_by"`
	CreatedAt  time.Time    `bun:"created_at"`

	Headings []Heading `bun:"-"`
}

// Total is the sum of the headings' amounts.
func (b *Budget) Total() int64 {
	var t int64
	for _, h := range b.Headings {
		t += h.Amount
	}
	return t
}

// Heading is one envelope of a budget: a district, or the city-wide one.
type Heading struct {
	bun.BaseModel `bun:"table:budget_headings,alias:h"`

	BudgetID string `bun:"budget_id,pk"`
	Slug     string `bun:"slug,pk"`
	Name     string `bun:"name"`
	Amount   int64  `bun:"amount"`
	Position int    `bun:"position"`
}

// Review is the technical review's verdict on a project.
type Review string

const (
	Pending    Review = "pending"
	Feasible   Review = "feasible"
	Unfeasible Review = "unfeasible"
)

// Status is where a funded project stands.
type Status string

const (
	Study     Status = "study"
	Tender    Status = "tender"
	Works     Status = "works"
	Done      Status = "done"
	Abandoned Status = "abandoned"
)

// Statuses lists the follow-up statuses in their usual order.
var Statuses = []Status{Study, Tender, Works, Done, Abandoned}

// Project is one project on a budget's ballot.
type Project struct {
	bun.BaseModel `bun:"table:budget_projects,alias:p"`

	ID            string    `bun:"id,pk"`
	BudgetID      string    `bun:"budget_id"`
	Heading       string    `bun:"heading"`
	Ref           string    `bun:"ref"`
	Title         string    `bun:"title"`
	Description   string    `bun:"description"`
	Theme         string    `bun:"theme"`
	Address       string    `bun:"address"`
	Service       string    `bun:"service"`
	Cost          int64     `bun:"cost"`
	Review        Review    `bun:"review"`
	ReviewReasons string    `bun:"review_reasons"`
	ReviewedBy    string    `bun:"reviewed_by"`
	Votes         int64     `bun:"votes"`
	Funded        bool      `bun:"funded"`
	FundedOther   bool      `bun:"funded_other"`
	Status        Status    `bun:"status"`
	Progress      int       `bun:"progress"`
	ActualCost    int64     `bun:"actual_cost"`
	LatE6         *int64    `bun:"lat_e6"` // the map point in microdegrees, nil when it has none
	LonE6         *int64    `bun:"lon_e6"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`

	Ideas []string `bun:"-"` // ids of the proposals it came from
}

type projectIdea struct {
	bun.BaseModel `bun:"table:budget_project_ideas"`

	ProjectID  string `bun:"project_id,pk"`
	ProposalID string `bun:"proposal_id,pk"`
}

// Milestone is one dated step of a funded project's follow-up.
type Milestone struct {
	bun.BaseModel `bun:"table:budget_milestones,alias:m"`

	ID         string    `bun:"id,pk"`
	ProjectID  string    `bun:"project_id"`
	Status     Status    `bun:"status"`
	Progress   int       `bun:"progress"`
	Text       string    `bun:"text"`
	ActualCost int64     `bun:"actual_cost"`
	AuthorID   string    `bun:"author_id"`
	At         time.Time `bun:"at"`
}

// Limits of the fields.
const (
	TitleMax       = 150
	DescriptionMax = 10_000
	FieldMax       = 300 // theme, address, service, heading names
	ReasonsMax     = 5_000
	MaxHeadings    = 50
)

// Errors of the service. ErrInvalid is wrapped by every refusal of bad
// input: the message names the field and what is wrong.
var (
	ErrNotFound  = errors.New("budget or project not found")
	ErrForbidden = fmt.Errorf("only officials and admins manage a budget: %w", accounts.ErrForbidden)
	ErrInvalid   = errors.New("invalid budget input")
	ErrNotFunded = errors.New("only a funded project has a follow-up")
	ErrDecided   = errors.New("the result is out: projects and costs no longer change")
)

// Service keeps the editions of one node.
type Service struct {
	db    *bun.DB
	blobs blobs.Store
	now   func() time.Time
}

// NewService returns the editions on db, with imported .pb files in
// store; now nil is time.Now.
func NewService(db *bun.DB, store blobs.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, blobs: store, now: now}
}

// manages reports whether the actor may manage budgets: the node itself,
// an official or an admin (never an agent acting for a resident).
func manages(actor accounts.Actor) bool {
	return actor.Account == nil || (actor.OnBehalfOf == nil && Manages(actor.Account))
}

// Manages reports whether an account manages budgets: officials and
// admins do.
func Manages(a *accounts.Account) bool {
	return a != nil && (a.Has(accounts.Official) || a.Has(accounts.Admin))
}

// HeadingInput is one heading of a new budget; an empty Slug is made
// from the name.
type HeadingInput struct {
	Slug, Name string
	Amount     int64
}

// BudgetInput is a new budget.
type BudgetInput struct {
	SpaceID    string
	Title      string
	Rule       budgets.Rule
	BallotKind BallotKind
	MaxChoices int // approval: at most so many projects (0: no limit)
	Currency   string
	Headings   []HeadingInput
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// Check normalises the input (defaults: greedy, approval, EUR) and names
// every field at fault at once.
func (in *BudgetInput) Check() error {
	in.Title = strings.TrimSpace(in.Title)
	if in.Rule == "" {
		in.Rule = budgets.Greedy
	}
	if in.BallotKind == "" {
		in.BallotKind = Approval
	}
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if in.Currency == "" {
		in.Currency = "EUR"
	}
	p := Problems{}
	p.text("title", in.Title, TitleMax, true)
	if in.Rule != budgets.Greedy && in.Rule != budgets.EqualShares {
		p["rule"] = ProblemUnknown
	}
	if in.BallotKind != Approval && in.BallotKind != Knapsack {
		p["ballot"] = ProblemUnknown
	}
	if in.MaxChoices < 0 || in.MaxChoices > 1000 {
		p["max_choices"] = ProblemRange
	}
	if len(in.Currency) != 3 || strings.ContainsFunc(in.Currency, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		p["currency"] = ProblemUnknown
	}
	if len(in.Headings) == 0 || len(in.Headings) > MaxHeadings {
		p["headings"] = ProblemCount
	}
	seen := map[string]bool{}
	var total int64
	for i := range in.Headings {
		h := &in.Headings[i]
		if h.Slug == "" { // the code follows the name: "Tout le 15e" is tout-le-15e
			h.Slug = markup.Slug(h.Name, 40)
		}
		field := fmt.Sprintf("heading.%d.", i+1)
		switch {
		case !slugRe.MatchString(h.Slug):
			p[field+"slug"] = ProblemUnknown
		case seen[h.Slug]:
			p[field+"slug"] = ProblemTaken
		}
		seen[h.Slug] = true
		p.text(field+"name", h.Name, FieldMax, true)
		p.amount(field+"amount", h.Amount)
		total += min(max(h.Amount, 0), budgets.MaxAmount)
	}
	if total > budgets.MaxAmount {
		p["headings"] = ProblemAmount
	}
	return p.Err()
}

// CreateBudget opens an edition in a space. Every field at fault is
// named at once; nothing is stored then.
func (s *Service) CreateBudget(ctx context.Context, actor accounts.Actor, in BudgetInput) (*Budget, error) {
	if !manages(actor) {
		return nil, ErrForbidden
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	b := &Budget{ID: database.NewID(), SpaceID: in.SpaceID, Title: strings.TrimSpace(in.Title), Rule: in.Rule,
		BallotKind: in.BallotKind, MaxChoices: in.MaxChoices, Currency: in.Currency, CreatedBy: actorID(actor), CreatedAt: now}
	for i, h := range in.Headings {
		b.Headings = append(b.Headings, Heading{BudgetID: b.ID, Slug: h.Slug, Name: strings.TrimSpace(h.Name), Amount: h.Amount, Position: i})
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.insertBudget(ctx, tx, actor, b)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

func (s *Service) insertBudget(ctx context.Context, tx bun.Tx, actor accounts.Actor, b *Budget) error {
	n, err := tx.NewSelect().Table("spaces").Where("id = ?", b.SpaceID).Count(ctx)
	if err != nil {
		return fmt.Errorf("find space: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("space %q: %w", b.SpaceID, ErrNotFound)
	}
	if _, err := tx.NewInsert().Model(b).Exec(ctx); err != nil {
		return fmt.Errorf("insert budget: %w", err)
	}
	if _, err := tx.NewInsert().Model(&b.Headings).Exec(ctx); err != nil {
		return fmt.Errorf("insert headings: %w", err)
	}
	return accounts.Record(ctx, tx, b.CreatedAt, actor, "budget.create", b.ID, "", "")
}

func actorID(actor accounts.Actor) string {
	if actor.Account == nil {
		return ""
	}
	return actor.Account.ID
}

// Budget returns an edition with its headings.
func (s *Service) Budget(ctx context.Context, id string) (*Budget, error) {
	return budgetOn(ctx, s.db, id)
}

func budgetOn(ctx context.Context, db bun.IDB, id string) (*Budget, error) {
	b := new(Budget)
	err := db.NewSelect().Model(b).Where("b.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read budget: %w", err)
	}
	if err := db.NewSelect().Model(&b.Headings).Where("h.budget_id = ?", id).OrderExpr("h.position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read headings: %w", err)
	}
	return b, nil
}

// OfSpace returns a space's editions, newest first, without headings.
func (s *Service) OfSpace(ctx context.Context, spaceID string) ([]Budget, error) {
	var out []Budget
	if err := s.db.NewSelect().Model(&out).Where("b.space_id = ?", spaceID).OrderExpr("b.created_at DESC, b.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list budgets: %w", err)
	}
	return out, nil
}

// ProjectInput is a new project.
type ProjectInput struct {
	BudgetID                                    string
	Heading                                     string // a heading's slug
	Ref                                         string // "" for the next number
	Title, Description, Theme, Address, Service string
	Cost                                        int64      // the estimate, before review
	Ideas                                       []string   // proposals of the budget's space it merges
	Point                                       *geo.Point // where it would be built, nil for none
}

// Problems names each field of the project at fault.
func (in ProjectInput) Problems() Problems {
	p := Problems{}
	p.text("title", in.Title, TitleMax, true)
	p.text("description", in.Description, DescriptionMax, false)
	p.text("theme", in.Theme, FieldMax, false)
	p.text("address", in.Address, FieldMax, false)
	p.text("service", in.Service, FieldMax, false)
	p.text("ref", in.Ref, 64, false)
	p.amount("cost", in.Cost)
	p.point(in.Point)
	if len(in.Ideas) > 100 {
		p["ideas"] = ProblemCount
	}
	return p
}

// AddProject puts a project on the ballot: officials build them from the
// residents' ideas (the merged proposals keep their authors and
// supports, and are linked from the project).
func (s *Service) AddProject(ctx context.Context, actor accounts.Actor, in ProjectInput) (*Project, error) {
	if !manages(actor) {
		return nil, ErrForbidden
	}
	in.Title, in.Ref = strings.TrimSpace(in.Title), strings.TrimSpace(in.Ref)
	if err := in.Problems().Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	p := &Project{ID: database.NewID(), BudgetID: in.BudgetID, Heading: in.Heading, Ref: in.Ref, Title: in.Title,
		Description: strings.TrimSpace(in.Description), Theme: strings.TrimSpace(in.Theme), Address: strings.TrimSpace(in.Address),
		Service: strings.TrimSpace(in.Service), Cost: in.Cost, Review: Pending, CreatedAt: now, UpdatedAt: now}
	p.LatE6, p.LonE6 = e6s(in.Point)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Writing the budget's row first holds it (on PostgreSQL, a row
		// lock until commit; SQLite has one writer), so projects added at
		// once are numbered one after the other.
		if _, err := tx.NewUpdate().Table("budgets").Set("id = id").Where("id = ?", in.BudgetID).Exec(ctx); err != nil {
			return fmt.Errorf("hold budget: %w", err)
		}
		b, err := budgetOn(ctx, tx, in.BudgetID)
		if err != nil {
			return err
		}
		if !b.ResultsAt.IsZero() {
			return ErrDecided
		}
		if v, err := voting(ctx, tx, b.ID); err != nil {
			return err
		} else if v {
			return ErrVoting
		}
		if !slices.ContainsFunc(b.Headings, func(h Heading) bool { return h.Slug == in.Heading }) {
			return Problems{"heading": ProblemUnknown}.Err()
		}
		if p.Ref == "" {
			if p.Ref, err = nextRef(ctx, tx, b.ID); err != nil {
				return err
			}
		}
		if taken, err := tx.NewSelect().Model((*Project)(nil)).Where("p.budget_id = ? AND p.ref = ?", b.ID, p.Ref).Exists(ctx); err != nil {
			return fmt.Errorf("check reference: %w", err)
		} else if taken {
			return Problems{"ref": ProblemTaken}.Err()
		}
		if err := s.linkIdeas(ctx, tx, b, p, in.Ideas); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return fmt.Errorf("insert project: %w", err)
		}
		if len(p.Ideas) > 0 {
			rows := make([]projectIdea, len(p.Ideas))
			for i, id := range p.Ideas {
				rows[i] = projectIdea{ProjectID: p.ID, ProposalID: id}
			}
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("link ideas: %w", err)
			}
		}
		return accounts.Record(ctx, tx, now, actor, "budget.project", p.ID, "", "")
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// nextRef is the number after the highest numbered reference of a
// budget: "1" for its first project.
func nextRef(ctx context.Context, tx bun.IDB, budgetID string) (string, error) {
	var refs []string
	if err := tx.NewSelect().Model((*Project)(nil)).Column("ref").Where("budget_id = ?", budgetID).Scan(ctx, &refs); err != nil {
		return "", fmt.Errorf("number project: %w", err)
	}
	highest := 0
	for _, r := range refs {
		if n, err := strconv.Atoi(r); err == nil && n > highest {
			highest = n
		}
	}
	return strconv.Itoa(highest + 1), nil
}

// Idea is a proposal a project came from, as its page links it.
type Idea struct {
	ID    string `bun:"id"`
	Title string `bun:"title"`
}

// Ideas returns the proposals a project came from that are still shown
// (neither hidden by moderators nor withdrawn), by title.
func (s *Service) Ideas(ctx context.Context, p *Project) ([]Idea, error) {
	var out []Idea
	if len(p.Ideas) == 0 {
		return out, nil
	}
	err := s.db.NewSelect().Table("proposals").Column("id", "title").
		Where("id IN (?) AND hidden_at IS NULL AND state <> 'withdrawn'", bun.In(p.Ideas)).OrderExpr("title, id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("read ideas: %w", err)
	}
	return out, nil
}

// linkIdeas checks that every idea is a proposal of the budget's space.
func (s *Service) linkIdeas(ctx context.Context, tx bun.IDB, b *Budget, p *Project, ideas []string) error {
	slices.Sort(ideas)
	ideas = slices.Compact(ideas)
	if len(ideas) == 0 {
		return nil
	}
	var found []string
	err := tx.NewSelect().Table("proposals").Column("id").
		Where("space_id = ? AND id IN (?)", b.SpaceID, bun.In(ideas)).Scan(ctx, &found)
	if err != nil {
		return fmt.Errorf("find ideas: %w", err)
	}
	if len(found) != len(ideas) {
		return Problems{"ideas": ProblemUnknown}.Err()
	}
	p.Ideas = ideas
	return nil
}

// ReviewInput is the technical review of a project by the city's
// services: feasible or not, the cost they estimate, and their reasons,
// published.
type ReviewInput struct {
	Feasible bool
	Cost     int64
	Reasons  string
}

// Problems names each field of the review at fault: an unfeasible
// project needs its reasons, a feasible one its cost.
func (in ReviewInput) Problems() Problems {
	p := Problems{}
	p.text("reasons", in.Reasons, ReasonsMax, !in.Feasible)
	if in.Feasible {
		p.amount("cost", in.Cost)
	}
	return p
}

// SetReview records the technical review. An unfeasible project needs
// its reasons; a feasible one its cost.
func (s *Service) SetReview(ctx context.Context, actor accounts.Actor, projectID string, in ReviewInput) error {
	if !manages(actor) {
		return ErrForbidden
	}
	if err := in.Problems().Err(); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := projectOn(ctx, tx, projectID)
		if err != nil {
			return err
		}
		if b, err := budgetOn(ctx, tx, p.BudgetID); err != nil {
			return err
		} else if !b.ResultsAt.IsZero() {
			return ErrDecided
		} else if v, err := voting(ctx, tx, b.ID); err != nil {
			return err
		} else if v {
			return ErrVoting
		}
		q := tx.NewUpdate().Model((*Project)(nil)).Where("id = ?", projectID).
			Set("review = ?", map[bool]Review{true: Feasible, false: Unfeasible}[in.Feasible]).
			Set("review_reasons = ?", strings.TrimSpace(in.Reasons)).Set("reviewed_by = ?", actorID(actor)).
			Set("updated_at = ?", s.now().UTC())
		if in.Feasible {
			q = q.Set("cost = ?", in.Cost)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("review project: %w", err)
		}
		return accounts.Record(ctx, tx, s.now().UTC(), actor, "budget.review", projectID,
			fmt.Sprintf("feasible=%t", in.Feasible), "")
	})
}

// Project returns a project with its ideas and its follow-up, oldest
// milestone first.
func (s *Service) Project(ctx context.Context, id string) (*Project, []Milestone, error) {
	p, err := projectOn(ctx, s.db, id)
	if err != nil {
		return nil, nil, err
	}
	var ms []Milestone
	if err := s.db.NewSelect().Model(&ms).Where("m.project_id = ?", id).OrderExpr("m.at, m.id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("read milestones: %w", err)
	}
	return p, ms, nil
}

func projectOn(ctx context.Context, db bun.IDB, id string) (*Project, error) {
	p := new(Project)
	err := db.NewSelect().Model(p).Where("p.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read project: %w", err)
	}
	if err := db.NewSelect().Model((*projectIdea)(nil)).Column("proposal_id").Where("project_id = ?", id).
		OrderExpr("proposal_id").Scan(ctx, &p.Ideas); err != nil {
		return nil, fmt.Errorf("read ideas: %w", err)
	}
	return p, nil
}

// Projects returns a budget's projects by heading, then most voted, then
// reference.
func (s *Service) Projects(ctx context.Context, budgetID string) ([]Project, error) {
	var out []Project
	err := s.db.NewSelect().Model(&out).Where("p.budget_id = ?", budgetID).
		OrderExpr("p.heading, p.votes DESC, p.ref").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	return out, nil
}
