package notifications

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Frequency is how often a resident wants their notifications by email.
type Frequency string

const (
	Never     Frequency = "never"
	Immediate Frequency = "immediate"
	Daily     Frequency = "daily"
	Weekly    Frequency = "weekly"
)

// Frequencies lists them in the order pages show them.
var Frequencies = []Frequency{Never, Immediate, Daily, Weekly}

// Errors of email settings.
var (
	ErrFrequency  = errors.New("unknown email frequency")
	ErrUnverified = errors.New("verify the email address first")
	ErrToken      = errors.New("this link is not valid, or no longer")
)

// VerifyFor is how long a verification link works.
const VerifyFor = 48 * time.Hour

// RetryAfter is how long delivery waits after a failure before trying a
// resident's address again.
const RetryAfter = 15 * time.Minute

// ParseFrequency checks a frequency from a form.
func ParseFrequency(s string) (Frequency, error) {
	for _, f := range Frequencies {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrFrequency, s)
}

// EmailSettings are a resident's email address and choices.
type EmailSettings struct {
	bun.BaseModel `bun:"table:notification_email,alias:e"`

	AccountID      string     `bun:"account_id,pk"`
	Address        string     `bun:"address"`
	VerifiedAt     *time.Time `bun:"verified_at"`
	TokenHash      string     `bun:"token_hash"`
	TokenExpiresAt *time.Time `bun:"token_expires_at"`
	Frequency      Frequency  `bun:"frequency"`
	Since          time.Time  `bun:"since"`
	UnsubscribeKey string     `bun:"unsubscribe_key"`
	LastSentAt     *time.Time `bun:"last_sent_at"`
	Failure        string     `bun:"failure"`
	FailureAt      *time.Time `bun:"failure_at"`
	RefusedAt      *time.Time `bun:"refused_at"` // the server refused for good: no email until a new address

	// Bounces that came back after the server took an email (bounce.go):
	// BounceKey names the address in the envelope sender (VERP); a hard
	// bounce sets RefusedAt, soft ones are counted until SoftBounces.
	BounceKey    string     `bun:"bounce_key"`
	SoftBounces  int        `bun:"soft_bounces"`
	BouncedAt    *time.Time `bun:"bounced_at"`
	BounceStatus string     `bun:"bounce_status"`
	BounceDetail string     `bun:"bounce_detail"`
	BounceHard   bool       `bun:"bounce_hard"`

	// Language is the resident's, loaded by a claim.
	Language string `bun:"language,scanonly"`
}

// Verified reports whether the address was proved by its link.
func (e *EmailSettings) Verified() bool { return e.Address != "" && e.VerifiedAt != nil }

// Email returns a resident's email settings; a resident who never gave an
// address gets empty ones (frequency never).
func (s *Service) Email(ctx context.Context, accountID string) (*EmailSettings, error) {
	e := &EmailSettings{AccountID: accountID, Frequency: Never}
	err := s.db.NewSelect().Model(e).WherePK().Scan(ctx)
	if err != nil && !errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, fmt.Errorf("load email settings: %w", err)
	}
	return e, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// SetAddress records the address a resident gives, unverified, and
// returns the token of the link that verifies it (to send to it). Email
// stops until it is verified. A bad address changes nothing.
func (s *Service) SetAddress(ctx context.Context, accountID, address string) (string, error) {
	addr, err := CheckAddress(address)
	if err != nil {
		return "", err
	}
	token := randomHex(32)
	now := s.now()
	exp := now.Add(VerifyFor)
	e := &EmailSettings{AccountID: accountID, Address: addr, TokenHash: hashToken(token), TokenExpiresAt: &exp,
		Frequency: Never, Since: now, UnsubscribeKey: randomHex(24), BounceKey: randomHex(12)}
	if _, err := s.db.NewInsert().Model(e).On("CONFLICT (account_id) DO UPDATE").
		Set("address = EXCLUDED.address").Set("verified_at = NULL").Set("token_hash = EXCLUDED.token_hash").
		Set("token_expires_at = EXCLUDED.token_expires_at").Set("frequency = 'never'").
		Set("failure = ''").Set("failure_at = NULL").Set("refused_at = NULL").
		Set("bounce_key = EXCLUDED.bounce_key").Set("soft_bounces = 0").Set("bounced_at = NULL").
		Set("bounce_status = ''").Set("bounce_detail = ''").Set("bounce_hard = FALSE").Exec(ctx); err != nil {
		return "", fmt.Errorf("set email address: %w", err)
	}
	return token, nil
}

