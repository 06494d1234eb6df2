package apps

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/apps"
)

// appPageData is an app's page: what the publiccode.yml says, its
// releases, images, review and users, and the stewards' forms.
type appPageData struct {
	App         *apps.App
	Desc        appDescription
	Facts       appFacts
	Logo        *appMediaView
	Screenshots []appMediaView
	Releases    []appReleaseView
	Adoptions   []appAdoptionView
	Review      appReviewView
	// Curate: the reader may change the catalogue; Local: the app is
	// published here (a remote one changes only on its node).
	Curate, Local bool
	// OwnSubmission: the reader curates but published the app, so
	// another steward certifies it (apps.MayCertify).
	OwnSubmission bool
	Done          string // the message of the act just done
	// Forms holds the forms of the page, by name: update, logo,
	// screenshot, media, review, adopt, unadopt; Failed names the one
	// that failed, whose errors Errors lists (publiccode.yml, review).
	Forms      map[string]*web.Form
	Failed     string
	Errors     []fieldErrorView
	ImageLimit string
}

// appDescription is the description in the reader's language, or the
// nearest one the publiccode.yml has (Lang says which, when not the
// page's).
type appDescription struct {
	Lang, LongLang        string // the languages of Name and Short, of Long and Features
	Name, Short           string
	Long                  template.HTML
	Features              []string
	Documentation, APIDoc string
}

// appFacts are the app's facts from its publiccode.yml.
type appFacts struct {
	License, Status, Type, Maintenance, Version, Released string
	OSI                                                   bool
	Categories, Platforms, Languages                      []string
	Repo, Landing, Roadmap, PublicCode                    string
}

type appMediaView struct {
	ID, URL, Alt string
}

type appReleaseView struct {
	ID, Version, Date, DateISO string
	Changelog                  template.HTML
	Artifacts                  []appArtifactView
}

type appArtifactView struct {
	Name, URL, Size, SHA256, MediaType string
}

type appAdoptionView struct {
	Name, Version, Since, Contact, Origin string
	Local                                 bool
}

type appReviewView struct {
	State, StateName string
	Checks           []appCheck
	ReviewedBy       string
	ReviewedAt       string
	CertifiedBy      string
	CertifiedAt      string
}

// appCheck is one item of the review checklist.
type appCheck struct {
	Name, Label string
	Checked     bool
}

// appDone are the messages an act on the page may end with.
var appDone = []string{"published", "updated", "released", "logo", "screenshot", "media_removed", "reviewed", "certified", "adopted", "unadopted"}

func (s *surface) appPage(w http.ResponseWriter, r *http.Request) {
	s.renderApp(w, r, http.StatusOK, mux.Vars(r)["slug"], nil, "", nil)
}

// renderApp shows an app's page; f is the form that failed (named
// failed), with the field errors fes of a publiccode.yml or a review.
func (s *surface) renderApp(w http.ResponseWriter, r *http.Request, status int, slug string, f *web.Form, failed string, fes []apps.FieldError) {
	ctx, l := r.Context(), s.Printer(r)
	a, err := s.apps.BySlug(ctx, slug)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := appPageData{App: a, Local: !a.Remote(), Forms: map[string]*web.Form{}, Failed: failed, Errors: fieldErrorViews(l, fes)}
	if acc := web.CurrentAccount(r); acc != nil {
		d.Curate = s.apps.MayCurate(accounts.As(acc))
		d.OwnSubmission = errors.Is(s.apps.MayCertify(accounts.As(acc), a), apps.ErrOwnSubmission)
	}
	for _, name := range []string{"update", "logo", "screenshot", "media", "review", "adopt", "unadopt"} {
		d.Forms[name] = web.EmptyForm()
	}
	if f != nil {
		d.Forms[failed] = f
	}
	if done := r.URL.Query().Get("done"); slices.Contains(appDone, done) {
		d.Done = "app.done." + done
	}
	_, imageMax := s.apps.Limits()
	d.ImageLimit = l.Size(imageMax)
	if err := s.fillApp(ctx, l, &d); err != nil {
		s.Fail(w, r, err)
		return
	}
	if d.Forms["adopt"].Values["name"] == "" && failed != "adopt" {
		d.Forms["adopt"].Values["name"] = s.NodeName(ctx)
		if len(d.Releases) > 0 {
			d.Forms["adopt"].Values["version"] = d.Releases[0].Version
		}
	}
	if failed != "review" {
		for _, c := range d.Review.Checks {
			if c.Checked {
				d.Forms["review"].Values[c.Name] = "on"
			}
		}
	}
	s.HTML(w, r, status, "app_page", a.Name, d)
}

