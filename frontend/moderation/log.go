package moderation

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"agora/frontend/i18n"
	"agora/instances/moderation"
	"agora/instances/spaces"
)

// logPerPage is the length of a page of the public moderation log.
const logPerPage = 50

// logData is a page of the public moderation log, newest first: what was
// done, when, why, to which item, in which space. Who reported and who
// moderated are not in it: the service does not even read them.
type logData struct {
	Entries []logEntryView
	Next    string // the next page, older entries
}

type logEntryView struct {
	Date, DateISO     string
	Action            string
	Item, ItemURL     string
	Space, SpaceURL   string
	Reason            string
	Details           string
	LinkURL, LinkText string // an item the act points at: where a proposal was merged
}

func (s *surface) moderationLogPage(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), s.Printer(r)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := s.moderation.Log(ctx, moderation.LogFilter{Before: max(before, 0), Limit: logPerPage})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	spaceOf := map[string]*spaces.Space{}
	var d logData
	for _, e := range entries {
		sp, ok := spaceOf[e.SpaceID]
		if !ok && e.SpaceID != "" {
			if sp, err = s.spaces.ByID(ctx, e.SpaceID); err != nil && !errors.Is(err, spaces.ErrNotFound) {
				s.Fail(w, r, err)
				return
			}
			spaceOf[e.SpaceID] = sp
		}
		d.Entries = append(d.Entries, logEntry(l, e, sp))
	}
	if len(entries) == logPerPage {
		d.Next = "/moderation?before=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	s.HTML(w, r, http.StatusOK, "moderation_log", l.T("moderation.log.title"), d)
}

// logEntry puts one act of the log into words.
func logEntry(l *i18n.Printer, e moderation.PublicEntry, sp *spaces.Space) logEntryView {
	v := logEntryView{Date: l.DateTime(e.At), DateISO: e.At.UTC().Format("2006-01-02T15:04:05Z"),
		Action: l.T("moderation.action." + string(e.Action)), Item: l.T("moderation.kind." + string(e.Target.Kind)),
		ItemURL: itemPath(e.Target), Reason: e.Reason}
	if sp != nil {
		v.Space, v.SpaceURL = sp.Title, "/spaces/"+url.PathEscape(sp.Slug)
	}
	switch e.Action {
	case moderation.ActionRecategorise:
		v.Details = l.T("moderation.log.recategorised", categoryName(l, sp, e.Detail("from")), categoryName(l, sp, e.Detail("to")))
	case moderation.ActionMerge:
		v.Details = l.T("moderation.log.merged", e.Detail("moved"), e.Detail("kept"))
		if into := e.Detail("into"); into != "" {
			v.LinkURL, v.LinkText = "/proposals/"+url.PathEscape(into), l.T("moderation.log.merged_into")
		}
	}
	return v
}

// categoryName names a category of a space in the reader's language.
func categoryName(l *i18n.Printer, sp *spaces.Space, slug string) string {
	if slug == "" {
		return l.T("moderation.log.no_category")
	}
	if sp != nil {
		if c := sp.Category(slug); c != nil {
			return c.Name(l.Lang)
		}
	}
	return slug
}

// itemPath is the page of an item; a comment's leads to its thread.
func itemPath(t moderation.Target) string {
	id := url.PathEscape(t.ID)
	switch t.Kind {
	case moderation.TargetDebate:
		return "/debates/" + id
	case moderation.TargetComment:
		return "/comments/" + id
	}
	return "/proposals/" + id
}
