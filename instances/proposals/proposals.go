// Package proposals holds what residents propose in a space: the
// proposals, their supports from verified residents, the official answers
// that move them from state to state, and the timeline of it all.
package proposals

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/instances/outbox"
	"agora/instances/spaces"
	"agora/storage/database"
	"agora/storage/ratelimit"
)

// State is where a proposal stands.
type State string

const (
	Published   State = "published"
	Review      State = "review" // under review by the city's services
	Accepted    State = "accepted"
	Rejected    State = "rejected"
	Study       State = "study" // in study
	Implemented State = "implemented"
	Withdrawn   State = "withdrawn"
	Merged      State = "merged" // merged into another by moderators
)

// States lists the states in the order pages show them.
var States = []State{Published, Review, Study, Accepted, Rejected, Implemented, Withdrawn, Merged}

// answerable maps each state to those an official may move it to.
var answerable = map[State][]State{
	Published: {Review, Study, Accepted, Rejected},
	Review:    {Study, Accepted, Rejected},
	Study:     {Accepted, Rejected},
	Accepted:  {Implemented},
}

// CanAnswer reports whether an official may move a proposal from one
// state to another.
func CanAnswer(from, to State) bool {
	for _, s := range answerable[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Proposal is one proposal.
type Proposal struct {
	bun.BaseModel `bun:"table:proposals,alias:p"`

	ID           string     `bun:"id,pk"`
	SpaceID      string     `bun:"space_id"`
	AuthorID     string     `bun:"author_id"`
	EnteredBy    string     `bun:"entered_by"`
	Desk         string     `bun:"desk"`
	Title        string     `bun:"title"`
	Body         string     `bun:"body"`
	BodyHTML     string     `bun:"body_html"`
	Category     string     `bun:"category"`
	Address      string     `bun:"address"`
	Lat          *float64   `bun:"lat"`
	Lon          *float64   `bun:"lon"`
	State        State      `bun:"state"`
	SupportCount int        `bun:"support_count"`
	CommentCount int        `bun:"comment_count"`
	RandKey      int64      `bun:"rand_key"`
	CreatedAt    time.Time  `bun:"created_at"`
	UpdatedAt    time.Time  `bun:"updated_at"`
	EditedAt     *time.Time `bun:"edited_at"`
	HiddenAt     *time.Time `bun:"hidden_at"`
	HiddenReason string     `bun:"hidden_reason"`
	MergedInto   string     `bun:"merged_into"`

	Author *accounts.Account `bun:"rel:belongs-to,join:author_id=id"`
}

// Hidden reports whether moderators hid the proposal.
func (p *Proposal) Hidden() bool { return p.HiddenAt != nil }

// Event is one line of a proposal's public timeline.
type Event struct {
	bun.BaseModel `bun:"table:proposal_events"`

	ID         int64     `bun:"id,pk,autoincrement"`
	ProposalID string    `bun:"proposal_id"`
	At         time.Time `bun:"at"`
	ActorID    string    `bun:"actor_id"`
	Kind       string    `bun:"kind"` // published, edited, review, answer, withdrawn
	FromState  State     `bun:"from_state"`
	ToState    State     `bun:"to_state"`
	Answer     string    `bun:"answer"`
	AnswerHTML string    `bun:"answer_html"`
	Service    string    `bun:"service"`
	Reason     string    `bun:"reason"`
}

// Errors of the proposals service.
var (
	ErrNotFound         = errors.New("proposal not found")
	ErrSignIn           = errors.New("sign in to do this")
	ErrForbidden        = errors.New("not allowed")
	ErrPhase            = errors.New("the current phase of the space does not allow this")
	ErrNotVerified      = errors.New("only verified residents may do this")
	ErrTitle            = errors.New("the title is empty or too long")
	ErrBody             = errors.New("the text is empty or too long")
	ErrCategory         = errors.New("choose one of the space's categories")
	ErrLocation         = errors.New("the map point is not a valid latitude and longitude")
	ErrAddress          = errors.New("an address is at most 200 characters")
	ErrAlreadySupported = errors.New("you already support this proposal")
	ErrNotSupported     = errors.New("you do not support this proposal")
	ErrClosed           = errors.New("this proposal no longer takes supports")
	ErrEditWindow       = errors.New("a proposal can be edited by its author only until its first support or for 15 minutes")
	ErrReason           = errors.New("a reason is required")
	ErrTransition       = errors.New("this answer does not follow from the proposal's state")
	ErrAnswer           = errors.New("an answer is 1 to 5,000 characters")
	ErrOwnProposal      = errors.New("an author does not support their own proposal")
	ErrServiceAccount   = errors.New("the account of a city service does not support proposals")
)

// EditWindow is how long an author may edit a proposal nobody supports yet.
const EditWindow = 15 * time.Minute

// Service runs the proposals of a node.
type Service struct {
	db       *bun.DB
	md       *markup.Renderer
	accounts *accounts.Service
	spaces   *spaces.Service
	now      func() time.Time
	keys     keyCache // see list.go
	quota    int64    // bytes of files per author, 0 for none

	authorLimits, deskLimits []ratelimit.Rule // ProposalLimits, DeskLimits unless set
}

// NewService returns the proposals service; now is the clock (nil:
// time.Now). The attachment quota is DefaultAttachmentQuota unless an
// option says otherwise.
func NewService(db *bun.DB, md *markup.Renderer, acc *accounts.Service, sp *spaces.Service, now func() time.Time, opts ...Option) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{db: db, md: md, accounts: acc, spaces: sp, quota: DefaultAttachmentQuota,
		authorLimits: ProposalLimits, deskLimits: DeskLimits,
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Input is what a resident writes.
type Input struct {
	Title    string
	Body     string // Markdown
	Category string
	Address  string
	Lat, Lon *float64
	// Attachments are files already checked and stored in the blob store,
	// joined to a new proposal in its own transaction.
	Attachments []Attachment
}

// person returns who a binding act is for: the resident at the desk when
// an agent acts for them, else the signed-in account. An agent never acts
// for staff (accounts.CheckDeskTarget): the error is then ErrForbidden
// and accounts.ErrStaffTarget both.
func (s *Service) person(ctx context.Context, actor accounts.Actor) (*accounts.Account, error) {
	if actor.Account == nil {
		return nil, ErrSignIn
	}
	who, err := accounts.ForResident(ctx, s.db, actor)
	switch {
	case errors.Is(err, accounts.ErrStaffTarget):
		return nil, fmt.Errorf("%w: %w", ErrForbidden, err)
	case errors.Is(err, accounts.ErrForbidden):
		return nil, ErrForbidden
	}
	return who, err
}

func enteredBy(actor accounts.Actor) (string, string) {
	if actor.OnBehalfOf != nil {
		return actor.Account.ID, actor.Desk
	}
	return "", ""
}

func (s *Service) check(sp *spaces.Space, in *Input) error {
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.TrimSpace(in.Body)
	in.Address = strings.TrimSpace(in.Address)
	if err := markup.CheckLength(ErrTitle, in.Title, 1, sp.TitleMax); err != nil {
		return err
	}
	if err := markup.CheckLength(ErrBody, in.Body, 1, sp.BodyMax); err != nil {
		return err
	}
	if len(sp.Categories) > 0 && !sp.HasCategory(in.Category) || len(sp.Categories) == 0 && in.Category != "" {
		return ErrCategory
	}
	if utf8.RuneCountInString(in.Address) > 200 {
		return ErrAddress
	}
	if (in.Lat == nil) != (in.Lon == nil) {
		return ErrLocation
	}
	if in.Lat != nil && (math.IsNaN(*in.Lat) || math.IsNaN(*in.Lon) || *in.Lat < -90 || *in.Lat > 90 || *in.Lon < -180 || *in.Lon > 180) {
		return ErrLocation
	}
	return nil
}

// Create publishes a proposal in a space during its proposal phase,
// within ProposalLimits for its author and DeskLimits for the agent who
// enters it at a desk (a *RateLimitError otherwise), its files within
// the author's attachment quota (a *QuotaError).
func (s *Service) Create(ctx context.Context, actor accounts.Actor, spaceID string, in Input) (*Proposal, error) {
	author, err := s.person(ctx, actor)
	if err != nil {
		return nil, err
	}
	sp, err := s.spaces.ByID(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.MayPropose(ctx, author, sp); err != nil {
		return nil, err
	}
	if err := s.check(sp, &in); err != nil {
		return nil, err
	}
	if err := checkAttachments(in.Attachments); err != nil {
		return nil, err
	}
	by, desk := enteredBy(actor)
	p := &Proposal{
		ID: database.NewID(), SpaceID: sp.ID, AuthorID: author.ID, EnteredBy: by, Desk: desk,
		Title: in.Title, Body: in.Body, BodyHTML: s.md.Markdown(in.Body), Category: in.Category,
		Address: in.Address, Lat: in.Lat, Lon: in.Lon, State: Published, RandKey: randKey(),
		CreatedAt: now, UpdatedAt: now,
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.paceProposal(ctx, tx, author.ID, by, now); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return fmt.Errorf("insert proposal: %w", err)
		}
		if len(in.Attachments) > 0 {
			if err := s.insertAttachments(ctx, tx, author.ID, p.ID, in.Attachments); err != nil {
				return err
			}
		}
		if err := s.event(ctx, tx, &Event{ProposalID: p.ID, ActorID: actor.Account.ID, Kind: "published", ToState: Published}); err != nil {
			return err
		}
		if err := notifyCreated(ctx, tx, now, actor, p); err != nil {
			return err
		}
		return outboxed(ctx, tx, now, outbox.Create, p.ID, actor.Account.ID)
	})
	if err != nil {
		return nil, err
	}
	s.keys.forget(sp.ID)
	p.Author = author
	return p, nil
}

// randKey places a proposal in the random order: 31 bits, so the order
// is a rotation that any seed of the same size starts at a different point.
func randKey() int64 {
	var b [4]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint32(b[:]) >> 1)
}

func (s *Service) event(ctx context.Context, tx bun.IDB, e *Event) error {
	e.At = s.now()
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("record proposal event: %w", err)
	}
	return nil
}

// outboxed records a change for federation, in the caller's transaction.
func outboxed(ctx context.Context, tx bun.IDB, at time.Time, kind, id, actorID string) error {
	return outbox.Record(ctx, tx, at, kind, "proposal", id, actorID)
}

// ByID returns a proposal with its author.
func (s *Service) ByID(ctx context.Context, id string) (*Proposal, error) {
	p := new(Proposal)
	err := s.db.NewSelect().Model(p).Relation("Author").Where("p.id = ?", id).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load proposal: %w", err)
	}
	return p, nil
}

// Timeline returns a proposal's events, oldest first.
func (s *Service) Timeline(ctx context.Context, id string) ([]Event, error) {
	var out []Event
	if err := s.db.NewSelect().Model(&out).Where("proposal_id = ?", id).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load timeline: %w", err)
	}
	return out, nil
}
