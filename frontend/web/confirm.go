package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
)

// Sensitive acts (granting a role, removing a passkey, blocking a server)
// are confirmed on a page of their own before they are done: a form
// slipped into a page by someone else, posted with one click, only
// brings the reader to that page. The confirmation carries a token that
// binds it to the reader's session and to the very fields posted, which
// a form written in advance by someone else cannot hold.

// confirmField names the token in a confirmed post.
const confirmField = "confirm"

// Confirmed reports whether r, a parsed POST of a signed-in reader, was
// confirmed. When it was not, it answers with the confirmation page:
// what (the act in words) and a form that posts the same fields again,
// with the token; back is where "cancel" goes.
func (k *Kit) Confirmed(w http.ResponseWriter, r *http.Request, what, back string) bool {
	token := k.confirmToken(r)
	if got := r.PostForm.Get(confirmField); got != "" && hmac.Equal([]byte(got), []byte(token)) {
		return true
	}
	d := confirmData{What: what, Action: r.URL.RequestURI(), Token: token, Back: SafeNext(back)}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range r.PostForm {
			if name != confirmField && !yield(name) {
				return
			}
		}
	}) {
		for _, v := range r.PostForm[name] {
			d.Fields = append(d.Fields, Option{Value: v, Label: name})
		}
	}
	k.html(w, r, k.view.pages, http.StatusOK, "confirm", k.Printer(r).T("confirm.title"), d)
	return false
}

// confirmData is what the confirmation page shows.
type confirmData struct {
	What, Action, Token, Back string
	Fields                    []Option // Label is the field's name
}

// confirmToken binds a confirmation to the session, the route and the
// fields posted, with the node's secret.
func (k *Kit) confirmToken(r *http.Request) string {
	mac := hmac.New(sha256.New, k.secret)
	session := ""
	if s := CurrentSession(r); s != nil {
		session = s.ID
	}
	var b strings.Builder
	b.WriteString("confirm\x00" + session + "\x00" + r.Method + "\x00" + r.URL.Path + "\x00" + r.URL.RawQuery)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range r.PostForm {
			if name != confirmField && !yield(name) {
				return
			}
		}
	}) {
		for _, v := range r.PostForm[name] {
			b.WriteString("\x00" + name + "=" + v)
		}
	}
	mac.Write([]byte(b.String()))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
