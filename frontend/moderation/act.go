package moderation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/moderation"
	"agora/instances/proposals"
)

// modAct is a moderator's act on an item, as its path names it.
type modAct string

const (
	actHide         modAct = "hide"
	actUnhide       modAct = "unhide"
	actRecategorise modAct = "recategorise" // proposals only
	actMerge        modAct = "merge"        // proposals only
)

// modForm is one form of the moderation pages: where it posts, its
// fields and its button. The queue repeats forms, so each names its
// fields' ids with its own prefix.
type modForm struct {
	Action string
	Next   string // where to go once done, if not the item
	Fields []modField
	Button string
	Danger bool
	Error  string // about the form as a whole
}

// modField is one field of a modForm, always required.
type modField struct {
	ID, Name, Label, Type, Value, Hint, Error string
	Max                                       int
	Options                                   []web.Option
}

// modActData is the page of one act on an item.
type modActData struct {
	Item *itemView
	Form modForm
}

// modActPage shows the form of an act on an item.
func (s *surface) modActPage(kind moderation.TargetKind, act modAct) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := moderation.Target{Kind: kind, ID: mux.Vars(r)["id"]}
		s.renderModAct(w, r, http.StatusOK, t, act, web.EmptyForm(), r.URL.Query().Get("next"))
	}
}

func (s *surface) renderModAct(w http.ResponseWriter, r *http.Request, status int, t moderation.Target, act modAct, f *web.Form, next string) {
	l := s.Printer(r)
	item, err := s.itemView(r.Context(), l, t, web.CurrentAccount(r).Has(accounts.Moderator))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	mf, err := s.modActForm(r.Context(), l, item, act, f, "act")
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	mf.Next, mf.Error = localPath(next), f.Error
	s.HTML(w, r, status, "moderation_act", l.T("moderation.act."+string(act)+".title"), modActData{Item: item, Form: mf})
}

// mergeChoices is how many proposals the merge form lists at most.
const mergeChoices = 500

// modActForm is the form of an act on item, over f, its fields' ids
// starting with prefix.
func (s *surface) modActForm(ctx context.Context, l *i18n.Printer, item *itemView, act modAct, f *web.Form, prefix string) (modForm, error) {
	mf := modForm{Action: modActPath(item.Target, act), Button: l.T("moderation.act." + string(act) + ".submit"), Danger: act == actHide}
	switch act {
	case actRecategorise:
		sp, err := s.spaces.ByID(ctx, item.SpaceID)
		if err != nil {
			return mf, err
		}
		cat := modField{ID: prefix + "-category", Name: "category", Label: l.T("moderation.category"), Type: "select",
			Value: item.Category, Error: f.Errors["category"]}
		if v, ok := f.Values["category"]; ok {
			cat.Value = v
		}
		for _, c := range sp.Categories {
			cat.Options = append(cat.Options, web.Option{Value: c.Slug, Label: c.Name(l.Lang)})
		}
		mf.Fields = append(mf.Fields, cat)
	case actMerge:
		// The proposals of the space, by title; a space with too many
		// for a list takes the address of the proposal's page instead.
		choices, more, err := s.proposals.Choices(ctx, item.SpaceID, item.Target.ID, mergeChoices)
		if err != nil {
			return mf, err
		}
		into := modField{ID: prefix + "-into", Name: "into", Label: l.T("moderation.merge.into"), Type: "select",
			Hint: l.T("moderation.merge.into_hint"), Value: f.Values["into"], Error: f.Errors["into"]}
		if more {
			into.Type, into.Hint, into.Max = "text", l.T("rules.merge.into_link_hint"), 2048
		} else {
			into.Options = append(into.Options, web.Option{Value: "", Label: l.T("rules.merge.choose")})
			for _, c := range choices {
				into.Options = append(into.Options, web.Option{Value: c.ID, Label: c.Title})
			}
		}
		mf.Fields = append(mf.Fields, into)
	}
	mf.Fields = append(mf.Fields, modField{ID: prefix + "-reason", Name: "reason", Label: l.T("moderation.reason"), Type: "text",
		Hint: l.T("moderation.reason_hint"), Value: f.Values["reason"], Error: f.Errors["reason"], Max: moderation.MaxReason})
	return mf, nil
}

