package reports

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// refused shows the report page again with the refused form, or the
// error page for a failure of the node, a report that is gone, or an act
// the account may not do (whose form the page does not show them).
func (s *surface) refused(w http.ResponseWriter, r *http.Request, id, form string, f *web.Form, err error) {
	if e := s.AsError(err); e.Status >= 500 || e.Status == http.StatusNotFound || e.Status == http.StatusForbidden {
		s.Fail(w, r, err)
		return
	}
	status := s.Refuse(w, r, f, err)
	s.renderReport(w, r, status, id, map[string]*web.Form{form: f})
}

func done(w http.ResponseWriter, r *http.Request, id, what string) {
	http.Redirect(w, r, "/reports/"+url.PathEscape(id)+"?done="+what, http.StatusSeeOther)
}

// confirm adds the signed-in resident's "me too", or an agent's for the
// resident at the desk (on_behalf, desk).
func (s *surface) confirm(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	actor, ok, err := s.DeskActor(r, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !ok {
		s.renderReport(w, r, http.StatusBadRequest, id, map[string]*web.Form{"confirm": f})
		return
	}
	if err := s.reports.Confirm(r.Context(), actor, id); err != nil {
		s.refused(w, r, id, "confirm", f, err)
		return
	}
	done(w, r, id, "confirmed")
}

// say adds a message to the dialogue, public unless "private" is ticked.
func (s *surface) say(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	_, err := s.reports.Say(r.Context(), accounts.As(web.CurrentAccount(r)), id, f.Values["message"], f.Values["private"] == "on")
	if err != nil {
		s.refused(w, r, id, "message", f, err)
		return
	}
	done(w, r, id, "said")
}

// changeState is the official's form: the new state, a message, and
// what the state needs (a date, an operator, a category, an "after"
// photo).
func (s *surface) changeState(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	l := s.Printer(r)
	f, files, err := s.readForm(r, 1)
	defer closeAll(files)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	c := reports.Change{To: reports.State(f.Values["to"]), Message: f.Values["note"], Category: f.Values["new_category"],
		Operator: f.Values["operator"]}
	if v := f.Values["scheduled_for"]; v != "" {
		day, err := time.ParseInLocation(time.DateOnly, v, s.Location())
		if err != nil {
			f.Errors["scheduled_for"] = l.T("street.error.schedule")
		}
		c.ScheduledFor = day
	}
	if f.Invalid() {
		s.renderReport(w, r, http.StatusBadRequest, id, map[string]*web.Form{"state": f})
		return
	}
	rep, err := s.reports.ByID(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	actor := accounts.As(web.CurrentAccount(r))
	if !reports.MayChange(actor, rep) {
		s.refused(w, r, id, "state", f, reports.ErrForbidden)
		return
	}
	if len(files) > 0 {
		if c.To != reports.Done {
			s.refusedState(w, r, id, f, reports.ErrPhotos)
			return
		}
		photos, err := s.storePhotos(r, files)
		if err != nil {
			s.Fail(w, r, fmt.Errorf("store an after photo: %w", err))
			return
		}
		c.After = &photos[0]
	}
	if err := s.reports.ChangeState(r.Context(), actor, id, c); err != nil {
		s.refusedState(w, r, id, f, err)
		return
	}
	done(w, r, id, "changed")
}

// refusedState shows the state form again: its fields are named apart
// from the dialogue's on the same page (note, new_category, after), so
// the message of a field goes next to the state form's own.
func (s *surface) refusedState(w http.ResponseWriter, r *http.Request, id string, f *web.Form, err error) {
	if e := s.AsError(err); e.Status >= 500 || e.Status == http.StatusNotFound || e.Status == http.StatusForbidden {
		s.Fail(w, r, err)
		return
	}
	status := s.Refuse(w, r, f, err)
	for from, to := range map[string]string{"message": "note", "category": "new_category", "photos": "after"} {
		if msg, ok := f.Errors[from]; ok {
			delete(f.Errors, from)
			f.Errors[to] = msg
		}
	}
	s.renderReport(w, r, status, id, map[string]*web.Form{"state": f})
}
