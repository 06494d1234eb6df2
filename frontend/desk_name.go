package frontend

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The desk name ("Mairie du 15e – guichet 2") is recorded with every act
// done at a desk. The agent types it once: it is kept in a cookie of the
// desk's pages and offered in every form, where it can be corrected.
const (
	deskCookie   = "agora_desk"
	deskMaxLen   = 100
	deskLifetime = 180 * 24 * 3600 // seconds
)

// rememberedDesk is the desk name kept by this browser, or "".
func rememberedDesk(r *http.Request) string {
	c, err := r.Cookie(deskCookie)
	if err != nil {
		return ""
	}
	desk, err := url.QueryUnescape(c.Value)
	if err != nil || checkDesk(desk) != "" {
		return ""
	}
	return desk
}

// rememberDesk keeps the desk name for the next forms.
func (s *server) rememberDesk(w http.ResponseWriter, desk string) {
	http.SetCookie(w, &http.Cookie{Name: deskCookie, Value: url.QueryEscape(desk), Path: "/",
		MaxAge: deskLifetime, HttpOnly: true, Secure: s.https, SameSite: http.SameSiteLaxMode})
}

// checkDesk returns the message key of what is wrong with a desk name,
// or "" when it is fine.
func checkDesk(desk string) string {
	switch {
	case desk == "":
		return "desk.error.desk_required"
	case utf8.RuneCountInString(desk) > deskMaxLen || strings.ContainsFunc(desk, unicode.IsControl):
		return "desk.error.desk_invalid"
	}
	return ""
}

// postedDesk reads the desk field of a form post; when it is missing or
// wrong, the message goes next to the field of f and ok is false.
func (s *server) postedDesk(r *http.Request, f *form) (desk string, ok bool) {
	desk = strings.TrimSpace(r.PostForm.Get("desk"))
	switch key := checkDesk(desk); key {
	case "":
		return desk, true
	case "desk.error.desk_invalid":
		f.Errors["desk"] = s.render.printer(r).T(key, deskMaxLen)
	default:
		f.Errors["desk"] = s.render.printer(r).T(key)
	}
	return "", false
}

// deskNameSave remembers the desk name typed on the desk's home page.
func (s *server) deskNameSave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	f := newForm(r)
	desk, ok := s.postedDesk(r, f)
	if !ok {
		s.renderDesk(w, r, http.StatusBadRequest, f)
		return
	}
	s.rememberDesk(w, desk)
	http.Redirect(w, r, "/desk?done=desk_saved", http.StatusSeeOther)
}
