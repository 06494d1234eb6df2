package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"
)

// Census verification lets a city verify residents against its population
// register without handing the register over: the city hashes each
// person's identity with a secret salt, on its own machines, and imports
// only the hashes. A resident types their identity; the node hashes it the
// same way and looks for it. The format and hashing are in
// docs/ACCOUNTS.md; `agora admin census-hash` computes them.

// Identity is what a resident types to be matched against the census.
type Identity struct {
	FamilyName string
	GivenName  string
	BirthDate  string // YYYY-MM-DD, or DD/MM/YYYY
	PostalCode string
}

// Errors about the census.
var (
	ErrNoCensusMatch = errors.New("no match in the census: check the spelling as on your identity document, or go to a desk")
	ErrIdentity      = errors.New("family name, given name, birth date (YYYY-MM-DD) and postal code are all required")
	ErrSalt          = errors.New("the salt must be at least 16 characters")
)

// CensusHash is the census hash of an identity:
// hex(HMAC-SHA256(key = salt, message = FAMILY|GIVEN|YYYY-MM-DD|POSTCODE))
// with names upper-cased, accents removed, and every run of other
// characters than letters and digits turned into one space.
func CensusHash(salt string, id Identity) (string, error) {
	family, given := normalizeName(id.FamilyName), normalizeName(id.GivenName)
	birth, err := normalizeDate(id.BirthDate)
	postal := strings.ToUpper(strings.Join(strings.Fields(id.PostalCode), ""))
	if family == "" || given == "" || err != nil || postal == "" {
		return "", ErrIdentity
	}
	mac := hmac.New(sha256.New, []byte(salt))
	mac.Write([]byte(family + "|" + given + "|" + birth + "|" + postal))
	return hex.EncodeToString(mac.Sum(nil)), nil
}

func normalizeName(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accent
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteString(strings.ToUpper(string(r)))
		default:
			space = true
		}
	}
	return sb.String()
}

func normalizeDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "02/01/2006", "02-01-2006", "02.01.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("birth date %q is not YYYY-MM-DD", s)
}

// CensusImport is one imported census file.
type CensusImport struct {
	bun.BaseModel `bun:"table:census_imports"`

	ID         string    `bun:"id,pk"`
	Salt       string    `bun:"salt"`
	ImportedBy string    `bun:"imported_by"`
	ImportedAt time.Time `bun:"imported_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
	Entries    int       `bun:"entries"`
}

type censusEntry struct {
	bun.BaseModel `bun:"table:census_entries"`
	Hash          string     `bun:"hash,pk"`
	Import        string     `bun:"import"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedBy        string     `bun:"used_by"`
	UsedAt        *time.Time `bun:"used_at"`
}

// CensusError lists what is wrong in a census file, by line; nothing of a
// file with errors is imported.
type CensusError struct {
	Lines []string // "line 7: ..." at most 20
	More  int      // errors beyond those listed
}

func (e *CensusError) Error() string {
	msg := "census file refused, nothing imported: " + strings.Join(e.Lines, "; ")
	if e.More > 0 {
		msg += fmt.Sprintf("; and %d more", e.More)
	}
	return msg
}

// MaxCensusEntries bounds one file.
const MaxCensusEntries = 5_000_000

