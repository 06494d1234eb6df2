package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Participation: spaces with phases and categories, proposals with
// supports, official answers and their timeline, debates, threaded
// comments (local or remote authors), reports and the public moderation
// log, full-text search, and the outbox of events federation reads.
func init() {
	type space struct {
		bun.BaseModel        `bun:"table:spaces"`
		ID                   string    `bun:"id,pk"`
		Slug                 string    `bun:"slug,notnull,unique"`
		Title                string    `bun:"title,notnull"`
		Description          string    `bun:"description,notnull"`
		Kind                 string    `bun:"kind,notnull"`
		TitleMax             int       `bun:"title_max,notnull"`
		BodyMax              int       `bun:"body_max,notnull"`
		SupportThreshold     int       `bun:"support_threshold,notnull"`
		UnverifiedMayPropose bool      `bun:"unverified_may_propose,notnull"`
		CreatedAt            time.Time `bun:"created_at,notnull"`
		UpdatedAt            time.Time `bun:"updated_at,notnull"`
		CreatedBy            string    `bun:"created_by"`
	}
	type phase struct {
		bun.BaseModel `bun:"table:space_phases"`
		SpaceID       string    `bun:"space_id,pk"`
		Position      int       `bun:"position,pk"`
		Kind          string    `bun:"kind,notnull"`
		Name          string    `bun:"name,notnull"`
		StartsAt      time.Time `bun:"starts_at,notnull"`
		EndsAt        time.Time `bun:"ends_at,notnull"`
	}
	type category struct {
		bun.BaseModel `bun:"table:space_categories"`
		SpaceID       string `bun:"space_id,pk"`
		Slug          string `bun:"slug,pk"`
		NameFR        string `bun:"name_fr,notnull"`
		NameEN        string `bun:"name_en,notnull"`
		Position      int    `bun:"position,notnull"`
	}
	type proposal struct {
		bun.BaseModel `bun:"table:proposals"`
		ID            string     `bun:"id,pk"`
		SpaceID       string     `bun:"space_id,notnull"`
		AuthorID      string     `bun:"author_id,notnull"`
		EnteredBy     string     `bun:"entered_by"` // agent at a desk, for a resident present
		Desk          string     `bun:"desk,notnull"`
		Title         string     `bun:"title,notnull"`
		Body          string     `bun:"body,notnull"`
		BodyHTML      string     `bun:"body_html,notnull"`
		Category      string     `bun:"category,notnull"`
		Address       string     `bun:"address,notnull"`
		Lat           *float64   `bun:"lat"`
		Lon           *float64   `bun:"lon"`
		State         string     `bun:"state,notnull"`
		SupportCount  int        `bun:"support_count,notnull"`
		CommentCount  int        `bun:"comment_count,notnull"`
		RandKey       int64      `bun:"rand_key,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		UpdatedAt     time.Time  `bun:"updated_at,notnull"`
		EditedAt      *time.Time `bun:"edited_at"`
		HiddenAt      *time.Time `bun:"hidden_at"`
		HiddenReason  string     `bun:"hidden_reason,notnull"`
		MergedInto    string     `bun:"merged_into"`
	}
	type support struct {
		bun.BaseModel `bun:"table:proposal_supports"`
		ProposalID    string    `bun:"proposal_id,pk"`
		AccountID     string    `bun:"account_id,pk"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
		EnteredBy     string    `bun:"entered_by"`
		Desk          string    `bun:"desk,notnull"`
	}
	type proposalEvent struct {
		bun.BaseModel `bun:"table:proposal_events"`
		ID            int64     `bun:"id,pk,autoincrement"`
		ProposalID    string    `bun:"proposal_id,notnull"`
		At            time.Time `bun:"at,notnull"`
		ActorID       string    `bun:"actor_id"`
		Kind          string    `bun:"kind,notnull"`
		FromState     string    `bun:"from_state,notnull"`
		ToState       string    `bun:"to_state,notnull"`
		Answer        string    `bun:"answer,notnull"`
		AnswerHTML    string    `bun:"answer_html,notnull"`
		Service       string    `bun:"service,notnull"`
		Reason        string    `bun:"reason,notnull"`
	}
	type attachment struct {
		bun.BaseModel `bun:"table:proposal_attachments"`
		ProposalID    string `bun:"proposal_id,pk"`
		Position      int    `bun:"position,pk"`
		BlobKey       string `bun:"blob_key,notnull"`
		Name          string `bun:"name,notnull"`
		ContentType   string `bun:"content_type,notnull"`
		Size          int64  `bun:"size,notnull"`
	}
	type debate struct {
		bun.BaseModel   `bun:"table:debates"`
		ID              string     `bun:"id,pk"`
		SpaceID         string     `bun:"space_id,notnull"`
		AuthorID        string     `bun:"author_id,notnull"`
		Question        string     `bun:"question,notnull"`
		Description     string     `bun:"description,notnull"`
		DescriptionHTML string     `bun:"description_html,notnull"`
		State           string     `bun:"state,notnull"`
		Conclusion      string     `bun:"conclusion,notnull"`
		ConclusionHTML  string     `bun:"conclusion_html,notnull"`
		CommentCount    int        `bun:"comment_count,notnull"`
		EnteredBy       string     `bun:"entered_by"`
		Desk            string     `bun:"desk,notnull,default:''"`
		CreatedAt       time.Time  `bun:"created_at,notnull"`
		EditedAt        *time.Time `bun:"edited_at"`
		ClosedAt        *time.Time `bun:"closed_at"`
		HiddenAt        *time.Time `bun:"hidden_at"`
		HiddenReason    string     `bun:"hidden_reason,notnull"`
	}
	type comment struct {
		bun.BaseModel `bun:"table:comments"`
		ID            string     `bun:"id,pk"`
		TargetKind    string     `bun:"target_kind,notnull"` // proposal, debate
		TargetID      string     `bun:"target_id,notnull"`
		ParentID      string     `bun:"parent_id"`
		Depth         int        `bun:"depth,notnull"`
		AuthorID      string     `bun:"author_id"`    // local account, or empty for a remote author
		RemoteActor   string     `bun:"remote_actor"` // ActivityPub actor URI of a remote author
		RemoteName    string     `bun:"remote_name,notnull"`
		RemoteURL     string     `bun:"remote_url,notnull"`
		APID          *string    `bun:"ap_id,unique"` // the remote object's id, for idempotent ingestion
		EnteredBy     string     `bun:"entered_by"`
		Desk          string     `bun:"desk,notnull"`
		Body          string     `bun:"body,notnull"`
		BodyHTML      string     `bun:"body_html,notnull"`
		Alignment     string     `bun:"alignment,notnull"`
		SupportCount  int        `bun:"support_count,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		EditedAt      *time.Time `bun:"edited_at"`
		DeletedAt     *time.Time `bun:"deleted_at"`
		HiddenAt      *time.Time `bun:"hidden_at"`
		HiddenReason  string     `bun:"hidden_reason,notnull"`
	}
	type commentVersion struct {
		bun.BaseModel `bun:"table:comment_versions"`
		CommentID     string    `bun:"comment_id,pk"`
		Version       int       `bun:"version,pk"`
		Body          string    `bun:"body,notnull"`
		EditedAt      time.Time `bun:"edited_at,notnull"`
		EditedBy      string    `bun:"edited_by"`
	}
	type commentSupport struct {
		bun.BaseModel `bun:"table:comment_supports"`
		CommentID     string    `bun:"comment_id,pk"`
		AccountID     string    `bun:"account_id,pk"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
		EnteredBy     string    `bun:"entered_by"`
		Desk          string    `bun:"desk,notnull,default:''"`
	}
	type report struct {
		bun.BaseModel `bun:"table:reports"`
		ID            string     `bun:"id,pk"`
		TargetKind    string     `bun:"target_kind,notnull"`
		TargetID      string     `bun:"target_id,notnull"`
		ReporterID    string     `bun:"reporter_id"`
		RemoteActor   string     `bun:"remote_actor"`
		Reason        string     `bun:"reason,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		ResolvedAt    *time.Time `bun:"resolved_at"`
		Resolution    string     `bun:"resolution,notnull"`
	}
	type moderation struct {
		bun.BaseModel `bun:"table:moderation_log"`
		ID            int64     `bun:"id,pk,autoincrement"`
		At            time.Time `bun:"at,notnull"`
		ModeratorID   string    `bun:"moderator_id"`
		Action        string    `bun:"action,notnull"`
		TargetKind    string    `bun:"target_kind,notnull"`
		TargetID      string    `bun:"target_id,notnull"`
		SpaceID       string    `bun:"space_id,notnull"`
		Reason        string    `bun:"reason,notnull"`
		Details       string    `bun:"details,notnull"`
	}
	type outboxEvent struct {
		bun.BaseModel `bun:"table:outbox_events"`
		ID            int64     `bun:"id,pk,autoincrement"`
		At            time.Time `bun:"at,notnull"`
		Kind          string    `bun:"kind,notnull"` // create, update, delete
		ObjectType    string    `bun:"object_type,notnull"`
		ObjectID      string    `bun:"object_id,notnull"`
		ActorID       string    `bun:"actor_id"`
	}

	models := []any{
		(*space)(nil), (*phase)(nil), (*category)(nil), (*proposal)(nil), (*support)(nil), (*proposalEvent)(nil),
		(*attachment)(nil), (*debate)(nil), (*comment)(nil), (*commentVersion)(nil), (*commentSupport)(nil),
		(*report)(nil), (*moderation)(nil), (*outboxEvent)(nil),
	}
	fks := map[string][]string{
		"space_phases":         {`("space_id") REFERENCES "spaces" ("id") ON DELETE CASCADE`},
		"space_categories":     {`("space_id") REFERENCES "spaces" ("id") ON DELETE CASCADE`},
		"proposals":            {`("space_id") REFERENCES "spaces" ("id")`, `("author_id") REFERENCES "accounts" ("id")`},
		"proposal_supports":    {`("proposal_id") REFERENCES "proposals" ("id") ON DELETE CASCADE`, `("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
		"proposal_events":      {`("proposal_id") REFERENCES "proposals" ("id") ON DELETE CASCADE`},
		"proposal_attachments": {`("proposal_id") REFERENCES "proposals" ("id") ON DELETE CASCADE`},
		"debates":              {`("space_id") REFERENCES "spaces" ("id")`, `("author_id") REFERENCES "accounts" ("id")`},
		"comment_versions":     {`("comment_id") REFERENCES "comments" ("id") ON DELETE CASCADE`},
		"comment_supports":     {`("comment_id") REFERENCES "comments" ("id") ON DELETE CASCADE`, `("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
	}
	indexes := []index{
		{"proposals_space_created_idx", "proposals", "space_id, created_at, id"},
		{"proposals_space_supports_idx", "proposals", "space_id, support_count, id"},
		{"proposals_space_rand_idx", "proposals", "space_id, rand_key, id"},
		{"proposals_space_state_idx", "proposals", "space_id, state"},
		{"proposals_author_idx", "proposals", "author_id"},
		{"supports_account_idx", "proposal_supports", "account_id"},
		{"proposal_events_proposal_idx", "proposal_events", "proposal_id, id"},
		{"debates_space_idx", "debates", "space_id, created_at"},
		{"comments_target_idx", "comments", "target_kind, target_id, created_at, id"},
		{"comments_parent_idx", "comments", "parent_id"},
		{"comments_author_idx", "comments", "author_id"},
		{"reports_open_idx", "reports", "resolved_at, created_at"},
		{"moderation_log_idx", "moderation_log", "id"},
		{"moderation_log_space_idx", "moderation_log", "space_id, id"},
		{"outbox_events_id_idx", "outbox_events", "id"},
	}

	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := createTables(ctx, tx, models, fks, indexes); err != nil {
				return err
			}
			// One open report per reporter and item, enforced by the database.
			for _, ix := range []string{
				`CREATE UNIQUE INDEX IF NOT EXISTS reports_open_local_idx ON reports (target_kind, target_id, reporter_id) WHERE resolved_at IS NULL AND reporter_id IS NOT NULL`,
				`CREATE UNIQUE INDEX IF NOT EXISTS reports_open_remote_idx ON reports (target_kind, target_id, remote_actor) WHERE resolved_at IS NULL AND remote_actor IS NOT NULL`,
			} {
				if _, err := tx.ExecContext(ctx, ix); err != nil {
					return err
				}
			}
			if err := appendOnly(ctx, tx, "moderation_log"); err != nil {
				return err
			}
			return fullTextSearch(ctx, tx)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if !isPostgres(tx) {
				for _, s := range []string{"DROP TRIGGER IF EXISTS proposals_fts_insert", "DROP TRIGGER IF EXISTS proposals_fts_update",
					"DROP TRIGGER IF EXISTS proposals_fts_delete", "DROP TABLE IF EXISTS proposals_fts"} {
					if _, err := tx.ExecContext(ctx, s); err != nil {
						return err
					}
				}
			}
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}

// fullTextSearch indexes proposal titles and bodies for search in French
// and English: on PostgreSQL a generated tsvector of both languages with a
// GIN index; on SQLite an FTS5 table (accents folded, English stemming)
// kept in step by triggers.
func fullTextSearch(ctx context.Context, tx bun.Tx) error {
	var stmts []string
	if isPostgres(tx) {
		stmts = []string{
			// translate() folds accents and is immutable, as a generated
			// column needs; queries fold the same way (proposals.FoldSQL), so
			// "ecole" finds "école" without the unaccent extension.
			"ALTER TABLE proposals ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (" +
				"setweight(to_tsvector('french', " + foldSQL("title") + "), 'A') || setweight(to_tsvector('english', " + foldSQL("title") + "), 'A') || " +
				"to_tsvector('french', " + foldSQL("body") + ") || to_tsvector('english', " + foldSQL("body") + ")) STORED",
			`CREATE INDEX IF NOT EXISTS proposals_search_idx ON proposals USING GIN (search)`,
		}
	} else {
		stmts = []string{
			// A copy of the text keyed by proposal id (not rowid, which VACUUM
			// may renumber in a table without an integer primary key).
			`CREATE VIRTUAL TABLE IF NOT EXISTS proposals_fts USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61 remove_diacritics 2')`,
			`CREATE TRIGGER IF NOT EXISTS proposals_fts_insert AFTER INSERT ON proposals BEGIN
				INSERT INTO proposals_fts(id, title, body) VALUES (new.id, new.title, new.body); END`,
			`CREATE TRIGGER IF NOT EXISTS proposals_fts_delete AFTER DELETE ON proposals BEGIN
				DELETE FROM proposals_fts WHERE id = old.id; END`,
			`CREATE TRIGGER IF NOT EXISTS proposals_fts_update AFTER UPDATE OF title, body ON proposals BEGIN
				UPDATE proposals_fts SET title = new.title, body = new.body WHERE id = new.id; END`,
		}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// Accented letters and their plain forms, one for one, for translate().
const (
	accented = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŒœÆæ"
	plain    = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyOoAa"
)

// foldSQL is the SQL that folds the accents of expr (PostgreSQL).
func foldSQL(expr string) string {
	return "translate(" + expr + ", '" + accented + "', '" + plain + "')"
}
