package projects

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/storage/database"
)

// importHeading is the one heading of an imported edition: a .pb file
// describes one unit (a district, or the whole city).
const importHeading = "all"

// Import loads a finished edition from a Pabulib .pb file into a space:
// its projects (each project_id kept as the project's reference, the
// name column as its title), its result by the file's rule (greedy when
// it names none) and what the other rule would have funded. The file is
// kept, so the result can be recomputed and downloaded. A bad file is
// refused with its line and reason (a *budgets.ParseError), and nothing
// is stored.
func (s *Service) Import(ctx context.Context, actor accounts.Actor, spaceID string, file io.Reader, limits budgets.Limits) (*Budget, error) {
	if !manages(actor) {
		return nil, ErrForbidden
	}
	var raw bytes.Buffer
	pb, err := budgets.ParsePB(io.TeeReader(file, &raw), limits)
	if err != nil {
		return nil, err
	}
	e, rule, err := pb.Election(importHeading)
	if err != nil {
		return nil, err
	}
	cmp, err := budgets.Compare(e, rule, budgets.Options{})
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(pb.Meta.Description)
	if title == "" {
		title = strings.TrimSpace(strings.Join([]string{pb.Meta.Unit, pb.Meta.Instance}, " "))
	}
	if title == "" {
		title = "Budget participatif"
	}
	title = clipRunes(title, TitleMax)
	currency := strings.ToUpper(strings.TrimSpace(pb.Meta.Currency))
	if len(currency) != 3 {
		currency = "EUR"
	}
	headingName := clipRunes(strings.TrimSpace(cmpOr(pb.Meta.Subunit, pb.Meta.Unit, "Toute la ville")), FieldMax)
	if err := (Problems{}).amount("budget", pb.Meta.Budget).Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	b := &Budget{ID: database.NewID(), SpaceID: spaceID, Title: title, Rule: rule, BallotKind: Approval,
		MaxChoices: pb.Meta.MaxLength, Currency: currency, ResultsAt: now, CreatedBy: actorID(actor), CreatedAt: now,
		Headings: []Heading{{Slug: importHeading, Name: headingName, Amount: pb.Meta.Budget}}}
	b.Headings[0].BudgetID = b.ID

	h := cmp.Headings[0]
	funded, other := set(h.Chosen.Funded), set(h.Other.Funded)
	votes := map[string]int64{}
	for _, pr := range h.Chosen.Projects {
		votes[pr.ID] = pr.Votes
	}
	projects := make([]Project, 0, len(pb.Projects))
	for _, pr := range pb.Projects {
		title := clipRunes(strings.TrimSpace(cmpOr(pr.Fields["name"], pr.Fields["title"], "Projet "+pr.ID)), TitleMax)
		projects = append(projects, Project{ID: database.NewID(), BudgetID: b.ID, Heading: importHeading, Ref: clipRunes(pr.ID, 64),
			Title: title, Description: clipRunes(pr.Fields["description"], DescriptionMax),
			Theme: clipRunes(cmpOr(pr.Fields["category"], pr.Fields["target"]), FieldMax), Cost: pr.Cost,
			Review: Feasible, Votes: votes[pr.ID], Funded: funded[pr.ID], FundedOther: other[pr.ID],
			CreatedAt: now, UpdatedAt: now})
	}
	for _, p := range projects {
		in := ProjectInput{Title: p.Title, Description: p.Description, Theme: p.Theme, Ref: p.Ref, Cost: p.Cost}
		if err := in.Problems().Err(); err != nil {
			return nil, fmt.Errorf("project %s: %w", p.Ref, err)
		}
	}
	info, err := s.blobs.Put(ctx, &raw)
	if err != nil {
		return nil, fmt.Errorf("keep the .pb file: %w", err)
	}
	b.PBKey = info.Key
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.insertBudget(ctx, tx, actor, b); err != nil {
			return err
		}
		if len(projects) > 0 {
			if _, err := tx.NewInsert().Model(&projects).Exec(ctx); err != nil {
				return fmt.Errorf("insert projects: %w", err)
			}
		}
		// The result is out: the space's Group publishes each project.
		if err := publishProjects(ctx, tx, now, b.ID); err != nil {
			return err
		}
		return accounts.Record(ctx, tx, now, actor, "budget.import", b.ID,
			fmt.Sprintf("projects=%d votes=%d rule=%s", len(projects), len(pb.Votes), rule), "")
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

func set(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

func cmpOr(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// PB opens the .pb file of an imported edition.
func (s *Service) PB(ctx context.Context, budgetID string) (io.ReadCloser, error) {
	b, err := s.Budget(ctx, budgetID)
	if err != nil {
		return nil, err
	}
	if b.PBKey == "" {
		return nil, ErrNotFound
	}
	return s.blobs.Open(ctx, b.PBKey)
}

// Recompute counts an imported edition again from its kept .pb file,
// by both rules: what anyone can do with the downloaded file.
func (s *Service) Recompute(ctx context.Context, budgetID string, limits budgets.Limits) (budgets.Comparison, error) {
	f, err := s.PB(ctx, budgetID)
	if err != nil {
		return budgets.Comparison{}, err
	}
	defer f.Close()
	b, err := s.Budget(ctx, budgetID)
	if err != nil {
		return budgets.Comparison{}, err
	}
	pb, err := budgets.ParsePB(f, limits)
	if err != nil {
		return budgets.Comparison{}, err
	}
	e, _, err := pb.Election(importHeading)
	if err != nil {
		return budgets.Comparison{}, err
	}
	return budgets.Compare(e, b.Rule, budgets.Options{})
}
