package notifications

import (
	"context"
	"fmt"
)

// SoftBounces is how many soft bounces of an address stop email to it,
// as one hard bounce does: a mailbox full for that long is abandoned.
const SoftBounces = 5

// RecordBounce records a bounce on the address it is about: the one
// whose key it carries (VERP), or else the one it names. A hard bounce
// stops email to the address (as a refusal of the SMTP server does); a
// soft one is counted, and SoftBounces of them stop it too. The resident
// sees it on their notification settings; giving the address again
// starts email again. It returns how many residents' addresses it was
// recorded on; none is ErrBounceUnknown, and changes nothing.
func (s *Service) RecordBounce(ctx context.Context, b *Bounce) (int, error) {
	now := s.now()
	q := s.db.NewUpdate().Model((*EmailSettings)(nil)).Where("address <> ''").
		Set("bounced_at = ?", now).Set("bounce_status = ?", b.Status).Set("bounce_detail = ?", oneLine(b.Detail, maxDetail))
	switch {
	case b.Key != "":
		q = q.Where("bounce_key = ?", b.Key)
	case b.Recipient != "":
		q = q.Where("lower(address) = lower(?)", b.Recipient)
	default:
		return 0, ErrBounceUnknown
	}
	if b.Hard {
		q = q.Set("bounce_hard = TRUE").Set("refused_at = COALESCE(refused_at, ?)", now)
	} else {
		q = q.Set("soft_bounces = soft_bounces + 1").
			Set("refused_at = CASE WHEN soft_bounces + 1 >= ? THEN COALESCE(refused_at, ?) ELSE refused_at END", SoftBounces, now)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("record bounce: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("record bounce: %w", err)
	}
	if n == 0 {
		return 0, ErrBounceUnknown
	}
	return int(n), nil
}
