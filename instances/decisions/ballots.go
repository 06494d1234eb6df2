package decisions

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"agora/instances/accounts"
)

// Channel is how a ballot reached the node.
type Channel string

const (
	Online Channel = "online" // the resident, signed in
	Desk   Channel = "desk"   // an agent at a desk, the resident present
	Paper  Channel = "paper"  // an agent entering a paper ballot: final
)

// Ballot is one resident's ballot as stored: the last one they cast.
// The row holds who voted (so the last ballot replaces the previous
// one, and paper and online ballots exclude each other) beside what
// they chose; the published ballots leave the voter out (Published).
type Ballot struct {
	bun.BaseModel `bun:"table:decision_ballots,alias:b"`

	VoteID    string    `bun:"vote_id,pk"`
	VoterID   string    `bun:"voter_id,pk"`
	Receipt   string    `bun:"receipt"`
	Content   string    `bun:"content"`
	Channel   Channel   `bun:"channel"`
	EnteredBy string    `bun:"entered_by"` // the agent, for desk and paper ballots
	Desk      string    `bun:"desk"`
	CastAt    time.Time `bun:"cast_at"`
	Changes   int       `bun:"changes"` // how many times it replaced an earlier one
}

// Cast is what Cast returns: the receipt, shown once.
type Cast struct {
	Receipt string
	Changed bool // it replaced an earlier ballot
}

// MayVote says whether who may cast a ballot in v now: ErrNotOpen,
// ErrClosed, ErrNotVerified, one of the accounts errors of a resident
// outside the vote's electorate (age floor, district), or nil.
func (s *Service) MayVote(ctx context.Context, who *accounts.Account, v *Vote) error {
	if err := v.Window(s.now()); err != nil {
		return err
	}
	r, err := s.accounts.Residency(ctx, who.ID)
	if err != nil {
		return err
	}
	if r.State(s.now()) != accounts.Verified {
		return ErrNotVerified
	}
	return r.InElectorate(s.now(), v.MinAge, v.District)
}

// person is who a ballot is for: the signed-in resident, or the
// resident present at an agent's desk (accounts.ForResident).
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

// Cast records a ballot: the resident's own (online), or one an agent
// records at a desk for the resident present (actor.OnBehalfOf). With
// paper true the agent enters the resident's paper ballot, which is
// final: it is refused when the resident already voted, and any ballot
// after it is refused. Otherwise a new ballot replaces the previous one
// (the last counts) and gets a new receipt. The ballot and its receipt
// are one row, written in one statement of one transaction: both or
// neither.
func (s *Service) Cast(ctx context.Context, actor accounts.Actor, voteID string, c Choice, paper bool) (Cast, error) {
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return Cast{}, err
	}
	return s.CastIn(ctx, actor, v, c, paper)
}

