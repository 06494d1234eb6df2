// Package accounts holds the people of a node: residents and staff, their
// roles, their passkeys (as data: the WebAuthn ceremonies live in the
// frontend), sessions, recovery and one-time codes, residency verification,
// and the append-only audit log of everything done about them.
//
// Every change that matters is written with its audit entry in one
// transaction. An act done by an agent at a desk for a resident who is
// present carries both names (see Actor).
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"agora/storage/database"
)

// Role is what an account may do beyond being a resident.
type Role string

const (
	Resident  Role = "resident"
	Agent     Role = "agent"     // desk staff in a town hall
	Official  Role = "official"  // answers for a named city service
	Moderator Role = "moderator" // hides, recategorises, merges
	Admin     Role = "admin"     // runs the node
	Steward   Role = "steward"   // keeps the catalogue of free software
)

// Roles lists every role, in the order pages show them.
var Roles = []Role{Resident, Agent, Official, Moderator, Steward, Admin}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Roles, r) {
		return r, nil
	}
	return "", fmt.Errorf("%w: %q (want one of resident, agent, official, moderator, admin)", ErrUnknownRole, s)
}

// Account is one person of the node.
type Account struct {
	bun.BaseModel `bun:"table:accounts"`

	ID                  string     `bun:"id,pk"`
	Handle              string     `bun:"handle"`
	DisplayName         string     `bun:"display_name"`
	Language            string     `bun:"language"`
	Public              bool       `bun:"public"`
	ShowSupports        bool       `bun:"show_supports"` // a public profile lists what they support
	WebAuthnID          []byte     `bun:"webauthn_id"`
	CreatedAt           time.Time  `bun:"created_at"`
	CreatedBy           string     `bun:"created_by"`
	DeletionRequestedAt *time.Time `bun:"deletion_requested_at"`
	DeletedAt           *time.Time `bun:"deleted_at"`

	Roles []RoleGrant `bun:"rel:has-many,join:id=account_id"`
}

// RoleGrant is one role held by an account.
type RoleGrant struct {
	bun.BaseModel `bun:"table:account_roles"`

	AccountID string    `bun:"account_id,pk"`
	Role      Role      `bun:"role,pk"`
	Service   string    `bun:"service"`
	GrantedAt time.Time `bun:"granted_at"`
}

// Has reports whether the account holds role. Every account that is not
// deleted is a resident.
func (a *Account) Has(r Role) bool {
	if a == nil || a.DeletedAt != nil {
		return false
	}
	if r == Resident {
		return true
	}
	for _, g := range a.Roles {
		if g.Role == r {
			return true
		}
	}
	return false
}

// Deleted reports whether the account was erased; its contributions stay,
// shown as a former participant's.
func (a *Account) Deleted() bool { return a.DeletedAt != nil }

// Actor is who does something: an account, or nobody for the node itself
// and the command line. When an agent acts at a desk for a resident who is
// present, Account is the agent, OnBehalfOf the resident, Desk where.
type Actor struct {
	Account    *Account
	OnBehalfOf *Account
	Desk       string
}

// System is the node itself, or an operator at the command line.
var System = Actor{}

// As returns the actor for an account acting for itself.
func As(a *Account) Actor { return Actor{Account: a} }

func (a Actor) id() string {
	if a.Account == nil {
		return ""
	}
	return a.Account.ID
}

// can reports whether the actor holds role; the system can do anything.
func (a Actor) can(r Role) bool { return a.Account == nil || a.Account.Has(r) }

// Errors the service returns; the frontend maps them to messages.
var (
	ErrNotFound       = errors.New("account not found")
	ErrForbidden      = errors.New("not allowed")
	ErrUnknownRole    = errors.New("unknown role")
	ErrHandleInvalid  = errors.New("a handle is 1 to 30 of a-z, 0-9 and _")
	ErrHandleReserved = errors.New("this handle is reserved")
	ErrHandleTaken    = errors.New("this handle is taken")
	ErrDisplayName    = errors.New("a display name is 1 to 80 characters")
	ErrLanguage       = errors.New("unsupported language")
	ErrDeleted        = errors.New("account deleted")
)

var handleRe = regexp.MustCompile(`^[a-z0-9_]{1,30}$`)

