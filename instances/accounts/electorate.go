package accounts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// Electoral details narrow who may take part in a vote that asks for
// them (an age floor, a district). They are recorded with a verification
// only where the node uses them: a date of birth checked on a document at
// a desk or matched in the census, and the district of the address.

// Electoral is what a verification may record besides residency.
type Electoral struct {
	BirthDate int    // YYYYMMDD, 0 when not recorded
	District  string // one of the node's districts, "" when not recorded
}

// Errors of electoral details.
var (
	ErrBirthDate    = errors.New("the date of birth is not a real date (YYYY-MM-DD), or is in the future or over 130 years ago")
	ErrDistrict     = errors.New("this district is not one of the node's")
	ErrDistrictName = errors.New("a district name is 1 to 80 characters, with no control character, and appears once")
)

// BirthDate turns a date into YYYYMMDD.
func BirthDate(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// ParseBirthDate reads YYYY-MM-DD (or DD/MM/YYYY) as YYYYMMDD; "" is 0,
// nothing recorded.
func ParseBirthDate(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	d, err := normalizeDate(s)
	if err != nil {
		return 0, ErrBirthDate
	}
	t, _ := time.Parse(time.DateOnly, d)
	return BirthDate(t), nil
}

// BornBy is the latest birth date (YYYYMMDD) of someone who is at least
// age years old at t: their birthday has come. A person born on 29
// February comes of age on 1 March in a year that has none.
func BornBy(t time.Time, age int) int {
	return (t.Year()-age)*10000 + int(t.Month())*100 + t.Day()
}

// check says what is wrong with the details at time now.
func (e Electoral) check(now time.Time, districts []string) error {
	if e.BirthDate != 0 {
		t, err := time.Parse("20060102", fmt.Sprintf("%08d", e.BirthDate))
		if err != nil || t.After(now) || t.Before(now.AddDate(-130, 0, 0)) {
			return ErrBirthDate
		}
	}
	if e.District != "" && !slices.Contains(districts, e.District) {
		return ErrDistrict
	}
	return nil
}

// district is one district of the node, in the order the admin lists them.
type district struct {
	bun.BaseModel `bun:"table:districts"`
	Name          string `bun:"name,pk"`
	Position      int    `bun:"position"`
}

// Districts are the node's districts (quartiers, conseils de quartier),
// in the admin's order; none when the node does not use them.
func (s *Service) Districts(ctx context.Context) ([]string, error) {
	return districts(ctx, s.db)
}

func districts(ctx context.Context, db bun.IDB) ([]string, error) {
	var names []string
	if err := db.NewSelect().Model((*district)(nil)).Column("name").Order("position").Scan(ctx, &names); err != nil {
		return nil, fmt.Errorf("load districts: %w", err)
	}
	return names, nil
}

// SetDistricts replaces the node's list of districts (admins and the
// operator). A district that residencies or votes still name may be
// dropped from the list: what was recorded stays, and can no longer be
// chosen for new ones.
func (s *Service) SetDistricts(ctx context.Context, actor Actor, names []string) error {
	if !actor.can(Admin) || actor.OnBehalfOf != nil {
		return ErrForbidden
	}
	rows := make([]district, 0, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || utf8.RuneCountInString(n) > 80 || strings.ContainsFunc(n, unicode.IsControl) || seen[n] {
			return ErrDistrictName
		}
		seen[n] = true
		rows = append(rows, district{Name: n, Position: i})
	}
	if len(rows) > 200 {
		return ErrDistrictName
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*district)(nil)).Where("1 = 1").Exec(ctx); err != nil {
			return fmt.Errorf("replace districts: %w", err)
		}
		if len(rows) > 0 {
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return fmt.Errorf("replace districts: %w", err)
			}
		}
		return s.audit(ctx, tx, actor, "districts.set", "", strings.Join(names, "; "), "")
	})
}

// Errors of a resident outside a vote's electorate.
var (
	ErrTooYoung      = errors.New("this vote is for residents of a given age and over")
	ErrNoBirthDate   = errors.New("this vote has an age floor and no date of birth is recorded for this resident: it is recorded at a desk, on an identity document")
	ErrOtherDistrict = errors.New("this vote is for the residents of another district")
	ErrNoDistrict    = errors.New("this vote is for one district and no district is recorded for this resident: it is recorded at a desk, on a proof of address")
)

// InElectorate says whether the holder of a residency that is verified
// may vote at now in a vote with an age floor (0: none) and a district
// ("": the whole node); nil when they may.
func (r *Residency) InElectorate(now time.Time, minAge int, district string) error {
	switch {
	case minAge > 0 && r.BirthDate == 0:
		return ErrNoBirthDate
	case minAge > 0 && r.BirthDate > BornBy(now, minAge):
		return ErrTooYoung
	case district != "" && r.District == "":
		return ErrNoDistrict
	case district != "" && r.District != district:
		return ErrOtherDistrict
	}
	return nil
}

// ElectorateWhere narrows a query on residencies (under alias) to a
// vote's electorate as it stood at the instant t (a vote's closing
// time: an act at that instant comes after it): verified before t and
// not expired or revoked by then, old enough at t, of the district.
// Counts and tallies use it so that every reader applies one rule.
func ElectorateWhere(q *bun.SelectQuery, alias string, t time.Time, minAge int, district string) *bun.SelectQuery {
	a := bun.Ident(alias)
	q = q.Where("?.verified_at < ? AND ?.expires_at > ? AND (?.revoked_at IS NULL OR ?.revoked_at >= ?)", a, t, a, t, a, a, t)
	if minAge > 0 {
		q = q.Where("?.birth_date > 0 AND ?.birth_date <= ?", a, a, BornBy(t, minAge))
	}
	if district != "" {
		q = q.Where("?.district = ?", a, district)
	}
	return q
}

// BirthDateText is the recorded date of birth as YYYY-MM-DD, "" when none.
func (r *Residency) BirthDateText() string {
	if r == nil || r.BirthDate == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", r.BirthDate/10000, r.BirthDate/100%100, r.BirthDate%100)
}
