package notifications

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// A resident may link one fediverse account: their notifications then
// also arrive there, as a direct message from the node's instance actor
// (federation/fedlink.go finds the actor and sends). The link is pending
// until the code it holds is found in the actor's profile or in one of
// its public posts, so that nobody has a stranger's account messaged.

// Errors of fediverse links.
var (
	ErrHandle      = errors.New("give a fediverse account as @name@host")
	ErrNoLink      = errors.New("link a fediverse account first")
	ErrLinked      = errors.New("the account is already linked: unlink it first")
	ErrUnreachable = errors.New("the fediverse account could not be found or read")
	ErrCodeAbsent  = errors.New("the code was not found in the account's profile or its latest public posts")
)

// FediverseLink is a resident's linked fediverse account.
type FediverseLink struct {
	bun.BaseModel `bun:"table:notification_fediverse,alias:fl"`

	AccountID  string     `bun:"account_id,pk"`
	ActorID    string     `bun:"actor_id"`
	Handle     string     `bun:"handle"`
	Code       string     `bun:"code"`
	CreatedAt  time.Time  `bun:"created_at"`
	VerifiedAt *time.Time `bun:"verified_at"`
	Enabled    bool       `bun:"enabled"`
	Since      time.Time  `bun:"since"`
}

// Verified reports whether the code was found.
func (l *FediverseLink) Verified() bool { return l != nil && l.VerifiedAt != nil }

// ParseHandle checks a fediverse handle, @name@host or name@host, and
// returns it as @name@host, lowercase host. The host must be written in
// ASCII (an internationalised domain in its xn-- form), as WebFinger asks
// for it; lowercasing anything else could change the handle's length or
// turn bad bytes into other characters.
func ParseHandle(s string) (string, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "@")
	name, host, ok := strings.Cut(s, "@")
	if !ok || name == "" || host == "" || len(s) > 300 || !utf8.ValidString(name) ||
		strings.IndexFunc(name, badNameRune) >= 0 || strings.IndexFunc(host, badHostRune) >= 0 ||
		strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return "", fmt.Errorf("%w: %q", ErrHandle, s)
	}
	return "@" + name + "@" + strings.ToLower(host), nil
}

func badNameRune(r rune) bool {
	return strings.ContainsRune("@/?#:\\", r) || unicode.IsSpace(r) || unicode.IsControl(r)
}

func badHostRune(r rune) bool {
	return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune(".-_:[]", r))
}

// Fediverse returns a resident's link, nil when they have none.
func (s *Service) Fediverse(ctx context.Context, accountID string) (*FediverseLink, error) {
	l := &FediverseLink{AccountID: accountID}
	err := s.db.NewSelect().Model(l).WherePK().Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load fediverse link: %w", err)
	}
	return l, nil
}

// StartFediverse records a pending link to the actor found for handle
// and returns the code the resident must publish. A resident who already
// has a link must unlink it first.
func (s *Service) StartFediverse(ctx context.Context, accountID, handle, actorID string) (*FediverseLink, error) {
	h, err := ParseHandle(handle)
	if err != nil {
		return nil, err
	}
	now := s.now()
	l := &FediverseLink{AccountID: accountID, ActorID: actorID, Handle: h, Code: "agora-" + randomHex(8),
		CreatedAt: now, Enabled: true, Since: now}
	res, err := s.db.NewInsert().Model(l).On("CONFLICT (account_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("link fediverse account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrLinked
	}
	return l, nil
}

// VerifyFediverse marks the link verified: the caller found its code at
// the actor. Only notifications from now on are sent there.
func (s *Service) VerifyFediverse(ctx context.Context, accountID, actorID string) error {
	now := s.now()
	res, err := s.db.NewUpdate().Model((*FediverseLink)(nil)).Set("verified_at = ?", now).Set("since = ?", now).
		Where("account_id = ? AND actor_id = ? AND verified_at IS NULL", accountID, actorID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("verify fediverse link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoLink
	}
	return nil
}

// SetFediverseEnabled turns the direct messages on or off; turned on
// again, only notifications from then on are sent.
func (s *Service) SetFediverseEnabled(ctx context.Context, accountID string, on bool) error {
	q := s.db.NewUpdate().Model((*FediverseLink)(nil)).Set("enabled = ?", on).Where("account_id = ?", accountID)
	if on {
		q = q.Set("since = ?", s.now()).Where("NOT enabled")
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("set fediverse messages: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		l, err := s.Fediverse(ctx, accountID)
		if err != nil {
			return err
		}
		if l == nil {
			return ErrNoLink
		}
	}
	return nil
}

// Unlink forgets a resident's fediverse account; messages already queued
// still go.
func (s *Service) Unlink(ctx context.Context, accountID string) error {
	if _, err := s.db.NewDelete().Model((*FediverseLink)(nil)).Where("account_id = ?", accountID).Exec(ctx); err != nil {
		return fmt.Errorf("unlink fediverse account: %w", err)
	}
	return nil
}

// FediverseItem is one notification to send as a direct message.
type FediverseItem struct {
	Notification
	ActorID  string `bun:"link_actor_id"`
	Handle   string `bun:"link_handle"`
	Language string `bun:"language"`
}

// ClaimFediverse takes up to limit notifications due as direct messages
// (a verified, enabled link; written since it was made) and marks them
// taken, through tx, the caller's transaction: the caller queues their
// deliveries in the same one, so each is queued once, and none is lost
// if the process dies before it commits.
func ClaimFediverse(ctx context.Context, tx bun.IDB, now time.Time, limit int) ([]FediverseItem, error) {
	// Most nodes have few links, or none: a second's pass costs one
	// look at the small table then.
	linked, err := tx.NewSelect().Model((*FediverseLink)(nil)).Where("verified_at IS NOT NULL AND enabled").Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("find fediverse links: %w", err)
	}
	if !linked {
		return nil, nil
	}
	// From the links to their notifications (CROSS JOIN fixes that order
	// in SQLite, whose planner would otherwise scan every notification in
	// id order), through notifications_fediverse_idx.
	var items []FediverseItem
	q := `SELECT n.*, fl.actor_id AS link_actor_id, fl.handle AS link_handle, a.language AS language,
			COALESCE(actor.display_name, '') AS actor_name
		FROM notification_fediverse AS fl
		CROSS JOIN notifications AS n
		JOIN accounts AS a ON a.id = n.account_id
		LEFT JOIN accounts AS actor ON actor.id = n.actor_id AND actor.deleted_at IS NULL
		WHERE n.account_id = fl.account_id AND n.fediverse_at IS NULL AND fl.verified_at IS NOT NULL AND fl.enabled AND n.created_at >= fl.since
		ORDER BY n.id LIMIT ?`
	if database.IsPostgres(tx) {
		q += " FOR UPDATE OF n SKIP LOCKED"
	}
	if err := tx.NewRaw(q, limit).Scan(ctx, &items); err != nil && !errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, fmt.Errorf("find fediverse notifications: %w", err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	if _, err := tx.NewUpdate().Model((*Notification)(nil)).Set("fediverse_at = ?", now.UTC().Truncate(time.Microsecond)).
		Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return nil, fmt.Errorf("claim fediverse notifications: %w", err)
	}
	return items, nil
}
