package web

import (
	"net/http"
	"net/url"

	"agora/frontend/i18n"
	"agora/instances/debates"
)

// What several surfaces show of the same things: where a comment lives
// and who wrote it.

// TargetURL is the page of what a comment is on.
func TargetURL(t debates.Target) string {
	switch t.Kind {
	case debates.TargetDebate:
		return "/debates/" + url.PathEscape(t.ID)
	case debates.TargetBudgetProject:
		return "/budgets/projects/" + url.PathEscape(t.ID)
	}
	return "/proposals/" + url.PathEscape(t.ID)
}

// CommentURL is a comment in its thread, with what the reader just did.
func CommentURL(t debates.Target, id, done string) string {
	u := TargetURL(t)
	if done != "" {
		u += "?comment=" + done
	}
	return u + "#comment-" + id
}

// CommentAuthor is who wrote a comment: a resident's name, "former
// participant" once erased, or a remote author with their profile and
// server.
func CommentAuthor(l *i18n.Printer, c *debates.Comment) (name, profile, origin string, remote bool) {
	if c.Remote() {
		name, profile = c.RemoteName, c.RemoteActor
		if u, err := url.Parse(c.RemoteActor); err == nil {
			origin = u.Host
		}
		if name == "" {
			name = l.T("comment.remote_unnamed")
		}
		return name, profile, origin, true
	}
	if c.Author == nil || c.Author.DeletedAt != nil {
		return l.T("account.former"), "", "", false
	}
	return c.Author.DisplayName, "", "", false
}

// FormFailed shows a form again with err next to its field (show renders
// the page with the status), or answers the error page when it is not
// about the form: a failure of the node, something gone or forbidden.
func (k *Kit) FormFailed(w http.ResponseWriter, r *http.Request, f *Form, err error, show func(status int)) {
	e := k.AsError(err)
	if e.Status >= 500 || e.Status == http.StatusNotFound || e.Status == http.StatusForbidden {
		k.Fail(w, r, err)
		return
	}
	show(k.Refuse(w, r, f, err))
}
