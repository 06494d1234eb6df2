package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"agora/federation/as2"
	"agora/instances/apps"
)

// The catalogue of free software federates as a Group at /apps: a new app,
// a release, an edit or a deletion goes to its followers as a Page
// carrying the app's publiccode.yml and releases (as2.AppPage); a node
// that follows stores those apps as remote ones (apps.UpsertRemote). A
// city recording "we use this" for a remote app sends Add{Adoption} to the
// app's catalogue, signed by its node's instance actor; the publishing
// node lists it among the app's users (publiccode.yml's usedBy).

// catalogueDoc renders an app (for an app or release event): the Page,
// or nothing for an app another node publishes.
func (s *Service) appDoc(ctx context.Context, r as2.Renderer, a *apps.App) (*as2.Doc, error) {
	if a.Remote() {
		return nil, errGone // not ours to announce
	}
	if a.DeletedAt != nil {
		return r.AppPage(as2.AppInput{App: a}), nil
	}
	yml, err := s.apps.PublicCodeWithUsedBy(ctx, a.Slug)
	if err != nil {
		return nil, err
	}
	releases, err := s.apps.Releases(ctx, a.Slug)
	if err != nil {
		return nil, err
	}
	return r.AppPage(as2.AppInput{App: a, PublicCode: string(yml), Releases: releases, Artifact: s.artifactURL}), nil
}

func (s *Service) artifactURL(slug, id string) string { return s.ids.App(slug) + "/artifacts/" + id }

// renderCatalogue is render for the catalogue's events.
func (s *Service) renderCatalogue(ctx context.Context, r as2.Renderer, e eventArgs) ([]outgoing, error) {
	if s.apps == nil {
		return nil, nil
	}
	var (
		a   *apps.App
		err error
	)
	switch e.ObjectType {
	case "app":
		a, err = s.apps.ByID(ctx, e.ObjectID)
	case "release":
		var rel *apps.Release
		if rel, err = s.apps.ReleaseByID(ctx, e.ObjectID); err == nil {
			a, err = s.apps.ByID(ctx, rel.AppID)
		}
		e.Change = "update" // a new release is news of the app
	case "adoption":
		return s.renderAdoption(ctx, e)
	}
	if errors.Is(err, apps.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	object, err := s.appDoc(ctx, r, a)
	if errors.Is(err, errGone) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	catalogue := s.ids.Catalogue()
	to, cc := []string{as2.Public}, []string{as2.Followers(catalogue)}
	id := s.ids.Activity(newActivityID())
	var activity *as2.Doc
	switch {
	case e.Change == "delete" || a.DeletedAt != nil:
		activity = as2.Delete(id, catalogue, object, to, cc)
	case e.Change == "update":
		activity = as2.Update(id, catalogue, object, to, cc)
	default:
		activity = as2.Create(id, catalogue, object, to, cc)
	}
	out := []outgoing{{actor: catalogue, activity: as2.Announce(s.ids.Activity(newActivityID()), catalogue, activity), audience: []string{catalogue}}}
	if e.Change == "create" {
		out = append(out, outgoing{actor: catalogue, activity: as2.Announce(s.ids.Activity(newActivityID()), catalogue, object), audience: []string{catalogue}})
	}
	return out, nil
}

// renderAdoption tells the publishing node that a city here uses its app.
// Adoptions of local apps need no message (the app's Update carries its
// users); a withdrawn adoption is not sent yet (see FEDERATION.md).
func (s *Service) renderAdoption(ctx context.Context, e eventArgs) ([]outgoing, error) {
	if e.Change != "create" && e.Change != "update" {
		return nil, nil
	}
	d, err := s.apps.AdoptionByID(ctx, e.ObjectID)
	if errors.Is(err, apps.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a, err := s.apps.ByID(ctx, d.AppID)
	if err != nil {
		return nil, err
	}
	if !a.Remote() || !d.Local() {
		return nil, nil
	}
	origin, err := s.remoteActor(ctx, a.OriginActor, false)
	if err != nil {
		return nil, err
	}
	add := as2.Adopt(s.ids.Activity(newActivityID()), s.ids.Instance(), *a.RemoteID, d, s.ids.Adoption(d.ID))
	return []outgoing{{actor: s.ids.Instance(), activity: add, also: []string{origin.DeliverTo()}}}, nil
}

// applyAdoption records another node's city using one of our apps.
func (s *Service) applyAdoption(ctx context.Context, a *as2.Activity) (string, error) {
	if s.apps == nil {
		return "ignored: no catalogue", nil
	}
	target, _ := a.Raw["target"].(string)
	kind, slug, ok := s.local(target)
	if !ok || kind != "app" || a.Object == nil || a.Object.Type != "agora:Adoption" {
		return "ignored: Add of something else", nil
	}
	obj := objectMap(a.Raw)
	str := func(k string) string { v, _ := obj[k].(string); return v }
	since, _ := time.Parse(time.DateOnly, str(as2.TermSince))
	d, err := s.apps.AdoptRemote(ctx, apps.RemoteAdoption{Slug: slug, Actor: a.Actor, Name: a.Object.Name,
		Version: str(as2.TermVersion), Contact: str(as2.TermContact), Since: since, ActivityID: a.ID})
	if err != nil {
		return "", err
	}
	return "adoption by " + d.Name, nil
}

// mirrorApp stores an app a followed catalogue announced.
func (s *Service) mirrorApp(ctx context.Context, group string, o *as2.Object, raw map[string]any) (string, error) {
	yml, _ := raw[as2.TermPublicCode].(string)
	in := apps.RemoteApp{ID: o.ID, OriginActor: group, OriginNode: hostOf(group), URL: o.URL, PublicCodeYML: yml}
	in.Deprecated, _ = raw[as2.TermDeprecated].(bool)
	list, _ := raw[as2.TermReleases].([]any)
	for _, r := range list {
		m, _ := r.(map[string]any)
		version, _ := m["version"].(string)
		changelog, _ := m["changelog"].(string)
		date, _ := m["date"].(string)
		day, _ := time.Parse(time.DateOnly, date)
		in.Releases = append(in.Releases, apps.RemoteRelease{Version: version, Date: day, Changelog: changelog})
	}
	a, err := s.apps.UpsertRemote(ctx, in)
	if err != nil {
		return "", err
	}
	return "remote app " + a.Slug, nil
}

// catalogueActor serves the catalogue's Group.
func (s *Service) catalogueActor(w http.ResponseWriter, r *http.Request) {
	if s.apps == nil {
		s.notFound(w, nil)
		return
	}
	key, err := s.keys.key(r.Context(), s.ids.Catalogue())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, as2.Renderer{IDs: s.ids}.Catalogue(s.cfg.NodeName, key.publicPEM))
}

// appObject serves an app's Page.
func (s *Service) appObject(w http.ResponseWriter, r *http.Request) {
	if s.apps == nil {
		s.notFound(w, nil)
		return
	}
	a, err := s.apps.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err != nil && !errors.Is(err, apps.ErrGone) {
		s.notFound(w, err)
		return
	}
	d, err := s.appDoc(r.Context(), as2.Renderer{IDs: s.ids}, a)
	if errors.Is(err, errGone) {
		http.Redirect(w, r, a.RemoteURL, http.StatusFound) // another node's app lives there
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("app %s: %w", a.Slug, err))
		return
	}
	s.serve(w, r, d)
}
