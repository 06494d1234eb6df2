package admin

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/site"
)

// siteData is the page where the admin sets how the node presents itself.
type siteData struct {
	Form       *web.Form
	Logo       *web.Form // the logo's own form
	LogoURL    string
	Statuses   []web.Option
	Default    string // the configured name, used when the field is empty
	Done       string
	UpdatedAt  string
	NameMax    int
	WelcomeMax int
	FieldMax   int
}

// siteFields are the text fields of the form, in the settings' order.
var siteFields = []string{"name", "accent", "welcome_fr", "welcome_en", "publisher", "director", "host", "contact",
	"privacy_contact", "a11y_status", "a11y_rate", "a11y_audit", "a11y_auditor", "a11y_contact"}

func (s *surface) sitePage(w http.ResponseWriter, r *http.Request) {
	st, err := s.site.Get(r.Context())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := s.siteForm(st)
	s.renderSite(w, r, http.StatusOK, f, web.EmptyForm())
}

func (s *surface) renderSite(w http.ResponseWriter, r *http.Request, status int, f, logo *web.Form) {
	l := s.Printer(r)
	st, _ := s.Site(r.Context())
	d := siteData{Form: f, Logo: logo, Default: s.DefaultNodeName(), NameMax: site.NameMax, WelcomeMax: site.WelcomeMax, FieldMax: site.FieldMax}
	if st.LogoKey != "" {
		d.LogoURL = "/site/logo?v=" + st.LogoKey[:min(12, len(st.LogoKey))]
	}
	if !st.UpdatedAt.IsZero() {
		d.UpdatedAt = l.DateTime(st.UpdatedAt)
	}
	for _, v := range site.A11yStatuses {
		d.Statuses = append(d.Statuses, web.Option{Value: v, Label: l.T("admin.site.a11y_status." + v)})
	}
	if done := r.URL.Query().Get("done"); done == "saved" || done == "logo" || done == "logo_removed" {
		d.Done = "admin.site.done." + done
	}
	s.HTML(w, r, status, "admin_site", l.T("admin.site.title"), d)
}

// siteSave records the settings. Every field at fault is named at once,
// and nothing changes then.
func (s *surface) siteSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	for _, k := range siteFields { // keep line breaks of the long fields
		if v, ok := r.PostForm[k]; ok && len(v) > 0 {
			f.Values[k] = strings.TrimSpace(v[0])
		}
	}
	v := f.Values
	in := site.Settings{Name: v["name"], Accent: v["accent"], WelcomeFR: v["welcome_fr"], WelcomeEN: v["welcome_en"],
		Publisher: v["publisher"], Director: v["director"], Host: v["host"], Contact: v["contact"],
		PrivacyContact: v["privacy_contact"], A11yStatus: v["a11y_status"], A11yAuditor: v["a11y_auditor"], A11yContact: v["a11y_contact"],
		A11yRate: -1}
	if raw := v["a11y_rate"]; raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 100 {
			f.Errors["a11y_rate"] = s.Printer(r).T("admin.site.error.rate")
		}
		in.A11yRate = n
	}
	if raw := v["a11y_audit"]; raw != "" {
		at, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			f.Errors["a11y_audit"] = s.Printer(r).T("admin.site.error.date")
		}
		in.A11yAudit = at
	}
	if f.Invalid() {
		s.renderSite(w, r, http.StatusBadRequest, f, web.EmptyForm())
		return
	}
	if err := s.site.Update(r.Context(), accounts.As(web.CurrentAccount(r)), in); err != nil {
		var joined interface{ Unwrap() []error }
		errs := []error{err}
		if errors.As(err, &joined) {
			errs = joined.Unwrap()
		}
		status := http.StatusBadRequest
		for _, e := range errs {
			ae := s.AsError(e)
			if ae.Status >= 500 || ae.Status == http.StatusForbidden {
				s.Fail(w, r, err)
				return
			}
			var fe *site.FieldError
			if errors.As(e, &fe) { // next to the field it is about
				f.Errors[fe.Field] = ae.Message(s.Printer(r))
				continue
			}
			s.FailForm(r, f, e)
		}
		s.renderSite(w, r, status, f, web.EmptyForm())
		return
	}
	http.Redirect(w, r, "/admin/site?done=saved", http.StatusSeeOther)
}

