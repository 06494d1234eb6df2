// Package site holds how a node presents itself, as its admin sets it: the
// territory's name, a logo, an accent colour (checked for contrast), a
// welcome text, and what the pages every French public site must have
// say of the node (its publisher and host, who answers questions about
// personal data, the state of its accessibility). The settings live in
// node_settings, so every process reads the same; each keeps them a few
// seconds.
package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/database"
)

// Settings are what the admin sets. Empty fields take the node's
// defaults (Name the configured AGORA_NODE_NAME, Accent DefaultAccent).
type Settings struct {
	Name      string `json:"name,omitempty"`
	Accent    string `json:"accent,omitempty"` // #rrggbb
	LogoKey   string `json:"logo,omitempty"`   // blob key of a PNG or JPEG, re-encoded
	LogoType  string `json:"logo_type,omitempty"`
	WelcomeFR string `json:"welcome_fr,omitempty"` // Markdown, on the home page
	WelcomeEN string `json:"welcome_en,omitempty"`

	// The legal notice ("mentions légales"): who publishes the site and who
	// is responsible for it, who hosts it, how to reach them.
	Publisher string `json:"publisher,omitempty"`
	Director  string `json:"director,omitempty"`
	Host      string `json:"host,omitempty"`
	Contact   string `json:"contact,omitempty"`

	// Who answers questions about personal data (the data protection
	// officer, or the service in charge), and how.
	PrivacyContact string `json:"privacy_contact,omitempty"`

	// The accessibility statement (RGAA): the conformity stated, the share
	// of criteria met when an audit measured it (-1: not measured), when
	// and by whom the audit was made, and how to report a problem.
	A11yStatus  string    `json:"a11y_status,omitempty"` // none, partial, full; "" is none
	A11yRate    int       `json:"a11y_rate"`
	A11yAudit   time.Time `json:"a11y_audit,omitzero"`
	A11yAuditor string    `json:"a11y_auditor,omitempty"`
	A11yContact string    `json:"a11y_contact,omitempty"`

	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// DefaultAccent is the accent of a node whose admin chose none.
const DefaultAccent = "#0a4fa6"

// A11yStatuses are the conformity levels an accessibility statement
// states, as the RGAA names them.
var A11yStatuses = []string{"none", "partial", "full"}

// Limits of the fields.
const (
	NameMax    = 80
	WelcomeMax = 2000
	FieldMax   = 1000 // each legal field
)

// Errors of Update; the frontend maps them to messages.
var (
	ErrForbidden = errors.New("only an admin sets how the node presents itself")
	ErrName      = errors.New("the name is 1 to 80 characters, with no control character")
	ErrAccent    = errors.New("the accent is a colour written #rrggbb")
	ErrContrast  = errors.New("the accent is not dark enough for text on white and white text on it (4.5:1)")
	ErrWelcome   = errors.New("the welcome text is at most 2,000 characters")
	ErrField     = errors.New("a field of the legal pages is at most 1,000 characters")
	ErrA11y      = errors.New("the accessibility statement's status, rate or date is not valid")
	ErrA11yLevel = errors.New("the conformity stated does not match the audit (RGAA: partial from 50 %, full at 100 %, both after an audit)")
)

// cacheTTL is how long a process keeps the settings: an admin's change
// shows on every process within it.
const cacheTTL = 5 * time.Second

// Service reads and changes the settings.
type Service struct {
	db  *bun.DB
	now func() time.Time

	mu      sync.Mutex
	cached  Settings
	readAt  time.Time
	refresh sync.Mutex // one reload at a time
}

// NewService returns the settings of the node on db; now nil is time.Now.
func NewService(db *bun.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

const settingsKey = "site"

// Get returns the settings, read again from the database at most every
// few seconds.
func (s *Service) Get(ctx context.Context) (Settings, error) {
	s.mu.Lock()
	if !s.readAt.IsZero() && s.now().Sub(s.readAt) < cacheTTL {
		defer s.mu.Unlock()
		return s.cached, nil
	}
	s.mu.Unlock()
	s.refresh.Lock()
	defer s.refresh.Unlock()
	s.mu.Lock()
	fresh := !s.readAt.IsZero() && s.now().Sub(s.readAt) < cacheTTL
	st := s.cached
	s.mu.Unlock()
	if fresh { // another request reloaded while this one waited
		return st, nil
	}
	st, err := read(ctx, s.db)
	if err != nil {
		return Settings{}, err
	}
	s.mu.Lock()
	s.cached, s.readAt = st, s.now()
	s.mu.Unlock()
	return st, nil
}

func read(ctx context.Context, db bun.IDB) (Settings, error) {
	var raw string
	err := db.NewSelect().Table("node_settings").Column("value").Where("key = ?", settingsKey).Scan(ctx, &raw)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return Settings{A11yRate: -1}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("read the site's settings: %w", err)
	}
	st := Settings{A11yRate: -1}
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return Settings{}, fmt.Errorf("read the site's settings: %w", err)
	}
	return st, nil
}

