package proposals

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/ratelimit"
)

// ProposalLimits are how many proposals one author may publish: more
// than a resident with ideas writes in an evening, far fewer than a
// script (thirty in forty seconds went through before). A proposal
// entered at a desk counts for the resident it is by.
var ProposalLimits = []ratelimit.Rule{{Max: 5, Window: 10 * time.Minute}, {Max: 20, Window: 24 * time.Hour}}

// DeskLimits bound what one agent enters at a desk for residents, all
// residents together. A desk helps one person every few minutes, so they
// never hold back an honest desk (a per-agent limit at the residents'
// pace would); they bound what a stolen agent session, opening
// accounts and proposing for each, could publish.
var DeskLimits = []ratelimit.Rule{{Max: 30, Window: time.Hour}, {Max: 200, Window: 24 * time.Hour}}

// DefaultAttachmentQuota is how many bytes of files the proposals of one
// author may hold, unless the node says otherwise: some forty photos or
// plans at their largest, more than a resident needs, far less than a
// disk.
const DefaultAttachmentQuota = 200 << 20

// ErrRateLimited is a proposal refused because its author (or the agent
// at the desk) published as many as the limits allow; the error is a
// *RateLimitError that says how long to wait.
var ErrRateLimited = errors.New("too many proposals in a short time")

// RateLimitError refuses a proposal for now; errors.Is(err, ErrRateLimited).
type RateLimitError struct {
	Wait time.Duration // until one more is allowed
	Desk bool          // the agent's DeskLimits, not the resident's ProposalLimits
}

func (e *RateLimitError) Error() string {
	who := "by this author"
	if e.Desk {
		who = "entered at this desk"
	}
	return ErrRateLimited.Error() + " " + who + ": wait " + strconv.Itoa(int(e.Wait.Round(time.Second)/time.Second)) + " s"
}

// Is makes errors.Is(err, ErrRateLimited) hold.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// ErrQuota is files refused because the author's proposals would hold
// more than the node's attachment quota; the error is a *QuotaError.
var ErrQuota = errors.New("the files would exceed the storage allowed per resident")

// QuotaError says how much room is left; errors.Is(err, ErrQuota).
type QuotaError struct {
	Used, Adding, Limit int64 // bytes
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("%s: %d bytes used of %d, %d more refused", ErrQuota, e.Used, e.Limit, e.Adding)
}

// Is makes errors.Is(err, ErrQuota) hold.
func (e *QuotaError) Is(target error) bool { return target == ErrQuota }

// Option changes a Service at construction.
type Option func(*Service)

// WithAttachmentQuota sets how many bytes of files the proposals of one
// author may hold; 0 means no quota.
func WithAttachmentQuota(bytes int64) Option {
	return func(s *Service) { s.quota = max(bytes, 0) }
}

// WithProposalLimits replaces ProposalLimits and DeskLimits, for a node
// (or a test) that needs others; nil keeps the default.
func WithProposalLimits(author, desk []ratelimit.Rule) Option {
	return func(s *Service) {
		if author != nil {
			s.authorLimits = author
		}
		if desk != nil {
			s.deskLimits = desk
		}
	}
}

// paceProposal checks, in the transaction that will write it, that the
// author may publish one more proposal now, and the agent too when one
// enters it at a desk. It serialises each on its own row first
// (accounts.Serialize), author before agent, so simultaneous posts are
// counted one after the other on either database, and exactly the
// limits pass.
func (s *Service) paceProposal(ctx context.Context, tx bun.IDB, authorID, agentID string, now time.Time) error {
	if err := accounts.Serialize(ctx, tx, authorID, accounts.PaceProposal, now); err != nil {
		return err
	}
	if wait, err := proposedWait(ctx, tx, "author_id", authorID, s.authorLimits, now); err != nil || wait > 0 {
		if err == nil {
			err = &RateLimitError{Wait: wait}
		}
		return err
	}
	if agentID == "" {
		return nil
	}
	if err := accounts.Serialize(ctx, tx, agentID, accounts.PaceDeskEntry, now); err != nil {
		return err
	}
	if wait, err := proposedWait(ctx, tx, "entered_by", agentID, s.deskLimits, now); err != nil || wait > 0 {
		if err == nil {
			err = &RateLimitError{Wait: wait, Desk: true}
		}
		return err
	}
	return nil
}

// proposedWait reads when the proposals whose column is id were created
// within the longest rule, and how long until one more is allowed.
func proposedWait(ctx context.Context, tx bun.IDB, column, id string, rules []ratelimit.Rule, now time.Time) (time.Duration, error) {
	longest := ratelimit.Longest(rules)
	var times []time.Time
	err := tx.NewSelect().Model((*Proposal)(nil)).Column("p.created_at").
		Where("p."+column+" = ? AND p.created_at > ?", id, now.Add(-longest.Window)). // column: author_id or entered_by
		OrderExpr("p.created_at DESC").Limit(int64(longest.Max)).Scan(ctx, &times)
	if err != nil {
		return 0, fmt.Errorf("read recent proposals: %w", err)
	}
	return ratelimit.Wait(times, rules, now), nil
}

// AttachmentUse returns how many bytes of files the proposals of an
// account hold, and the quota (0: none), for a page to say how much room
// is left before a resident chooses files.
func (s *Service) AttachmentUse(ctx context.Context, accountID string) (used, quota int64, err error) {
	used, err = attachmentBytes(ctx, s.db, accountID)
	return used, s.quota, err
}

func attachmentBytes(ctx context.Context, db bun.IDB, authorID string) (int64, error) {
	var used int64
	err := db.NewSelect().TableExpr("proposal_attachments AS a").
		Join("JOIN proposals AS p ON p.id = a.proposal_id").
		ColumnExpr("COALESCE(SUM(a.size), 0)").
		Where("p.author_id = ?", authorID).Scan(ctx, &used)
	if err != nil {
		return 0, fmt.Errorf("sum attachment bytes: %w", err)
	}
	return used, nil
}

// withinQuota checks, in the transaction that will add them, that files
// fit in the author's quota. It serialises the author's attachments
// first, so two uploads at once cannot both fit in the same room.
func (s *Service) withinQuota(ctx context.Context, tx bun.IDB, authorID string, files []Attachment) error {
	if s.quota == 0 || len(files) == 0 {
		return nil
	}
	if err := accounts.Serialize(ctx, tx, authorID, accounts.PaceAttachments, s.now()); err != nil {
		return err
	}
	var adding int64
	for _, f := range files {
		adding += f.Size
	}
	return s.fits(ctx, tx, authorID, adding)
}

func (s *Service) fits(ctx context.Context, db bun.IDB, authorID string, adding int64) error {
	used, err := attachmentBytes(ctx, db, authorID)
	if err != nil {
		return err
	}
	if used+adding > s.quota {
		return &QuotaError{Used: used, Adding: adding, Limit: s.quota}
	}
	return nil
}

// FitsQuota says, before files are stored, whether adding bytes more to
// an author's proposals would pass the quota (a *QuotaError then), so
// that files which cannot be kept are not written to the blob store.
// The act that adds them checks again, in its transaction.
func (s *Service) FitsQuota(ctx context.Context, authorID string, adding int64) error {
	if s.quota == 0 || adding == 0 {
		return nil
	}
	return s.fits(ctx, s.db, authorID, adding)
}
