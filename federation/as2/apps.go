package as2

import (
	"html"
	"time"

	"github.com/go-fed/activity/streams"

	"agora/instances/apps"
)

// Agora's terms for the catalogue of free software.
const (
	TermPublicCode = "agora:publiccodeYml" // the app's publiccode.yml, usedBy filled, as text
	TermReleases   = "agora:releases"      // [{version, date, changelog, artifacts: [{name, url, sha256, size, mediaType}]}]
	TermDeprecated = "agora:deprecated"    // boolean
	TermCertified  = "agora:certified"     // boolean: the publishing node certified it
	TermLicense    = "agora:license"       // SPDX expression
	TermVersion    = "agora:version"       // an adoption: the version deployed
	TermSince      = "agora:since"         // an adoption: since when (YYYY-MM-DD)
	TermContact    = "agora:contact"       // an adoption: who to ask
)

// Catalogue is the node's catalogue of municipal free software: a Group
// other nodes (and anyone on the fediverse) follow to hear of new apps
// and releases.
func (ids IDs) Catalogue() string { return ids.abs("apps") }

// App is an app of the catalogue, at its page.
func (ids IDs) App(slug string) string { return ids.abs("apps", slug) }

// Adoption is a city's "we use this", as the adopting node names it.
func (ids IDs) Adoption(id string) string { return ids.abs("adoptions", id) }

// CatalogueUsername is the catalogue's name for WebFinger
// (acct:catalogue@host).
const CatalogueUsername = "catalogue"

// Catalogue renders the catalogue's Group actor.
func (r Renderer) Catalogue(nodeName, publicKeyPEM string) *Doc {
	g := streams.NewActivityStreamsGroup()
	id := r.IDs.Catalogue()
	d := r.actor(g, id, id, CatalogueUsername, wordsFor(r.Lang).Catalogue+" – "+nodeName, publicKeyPEM, false)
	d.extra["postingRestrictedToMods"] = true
	return d
}

// AppInput is what an app's Page is made of.
type AppInput struct {
	App        *apps.App
	PublicCode string         // the export, usedBy filled
	Releases   []apps.Release // newest first, with their artifacts
	Artifact   func(slug, id string) string
}

// AppPage renders an app as a Page of the catalogue: Mastodon shows its
// name, short description and link; other Agora nodes read the
// publiccode.yml and the releases from Agora's terms. A deleted app is a
// Tombstone.
func (r Renderer) AppPage(in AppInput) *Doc {
	a := in.App
	id := r.IDs.App(a.Slug)
	if a.DeletedAt != nil {
		return Tombstone(id, "Page", *a.DeletedAt)
	}
	lang := r.Lang
	if lang == "" {
		lang = "fr"
	}
	short := a.ShortDescriptions[lang]
	for _, v := range a.ShortDescriptions {
		if short == "" {
			short = v
		}
	}
	p := streams.NewActivityStreamsPage()
	setID(p, id)
	setName(p, a.Name)
	setSummary(p, html.EscapeString(short))
	setContent(p, "<p>"+html.EscapeString(short)+"</p><p>"+html.EscapeString(a.License)+" · "+html.EscapeString(a.URL)+"</p>")
	setMediaType(p, "text/html")
	setURL(p, id)
	catalogue := r.IDs.Catalogue()
	setAttributedTo(p, catalogue)
	setAudience(p, catalogue)
	setTo(p, []string{Public})
	setCc(p, []string{Followers(catalogue)})
	setPublished(p, a.CreatedAt)
	setUpdated(p, a.CreatedAt, a.UpdatedAt)
	releases := make([]any, 0, len(in.Releases))
	for _, rel := range in.Releases {
		files := make([]any, 0, len(rel.Artifacts))
		for _, f := range rel.Artifacts {
			files = append(files, map[string]any{"name": f.Name, "url": in.Artifact(a.Slug, f.ID), "sha256": f.SHA256,
				"size": f.Size, "mediaType": f.MediaType})
		}
		releases = append(releases, map[string]any{"version": rel.Version, "date": rel.Date.Format(time.DateOnly),
			"changelog": rel.Changelog, "artifacts": files})
	}
	return &Doc{Value: p, extra: map[string]any{
		TermPublicCode: in.PublicCode, TermReleases: releases, TermDeprecated: a.DeprecatedAt != nil,
		TermCertified: a.CertifiedAt != nil, TermLicense: a.License,
	}}
}

// Adopt says a city of the sending node uses an app of another node's
// catalogue: Add{Adoption} with the app as target, sent by the adopting
// node's instance actor to the app's catalogue.
func Adopt(id, actor, app string, d *apps.Adoption, adoptionID string) *Doc {
	add := streams.NewActivityStreamsAdd()
	obj := streams.NewActivityStreamsObject()
	setID(obj, adoptionID)
	setName(obj, d.Name)
	target := streams.NewActivityStreamsTargetProperty()
	target.AppendIRI(iri(app))
	add.SetActivityStreamsTarget(target)
	doc := activity(add, id, actor, &Doc{Value: obj, extra: map[string]any{"type": "agora:Adoption",
		TermVersion: d.Version, TermSince: d.Since.Format(time.DateOnly), TermContact: d.Contact}}, []string{app}, nil)
	return doc
}

// Unadopt withdraws an adoption: Remove{Adoption} by its id, with the app
// as target, sent like Adopt. The publishing node removes the sending
// node's adoption of the app.
func Unadopt(id, actor, app, adoptionID string) *Doc {
	remove := streams.NewActivityStreamsRemove()
	target := streams.NewActivityStreamsTargetProperty()
	target.AppendIRI(iri(app))
	remove.SetActivityStreamsTarget(target)
	return activity(remove, id, actor, Ref(adoptionID), []string{app}, nil)
}