// reserved handles would let someone pass for the node, its staff or its
// federation endpoints.
var reserved = []string{
	"admin", "administrator", "root", "agora", "mairie", "maire", "system", "support", "help", "aide",
	"moderator", "moderation", "moderateur", "official", "officiel", "agent", "staff", "security", "securite",
	"api", "www", "static", "inbox", "outbox", "followers", "following", "actor", "instance", "nodeinfo",
	"webfinger", "well_known", "spaces", "proposals", "debates", "apps", "account", "accounts", "login",
	"logout", "signup", "desk", "guichet", "null", "undefined", "anonymous", "anonyme", "former_participant",
}

// NewWebAuthnID returns a random passkey user handle for an account
// about to be created.
func NewWebAuthnID() []byte { return randomBytes(32) }

// HandleAvailable reports whether a handle is valid and free, for the
// sign-up form to say so before the passkey ceremony starts.
func (s *Service) HandleAvailable(ctx context.Context, handle string) error {
	handle = strings.ToLower(strings.TrimSpace(handle))
	if err := ValidateHandle(handle); err != nil {
		return err
	}
	n, err := s.db.NewSelect().Model((*Account)(nil)).Where("handle = ?", handle).Count(ctx)
	if err != nil {
		return fmt.Errorf("check handle: %w", err)
	}
	if n > 0 {
		return ErrHandleTaken
	}
	return nil
}

// ValidateHandle checks a handle's form and that it is not reserved.
func ValidateHandle(h string) error {
	if !handleRe.MatchString(h) {
		return ErrHandleInvalid
	}
	if slices.Contains(reserved, h) || strings.HasPrefix(h, "deleted_") {
		return ErrHandleReserved
	}
	return nil
}

// Languages an account may choose for its pages.
var Languages = []string{"fr", "en"}

// Service runs the accounts of one node.
type Service struct {
	db       *bun.DB
	now      func() time.Time
	sessions *sessionCache // nil: every Authenticate reads the database
	// sessionPG is loadSession's query on PostgreSQL, its hash passed
	// apart as $1 ("" on SQLite).
	sessionPG string
}

// NewService returns the accounts service over db. now is the clock (nil
// for time.Now), so tests can move time.
func NewService(db *bun.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{db: db, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
	if db.Dialect().Name() == dialect.PG {
		s.sessionPG = sessionQuery(db, bun.Safe("$1")).String()
	}
	return s
}

// NewAccount is what creating an account takes.
type NewAccount struct {
	Handle      string
	DisplayName string
	Language    string // "" means French
	Roles       []Role
	Service     string // city service, for officials
	WebAuthnID  []byte // the passkey user handle chosen when the ceremony began; random if empty
}

// Create opens an account. An actor other than the system must be an
// agent (an account opened at a desk) or an admin; residents open theirs
// with a passkey through SignUp.
func (s *Service) Create(ctx context.Context, actor Actor, in NewAccount) (*Account, error) {
	if actor.Account != nil && !actor.can(Agent) && !actor.can(Admin) {
		return nil, ErrForbidden
	}
	// Roles are granted by admins only, at creation as through SetRole.
	if !actor.can(Admin) && slices.ContainsFunc(in.Roles, func(r Role) bool { return r != Resident }) {
		return nil, ErrForbidden
	}
	var acc *Account
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		how := AuditOpenedByNode
		if actor.Account != nil {
			how = AuditOpenedAtDesk
		}
		acc, err = s.create(ctx, tx, actor, in, how)
		return err
	})
	return acc, err
}

// SignUp opens a resident's own account together with its first passkey,
// in one transaction: there is never an account nobody can sign in to.
func (s *Service) SignUp(ctx context.Context, in NewAccount, p *Passkey) (*Account, error) {
	in.Roles = nil
	var acc *Account
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if acc, err = s.create(ctx, tx, System, in, AuditSelfSignUp); err != nil {
			return err
		}
		p.AccountID = acc.ID
		return s.addPasskey(ctx, tx, As(acc), p)
	})
	return acc, err
}

