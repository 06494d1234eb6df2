package accounts

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Session lifetimes: a session unused for IdleTimeout ends, and none lasts
// beyond MaxSessionAge, so a forgotten sign-in on a library computer does
// not stay open.
const (
	IdleTimeout   = 7 * 24 * time.Hour
	MaxSessionAge = 30 * 24 * time.Hour
	// touchEvery limits writes: last use is recorded at most this often.
	touchEvery = time.Minute
)

// Session is one signed-in browser. Only a hash of its token is stored.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         string    `bun:"token_hash,pk"` // SHA-256 of the cookie token
	AccountID  string    `bun:"account_id"`
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
	Device     string    `bun:"device"` // a short description of the browser, for the sessions page
	Via        string    `bun:"via"`    // passkey, recovery, link, setup

	Account *Account `bun:"rel:belongs-to,join:account_id=id"` // read by Authenticate, in the session's query
}

// ErrNoSession means the token names no live session.
var ErrNoSession = errors.New("no such session")

// StartSession signs an account in and returns the token for its cookie.
func (s *Service) StartSession(ctx context.Context, accountID, device, via string) (string, error) {
	token := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	now := s.now()
	if len(device) > 120 {
		device = strings.ToValidUTF8(device[:120], "")
	}
	sess := &Session{ID: hashSecret(token), AccountID: accountID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(MaxSessionAge), Device: device, Via: via}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sess).Exec(ctx); err != nil {
			return fmt.Errorf("start session: %w", err)
		}
		return s.audit(ctx, tx, Actor{Account: &Account{ID: accountID}}, "session.start", accountID, "via="+via, "")
	})
	return token, err
}

// Authenticate returns the account and session of a cookie token, and
// records its use. Expired sessions are removed as they are met.
func (s *Service) Authenticate(ctx context.Context, token string) (*Account, *Session, error) {
	if token == "" {
		return nil, nil, ErrNoSession
	}
	hash, now := hashSecret(token), s.now()
	if acc, sess, ok := s.sessions.get(hash, now); ok && live(sess, now) {
		if err := s.touch(ctx, hash, sess, now); err != nil {
			return nil, nil, err
		}
		return acc, sess, nil
	}
	gen := s.sessions.generation()
	sess := new(Session)
	// The session and its account in one query (the roles in a second):
	// a session not in the cache is most of what a ballot costs.
	err := s.db.NewSelect().Model(sess).Relation("Account").Relation("Account.Roles").
		Where("session.token_hash = ?", hash).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	if !live(sess, now) {
		s.sessions.forgetSession(hash)
		s.db.NewDelete().Model(sess).WherePK().Exec(ctx)
		return nil, nil, ErrNoSession
	}
	acc := sess.Account
	if acc == nil {
		return nil, nil, fmt.Errorf("load session: %w", ErrNotFound)
	}
	sess.Account = nil // the cache keeps the account apart
	if acc.Deleted() {
		return nil, nil, ErrNoSession
	}
	s.sessions.put(gen, hash, acc, sess, now)
	if err := s.touch(ctx, hash, sess, now); err != nil {
		return nil, nil, err
	}
	return acc, sess, nil
}

// live reports whether a session may still be used at now.
func live(sess *Session, now time.Time) bool {
	return !now.After(sess.ExpiresAt) && now.Sub(sess.LastSeenAt) <= IdleTimeout
}

// touch records the use of a session at now, at most every touchEvery.
func (s *Service) touch(ctx context.Context, hash string, sess *Session, now time.Time) error {
	if now.Sub(sess.LastSeenAt) <= touchEvery {
		return nil
	}
	sess.LastSeenAt = now
	if _, err := s.db.NewUpdate().Model(sess).Column("last_seen_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	s.sessions.touched(hash, now)
	return nil
}

// Sessions lists an account's live sessions, most recently used first.
func (s *Service) Sessions(ctx context.Context, accountID string) ([]Session, error) {
	var out []Session
	now := s.now()
	err := s.db.NewSelect().Model(&out).Where("account_id = ?", accountID).
		Where("expires_at > ?", now).Where("last_seen_at > ?", now.Add(-IdleTimeout)).
		Order("last_seen_at DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return out, nil
}

// EndSession signs out one session of the account (by its id, the hash).
func (s *Service) EndSession(ctx context.Context, accountID, sessionID string) error {
	res, err := s.db.NewDelete().Model((*Session)(nil)).
		Where("account_id = ? AND token_hash = ?", accountID, sessionID).Exec(ctx)
	s.sessions.forgetSession(sessionID)
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoSession
	}
	return nil
}

// SignOut ends the session of a cookie token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	_, err := s.db.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hashSecret(token)).Exec(ctx)
	s.sessions.forgetSession(hashSecret(token))
	return err
}

// EndAllSessions signs the account out everywhere except the session
// keepID ("" ends them all). It returns how many ended.
func (s *Service) EndAllSessions(ctx context.Context, accountID, keepID string) (int, error) {
	res, err := s.db.NewDelete().Model((*Session)(nil)).
		Where("account_id = ? AND token_hash <> ?", accountID, keepID).Exec(ctx)
	s.sessions.forget(func(h string, e sessionEntry) bool { return e.sess.AccountID == accountID && h != keepID })
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PurgeExpired deletes sessions, challenges and codes past their end.
func (s *Service) PurgeExpired(ctx context.Context) error {
	now := s.now()
	queries := []*bun.DeleteQuery{
		s.db.NewDelete().Model((*Session)(nil)).Where("expires_at < ? OR last_seen_at < ?", now, now.Add(-IdleTimeout)),
		s.db.NewDelete().TableExpr("webauthn_challenges").Where("expires_at < ?", now),
		s.db.NewDelete().TableExpr("one_time_codes").Where("expires_at < ?", now),
	}
	for _, q := range queries {
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("purge expired: %w", err)
		}
	}
	return nil
}
