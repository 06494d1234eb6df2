// Package outbox writes the events federation reads to deliver what
// changed on the node. A domain package records an event inside the
// transaction of the change it announces, so the change and its delivery
// commit together or not at all.
package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Kinds of event.
const (
	Create = "create"
	Update = "update"
	Delete = "delete"
)

// event is one row of outbox_events.
type event struct {
	bun.BaseModel `bun:"table:outbox_events"`

	ID         int64     `bun:"id,pk,autoincrement"`
	At         time.Time `bun:"at"`
	Kind       string    `bun:"kind"`
	ObjectType string    `bun:"object_type"`
	ObjectID   string    `bun:"object_id"`
	ActorID    string    `bun:"actor_id,nullzero"`
}

// Record appends an event to the outbox through db, the caller's
// transaction. kind is Create, Update or Delete; objectType names the
// object ("proposal", "debate", "comment"); actorID is the local account
// federation announces the change in the name of, "" (stored as NULL)
// for the node itself or a remote author.
func Record(ctx context.Context, db bun.IDB, at time.Time, kind, objectType, objectID, actorID string) error {
	e := &event{At: at, Kind: kind, ObjectType: objectType, ObjectID: objectID, ActorID: actorID}
	if _, err := db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("outbox %s %s %s: %w", kind, objectType, objectID, err)
	}
	return nil
}
