package admin

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// adminAccountsData is the search of accounts, each with its roles and
// a form to grant or remove one.
type adminAccountsData struct {
	Query    string
	Searched bool
	Results  []adminAccountView
	Roles    []web.Option
	Done     string
}

// adminAccountView is one account found, with its role form: the one
// that failed, or an empty one.
type adminAccountView struct {
	*accounts.Account
	Form    *web.Form
	Summary string // the message above the form when it failed
}

// Bounds of what a role change takes.
const (
	roleReasonMax  = 500
	roleServiceMax = 100
	adminSearchMax = 50
)

func (s *surface) adminAccountsPage(w http.ResponseWriter, r *http.Request) {
	s.renderAdminAccounts(w, r, http.StatusOK, r.URL.Query().Get("q"), nil, nil)
}

// renderAdminAccounts shows the accounts matching q; failed, when set, is
// an account whose role form f went wrong, shown first if the search did
// not find it.
func (s *surface) renderAdminAccounts(w http.ResponseWriter, r *http.Request, status int, q string, failed *accounts.Account, f *web.Form) {
	l := s.Printer(r)
	d := adminAccountsData{Query: strings.TrimSpace(q)}
	for _, role := range accounts.Roles[1:] {
		d.Roles = append(d.Roles, web.Option{Value: string(role), Label: l.T("admin.role." + string(role))})
	}
	if d.Query != "" || failed != nil {
		var found []accounts.Account
		if d.Query != "" {
			var err error
			if found, err = s.accounts.Search(r.Context(), accounts.As(web.CurrentAccount(r)), d.Query, adminSearchMax); err != nil {
				s.Fail(w, r, err)
				return
			}
			d.Searched = true
		}
		if failed != nil && !slices.ContainsFunc(found, func(a accounts.Account) bool { return a.ID == failed.ID }) {
			found = append([]accounts.Account{*failed}, found...)
		}
		for i := range found {
			v := adminAccountView{Account: &found[i], Form: &web.Form{Values: map[string]string{}, Errors: map[string]string{}}}
			if failed != nil && found[i].ID == failed.ID {
				v.Form = f
				v.Summary = f.Error
				if v.Summary == "" {
					v.Summary = l.T("form.invalid")
				}
			}
			d.Results = append(d.Results, v)
		}
	}
	switch done := r.URL.Query().Get("done"); done {
	case "role_granted", "role_removed":
		d.Done = "admin.done." + done
	}
	s.HTML(w, r, status, "admin_accounts", l.T("admin.accounts.title"), d)
}

// adminRoleSave grants or removes one role, for a reason kept in the
// audit log.
func (s *surface) adminRoleSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	admin := web.CurrentAccount(r)
	acc, err := s.accounts.ByID(r.Context(), mux.Vars(r)["id"])
	if err == nil && acc.Deleted() {
		err = accounts.ErrNotFound
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	f := web.NewForm(r)
	q := r.PostForm.Get("q")
	remove := r.PostForm.Get("op") == "remove"
	service := strings.TrimSpace(r.PostForm.Get("service"))
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	role, err := accounts.ParseRole(r.PostForm.Get("role"))
	switch {
	case err != nil || role == accounts.Resident:
		s.FailForm(r, f, accounts.ErrUnknownRole)
	case remove && !acc.Has(role):
		f.Errors["role"] = l.T("admin.error.role_not_held")
	case remove && role == accounts.Admin && acc.ID == admin.ID:
		f.Errors["role"] = l.T("admin.error.own_admin")
	case !remove && role == accounts.Official && service == "":
		f.Errors["service"] = l.T("admin.error.service_required")
	}
	if utf8.RuneCountInString(service) > roleServiceMax {
		f.Errors["service"] = l.T("admin.error.too_long", roleServiceMax)
	}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		f.Errors["reason"] = l.T("admin.error.reason_required")
	case n > roleReasonMax:
		f.Errors["reason"] = l.T("admin.error.too_long", roleReasonMax)
	}
	if op := r.PostForm.Get("op"); op != "grant" && op != "remove" {
		f.Error = l.T("admin.error.op")
	}
	if f.Invalid() {
		s.renderAdminAccounts(w, r, http.StatusBadRequest, q, acc, f)
		return
	}
	if remove {
		service = ""
	}
	what := l.T("admin.confirm.grant", l.T("admin.role."+string(role)), "@"+acc.Handle, acc.DisplayName)
	if remove {
		what = l.T("admin.confirm.remove", l.T("admin.role."+string(role)), "@"+acc.Handle, acc.DisplayName)
	}
	if !s.Confirmed(w, r, what, "/admin/accounts?"+url.Values{"q": {q}}.Encode()) {
		return
	}
	if err := s.accounts.SetRole(r.Context(), accounts.As(admin), acc.ID, role, service, remove, reason); err != nil {
		if e := s.AsError(err); e.Status < 500 && !errors.Is(err, accounts.ErrForbidden) {
			s.FailForm(r, f, err)
			s.renderAdminAccounts(w, r, e.Status, q, acc, f)
			return
		}
		s.Fail(w, r, err)
		return
	}
	done := "role_granted"
	if remove {
		done = "role_removed"
	}
	http.Redirect(w, r, "/admin/accounts?"+url.Values{"q": {q}, "done": {done}}.Encode()+"#account-"+acc.ID, http.StatusSeeOther)
}
