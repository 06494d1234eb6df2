// Package about is the surface of what a node says of itself: the pages
// every French public site must have (the legal notice, personal data, the
// accessibility statement, the site map), and its look as the admin set it
// (the accent's stylesheet, the logo). The texts come from the admin's
// settings (instances/site) and, for personal data, from what the node
// does: its durations are the code's own.
package about

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"agora/frontend/web"
	"agora/instances/markup"
	"agora/instances/site"
	"agora/instances/spaces"
	"agora/storage/blobs"
)

//go:embed templates
var templates embed.FS

// Deps are the services the pages read.
type Deps struct {
	Site   *site.Service
	Blobs  blobs.Store // where the logo is
	Markup *markup.Renderer
	// Spaces, when set, are listed in the site map.
	Spaces *spaces.Service
	// AttachmentQuota is how many bytes of files one resident's
	// proposals may hold (0: no limit), as the privacy page says.
	AttachmentQuota int64
}

type surface struct {
	*web.Pages
	site   *site.Service
	blobs  blobs.Store
	markup *markup.Renderer
	spaces *spaces.Service
	quota  int64
}

// Register serves the pages on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Site == nil || d.Blobs == nil {
		return errors.New("the pages about the node need its settings and the blob store")
	}
	if d.Markup == nil {
		d.Markup = markup.New()
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("about: %w", err)
	}
	s := &surface{Pages: pages, site: d.Site, blobs: d.Blobs, markup: d.Markup, spaces: d.Spaces, quota: d.AttachmentQuota}
	anyone := k.Anyone()
	anyone.Get("/mentions-legales", s.legalNotice)
	anyone.Get("/donnees-personnelles", s.privacy)
	anyone.Get("/accessibilite", s.accessibility)
	anyone.Get("/plan-du-site", s.sitemap)
	anyone.Get("/site.css", s.stylesheet)
	anyone.Get("/site/logo", s.logo)
	return nil
}

// settings are the admin's, or the defaults when they cannot be read
// (the page still shows what the node does).
func (s *surface) settings(ctx context.Context) site.Settings {
	if st, ok := s.Site(ctx); ok {
		return st
	}
	return site.Settings{A11yRate: -1}
}
