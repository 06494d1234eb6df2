package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Profiles, follows and notifications: whether a resident's public
// profile lists the proposals they support; what residents follow (a
// space, a proposal, a debate), kept with the time they stopped so an
// automatic follow never comes back after they said no; and the
// notifications written for them, one per event and person, in the
// transaction of the change that caused it.
func init() {
	type follow struct {
		bun.BaseModel `bun:"table:follows"`
		AccountID     string     `bun:"account_id,pk"`
		TargetKind    string     `bun:"target_kind,pk"` // space, proposal, debate
		TargetID      string     `bun:"target_id,pk"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		StoppedAt     *time.Time `bun:"stopped_at"` // they stopped following
	}
	type notification struct {
		bun.BaseModel `bun:"table:notifications"`
		ID            int64      `bun:"id,pk,autoincrement"`
		AccountID     string     `bun:"account_id,notnull"`
		EventID       string     `bun:"event_id,notnull"` // one change; with account_id, unique
		Kind          string     `bun:"kind,notnull"`
		SubjectKind   string     `bun:"subject_kind,notnull"` // space, proposal, debate, account
		SubjectID     string     `bun:"subject_id,notnull"`
		CommentID     string     `bun:"comment_id,notnull"` // the comment it is about, or ""
		Title         string     `bun:"title,notnull"`      // the subject's title then
		Detail        string     `bun:"detail,notnull"`     // a reason, an answer, a state
		ActorID       string     `bun:"actor_id"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		ReadAt        *time.Time `bun:"read_at"`
	}
	models := []any{(*follow)(nil), (*notification)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := addColumn(ctx, tx, "accounts", "show_supports", "BOOLEAN NOT NULL DEFAULT FALSE"); err != nil {
				return err
			}
			if err := createTables(ctx, tx, models, nil, []index{
				{"follows_target_idx", "follows", "target_kind, target_id"},
				{"notifications_account_idx", "notifications", "account_id, id"},
				{"notifications_unread_idx", "notifications", "account_id, read_at"},
			}); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "CREATE UNIQUE INDEX IF NOT EXISTS notifications_event_idx ON notifications (event_id, account_id)")
			return err
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			return dropColumn(ctx, tx, "accounts", "show_supports")
		})
	}
	Migrations.MustRegister(up, down)
}
