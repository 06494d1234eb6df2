package notifications

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Event is one change that notifies people: those named in To, the
// accounts whose handles are in Handles, and the followers of each of
// Followers (each person once). Whoever acted (ActorID) is not told of
// their own act, except of a desk act, which the resident is always told
// of (the agent is ActorID, the resident in To).
type Event struct {
	Kind      Kind
	EventID   string // "" for a new event; the same id in two Records tells each person once
	Subject   Target // what it links to: a proposal, a debate, a space, a vote, an account
	CommentID string // the comment it is about, if any
	Title     string // the subject's title; "" to read it now
	Detail    string // a reason, a new state, a message key
	ActorID   string // who acted; "" for the node or a remote author
	At        time.Time

	To        []string
	Handles   []string
	Followers []Target
}

// Record writes an event's notifications through db, the caller's
// transaction, with the change that causes them.
func Record(ctx context.Context, db bun.IDB, e Event) error {
	if len(e.To) == 0 && len(e.Handles) == 0 && len(e.Followers) == 0 {
		return nil
	}
	if e.Title == "" && e.Subject.Kind != Account {
		table, col, err := e.Subject.Kind.table()
		if err != nil {
			return err
		}
		if err := db.NewSelect().Table(table).Column(col).Where("id = ?", e.Subject.ID).Scan(ctx, &e.Title); err != nil {
			return notFound(err, fmt.Sprintf("notify: load %s %s", e.Subject.Kind, e.Subject.ID))
		}
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	eventID := e.EventID
	if eventID == "" {
		eventID = database.NewID()
	}
	except := e.ActorID
	if e.Kind == DeskAct {
		except = ""
	}
	var actor any
	if e.ActorID != "" {
		actor = e.ActorID
	}
	// Every statement inserts the same columns from a set of accounts;
	// the unique (event_id, account_id) index keeps one per person.
	// SQLite needs the WHERE clause to read ON CONFLICT as an upsert.
	insert := func(from string, args ...any) error {
		q := `INSERT INTO notifications (account_id, event_id, kind, subject_kind, subject_id, comment_id, title, detail, actor_id, created_at)
			SELECT a.id, ?, ?, ?, ?, ?, ?, ?, ?, ? ` + from + ` AND a.deleted_at IS NULL AND a.id <> ?
			ON CONFLICT (event_id, account_id) DO NOTHING`
		all := append([]any{eventID, e.Kind, e.Subject.Kind, e.Subject.ID, e.CommentID, e.Title, e.Detail, actor, e.At}, args...)
		all = append(all, except)
		if _, err := db.NewRaw(q, all...).Exec(ctx); err != nil {
			return fmt.Errorf("notify %s on %s %s: %w", e.Kind, e.Subject.Kind, e.Subject.ID, err)
		}
		return nil
	}
	if to := compact(e.To); len(to) > 0 {
		if err := insert("FROM accounts AS a WHERE a.id IN (?)", bun.In(to)); err != nil {
			return err
		}
	}
	if hs := compact(e.Handles); len(hs) > 0 {
		if err := insert("FROM accounts AS a WHERE a.handle IN (?)", bun.In(hs)); err != nil {
			return err
		}
	}
	for _, t := range e.Followers {
		from := `FROM follows AS f JOIN accounts AS a ON a.id = f.account_id
			WHERE f.target_kind = ? AND f.target_id = ? AND f.stopped_at IS NULL`
		if t.Kind == Person { // a profile made private is followed no more
			from += ` AND EXISTS (SELECT 1 FROM accounts AS p WHERE p.id = f.target_id AND p.public AND p.deleted_at IS NULL)`
		}
		if err := insert(from, t.Kind, t.ID); err != nil {
			return err
		}
	}
	return nil
}

// NewEventID returns an event id for Records that should tell each
// person once (Event.EventID).
func NewEventID() string { return database.NewID() }

// Once reports whether key was not yet used, and uses it, through db, the
// caller's transaction: an announcement made by a periodic job (a phase
// begins, a vote opens) is recorded once whichever process runs it, with
// the notifications it writes.
func Once(ctx context.Context, db bun.IDB, key string, at time.Time) (bool, error) {
	res, err := db.NewRaw(`INSERT INTO notification_once ("key", created_at) VALUES (?, ?) ON CONFLICT ("key") DO NOTHING`,
		key, at.UTC().Truncate(time.Microsecond)).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("announce %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("announce %s: %w", key, err)
	}
	return n == 1, nil
}

// compact drops empty and repeated values.
func compact(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Follow makes an account follow a target on its own, through db, the
// caller's transaction: an author what they create, a replier the
// thread. A follow the account stopped stays stopped.
func Follow(ctx context.Context, db bun.IDB, at time.Time, accountID string, t Target) error {
	if accountID == "" {
		return nil
	}
	f := &follow{AccountID: accountID, TargetKind: t.Kind, TargetID: t.ID, CreatedAt: at.UTC().Truncate(time.Microsecond)}
	if _, err := db.NewInsert().Model(f).On("CONFLICT (account_id, target_kind, target_id) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("follow %s %s: %w", t.Kind, t.ID, err)
	}
	return nil
}