// fillApp reads what the page shows besides the app's row.
func (s *surface) fillApp(ctx context.Context, l *i18n.Printer, d *appPageData) error {
	a := d.App
	pc, err := a.PublicCode()
	if err != nil {
		return err
	}
	d.Desc = s.appDescription(l, pc)
	d.Facts = appFacts{License: a.License, OSI: a.OSIApproved, Status: l.T("app.status." + a.DevelopmentStatus),
		Type: softwareTypeName(l, a.SoftwareType), Maintenance: l.T("app.maintenance." + pc.Maintenance.Type), Version: a.SoftwareVersion,
		Categories: names(l, a.Categories, categoryName), Platforms: names(l, a.Platforms, platformName),
		Languages: names(l, a.Languages, languageName),
		Repo:      webURL(a.URL), Landing: webURL(a.LandingURL), Roadmap: webURL(pc.Roadmap),
		PublicCode: "/apps/" + url.PathEscape(a.Slug) + "/publiccode.yml"}
	if t, err := time.Parse(time.DateOnly, a.ReleaseDate); err == nil {
		d.Facts.Released = l.CivilDate(t)
	}
	media, err := s.apps.Media(ctx, a.Slug)
	if err != nil {
		return err
	}
	for _, m := range media {
		v := appMediaView{ID: m.ID, URL: "/apps/" + url.PathEscape(a.Slug) + "/media/" + url.PathEscape(m.ID)}
		if m.Kind == apps.Logo {
			v.Alt = l.T("app.logo_alt", a.Name)
			d.Logo = &v
			continue
		}
		v.Alt = l.T("app.screenshot_alt", a.Name, len(d.Screenshots)+1)
		d.Screenshots = append(d.Screenshots, v)
	}
	releases, err := s.apps.Releases(ctx, a.Slug)
	if err != nil {
		return err
	}
	for _, rel := range releases {
		v := appReleaseView{ID: rel.ID, Version: rel.Version, Date: l.CivilDate(rel.Date), DateISO: rel.Date.Format(time.DateOnly),
			Changelog: template.HTML(s.markup.Markdown(rel.Changelog))}
		for _, f := range rel.Artifacts {
			v.Artifacts = append(v.Artifacts, appArtifactView{Name: f.Name, Size: l.Size(f.Size), SHA256: f.SHA256,
				MediaType: f.MediaType, URL: "/apps/" + url.PathEscape(a.Slug) + "/artifacts/" + url.PathEscape(f.ID)})
		}
		d.Releases = append(d.Releases, v)
	}
	adoptions, err := s.apps.Adoptions(ctx, a.Slug)
	if err != nil {
		return err
	}
	for _, ad := range adoptions {
		v := appAdoptionView{Name: ad.Name, Version: ad.Version, Since: l.CivilDate(ad.Since), Local: ad.Local()}
		if d.Curate {
			v.Contact = ad.Contact // a city's contact is for the stewards of the catalogue
		}
		if u, err := url.Parse(ad.Actor); err == nil && !ad.Local() {
			v.Origin = u.Host
		}
		d.Adoptions = append(d.Adoptions, v)
	}
	d.Review = s.appReviewView(ctx, l, a)
	return nil
}