// logoUploadLimit is the body limit of the logo form: one image.
const logoUploadLimit = web.UploadMaxBytes + 64<<10

// siteLogoSave takes a new logo: a PNG or JPEG, decoded and encoded again
// (no metadata), stored in the blob store.
func (s *surface) siteLogoSave(w http.ResponseWriter, r *http.Request) {
	l, f := s.Printer(r), web.EmptyForm()
	failed := func(status int, msg string) {
		f.Errors["logo"] = msg
		st, _ := s.site.Get(r.Context())
		s.renderSite(w, r, status, s.siteForm(st), f)
	}
	mr, err := web.ReadMultipart(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var up *web.Upload
	defer func() {
		if up != nil {
			up.Close()
		}
	}()
	for {
		part, err := mr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if web.IsTooLarge(err) {
				failed(http.StatusRequestEntityTooLarge, l.T("attachment.error.size", "logo", web.UploadMaxBytes>>20))
				return
			}
			s.Fail(w, r, err)
			return
		}
		if part.FormName() != "logo" || part.FileName() == "" || up != nil {
			if _, err := io.Copy(io.Discard, part); err != nil {
				s.Fail(w, r, web.HTTPError(http.StatusBadRequest, err))
				return
			}
			continue
		}
		u, err := s.ReadUpload(r.Context(), part, part.FileName())
		if msg, refused := web.Refused(err, l); refused {
			failed(http.StatusBadRequest, msg)
			return
		}
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if !strings.HasPrefix(u.ContentType, "image/") {
			u.Close()
			failed(http.StatusBadRequest, l.T("admin.site.error.logo_type"))
			return
		}
		up = u
	}
	if up == nil {
		failed(http.StatusBadRequest, l.T("admin.site.error.logo_none"))
		return
	}
	info, err := s.blobs.Put(r.Context(), up.File)
	if err != nil {
		s.Fail(w, r, fmt.Errorf("store the logo: %w", err))
		return
	}
	if err := s.site.SetLogo(r.Context(), accounts.As(web.CurrentAccount(r)), info.Key, up.ContentType); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/site?done=logo#logo", http.StatusSeeOther)
}

// siteLogoRemove goes back to no logo.
func (s *surface) siteLogoRemove(w http.ResponseWriter, r *http.Request) {
	if err := s.site.SetLogo(r.Context(), accounts.As(web.CurrentAccount(r)), "", ""); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/site?done=logo_removed#logo", http.StatusSeeOther)
}

// siteForm is the settings as the form shows them.
func (s *surface) siteForm(st site.Settings) *web.Form {
	f := web.EmptyForm()
	v := f.Values
	v["name"], v["accent"], v["welcome_fr"], v["welcome_en"] = st.Name, st.Accent, st.WelcomeFR, st.WelcomeEN
	v["publisher"], v["director"], v["host"], v["contact"] = st.Publisher, st.Director, st.Host, st.Contact
	v["privacy_contact"], v["a11y_status"], v["a11y_auditor"], v["a11y_contact"] = st.PrivacyContact, st.A11yStatus, st.A11yAuditor, st.A11yContact
	if st.A11yRate >= 0 {
		v["a11y_rate"] = strconv.Itoa(st.A11yRate)
	}
	if !st.A11yAudit.IsZero() {
		v["a11y_audit"] = st.A11yAudit.Format(time.DateOnly)
	}
	return f
}

// siteErrors are what the admin is told of the settings' errors, next
// to their fields.
var siteErrors = []web.DomainError{
	web.MapError(site.ErrForbidden, http.StatusForbidden, "error.role", ""),
	web.MapError(site.ErrName, http.StatusBadRequest, "admin.site.error.name", "name"),
	web.MapError(site.ErrAccent, http.StatusBadRequest, "admin.site.error.accent", "accent"),
	web.MapError(site.ErrContrast, http.StatusBadRequest, "admin.site.error.contrast", "accent"),
	web.MapError(site.ErrWelcome, http.StatusBadRequest, "admin.site.error.welcome", "welcome_fr"),
	web.MapError(site.ErrField, http.StatusBadRequest, "admin.site.error.field", "contact"),
	web.MapError(site.ErrA11y, http.StatusBadRequest, "admin.site.error.a11y", "a11y_status"),
	web.MapError(site.ErrA11yLevel, http.StatusBadRequest, "admin.site.error.a11y_level", "a11y_status"),
}