// create inserts an account; how says how it was opened, for the audit
// log, which outlives an erased account and so keeps no handle or name.
func (s *Service) create(ctx context.Context, tx bun.Tx, actor Actor, in NewAccount, how string) (*Account, error) {
	in.Handle = strings.ToLower(strings.TrimSpace(in.Handle))
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if err := ValidateHandle(in.Handle); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(in.DisplayName); n < 1 || n > 80 {
		return nil, ErrDisplayName
	}
	if in.Language == "" {
		in.Language = Languages[0]
	}
	if !slices.Contains(Languages, in.Language) {
		return nil, ErrLanguage
	}
	if len(in.WebAuthnID) == 0 {
		in.WebAuthnID = randomBytes(32)
	}
	if len(in.WebAuthnID) > 64 {
		return nil, errors.New("a WebAuthn user handle is at most 64 bytes")
	}
	acc := &Account{
		ID: newID(), Handle: in.Handle, DisplayName: in.DisplayName, Language: in.Language,
		WebAuthnID: in.WebAuthnID, CreatedAt: s.now(), CreatedBy: actor.id(),
	}
	if _, err := tx.NewInsert().Model(acc).Exec(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrConflict) {
			return nil, ErrHandleTaken
		}
		return nil, fmt.Errorf("insert account: %w", err)
	}
	if err := s.audit(ctx, tx, actor, "account.create", acc.ID, how, ""); err != nil {
		return nil, err
	}
	for _, r := range in.Roles {
		r, err := ParseRole(string(r))
		if err != nil {
			return nil, err
		}
		if r == Resident {
			continue
		}
		if err := s.grant(ctx, tx, actor, acc, r, in.Service, AuditAtCreation); err != nil {
			return nil, err
		}
	}
	return acc, s.loadRoles(ctx, tx, acc)
}

// ByID returns an account with its roles.
func (s *Service) ByID(ctx context.Context, id string) (*Account, error) {
	return s.one(ctx, s.db, "id = ?", id)
}

// ByHandle returns a live account by handle.
func (s *Service) ByHandle(ctx context.Context, handle string) (*Account, error) {
	return s.one(ctx, s.db, "handle = ? AND deleted_at IS NULL", strings.ToLower(strings.TrimSpace(handle)))
}

// ByWebAuthnID returns the live account a passkey's user handle names.
func (s *Service) ByWebAuthnID(ctx context.Context, id []byte) (*Account, error) {
	return s.one(ctx, s.db, "webauthn_id = ? AND deleted_at IS NULL", id)
}

func (s *Service) one(ctx context.Context, db bun.IDB, where string, arg any) (*Account, error) {
	acc := new(Account)
	err := db.NewSelect().Model(acc).Relation("Roles").Where(where, arg).Scan(ctx)
	if err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("load account: %w", err)
	}
	return acc, nil
}

func (s *Service) loadRoles(ctx context.Context, db bun.IDB, acc *Account) error {
	acc.Roles = nil
	return db.NewSelect().Model(&acc.Roles).Where("account_id = ?", acc.ID).Order("role").Scan(ctx)
}

// Search finds live accounts whose handle or display name contains q, for
// agents at a desk and admins.
func (s *Service) Search(ctx context.Context, actor Actor, q string, limit int) ([]Account, error) {
	if !actor.can(Agent) && !actor.can(Admin) {
		return nil, ErrForbidden
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(strings.TrimSpace(q))) + "%"
	var out []Account
	err := s.db.NewSelect().Model(&out).Relation("Roles").
		Where("deleted_at IS NULL").
		Where("(handle LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? ESCAPE '\\')", pattern, pattern).
		Order("handle").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("search accounts: %w", err)
	}
	return out, nil
}

// Profile is what a resident changes about themselves.
type Profile struct {
	DisplayName string
	Language    string
	Public      bool
}

// UpdateProfile changes an account's profile: the resident themselves, or
// an agent at a desk for them.
func (s *Service) UpdateProfile(ctx context.Context, actor Actor, accountID string, p Profile) error {
	defer s.sessions.forgetAccount(accountID) // once written: see sessionCache
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return err
	}
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	if n := utf8.RuneCountInString(p.DisplayName); n < 1 || n > 80 {
		return ErrDisplayName
	}
	if !slices.Contains(Languages, p.Language) {
		return ErrLanguage
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Account)(nil)).
			Set("display_name = ?", p.DisplayName).Set("language = ?", p.Language).Set("public = ?", p.Public).
			Where("id = ? AND deleted_at IS NULL", accountID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update profile: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.audit(ctx, tx, actor, "account.profile", accountID,
			fmt.Sprintf("language=%s public=%t", p.Language, p.Public), "")
	})
}

// actsFor reports whether actor may act for the account: it is theirs, or
// an agent acts at a desk for that resident.
func (s *Service) actsFor(actor Actor, accountID string) bool {
	if actor.Account == nil {
		return true
	}
	if actor.OnBehalfOf != nil {
		return actor.Account.Has(Agent) && actor.OnBehalfOf.ID == accountID
	}
	return actor.Account.ID == accountID && !actor.Account.Deleted()
}

func newID() string { return database.NewID() }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}

// hashSecret is how every code and token is stored: SHA-256 of a secret
// with 80+ bits of randomness needs no salt or slow hash.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
