package reports

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/database"
)

// Kind says whether a category's reports are problems to fix or
// suggestions of new amenities (a bench, a bike rack, a tree). A report's
// kind is its category's: the admin flags suggestion categories, the
// resident chooses one on the usual form, and a requalification into a
// category of the other kind moves the report with it.
type Kind string

// The kinds of report.
const (
	Problem    Kind = "problem"
	Suggestion Kind = "suggestion"
)

// Kinds lists the kinds, problems first.
var Kinds = []Kind{Problem, Suggestion}

// ofKind narrows a query of reports to the categories of a kind ("" for
// both). The subquery reads report_categories, a few dozen rows; the
// reports' own indexes then serve the category list.
func ofKind(q *bun.SelectQuery, k Kind) *bun.SelectQuery {
	if k == "" {
		return q
	}
	return q.Where("category IN (SELECT slug FROM report_categories WHERE kind = ?)", k)
}

// ErrNotVerified: supporting a suggestion needs a verified residency.
var ErrNotVerified = errors.New("supporting a suggestion needs a verified residency (checked at a desk)")

// maySupport checks a "me too" on a suggestion comes from a resident
// verified now; a problem's needs no more than an account.
func (s *Service) maySupport(ctx context.Context, tx bun.IDB, r *Report, who *accounts.Account) error {
	c, err := category(ctx, tx, r.Category)
	if err != nil {
		return err
	}
	if c.Kind != Suggestion {
		return nil
	}
	res := new(accounts.Residency)
	err = tx.NewSelect().Model(res).Where("account_id = ?", who.ID).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return ErrNotVerified
	} else if err != nil {
		return fmt.Errorf("load residency: %w", err)
	}
	if res.State(s.now()) != accounts.Verified {
		return ErrNotVerified
	}
	return nil
}
