package admin

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"agora/frontend/web"

	"agora/instances/accounts"
)

// auditPageSize is how many audit entries one page of the log shows.
const auditPageSize = 50

// adminAuditData is the audit log with its filters.
type adminAuditData struct {
	Form    *web.Form
	Actions []web.Option
	Entries []web.AuditView
	Next    string // the query of the next (older) page, or ""
}

// adminAuditPage lists the audit log, newest first, filtered by who acted
// (actor handle), about whom (subject handle: also the acts done on their
// behalf), what (an action or a family such as "role."), and when.
func (s *surface) adminAuditPage(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	q := r.URL.Query()
	f := &web.Form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"actor", "subject", "action", "since", "until"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	actions := s.auditActions(r)
	filter := accounts.AuditFilter{Limit: auditPageSize, Before: web.ParseCursor(q.Get("before"))}
	for field, id := range map[string]*string{"actor": &filter.ActorID, "subject": &filter.SubjectID} {
		if err := s.handleFilter(r, f, field, id); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if a := f.Values["action"]; a != "" {
		if !slices.ContainsFunc(actions, func(o web.Option) bool { return o.Value == a }) {
			f.Errors["action"] = l.T("admin.audit.error.action")
		}
		filter.Action = a
	}
	loc := s.Location()
	if t, ok := dateFilter(f, l.T("admin.audit.error.date"), "since", loc); ok {
		filter.Since = t
	}
	if t, ok := dateFilter(f, l.T("admin.audit.error.date"), "until", loc); ok && !t.IsZero() {
		filter.Until = t.AddDate(0, 0, 1) // the whole day of "until"
	}
	d := adminAuditData{Form: f, Actions: actions}
	if f.Invalid() {
		s.HTML(w, r, http.StatusBadRequest, "admin_audit", l.T("admin.audit.title"), d)
		return
	}
	entries, err := s.accounts.AuditLog(r.Context(), accounts.As(web.CurrentAccount(r)), filter)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Entries = s.AuditViews(r, entries)
	if len(entries) == auditPageSize {
		next := url.Values{}
		for k, v := range f.Values {
			if v != "" {
				next.Set(k, v)
			}
		}
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.Next = "?" + next.Encode()
	}
	s.HTML(w, r, http.StatusOK, "admin_audit", l.T("admin.audit.title"), d)
}

// handleFilter turns the handle typed in field into an account id; an
// unknown handle is a message next to the field.
func (s *surface) handleFilter(r *http.Request, f *web.Form, field string, id *string) error {
	h := strings.TrimPrefix(f.Values[field], "@")
	if h == "" {
		return nil
	}
	acc, err := s.accounts.ByHandle(r.Context(), h)
	if errors.Is(err, accounts.ErrNotFound) {
		f.Errors[field] = s.Printer(r).T("admin.error.no_handle", h)
		return nil
	}
	if err != nil {
		return err
	}
	*id = acc.ID
	return nil
}

// dateFilter reads the day typed in field (YYYY-MM-DD), as midnight in
// the node's time zone; ok is false when it is not a date.
func dateFilter(f *web.Form, msg, field string, loc *time.Location) (time.Time, bool) {
	v := f.Values[field]
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		f.Errors[field] = msg
		return time.Time{}, false
	}
	return t, true
}

// auditActions are the choices of the action filter: every family of
// actions ("role."), then every action, from the translated action names.
func (s *surface) auditActions(r *http.Request) []web.Option {
	l := s.Printer(r)
	const prefix = "audit.action."
	var families, actions []web.Option
	for _, key := range s.Catalog().Keys(l.Lang) {
		action, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		actions = append(actions, web.Option{Value: action, Label: l.T(key)})
		family, _, _ := strings.Cut(action, ".")
		family += "."
		if !slices.ContainsFunc(families, func(o web.Option) bool { return o.Value == family }) {
			label := l.T("admin.audit.family", family)
			families = append(families, web.Option{Value: family, Label: label})
		}
	}
	out := append([]web.Option{{Value: "", Label: l.T("admin.audit.all")}}, families...)
	return append(out, actions...)
}