// ImportCensus reads a CSV file whose header is "hash" and each line one
// census hash (64 hex digits), made with salt, and stores it, valid for
// ttl. A file with any bad line is refused whole, with line numbers.
func (s *Service) ImportCensus(ctx context.Context, actor Actor, salt string, r io.Reader, ttl time.Duration) (*CensusImport, error) {
	if !actor.can(Admin) {
		return nil, ErrForbidden
	}
	if len(salt) < 16 {
		return nil, ErrSalt
	}
	if ttl <= 0 || ttl > 2*365*24*time.Hour {
		return nil, errors.New("a census import is valid for up to 2 years")
	}
	hashes, err := ParseCensus(r)
	if err != nil {
		return nil, err
	}
	now := s.now()
	imp := &CensusImport{ID: newID()[:10], Salt: salt, ImportedBy: actor.id(), ImportedAt: now,
		ExpiresAt: now.Add(ttl), Entries: len(hashes)}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(imp).Exec(ctx); err != nil {
			return fmt.Errorf("store census import: %w", err)
		}
		rows := make([]censusEntry, 0, 1000)
		for i, h := range hashes {
			rows = append(rows, censusEntry{Hash: h, Import: imp.ID, ExpiresAt: imp.ExpiresAt})
			if len(rows) == cap(rows) || i == len(hashes)-1 {
				// A hash already present from an earlier import keeps its row
				// (and whoever used it) but now lives as long as this import.
				if _, err := tx.NewInsert().Model(&rows).On("CONFLICT (hash) DO UPDATE").
					Set(`"import" = EXCLUDED."import", expires_at = EXCLUDED.expires_at`).Exec(ctx); err != nil {
					return fmt.Errorf("store census entries: %w", err)
				}
				rows = rows[:0]
			}
		}
		return s.audit(ctx, tx, actor, "residency.census_import", "",
			fmt.Sprintf("import=%s entries=%d expires=%s", imp.ID, imp.Entries, imp.ExpiresAt.Format(time.DateOnly)), "")
	})
	if err != nil {
		return nil, err
	}
	return imp, nil
}

// ParseCensus reads a census file (a CSV whose header is the single
// column "hash", then one hash of 64 hexadecimal digits a line) and
// returns its hashes, lower-cased, each once, in order. A file with any
// bad line is refused whole: a *CensusError lists the lines (at most
// 20, and how many more). Other errors are failures to read r. It holds
// at most MaxCensusEntries hashes, and one line at a time besides.
func ParseCensus(r io.Reader) ([]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	errs := &CensusError{}
	fail := func(line int, format string, args ...any) {
		if len(errs.Lines) < 20 {
			errs.Lines = append(errs.Lines, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
		} else {
			errs.More++
		}
	}
	seen := map[string]bool{}
	var hashes []string
	for record := 1; ; record++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				fail(pe.Line, "%v", pe.Err)
				break
			}
			return nil, fmt.Errorf("read census file: %w", err)
		}
		line, _ := cr.FieldPos(0) // the file's line: blank lines count
		if record == 1 {
			if len(rec) != 1 || strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")) != "hash" {
				fail(line, `the header must be the single column "hash"`)
				break
			}
			continue
		}
		if len(rec) != 1 {
			fail(line, "want 1 column, got %d", len(rec))
			continue
		}
		h := strings.ToLower(strings.TrimSpace(rec[0]))
		if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size {
			fail(line, "%q is not 64 hexadecimal digits", truncate(rec[0], 20))
			continue
		}
		if seen[h] {
			continue // the same person twice: harmless
		}
		if len(hashes) >= MaxCensusEntries {
			fail(line, "more than %d entries", MaxCensusEntries)
			break
		}
		seen[h] = true
		hashes = append(hashes, h)
	}
	if len(errs.Lines) == 0 && len(hashes) == 0 {
		fail(1, "no entries")
	}
	if len(errs.Lines) > 0 {
		return nil, errs
	}
	return hashes, nil
}

// MatchCensus verifies an account whose identity is in a live census
// import. One census entry verifies one account only.
func (s *Service) MatchCensus(ctx context.Context, actor Actor, accountID string, id Identity) error {
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return err
	}
	var imports []CensusImport
	if err := s.db.NewSelect().Model(&imports).Where("expires_at > ?", s.now()).Scan(ctx); err != nil {
		return fmt.Errorf("load census imports: %w", err)
	}
	if _, err := CensusHash(strings.Repeat("x", 16), id); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, imp := range imports {
			h, _ := CensusHash(imp.Salt, id)
			res, err := tx.NewUpdate().Model((*censusEntry)(nil)).
				Set("used_by = ?", accountID).Set("used_at = ?", s.now()).
				Where("hash = ? AND expires_at > ? AND (used_by IS NULL OR used_by = '' OR used_by = ?)", h, s.now(), accountID).
				Exec(ctx)
			if err != nil {
				return fmt.Errorf("match census: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				// The census vouched for the date of birth: it is kept for
				// votes with an age floor.
				born, _ := ParseBirthDate(id.BirthDate)
				return s.verify(ctx, tx, actor, accountID, MethodCensus, "", Electoral{BirthDate: born})
			}
		}
		return ErrNoCensusMatch
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