// Verify proves an address by the token of its link, once, before it
// expires; it returns whose address it was.
func (s *Service) Verify(ctx context.Context, token string) (string, error) {
	if len(token) != 64 {
		return "", ErrToken
	}
	var accountID string
	err := s.db.NewUpdate().Model((*EmailSettings)(nil)).Set("verified_at = ?", s.now()).Set("token_hash = ''").
		Set("token_expires_at = NULL").Where("token_hash = ? AND token_expires_at > ?", hashToken(token), s.now()).
		Returning("account_id").Scan(ctx, &accountID)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return "", ErrToken
	}
	if err != nil {
		return "", fmt.Errorf("verify email: %w", err)
	}
	return accountID, nil
}

// SetFrequency chooses how often a resident gets email: anything but
// never needs a verified address. Only notifications from now on are
// mailed.
func (s *Service) SetFrequency(ctx context.Context, accountID string, f Frequency) error {
	if _, err := ParseFrequency(string(f)); err != nil {
		return err
	}
	e, err := s.Email(ctx, accountID)
	if err != nil {
		return err
	}
	if f != Never && !e.Verified() {
		return ErrUnverified
	}
	if e.Address == "" {
		return nil // never, and nothing to record
	}
	// A digest comes a day or a week after the choice, not at once.
	q := s.db.NewUpdate().Model(e).Set("frequency = ?", f).Set("since = ?", s.now())
	if f == Daily || f == Weekly {
		q = q.Set("last_sent_at = ?", s.now())
	}
	if _, err := q.WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("set email frequency: %w", err)
	}
	return nil
}

// RemoveAddress forgets a resident's address and choices.
func (s *Service) RemoveAddress(ctx context.Context, accountID string) error {
	if _, err := s.db.NewDelete().Model((*EmailSettings)(nil)).Where("account_id = ?", accountID).Exec(ctx); err != nil {
		return fmt.Errorf("remove email address: %w", err)
	}
	return nil
}

// Unsubscribe stops email for the resident whose unsubscribe link it is
// (one click, RFC 8058): their frequency becomes never.
func (s *Service) Unsubscribe(ctx context.Context, key string) error {
	if len(key) != 48 {
		return ErrToken
	}
	res, err := s.db.NewUpdate().Model((*EmailSettings)(nil)).Set("frequency = 'never'").
		Where("unsubscribe_key = ?", key).Exec(ctx)
	if err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrToken
	}
	return nil
}

// Batch is what one email to one resident holds.
type Batch struct {
	Settings      EmailSettings
	Language      string
	Notifications []Notification
}

// MaxBatch is the most notifications one email lists.
const MaxBatch = 50

// ClaimLease is how long a claimed email may stay unsent before another
// process takes it again: the one that claimed it died before it could
// say the SMTP server took it.
const ClaimLease = 10 * time.Minute

// ClaimDue takes the next resident whose email is due, as ClaimDueAfter
// does with one at most; nil when none is due.
func (s *Service) ClaimDue(ctx context.Context) (*Batch, error) {
	bs, err := s.ClaimDueAfter(ctx, "", 1)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	return bs[0], nil
}

// MaxClaim is the most residents one claim takes.
const MaxClaim = 500

