package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"agora/instances/accounts"
)

// The desk name ("Mairie du 15e – guichet 2") is recorded with every act
// done at a desk. The agent types it once: it is kept in a cookie of the
// desk's pages and offered in every form, where it can be corrected.
const (
	deskCookie   = "agora_desk"
	DeskMaxLen   = 100
	deskLifetime = 180 * 24 * 3600 // seconds
)

// RememberedDesk is the desk name kept by this browser, or "".
func RememberedDesk(r *http.Request) string {
	c, err := r.Cookie(deskCookie)
	if err != nil {
		return ""
	}
	desk, err := url.QueryUnescape(c.Value)
	if err != nil || CheckDesk(desk) != "" {
		return ""
	}
	return desk
}

// RememberDesk keeps the desk name for the next forms.
func (k *Kit) RememberDesk(w http.ResponseWriter, desk string) {
	http.SetCookie(w, &http.Cookie{Name: deskCookie, Value: url.QueryEscape(desk), Path: "/",
		MaxAge: deskLifetime, HttpOnly: true, Secure: k.https, SameSite: http.SameSiteLaxMode})
}

// CheckDesk returns the message key of what is wrong with a desk name,
// or "" when it is fine.
func CheckDesk(desk string) string {
	switch {
	case desk == "":
		return "desk.error.desk_required"
	case utf8.RuneCountInString(desk) > DeskMaxLen || strings.ContainsFunc(desk, unicode.IsControl):
		return "desk.error.desk_invalid"
	}
	return ""
}

// deskError puts the message of a wrong desk name next to the field.
func (k *Kit) deskError(r *http.Request, f *Form, key string) {
	if key == "desk.error.desk_invalid" {
		f.Errors["desk"] = k.Printer(r).T(key, DeskMaxLen)
		return
	}
	f.Errors["desk"] = k.Printer(r).T(key)
}

// PostedDesk reads the desk field of a form post; when it is missing or
// wrong, the message goes next to the field of f and ok is false.
func (k *Kit) PostedDesk(r *http.Request, f *Form) (desk string, ok bool) {
	desk = strings.TrimSpace(r.PostForm.Get("desk"))
	if key := CheckDesk(desk); key != "" {
		k.deskError(r, f, key)
		return "", false
	}
	return desk, true
}

// DeskActor is who acts on a form that an agent may fill for a resident
// present at the desk (fields on_behalf and desk): the signed-in account,
// or the agent for that resident. Wrong fields get their message in f and
// ok false; err is accounts.ErrForbidden for an account that is not an
// agent's, or a failure of the node.
func (k *Kit) DeskActor(r *http.Request, f *Form) (actor accounts.Actor, ok bool, err error) {
	acc := CurrentAccount(r)
	actor = accounts.As(acc)
	l := k.Printer(r)
	handle := NormalizeHandle(f.Values["on_behalf"])
	if handle == "" {
		if f.Values["behalf"] != "" {
			f.Errors["on_behalf"] = l.T("proposal.error.behalf_required")
			return actor, false, nil
		}
		return actor, true, nil
	}
	if !acc.Has(accounts.Agent) {
		return actor, false, accounts.ErrForbidden
	}
	ok = true
	if key := CheckDesk(f.Values["desk"]); key != "" {
		k.deskError(r, f, key)
		ok = false
	}
	resident, err := k.accounts.ByHandle(r.Context(), handle)
	switch {
	case errors.Is(err, accounts.ErrNotFound) || err == nil && resident.Deleted():
		f.Errors["on_behalf"], ok = l.T("proposal.error.no_resident", handle), false
	case err != nil:
		return actor, false, err
	case resident.ID == acc.ID:
		f.Errors["on_behalf"], ok = l.T("proposal.error.behalf_self"), false
	}
	if !ok {
		return actor, false, nil
	}
	return accounts.Actor{Account: acc, OnBehalfOf: resident, Desk: f.Values["desk"]}, true, nil
}
