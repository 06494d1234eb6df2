package web

import (
	"agora/frontend/i18n"
	"net/http"
	"strings"
)

// Form is what a page with a form shows: the values typed, and the
// messages next to the fields they are about (or above the form).
type Form struct {
	Values map[string]string
	Errors map[string]string
	Error  string // about the form as a whole
}

// NewForm holds the values of a parsed POST (secrets never echoed back).
func NewForm(r *http.Request) *Form {
	f := EmptyForm()
	if r.Method == http.MethodPost {
		for k, v := range r.PostForm {
			if len(v) > 0 && k != "code" && k != "salt" {
				f.Values[k] = strings.TrimSpace(v[0])
			}
		}
	}
	return f
}

// EmptyForm is a form with nothing typed yet.
func EmptyForm() *Form { return &Form{Values: map[string]string{}, Errors: map[string]string{}} }

// Alert is the message above a form that failed: its own error, or a
// general one pointing at the fields; "" when nothing failed.
func (f *Form) Alert(l *i18n.Printer) string {
	switch {
	case !f.Invalid():
		return ""
	case f.Error != "":
		return f.Error
	}
	return l.T("form.invalid")
}

// Invalid reports whether the form has any message.
func (f *Form) Invalid() bool { return f != nil && (f.Error != "" || len(f.Errors) > 0) }

// FailForm records err's message next to its field, or above the form.
func (k *Kit) FailForm(r *http.Request, f *Form, err error) {
	e := k.AsError(err)
	msg := e.Message(k.Printer(r))
	if e.Field != "" {
		f.Errors[e.Field] = msg
		return
	}
	f.Error = msg
}

// Refuse records err's message in the form as FailForm does, sends
// Retry-After when the error says when to try again, and returns the
// status the page showing the form again answers with.
func (k *Kit) Refuse(w http.ResponseWriter, r *http.Request, f *Form, err error) int {
	e := k.AsError(err)
	k.FailForm(r, f, err)
	e.retryAfter(w)
	return e.Status
}

// ParseForm parses a posted form, answering 400 when it cannot.
func (k *Kit) ParseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		k.Fail(w, r, HTTPError(http.StatusBadRequest, err))
		return false
	}
	return true
}

// Field is what the "field" template renders: label, input, hint and
// error tied together for screen readers.
type Field struct {
	Name, Label, Type, Value, Error, Hint, Autocomplete string
	Required                                            bool
	Max                                                 int
	Options                                             []Option
}

// Option is one choice of a select field; an Option with a Group is a
// group of choices (an optgroup) named by its Label.
type Option struct {
	Value, Label string
	Lang         string // the language of the label, when not the page's
	Group        []Option
}

// FieldOf builds a Field from a form; extra are key=value settings:
// hint=..., autocomplete=..., required, value=..., max=N.
func FieldOf(f *Form, name, label, typ string, extra ...string) Field {
	d := Field{Name: name, Label: label, Type: typ}
	if f != nil {
		d.Value, d.Error = f.Values[name], f.Errors[name]
	}
	for _, e := range extra {
		k, v, _ := strings.Cut(e, "=")
		switch k {
		case "hint":
			d.Hint = v
		case "autocomplete":
			d.Autocomplete = v
		case "required":
			d.Required = true
		case "value":
			if d.Value == "" {
				d.Value = v
			}
		case "max":
			for _, c := range v {
				d.Max = d.Max*10 + int(c-'0')
			}
		}
	}
	return d
}