// ClaimDueAfter takes up to limit (MaxClaim) residents whose email is due,
// in account order after the account id after ("" from the first), each
// with their notifications not yet mailed (immediately; or once a day or
// a week since the last one), claiming them in the same transaction, so
// two processes never send them at once. Empty when none is due after
// that account: a caller that delivers a queue passes the last account it
// got, so that one pass over the residents reads each once, and starts
// again from "" at the end.
//
// Sent records that the SMTP server took them; Failed gives one back. A
// claim neither sent nor failed within ClaimLease (its process died) is
// taken again, whatever the frequency: no email is lost on a crash; one
// the server took just before the crash may go twice (at least once).
//
// The whole claim is four statements whatever the number of residents,
// so that 50,000 immediate emails are claimed in a few seconds
// (docs/BENCHMARKS.md).
func (s *Service) ClaimDueAfter(ctx context.Context, after string, limit int) ([]*Batch, error) {
	limit = min(max(limit, 1), MaxClaim)
	now := s.now()
	stale := now.Add(-ClaimLease)
	var out []*Batch
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		out = nil
		var due []EmailSettings
		q := tx.NewSelect().Model(&due).ColumnExpr("e.*").
			ColumnExpr("(SELECT a.language FROM accounts AS a WHERE a.id = e.account_id) AS language").
			Where("e.account_id > ?", after).
			Where("e.verified_at IS NOT NULL AND e.frequency <> 'never' AND e.refused_at IS NULL").
			Where("e.failure_at IS NULL OR e.failure_at < ?", now.Add(-RetryAfter)).
			Where(`(e.frequency = 'immediate' OR e.last_sent_at IS NULL
				OR e.frequency = 'daily' AND e.last_sent_at < ? OR e.frequency = 'weekly' AND e.last_sent_at < ?)
				AND EXISTS (SELECT 1 FROM notifications AS n WHERE n.account_id = e.account_id
				AND n.emailed_at IS NULL AND n.created_at >= e.since)
				OR EXISTS (SELECT 1 FROM notifications AS n WHERE n.account_id = e.account_id
				AND NOT n.mailed AND n.emailed_at < ? AND n.created_at >= e.since)`,
				now.Add(-24*time.Hour), now.Add(-7*24*time.Hour), stale).
			Order("e.account_id").Limit(int64(limit))
		if database.IsPostgres(tx) {
			q = q.For("UPDATE OF e SKIP LOCKED")
		}
		if err := q.Scan(ctx); err != nil {
			if errors.Is(database.Translate(err), database.ErrNotFound) {
				return nil
			}
			return fmt.Errorf("find due email: %w", err)
		}
		if len(due) == 0 {
			return nil
		}
		byAccount := make(map[string]*Batch, len(due))
		accountIDs := make([]string, len(due))
		for i := range due {
			b := &Batch{Settings: due[i], Language: due[i].Language}
			byAccount[b.Settings.AccountID] = b
			accountIDs[i] = b.Settings.AccountID
			out = append(out, b)
		}
		// Every resident's first MaxBatch notifications in one statement.
		// The accounts are named on both sides of the join: PostgreSQL
		// does not carry an IN list across it, and read the whole
		// notification_email table for each claim otherwise (a claim's
		// time grew with the number of residents with an address).
		var ns []Notification
		if err := tx.NewRaw(`SELECT x.id, x.account_id, x.event_id, x.kind, x.subject_kind, x.subject_id, x.comment_id,
				x.title, x.detail, x.actor_id, x.created_at, x.read_at, x.emailed_at, x.mailed, x.actor_name
			FROM (SELECT n.*, COALESCE(a.display_name, '') AS actor_name,
				ROW_NUMBER() OVER (PARTITION BY n.account_id ORDER BY n.id) AS rank
				FROM notifications AS n
				JOIN notification_email AS e ON e.account_id = n.account_id
				LEFT JOIN accounts AS a ON a.id = n.actor_id AND a.deleted_at IS NULL
				WHERE n.account_id IN (?) AND e.account_id IN (?) AND n.created_at >= e.since
				AND (n.emailed_at IS NULL OR NOT n.mailed AND n.emailed_at < ?)) AS x
			WHERE x.rank <= ? ORDER BY x.account_id, x.id`, bun.In(accountIDs), bun.In(accountIDs), stale, MaxBatch).Scan(ctx, &ns); err != nil {
			return fmt.Errorf("load due notifications: %w", err)
		}
		ids := make([]int64, len(ns))
		for i, n := range ns {
			ids[i] = n.ID
			b := byAccount[n.AccountID]
			b.Notifications = append(b.Notifications, n)
		}
		if len(ids) > 0 {
			if _, err := tx.NewUpdate().Model((*Notification)(nil)).Set("emailed_at = ?", now).
				Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
				return fmt.Errorf("claim notifications: %w", err)
			}
		}
		if _, err := tx.NewUpdate().Model((*EmailSettings)(nil)).Set("last_sent_at = ?", now).Set("failure = ''").
			Set("failure_at = NULL").Where("account_id IN (?)", bun.In(accountIDs)).Exec(ctx); err != nil {
			return fmt.Errorf("claim email: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Sent records that the SMTP server took the batches' emails, in one
// statement.
func (s *Service) Sent(ctx context.Context, bs ...*Batch) error {
	var ids []int64
	for _, b := range bs {
		for _, n := range b.Notifications {
			ids = append(ids, n.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.db.NewUpdate().Model((*Notification)(nil)).Set("mailed = TRUE").
		Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("record email sent: %w", err)
	}
	return nil
}

// Failed records why a batch's email could not be sent, for the
// resident to see, and gives its notifications back. They are tried again
// after RetryAfter, unless the server refused for good (ErrRefused): then
// email to that address stops until the resident gives one again.
func (s *Service) Failed(ctx context.Context, b *Batch, cause error) error {
	ids := make([]int64, len(b.Notifications))
	for i, n := range b.Notifications {
		ids[i] = n.ID
	}
	reason := cause.Error()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if len(ids) > 0 {
			if _, err := tx.NewUpdate().Model((*Notification)(nil)).Set("emailed_at = NULL").
				Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
				return fmt.Errorf("give back notifications: %w", err)
			}
		}
		if len(reason) > 500 {
			reason = reason[:500]
		}
		now := s.now()
		q := tx.NewUpdate().Model((*EmailSettings)(nil)).Set("failure = ?", reason).Set("failure_at = ?", now).
			Set("last_sent_at = ?", b.Settings.LastSentAt).Where("account_id = ?", b.Settings.AccountID)
		if errors.Is(cause, ErrRefused) {
			q = q.Set("refused_at = ?", now)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("record email failure: %w", err)
		}
		return nil
	})
}