// CastIn is Cast for a caller that already read the vote (a page that
// needed its method to read the form): the vote's row is read again
// under its lock, and a vote changed since v was read is read whole
// again, so a stale v never records a ballot against old options.
func (s *Service) CastIn(ctx context.Context, actor accounts.Actor, v *Vote, c Choice, paper bool) (Cast, error) {
	who, err := s.person(ctx, actor)
	if err != nil {
		return Cast{}, err
	}
	if paper && actor.OnBehalfOf == nil {
		return Cast{}, ErrForbidden
	}
	// An online ballot on PostgreSQL checks the voter's residency and
	// electorate in its one statement (castOnlinePG), and asks MayVote
	// why only when refused; the others ask first.
	online := !paper && actor.OnBehalfOf == nil && s.db.Dialect().Name() == dialect.PG
	if !online {
		if err := s.MayVote(ctx, who, v); err != nil {
			return Cast{}, err
		}
	}
	spec := v.Spec()
	marks, err := spec.Marks(c)
	if err != nil {
		// Who may vote is said before what the ballot says wrong, as
		// when MayVote is asked first.
		if online {
			if err := s.MayVote(ctx, who, v); err != nil {
				return Cast{}, err
			}
		}
		return Cast{}, err
	}
	now := s.now()
	b := &Ballot{VoteID: v.ID, VoterID: who.ID, Receipt: NewReceipt(), Content: encode(marks), Channel: Online, CastAt: now}
	if actor.OnBehalfOf != nil {
		b.Channel, b.EnteredBy, b.Desk = Desk, actor.Account.ID, actor.Desk
		if paper {
			b.Channel = Paper
		}
	}
	if online {
		out, done, eligible, err := s.castOnline(ctx, v, b)
		if err != nil || done && eligible {
			return out, err
		}
		if !eligible {
			// Outside the electorate, or not verified: say why. A
			// residency verified since the statement goes on below.
			if err := s.MayVote(ctx, who, v); err != nil {
				return Cast{}, err
			}
		}
		// The vote changed since v was read: the transaction below reads
		// it again.
		s.votes.forget(v.ID)
	}
	var out Cast
	// Two statements in the write transaction: on SQLite, where writers
	// take turns, every statement in it is time others wait.
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The vote's row as it stands now, under a shared lock that an
		// Update of its options and its Close wait for: the window is
		// checked again with the lock held, so a ballot that waited for
		// a Close is refused, never left uncounted.
		var cur Vote
		q := tx.NewSelect().Model(&cur).Column("closed_at", "opens_at", "closes_at", "updated_at").Where("v.id = ?", v.ID)
		if tx.Dialect().Name() == dialect.PG {
			q = q.For("SHARE")
		}
		if err := q.Scan(ctx); err != nil {
			if isNoRows(err) {
				return ErrNotFound
			}
			return fmt.Errorf("load vote: %w", err)
		}
		if cur.ClosedAt != nil {
			return ErrClosed
		}
		if err := cur.Window(s.now()); err != nil {
			return err
		}
		if !cur.UpdatedAt.Equal(v.UpdatedAt) {
			// Changed since it was read (options can change until the
			// first ballot): check the ballot against it as it is now.
			fresh, err := s.load(ctx, tx, v.ID, "")
			if err != nil {
				return err
			}
			spec := fresh.Spec()
			marks, err := spec.Marks(c)
			if err != nil {
				return err
			}
			b.Content = encode(marks)
		}
		// The conflict clauses keep the rules when two requests race: a
		// paper ballot only where there is none, any other never over a
		// paper one. RETURNING says which happened in the same statement.
		var changes []int
		var err error
		if paper {
			err = tx.NewInsert().Model(b).On("CONFLICT (vote_id, voter_id) DO NOTHING").Returning("changes").Scan(ctx, &changes)
		} else {
			err = tx.NewInsert().Model(b).
				On("CONFLICT (vote_id, voter_id) DO UPDATE").
				Set("receipt = EXCLUDED.receipt, content = EXCLUDED.content, channel = EXCLUDED.channel").
				Set("entered_by = EXCLUDED.entered_by, desk = EXCLUDED.desk, cast_at = EXCLUDED.cast_at").
				Set("changes = b.changes + 1").
				Where("b.channel <> ?", Paper).Returning("changes").Scan(ctx, &changes)
		}
		if err != nil && !isNoRows(err) {
			return fmt.Errorf("record ballot: %w", err)
		}
		if len(changes) == 0 {
			// Nothing written: a paper ballot is there (or, for a paper
			// ballot, any ballot is).
			var ch Channel
			if err := tx.NewSelect().Table("decision_ballots").Column("channel").
				Where("vote_id = ? AND voter_id = ?", v.ID, who.ID).Scan(ctx, &ch); err != nil {
				return fmt.Errorf("read ballot: %w", err)
			}
			if ch == Paper {
				return ErrPaperCast
			}
			return ErrOnlineCast
		}
		if actor.OnBehalfOf != nil {
			// The desk's act is in the resident's history; what they
			// chose is not.
			if err := accounts.Record(ctx, tx, now, actor, "decision.ballot."+string(b.Channel), who.ID, v.ID, ""); err != nil {
				return err
			}
		}
		out = Cast{Receipt: b.Receipt, Changed: changes[0] > 0}
		return nil
	})
	if err != nil {
		return Cast{}, err
	}
	return out, nil
}

