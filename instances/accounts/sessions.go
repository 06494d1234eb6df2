package accounts

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
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
	sess, err := s.loadSession(ctx, hash)
	if err != nil {
		return nil, nil, err
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

// sessionRow is one row of loadSession's query: the session, its
// account, and one of the account's roles (none: NULLs).
type sessionRow struct {
	Session
	AHandle              string     `bun:"a_handle"`
	ADisplayName         string     `bun:"a_display_name"`
	ALanguage            string     `bun:"a_language"`
	APublic              bool       `bun:"a_public"`
	AShowSupports        bool       `bun:"a_show_supports"`
	AWebAuthnID          []byte     `bun:"a_webauthn_id"`
	ACreatedAt           time.Time  `bun:"a_created_at"`
	ACreatedBy           string     `bun:"a_created_by"`
	ADeletionRequestedAt *time.Time `bun:"a_deletion_requested_at"`
	ADeletedAt           *time.Time `bun:"a_deleted_at"`
	Role                 *string    `bun:"r_role"`
	RoleService          *string    `bun:"r_service"`
	RoleGrantedAt        *time.Time `bun:"r_granted_at"`
}

// sessionQuery is loadSession's query of the session of hash.
func sessionQuery(db *bun.DB, hash any) *bun.SelectQuery {
	return db.NewSelect().TableExpr("sessions AS s").
		ColumnExpr("s.token_hash, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.device, s.via").
		ColumnExpr("a.handle AS a_handle, a.display_name AS a_display_name, a.language AS a_language, a.public AS a_public").
		ColumnExpr("a.show_supports AS a_show_supports, a.webauthn_id AS a_webauthn_id, a.created_at AS a_created_at").
		ColumnExpr("a.created_by AS a_created_by, a.deletion_requested_at AS a_deletion_requested_at, a.deleted_at AS a_deleted_at").
		ColumnExpr("r.role AS r_role, r.service AS r_service, r.granted_at AS r_granted_at").
		Join("JOIN accounts AS a ON a.id = s.account_id").
		Join("LEFT JOIN account_roles AS r ON r.account_id = a.id").
		Where("s.token_hash = ?", hash).OrderExpr("r.role")
}

// loadSession reads the session of a token hash with its account and
// the account's roles in one query (a row per role): a session not in
// the cache is a good part of what a ballot costs, and each round trip
// counts. ErrNoSession when there is none.
func (s *Service) loadSession(ctx context.Context, hash string) (*Session, error) {
	var rows []sessionRow
	var err error
	if s.sessionPG != "" {
		// The hash apart from the text ($1): one text that pgx prepares
		// once per connection, where a text naming the hash would be new
		// for every session, or prepared again and again as the 512
		// statements pgx keeps per connection turn over.
		var res *sql.Rows
		if res, err = s.db.DB.QueryContext(ctx, s.sessionPG, hash); err == nil {
			err = s.db.ScanRows(ctx, res, &rows)
		}
	} else {
		err = sessionQuery(s.db, hash).Scan(ctx, &rows)
	}
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNoSession
	}
	row := rows[0]
	sess := row.Session
	sess.Account = &Account{ID: sess.AccountID, Handle: row.AHandle, DisplayName: row.ADisplayName, Language: row.ALanguage,
		Public: row.APublic, ShowSupports: row.AShowSupports, WebAuthnID: row.AWebAuthnID, CreatedAt: row.ACreatedAt,
		CreatedBy: row.ACreatedBy, DeletionRequestedAt: row.ADeletionRequestedAt, DeletedAt: row.ADeletedAt}
	for _, r := range rows {
		if r.Role != nil {
			g := RoleGrant{AccountID: sess.AccountID, Role: Role(*r.Role)}
			if r.RoleService != nil {
				g.Service = *r.RoleService
			}
			if r.RoleGrantedAt != nil {
				g.GrantedAt = *r.RoleGrantedAt
			}
			sess.Account.Roles = append(sess.Account.Roles, g)
		}
	}
	return &sess, nil
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
