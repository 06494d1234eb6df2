package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// A participatory budget's editions: the budget of a space with its
// headings, the projects on its ballot with their technical review and
// the ideas (proposals) they came from, and, once funded, their dated
// follow-up. Imported editions keep their .pb file (a blob) so that
// anyone can recompute the result.
func init() {
	type budget struct {
		bun.BaseModel `bun:"table:budgets"`
		ID            string    `bun:"id,pk"`
		SpaceID       string    `bun:"space_id,notnull"`
		Title         string    `bun:"title,notnull"`
		Rule          string    `bun:"rule,notnull"`        // greedy, equalshares
		BallotKind    string    `bun:"ballot_kind,notnull"` // approval, knapsack
		MaxChoices    int       `bun:"max_choices,notnull"` // approval: at most N projects
		Currency      string    `bun:"currency,notnull"`
		PBKey         string    `bun:"pb_key,notnull"` // blob of an imported .pb file, "" otherwise
		ResultsAt     time.Time `bun:"results_at,nullzero"`
		CreatedBy     string    `bun:"created_by,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	type heading struct {
		bun.BaseModel `bun:"table:budget_headings"`
		BudgetID      string `bun:"budget_id,pk"`
		Slug          string `bun:"slug,pk"`
		Name          string `bun:"name,notnull"`
		Amount        int64  `bun:"amount,notnull"`
		Position      int    `bun:"position,notnull"`
	}
	type project struct {
		bun.BaseModel `bun:"table:budget_projects"`
		ID            string    `bun:"id,pk"`
		BudgetID      string    `bun:"budget_id,notnull"`
		Heading       string    `bun:"heading,notnull"`
		Ref           string    `bun:"ref,notnull"` // the .pb project_id, or the node's own number
		Title         string    `bun:"title,notnull"`
		Description   string    `bun:"description,notnull"`
		Theme         string    `bun:"theme,notnull"`
		Address       string    `bun:"address,notnull"`
		Service       string    `bun:"service,notnull"`
		Cost          int64     `bun:"cost,notnull"`
		Review        string    `bun:"review,notnull"` // pending, feasible, unfeasible
		ReviewReasons string    `bun:"review_reasons,notnull"`
		ReviewedBy    string    `bun:"reviewed_by,notnull"`
		Votes         int64     `bun:"votes,notnull"`
		Funded        bool      `bun:"funded,notnull"`
		FundedOther   bool      `bun:"funded_other,notnull"` // by the rule not chosen, for the side-by-side page
		Status        string    `bun:"status,notnull"`       // "", study, tender, works, done, abandoned
		Progress      int       `bun:"progress,notnull"`     // percent
		ActualCost    int64     `bun:"actual_cost,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
		UpdatedAt     time.Time `bun:"updated_at,notnull"`
	}
	type idea struct {
		bun.BaseModel `bun:"table:budget_project_ideas"`
		ProjectID     string `bun:"project_id,pk"`
		ProposalID    string `bun:"proposal_id,pk"`
	}
	type milestone struct {
		bun.BaseModel `bun:"table:budget_milestones"`
		ID            string    `bun:"id,pk"`
		ProjectID     string    `bun:"project_id,notnull"`
		Status        string    `bun:"status,notnull"`
		Progress      int       `bun:"progress,notnull"`
		Text          string    `bun:"text,notnull"`
		ActualCost    int64     `bun:"actual_cost,notnull"`
		AuthorID      string    `bun:"author_id,notnull"`
		At            time.Time `bun:"at,notnull"`
	}
	models := []any{(*budget)(nil), (*heading)(nil), (*project)(nil), (*idea)(nil), (*milestone)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			err := createTables(ctx, tx, models, map[string][]string{
				"budgets":              {`("space_id") REFERENCES "spaces" ("id") ON DELETE CASCADE`},
				"budget_headings":      {`("budget_id") REFERENCES "budgets" ("id") ON DELETE CASCADE`},
				"budget_projects":      {`("budget_id") REFERENCES "budgets" ("id") ON DELETE CASCADE`},
				"budget_project_ideas": {`("project_id") REFERENCES "budget_projects" ("id") ON DELETE CASCADE`},
				"budget_milestones":    {`("project_id") REFERENCES "budget_projects" ("id") ON DELETE CASCADE`},
			}, []index{
				{"budgets_space_idx", "budgets", "space_id"},
				{"budget_projects_budget_idx", "budget_projects", "budget_id, heading"},
				{"budget_project_ideas_proposal_idx", "budget_project_ideas", "proposal_id"},
				{"budget_milestones_project_idx", "budget_milestones", "project_id, at"},
			})
			if err != nil {
				return err
			}
			// A project's reference is unique within its budget.
			_, err = tx.ExecContext(ctx, "CREATE UNIQUE INDEX IF NOT EXISTS budget_projects_ref_idx ON budget_projects (budget_id, ref)")
			return err
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}