// modActPath is where the form of an act on an item posts.
func modActPath(t moderation.Target, act modAct) string {
	id := url.PathEscape(t.ID)
	switch t.Kind {
	case moderation.TargetComment:
		return "/comments/" + id + "/" + string(act)
	case moderation.TargetDebate:
		return "/debates/" + id + "/" + string(act)
	}
	return "/moderation/proposals/" + id + "/" + string(act)
}

// modActSave does an act on an item, for the reason given.
func (s *surface) modActSave(kind moderation.TargetKind, act modAct) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.ParseForm(w, r) {
			return
		}
		ctx, l := r.Context(), s.Printer(r)
		t := moderation.Target{Kind: kind, ID: mux.Vars(r)["id"]}
		f, actor, why := web.NewForm(r), accounts.As(web.CurrentAccount(r)), r.PostForm.Get("reason")
		next := localPath(f.Values["next"])
		var err error
		switch act {
		case actHide:
			err = s.moderation.Hide(ctx, actor, t, why)
		case actUnhide:
			err = s.moderation.Unhide(ctx, actor, t, why)
		case actRecategorise:
			err = s.moderation.Recategorise(ctx, actor, t.ID, f.Values["category"], why)
		case actMerge:
			into := proposalRef(f.Values["into"])
			if into == "" {
				f.Errors["into"] = l.T("moderation.error.into")
				s.renderModAct(w, r, http.StatusBadRequest, t, act, f, next)
				return
			}
			if _, err := s.proposals.ByID(ctx, into); errors.Is(err, proposals.ErrNotFound) {
				f.Errors["into"] = l.T("moderation.error.into")
				s.renderModAct(w, r, http.StatusBadRequest, t, act, f, next)
				return
			}
			err = s.moderation.Merge(ctx, actor, t.ID, into, why)
		}
		if err != nil {
			s.FormFailed(w, r, f, err, func(status int) { s.renderModAct(w, r, status, t, act, f, next) })
			return
		}
		if kind == moderation.TargetProposal {
			s.forgetLists(ctx, t.ID)
		}
		http.Redirect(w, r, s.actDone(ctx, t, act, next), http.StatusSeeOther)
	}
}

// forgetLists makes the lists of a proposal's space right at once after a
// moderation act on it (a merge takes it out of the lists, a new category
// moves it between them; hiding and showing again too, for good measure):
// the proposals service keeps their totals a few seconds otherwise. A
// merge keeps both proposals in one space.
func (s *surface) forgetLists(ctx context.Context, proposalID string) {
	p, err := s.proposals.ByID(ctx, proposalID)
	if err != nil {
		s.Log().Warn("forget the cached lists after a moderation act", "proposal", proposalID, "err", err)
		return
	}
	s.proposals.Forget(p.SpaceID)
}

// actDone is where an act leads once done: back to where it was asked
// (the queue), or to the item.
func (s *surface) actDone(ctx context.Context, t moderation.Target, act modAct, next string) string {
	done := map[modAct]string{actHide: "hidden", actUnhide: "unhidden", actRecategorise: "recategorised", actMerge: "merged"}[act]
	if next != "" {
		return withDone(next, done)
	}
	switch t.Kind {
	case moderation.TargetComment:
		if c, err := s.debates.Comment(ctx, t.ID); err == nil {
			return web.CommentURL(c.Target(), c.ID, done)
		}
		return "/comments/" + url.PathEscape(t.ID)
	case moderation.TargetDebate:
		return "/debates/" + url.PathEscape(t.ID) + "?done=" + done
	}
	return "/proposals/" + url.PathEscape(t.ID)
}

// withDone adds done=what to the query of a local path, before its
// fragment.
func withDone(path, what string) string {
	u, frag, _ := strings.Cut(path, "#")
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	if frag != "" {
		frag = "#" + frag
	}
	return u + sep + "done=" + what + frag
}

// proposalRef reads a proposal named by its id or by the address of its
// page, as moderators paste it.
func proposalRef(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, "/proposals/"); i >= 0 {
		v = v[i+len("/proposals/"):]
		if j := strings.IndexAny(v, "/?#"); j >= 0 {
			v = v[:j]
		}
	}
	if id, err := url.PathUnescape(v); err == nil {
		v = id
	}
	return strings.TrimSpace(v)
}

// localPath keeps a "go back to" path on this site, or returns "".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return ""
	}
	return p
}
