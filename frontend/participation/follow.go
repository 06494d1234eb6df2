package participation

import (
	"context"
	"net/http"

	"agora/frontend/web"
	"agora/instances/notifications"
)

// Follows tells whether a resident follows a page (package
// notifications); the follow button's posts are the notify surface's.
type Follows interface {
	Following(ctx context.Context, accountID string, t notifications.Target) (bool, error)
}

// followButton is the follow button of a page for the signed-in reader,
// or nil (a visitor, or a node without follows).
func (s *surface) followButton(r *http.Request, kind notifications.TargetKind, id string) (*web.FollowButton, error) {
	acc := web.CurrentAccount(r)
	if s.follows == nil || acc == nil {
		return nil, nil
	}
	on, err := s.follows.Following(r.Context(), acc.ID, notifications.Target{Kind: kind, ID: id})
	if err != nil {
		return nil, err
	}
	return &web.FollowButton{L: s.Printer(r), Kind: string(kind), ID: id, Back: r.URL.Path, Following: on,
		Done: r.URL.Query().Get("follow")}, nil
}
