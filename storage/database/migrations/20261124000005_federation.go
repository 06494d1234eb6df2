package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Federation: the node's actor keys, what it knows of remote actors, who
// follows its actors and whom it follows, the activities it received (for
// idempotence), fediverse reactions (apart from binding supports), peers'
// health, domain blocks, and the objects of followed remote spaces. The
// delivery queue itself is River's (its own tables, see
// storage/database/migrate.go).
func init() {
	type key struct {
		bun.BaseModel `bun:"table:ap_keys"`
		Owner         string    `bun:"owner,pk"` // "instance", "space:ID", "account:ID"
		PrivatePEM    string    `bun:"private_pem,notnull"`
		PublicPEM     string    `bun:"public_pem,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	type remoteActor struct {
		bun.BaseModel     `bun:"table:ap_remote_actors"`
		ID                string    `bun:"id,pk"`
		Type              string    `bun:"type,notnull"`
		Host              string    `bun:"host,notnull"`
		Inbox             string    `bun:"inbox,notnull"`
		SharedInbox       string    `bun:"shared_inbox,notnull"`
		KeyID             string    `bun:"key_id,notnull"`
		PublicKeyPEM      string    `bun:"public_key_pem,notnull"`
		PreferredUsername string    `bun:"preferred_username,notnull"`
		Name              string    `bun:"name,notnull"`
		URL               string    `bun:"url,notnull"`
		Summary           string    `bun:"summary,notnull"`
		FetchedAt         time.Time `bun:"fetched_at,notnull"`
	}
	type follower struct {
		bun.BaseModel `bun:"table:ap_followers"`
		Actor         string    `bun:"actor,pk"`    // local actor: "space:ID", "account:ID", "instance"
		Follower      string    `bun:"follower,pk"` // remote actor id
		Inbox         string    `bun:"inbox,notnull"`
		FollowID      string    `bun:"follow_id,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	type following struct {
		bun.BaseModel `bun:"table:ap_following"`
		Remote        string     `bun:"remote,pk"` // remote actor id (a Group)
		FollowID      string     `bun:"follow_id,notnull,unique"`
		State         string     `bun:"state,notnull"` // pending, accepted, rejected
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		AcceptedAt    *time.Time `bun:"accepted_at"`
		CreatedBy     string     `bun:"created_by"`
	}
	type received struct {
		bun.BaseModel `bun:"table:ap_received"`
		ActivityID    string     `bun:"activity_id,pk"`
		Actor         string     `bun:"actor,notnull"`
		Type          string     `bun:"type,notnull"`
		Body          string     `bun:"body,notnull"`
		ReceivedAt    time.Time  `bun:"received_at,notnull"`
		ProcessedAt   *time.Time `bun:"processed_at"`
		Outcome       string     `bun:"outcome,notnull"`
	}
	type reaction struct {
		bun.BaseModel `bun:"table:ap_reactions"`
		ActivityID    string    `bun:"activity_id,pk"`
		Actor         string    `bun:"actor,notnull"`
		Kind          string    `bun:"kind,notnull"` // like, announce
		ObjectType    string    `bun:"object_type,notnull"`
		ObjectID      string    `bun:"object_id,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	type peer struct {
		bun.BaseModel    `bun:"table:ap_peers"`
		Host             string     `bun:"host,pk"`
		LastSuccessAt    *time.Time `bun:"last_success_at"`
		LastFailureAt    *time.Time `bun:"last_failure_at"`
		FirstFailureAt   *time.Time `bun:"first_failure_at"` // of the current run of failures
		Failures         int        `bun:"failures,notnull"`
		UnreachableSince *time.Time `bun:"unreachable_since"`
		LastError        string     `bun:"last_error,notnull"`
	}
	type block struct {
		bun.BaseModel `bun:"table:ap_domain_blocks"`
		Host          string    `bun:"host,pk"`
		Severity      string    `bun:"severity,notnull"` // suspend, silence, allow (allowlist mode)
		Reason        string    `bun:"reason,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
		CreatedBy     string    `bun:"created_by"`
	}
	type remoteObject struct {
		bun.BaseModel `bun:"table:ap_remote_objects"`
		ID            string     `bun:"id,pk"`
		Type          string     `bun:"type,notnull"` // Page, Note
		Group         string     `bun:"group_actor,notnull"`
		AttributedTo  string     `bun:"attributed_to,notnull"`
		AuthorName    string     `bun:"author_name,notnull"`
		Name          string     `bun:"name,notnull"`
		ContentHTML   string     `bun:"content_html,notnull"`
		URL           string     `bun:"url,notnull"`
		InReplyTo     string     `bun:"in_reply_to,notnull"`
		Context       string     `bun:"context,notnull"`
		State         string     `bun:"state,notnull"`
		Supports      int        `bun:"supports,notnull"`
		Published     time.Time  `bun:"published,notnull"`
		Updated       time.Time  `bun:"updated,notnull"`
		DeletedAt     *time.Time `bun:"deleted_at"`
		ReceivedAt    time.Time  `bun:"received_at,notnull"`
	}
	// What the node announced, so a Delete can still be addressed once
	// the object itself is gone (a comment without replies is erased).
	type published struct {
		bun.BaseModel `bun:"table:ap_published"`
		ObjectType    string `bun:"object_type,pk"`
		ObjectID      string `bun:"object_id,pk"`
		Group         string `bun:"group_actor,notnull"`
		Author        string `bun:"author_actor,notnull"`
	}
	models := []any{(*published)(nil), (*key)(nil), (*remoteActor)(nil), (*follower)(nil), (*following)(nil), (*received)(nil),
		(*reaction)(nil), (*peer)(nil), (*block)(nil), (*remoteObject)(nil)}
	indexes := []index{
		{"ap_remote_actors_key_idx", "ap_remote_actors", "key_id"},
		{"ap_followers_follower_idx", "ap_followers", "follower"},
		{"ap_reactions_object_idx", "ap_reactions", "object_type, object_id"},
		{"ap_remote_objects_group_idx", "ap_remote_objects", "group_actor, type, published"},
		{"ap_remote_objects_context_idx", "ap_remote_objects", "context"},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, models, nil, indexes)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}
