package participation

import (
	"net/http"
	"strings"
)

// fediverseLine says how many likes and shares a local proposal, debate
// or comment got on the fediverse, as a line of its own: opinions from
// other servers, never supports. It is "" when federation is off, when
// there are none, or when they cannot be read (the page is shown
// without them rather than not at all).
func (s *surface) fediverseLine(r *http.Request, objectType, id string) string {
	if s.reactions == nil {
		return ""
	}
	likes, shares, err := s.reactions.Reactions(r.Context(), objectType, id)
	if err != nil {
		s.Log().WarnContext(r.Context(), "read fediverse reactions", "type", objectType, "id", id, "err", err)
		return ""
	}
	l := s.Printer(r)
	var parts []string
	if likes > 0 {
		parts = append(parts, l.Plural("fediverse.likes", likes))
	}
	if shares > 0 {
		parts = append(parts, l.Plural("fediverse.shares", shares))
	}
	if len(parts) == 0 {
		return ""
	}
	return l.T("fediverse.line", strings.Join(parts, ", "))
}
