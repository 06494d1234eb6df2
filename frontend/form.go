package frontend

import (
	"net/http"
	"strings"

	"agora/frontend/i18n"
)

// form is what a page with a form shows: the values typed, and the
// messages next to the fields they are about (or above the form).
type form struct {
	Values map[string]string
	Errors map[string]string
	Error  string // about the form as a whole
}

func newForm(r *http.Request) *form {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	if r.Method == http.MethodPost {
		for k, v := range r.PostForm {
			if len(v) > 0 && k != "code" && k != "salt" {
				f.Values[k] = strings.TrimSpace(v[0])
			}
		}
	}
	return f
}

// fail records err next to its field, or above the form.
func (f *form) fail(l *i18n.Printer, err error) {
	e := asError(err)
	msg := l.T(e.Key, e.Args...)
	if field := fieldOf(err); field != "" {
		f.Errors[field] = msg
		return
	}
	f.Error = msg
}

// Invalid reports whether the form has any message.
func (f *form) Invalid() bool { return f != nil && (f.Error != "" || len(f.Errors) > 0) }

// fieldData is what the "field" template renders: label, input, hint and
// error tied together for screen readers.
type fieldData struct {
	Name, Label, Type, Value, Error, Hint, Autocomplete string
	Required                                            bool
	Max                                                 int
	Options                                             []option
}

type option struct{ Value, Label string }

// field builds a fieldData from a form; extra are key=value settings:
// hint=..., autocomplete=..., required, max=N.
func field(f *form, name, label, typ string, extra ...string) fieldData {
	d := fieldData{Name: name, Label: label, Type: typ}
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
