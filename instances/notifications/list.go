package notifications

import (
	"context"
	"fmt"

	"github.com/uptrace/bun/dialect"
)

// MaxPage is the most notifications List returns.
const MaxPage = 100

// List returns a resident's notifications, newest first: those with an
// id below before (0 for the newest), at most limit (MaxPage).
func (s *Service) List(ctx context.Context, accountID string, before int64, limit int) ([]Notification, error) {
	limit = min(max(limit, 1), MaxPage)
	var out []Notification
	q := s.db.NewSelect().Model(&out).ColumnExpr("n.*").
		ColumnExpr("COALESCE(a.display_name, '') AS actor_name").
		Join("LEFT JOIN accounts AS a ON a.id = n.actor_id AND a.deleted_at IS NULL").
		Where("n.account_id = ?", accountID).Order("n.id DESC").Limit(int64(limit))
	if before > 0 {
		q = q.Where("n.id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return out, nil
}

// unreadPG is Unread's query on PostgreSQL.
const unreadPG = `SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`

// Unread counts a resident's unread notifications, the header's figure.
func (s *Service) Unread(ctx context.Context, accountID string) (int, error) {
	var n int
	var err error
	if s.db.Dialect().Name() == dialect.PG {
		// The account apart from the text ($1): one text prepared once
		// per connection, where a text naming the reader would be new for
		// each (most pages of a signed-in reader count this).
		err = s.db.DB.QueryRowContext(ctx, unreadPG, accountID).Scan(&n)
	} else {
		var c int64
		c, err = s.db.NewSelect().Model((*Notification)(nil)).
			Where("account_id = ? AND read_at IS NULL", accountID).Count(ctx)
		n = int(c)
	}
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// MarkRead marks one of a resident's notifications read; ErrNotFound
// when it is not theirs.
func (s *Service) MarkRead(ctx context.Context, accountID string, id int64) error {
	res, err := s.db.NewUpdate().Model((*Notification)(nil)).Set("read_at = COALESCE(read_at, ?)", s.now()).
		Where("id = ? AND account_id = ?", id, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark notification read: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("notification %d: %w", id, ErrNotFound)
	}
	return nil
}

// MarkAllRead marks every notification of a resident read.
func (s *Service) MarkAllRead(ctx context.Context, accountID string) error {
	if _, err := s.db.NewUpdate().Model((*Notification)(nil)).Set("read_at = ?", s.now()).
		Where("account_id = ? AND read_at IS NULL", accountID).Exec(ctx); err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return nil
}