// appDescription picks the description of the reader's language. The
// standard asks for the long description and the features in one
// language only: when the reader's has none, those of the nearest
// language that has them are shown, marked with their language.
func (s *surface) appDescription(l *i18n.Printer, pc *apps.PublicCode) appDescription {
	lang := pickLang(pc.Description, l.Lang)
	desc := pc.Description[lang]
	d := appDescription{Name: desc.LocalisedName, Short: desc.ShortDescription, Features: desc.Features,
		Documentation: webURL(desc.Documentation), APIDoc: webURL(desc.APIDocumentation)}
	long, longLang := desc.LongDescription, lang
	if long == "" {
		for _, other := range langOrder(pc.Description, l.Lang) {
			if o := pc.Description[other]; o.LongDescription != "" {
				longLang, long, d.Features = other, o.LongDescription, o.Features
				break
			}
		}
	}
	if primary(lang) != l.Lang {
		d.Lang = lang
	}
	if primary(longLang) != l.Lang {
		d.LongLang = longLang
	}
	if long != "" {
		d.Long = template.HTML(s.markup.Markdown(long))
	}
	return d
}

// appChecks are the review's checklist items, in the order shown.
var appChecks = []string{"osi_licence", "source_reachable", "maintenance_declared", "accessibility", "french_documentation"}

func checklistOf(c apps.Checklist) []bool {
	return []bool{c.OSILicence, c.SourceReachable, c.MaintenanceDeclared, c.Accessibility, c.FrenchDocumentation}
}

// appReviewView describes where the app stands in review.
func (s *surface) appReviewView(ctx context.Context, l *i18n.Printer, a *apps.App) appReviewView {
	v := appReviewView{State: string(a.ReviewState), StateName: l.T("app.review.state." + string(a.ReviewState))}
	for i, ok := range checklistOf(a.Checklist) {
		v.Checks = append(v.Checks, appCheck{Name: appChecks[i], Label: l.T("app.check." + appChecks[i]), Checked: ok})
	}
	if a.ReviewedAt != nil {
		v.ReviewedBy, v.ReviewedAt = s.steward(ctx, l, a.ReviewedBy), l.DateTime(*a.ReviewedAt)
	}
	if a.CertifiedAt != nil {
		v.CertifiedBy, v.CertifiedAt = s.steward(ctx, l, a.CertifiedBy), l.DateTime(*a.CertifiedAt)
	}
	return v
}

// steward names who reviewed or certified: an account's display name,
// or the node itself (the command line).
func (s *surface) steward(ctx context.Context, l *i18n.Printer, id string) string {
	if id == "" {
		return l.T("app.review.by_node")
	}
	acc, err := s.accounts.ByID(ctx, id)
	if err != nil || acc.Deleted() {
		return l.T("account.former")
	}
	return acc.DisplayName
}

// appActor is the signed-in reader, as the catalogue sees them. It is an
// error without an account: the zero Actor is the node itself, which
// may do anything.
func appActor(r *http.Request) (accounts.Actor, error) {
	acc := web.CurrentAccount(r)
	if acc == nil {
		return accounts.Actor{}, web.HTTPError(http.StatusUnauthorized, errors.New("no account"))
	}
	return accounts.As(acc), nil
}

// appFailed shows the page again with the error in the form that
// failed, changing nothing; errors that are not about the form (not
// found, gone, forbidden, a fault) get the error page.
func (s *surface) appFailed(w http.ResponseWriter, r *http.Request, slug string, f *web.Form, failed string, err error) {
	e := s.AsError(err)
	if e.Status >= 500 || e.Status == http.StatusNotFound || e.Status == http.StatusGone || errors.Is(err, apps.ErrForbidden) {
		s.Fail(w, r, err)
		return
	}
	fes := fieldErrors(err)
	if len(fes) == 0 {
		s.FailForm(r, f, err)
	} else {
		f.Error = s.Printer(r).T("app.error.fields", len(fes))
	}
	s.renderApp(w, r, e.Status, slug, f, failed, fes)
}

// appDoneURL is the app's page after an act, with its message.
func appDoneURL(slug, done, anchor string) string {
	return "/apps/" + url.PathEscape(slug) + "?done=" + done + "#" + anchor
}

// webURL returns u when it is an http(s) URL, safe to link to; "" else.
func webURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	return u
}

// dayString writes a calendar day (stored at midnight UTC) the way
// readers of the language do, whatever the node's time zone.
func dayString(l *i18n.Printer, t time.Time) string {
	return l.Date(t.UTC().Add(12 * time.Hour))
}
