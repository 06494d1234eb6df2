package notify

import (
	"net/http"
	"strings"

	"agora/frontend/web"
	"agora/instances/notifications"
)

func (s *surface) follow(w http.ResponseWriter, r *http.Request)   { s.setFollow(w, r, true) }
func (s *surface) unfollow(w http.ResponseWriter, r *http.Request) { s.setFollow(w, r, false) }

// setFollow starts or stops following what the form names (kind, id),
// then goes back to the page the button was on.
func (s *surface) setFollow(w http.ResponseWriter, r *http.Request, on bool) {
	if !s.ParseForm(w, r) {
		return
	}
	t, err := notifications.ParseTarget(r.PostForm.Get("kind"), r.PostForm.Get("id"))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	acc := web.CurrentAccount(r)
	if on {
		err = s.svc.Follow(r.Context(), acc.ID, t)
	} else {
		err = s.svc.Unfollow(r.Context(), acc.ID, t)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	done := "unfollowed"
	if on {
		done = "followed"
	}
	http.Redirect(w, r, back(r.PostForm.Get("back"), t)+"?follow="+done+"#follow", http.StatusSeeOther)
}

// back is where a follow button returns: the local path it was on, or
// the page of what it follows. Nothing else: no other site, no query.
func back(path string, t notifications.Target) string {
	if strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "//") && !strings.ContainsAny(path, "?#\\\r\n") && len(path) <= 200 {
		return path
	}
	return SubjectURL(t.Kind, t.ID, "")
}