// castOnlinePG records a resident's own ballot on PostgreSQL in one
// statement, its own transaction: the vote's row under the shared lock
// that Update and Close wait for (as in CastIn's transaction), the
// upsert only if that row says the vote is open and unchanged since it
// was read, and the row's values returned so the caller can tell why
// nothing was written. One round trip instead of six: BEGIN, the row,
// the upsert, COMMIT, and the upsert's text, which bun writes with its
// values in it, prepared anew each time. Here the values are parameters
// of one text that the driver prepares once per connection.
const castOnlinePG = `WITH cur AS MATERIALIZED (
	SELECT closed_at, opens_at, closes_at, updated_at FROM decision_votes WHERE id = $1 FOR SHARE
), voter AS MATERIALIZED (
	SELECT 1 FROM residencies WHERE account_id = $2 AND revoked_at IS NULL AND expires_at > $6
	AND ($9::integer = 0 OR (birth_date > 0 AND birth_date <= $9::integer)) AND ($10::text = '' OR district = $10::text)
), ins AS (
	INSERT INTO decision_ballots AS b (vote_id, voter_id, receipt, content, channel, entered_by, desk, cast_at, changes)
	SELECT $1, $2, $3, $4, $5, '', '', $6, 0 FROM cur
	WHERE cur.closed_at IS NULL AND cur.updated_at = $7 AND cur.opens_at <= $6 AND $6 < cur.closes_at
	AND EXISTS (SELECT 1 FROM voter)
	ON CONFLICT (vote_id, voter_id) DO UPDATE SET receipt = EXCLUDED.receipt, content = EXCLUDED.content,
		channel = EXCLUDED.channel, entered_by = EXCLUDED.entered_by, desk = EXCLUDED.desk,
		cast_at = EXCLUDED.cast_at, changes = b.changes + 1
	WHERE b.channel <> $8
	RETURNING b.changes
)
SELECT cur.closed_at, cur.opens_at, cur.closes_at, cur.updated_at, (SELECT changes FROM ins), EXISTS (SELECT 1 FROM voter) FROM cur`

// castOnline runs castOnlinePG for b, an online ballot in v. done is
// false when the vote changed since v was read, eligible false when the
// voter's residency is not verified or outside v's electorate, as
// MayVote judges it (nothing written either way).
func (s *Service) castOnline(ctx context.Context, v *Vote, b *Ballot) (out Cast, done, eligible bool, err error) {
	var (
		closedAt          sql.NullTime
		opens, closes, up time.Time
		changes           sql.NullInt64
		bornBy            int
	)
	if v.MinAge > 0 {
		bornBy = accounts.BornBy(b.CastAt, v.MinAge)
	}
	err = s.db.DB.QueryRowContext(ctx, castOnlinePG, v.ID, b.VoterID, b.Receipt, b.Content, string(b.Channel),
		b.CastAt, v.UpdatedAt, string(Paper), bornBy, v.District).Scan(&closedAt, &opens, &closes, &up, &changes, &eligible)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Cast{}, true, true, ErrNotFound
	case err != nil:
		return Cast{}, true, true, fmt.Errorf("record ballot: %w", err)
	case closedAt.Valid:
		return Cast{}, true, true, ErrClosed
	case !up.Equal(v.UpdatedAt):
		return Cast{}, false, eligible, nil
	}
	cur := Vote{OpensAt: opens, ClosesAt: closes}
	if err := cur.Window(b.CastAt); err != nil {
		return Cast{}, true, true, err
	}
	if !eligible {
		return Cast{}, true, false, nil
	}
	if !changes.Valid {
		// Open and unchanged, and still nothing written: the conflict
		// clause found a paper ballot.
		return Cast{}, true, true, ErrPaperCast
	}
	return Cast{Receipt: b.Receipt, Changed: changes.Int64 > 0}, true, true, nil
}

// receiptAlphabet is Crockford's base 32: no I, L, O or U to misread.
const receiptAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewReceipt draws a receipt code: 16 characters of base 32 (80 random
// bits) in four groups, e.g. "7QK2-M9ZD-R4TA-0XWE".
func NewReceipt() string {
	var b [16]byte
	rand.Read(b[:])
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(receiptAlphabet[x&31])
	}
	return sb.String()
}

// Mine is what a resident may know of their own ballot in a vote: how
// and when it was cast and by which agent, never its content (a ballot
// is secret even from the screen of a shared computer; the receipt
// shows it after closing).
type Mine struct {
	Channel   Channel
	CastAt    time.Time
	EnteredBy *accounts.Account // the agent, for desk and paper ballots
	Desk      string
	Changes   int
}

// MyBallot returns how the resident's ballot in a vote was cast, nil
// when they have none.
func (s *Service) MyBallot(ctx context.Context, actor accounts.Actor, voteID string) (*Mine, error) {
	who, err := s.person(ctx, actor)
	if err != nil {
		return nil, err
	}
	b := new(Ballot)
	err = s.db.NewSelect().Model(b).Where("vote_id = ? AND voter_id = ?", voteID, who.ID).Scan(ctx)
	if err != nil {
		if isNoRows(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("load ballot: %w", err)
	}
	m := &Mine{Channel: b.Channel, CastAt: b.CastAt, Desk: b.Desk, Changes: b.Changes}
	if b.EnteredBy != "" {
		if m.EnteredBy, err = s.accounts.ByID(ctx, b.EnteredBy); err != nil {
			return nil, err
		}
	}
	return m, nil
}
