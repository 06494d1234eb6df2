package about

import (
	"net/http"
	"slices"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/site"
	"agora/storage/ratelimit"
)

// legalNoticeData is the legal notice: who publishes the site, who is
// responsible for it, who hosts it, how to reach them.
type legalNoticeData struct {
	Node                               string
	Publisher, Director, Host, Contact string // "" when the admin has not said
}

func (s *surface) legalNotice(w http.ResponseWriter, r *http.Request) {
	st := s.settings(r.Context())
	d := legalNoticeData{Node: s.NodeName(r.Context()), Publisher: st.Publisher, Director: st.Director, Host: st.Host, Contact: st.Contact}
	s.HTML(w, r, http.StatusOK, "legal_notice", s.Printer(r).T("legal.notice.title"), d)
}

// privacyRow is one kind of data the node keeps: what, why, how long.
type privacyRow struct{ What, Why, Kept string }

// privacyData is the page on personal data, made from what the node does.
type privacyData struct {
	Node, Contact, Publisher string
	Rows                     []privacyRow
	// Tiles names the maps' tile provider (AGORA_MAP_TILES), "" for none.
	Tiles string
}

// privacy lists what the node keeps, why and for how long, with the
// durations the code applies, and who to ask.
func (s *surface) privacy(w http.ResponseWriter, r *http.Request) {
	l, st := s.Printer(r), s.settings(r.Context())
	until := l.T("legal.privacy.kept.account")
	quota := l.T("legal.privacy.quota.none")
	if s.quota > 0 {
		quota = l.T("legal.privacy.quota", l.Size(s.quota))
	}
	d := privacyData{Node: s.NodeName(r.Context()), Contact: st.PrivacyContact, Publisher: st.Publisher, Rows: []privacyRow{
		{l.T("legal.privacy.data.account"), l.T("legal.privacy.why.account"), until},
		{l.T("legal.privacy.data.passkeys"), l.T("legal.privacy.why.passkeys"), l.T("legal.privacy.kept.passkeys")},
		{l.T("legal.privacy.data.sessions"), l.T("legal.privacy.why.sessions"),
			l.T("legal.privacy.kept.sessions", l.Span(accounts.IdleTimeout), l.Span(accounts.MaxSessionAge))},
		{l.T("legal.privacy.data.codes"), l.T("legal.privacy.why.codes"),
			l.T("legal.privacy.kept.codes", l.Span(accounts.LoginLinkTTL), l.Span(accounts.SetupCodeTTL))},
		{l.T("legal.privacy.data.residency"), l.T("legal.privacy.why.residency"),
			l.T("legal.privacy.kept.residency", l.Span(accounts.ResidencyValidity))},
		{l.T("legal.privacy.data.contributions"), l.T("legal.privacy.why.contributions"), l.T("legal.privacy.kept.contributions")},
		{l.T("legal.privacy.data.files"), l.T("legal.privacy.why.files"), quota},
		{l.T("legal.privacy.data.audit"), l.T("legal.privacy.why.audit"), l.T("legal.privacy.kept.audit")},
		{l.T("legal.privacy.data.limits"), l.T("legal.privacy.why.limits"), l.T("legal.privacy.kept.limits", l.Span(ratelimit.Kept))},
		{l.T("legal.privacy.data.cookies"), l.T("legal.privacy.why.cookies"), l.T("legal.privacy.kept.cookies", l.Span(accounts.MaxSessionAge), l.Span(web.LangCookieAge))},
		{l.T("legal.privacy.data.federation"), l.T("legal.privacy.why.federation"), l.T("legal.privacy.kept.federation")},
		{l.T("legal.privacy.data.notifications"), l.T("legal.privacy.why.notifications"), until},
		{l.T("legal.privacy.data.email"), l.T("legal.privacy.why.email"),
			l.T("legal.privacy.kept.email", l.Span(notifications.VerifyFor))},
	}}
	if t := s.MapTiles(); t != nil {
		d.Tiles = l.T("reportsmap.privacy.tiles.text", t.Host, t.Attribution)
	}
	d.Rows = append(d.Rows, privacyRow{l.T("legal.privacy.data.deletion"), l.T("legal.privacy.why.deletion"),
		l.T("legal.privacy.kept.deletion", l.Span(accounts.DeletionGrace))})
	s.HTML(w, r, http.StatusOK, "privacy", l.T("legal.privacy.title"), d)
}

// a11yData is the accessibility statement, as the RGAA's model has it.
type a11yData struct {
	Node, Publisher, URL string
	Status               string // none, partial, full
	Rate                 int    // -1: not measured
	Audit, Auditor       string // "" when no audit was made
	Contact              string
}

func (s *surface) accessibility(w http.ResponseWriter, r *http.Request) {
	l, st := s.Printer(r), s.settings(r.Context())
	d := a11yData{Node: s.NodeName(r.Context()), Publisher: st.Publisher, URL: s.BaseURL().String(),
		Status: st.A11yStatus, Rate: st.A11yRate, Auditor: st.A11yAuditor, Contact: st.A11yContact}
	if !slices.Contains(site.A11yStatuses, d.Status) {
		d.Status = "none"
	}
	if !st.A11yAudit.IsZero() {
		d.Audit = l.CivilDate(st.A11yAudit)
	}
	if d.Contact == "" {
		d.Contact = st.Contact
	}
	s.HTML(w, r, http.StatusOK, "accessibility", l.T("legal.a11y.title"), d)
}

// sitemapLink is one page of the site map.
type sitemapLink struct {
	Text, URL string
	Sub       []sitemapLink
}

func (s *surface) sitemap(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	links := []sitemapLink{{Text: l.T("site.home"), URL: "/"}}
	spacesLink := sitemapLink{Text: l.T("space.nav"), URL: "/spaces"}
	if s.spaces != nil {
		list, err := s.spaces.List(r.Context())
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		for _, sp := range list {
			spacesLink.Sub = append(spacesLink.Sub, sitemapLink{Text: sp.Title, URL: "/spaces/" + sp.Slug, Sub: []sitemapLink{
				{Text: l.T("legal.sitemap.proposals"), URL: "/spaces/" + sp.Slug + "/proposals"},
				{Text: l.T("legal.sitemap.debates"), URL: "/spaces/" + sp.Slug + "/debates"},
			}})
		}
	}
	links = append(links, spacesLink)
	if s.Navigates("cities") {
		links = append(links, sitemapLink{Text: l.T("cities.nav"), URL: "/cities"})
	}
	if s.Navigates("apps") {
		links = append(links, sitemapLink{Text: l.T("app.nav"), URL: "/apps"})
	}
	links = append(links,
		sitemapLink{Text: l.T("site.moderation"), URL: "/moderation"},
		sitemapLink{Text: l.T("site.signup"), URL: "/signup"},
		sitemapLink{Text: l.T("site.login"), URL: "/login"},
		sitemapLink{Text: l.T("legal.notice.title"), URL: "/mentions-legales"},
		sitemapLink{Text: l.T("legal.privacy.title"), URL: "/donnees-personnelles"},
		sitemapLink{Text: l.T("legal.a11y.title"), URL: "/accessibilite"},
	)
	s.HTML(w, r, http.StatusOK, "sitemap", l.T("legal.sitemap.title"), links)
}
