package web

import (
	"context"
	"time"

	"agora/storage/ratelimit"
)

// Limit counts one attempt for key under rule in the node's shared rate
// limits (the database: every process sees the same counts), and says
// whether it is within the rule and, if not, how long until it is. A kit
// without a limiter allows everything.
func (k *Kit) Limit(ctx context.Context, key string, rule ratelimit.Rule) (bool, time.Duration, error) {
	if k.limiter == nil {
		return true, 0, nil
	}
	return k.limiter.Allow(ctx, key, rule)
}