var hexColour = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// check normalises the settings and says what is wrong, all at once: the
// errors are joined, each one of the Err values.
func (st *Settings) check(now time.Time) error {
	var errs []error
	st.Name = strings.TrimSpace(st.Name)
	if st.Name != "" && (utf8.RuneCountInString(st.Name) > NameMax || strings.ContainsFunc(st.Name, unicode.IsControl)) {
		errs = append(errs, ErrName)
	}
	st.Accent = strings.ToLower(strings.TrimSpace(st.Accent))
	switch {
	case st.Accent == "":
	case !hexColour.MatchString(st.Accent):
		errs = append(errs, ErrAccent)
	case !Readable(st.Accent):
		errs = append(errs, ErrContrast)
	}
	for _, w := range []struct {
		field string
		v     *string
	}{{"welcome_fr", &st.WelcomeFR}, {"welcome_en", &st.WelcomeEN}} {
		*w.v = strings.TrimSpace(*w.v)
		if utf8.RuneCountInString(*w.v) > WelcomeMax {
			errs = append(errs, &FieldError{Field: w.field, Err: ErrWelcome})
		}
	}
	for _, f := range []struct {
		field string
		v     *string
	}{{"publisher", &st.Publisher}, {"director", &st.Director}, {"host", &st.Host}, {"contact", &st.Contact},
		{"privacy_contact", &st.PrivacyContact}, {"a11y_auditor", &st.A11yAuditor}, {"a11y_contact", &st.A11yContact}} {
		*f.v = strings.TrimSpace(*f.v)
		if utf8.RuneCountInString(*f.v) > FieldMax {
			errs = append(errs, &FieldError{Field: f.field, Err: ErrField})
		}
	}
	if st.A11yStatus == "" {
		st.A11yStatus = "none"
	}
	switch {
	case !validStatus(st.A11yStatus):
		errs = append(errs, &FieldError{Field: "a11y_status", Err: ErrA11y})
	case st.A11yRate < -1 || st.A11yRate > 100:
		errs = append(errs, &FieldError{Field: "a11y_rate", Err: ErrA11y})
	case st.A11yAudit.After(now.Add(24 * time.Hour)):
		errs = append(errs, &FieldError{Field: "a11y_audit", Err: ErrA11y})
	case !conforms(st.A11yStatus, st.A11yRate, !st.A11yAudit.IsZero()):
		errs = append(errs, &FieldError{Field: "a11y_status", Err: ErrA11yLevel})
	}
	return errors.Join(errs...)
}

// conforms applies the RGAA's levels: a site is "partially" compliant
// when an audit found 50 % of the criteria met or more, "fully" at 100 %,
// and not compliant otherwise (no audit, or under 50 %).
func conforms(status string, rate int, audited bool) bool {
	switch status {
	case "full":
		return audited && rate == 100
	case "partial":
		return audited && rate >= 50 && rate < 100
	}
	return !audited || rate < 50
}

// FieldError is a refusal about one field of the settings; errors.Is
// sees its Err.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

func validStatus(s string) bool {
	for _, v := range A11yStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Update replaces the settings (the logo stays as it is: SetLogo changes
// it), recording what changed in the audit log. A refusal changes
// nothing and names every field at fault.
func (s *Service) Update(ctx context.Context, actor accounts.Actor, in Settings) error {
	if actor.Account != nil && !actor.Account.Has(accounts.Admin) {
		return ErrForbidden
	}
	if err := in.check(s.now()); err != nil {
		return err
	}
	return s.change(ctx, actor, func(st *Settings) []string {
		in.LogoKey, in.LogoType = st.LogoKey, st.LogoType
		changed := changes(*st, in)
		*st = in
		return changed
	})
}

// SetLogo makes the blob key (an image the frontend re-encoded) the
// node's logo; an empty key removes it.
func (s *Service) SetLogo(ctx context.Context, actor accounts.Actor, key, mediaType string) error {
	if actor.Account != nil && !actor.Account.Has(accounts.Admin) {
		return ErrForbidden
	}
	return s.change(ctx, actor, func(st *Settings) []string {
		st.LogoKey, st.LogoType = key, mediaType
		return []string{"logo"}
	})
}

// change applies edit to the stored settings in one transaction, with
// its audit entry.
func (s *Service) change(ctx context.Context, actor accounts.Actor, edit func(*Settings) []string) error {
	now := s.now().UTC()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := read(ctx, tx)
		if err != nil {
			return err
		}
		changed := edit(&st)
		if len(changed) == 0 {
			return nil
		}
		st.UpdatedAt = now
		raw, err := json.Marshal(st)
		if err != nil {
			return fmt.Errorf("write the site's settings: %w", err)
		}
		if _, err := tx.NewRaw("INSERT INTO node_settings (key, value, updated_at) VALUES (?, ?, ?) "+
			"ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
			settingsKey, string(raw), now).Exec(ctx); err != nil {
			return fmt.Errorf("write the site's settings: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "site.update", "", "changed="+strings.Join(changed, ","), "")
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.readAt = time.Time{} // this process sees its own change at once
	s.mu.Unlock()
	return nil
}

// changes names the fields that differ, for the audit log.
func changes(a, b Settings) []string {
	var out []string
	for _, f := range []struct {
		name string
		x, y string
	}{
		{"name", a.Name, b.Name}, {"accent", a.Accent, b.Accent},
		{"welcome_fr", a.WelcomeFR, b.WelcomeFR}, {"welcome_en", a.WelcomeEN, b.WelcomeEN},
		{"publisher", a.Publisher, b.Publisher}, {"director", a.Director, b.Director},
		{"host", a.Host, b.Host}, {"contact", a.Contact, b.Contact},
		{"privacy_contact", a.PrivacyContact, b.PrivacyContact},
		{"a11y_status", a.A11yStatus, b.A11yStatus}, {"a11y_rate", fmt.Sprint(a.A11yRate), fmt.Sprint(b.A11yRate)},
		{"a11y_audit", a.A11yAudit.Format(time.DateOnly), b.A11yAudit.Format(time.DateOnly)},
		{"a11y_auditor", a.A11yAuditor, b.A11yAuditor}, {"a11y_contact", a.A11yContact, b.A11yContact},
	} {
		if f.x != f.y {
			out = append(out, f.name)
		}
	}
	return out
}
