package federation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/instances/apps"
)

// The catalogue of free software federates as a Group at /apps: a new app,
// a release, an edit or a deletion goes to its followers as a Page
// carrying the app's publiccode.yml and releases (as2.AppPage); a node
// that follows stores those apps as remote ones (apps.UpsertRemote). A
// city recording "we use this" for a remote app sends Add{Adoption} to the
// app's catalogue, signed by its node's instance actor, and
// Remove{Adoption} when it stops; the publishing node lists it among the
// app's users (publiccode.yml's usedBy). The catalogue's outbox lists its
// apps, for nodes that start following it to catch up (backfill.go).

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

// sentAdoption is an adoption this node sent to another node's catalogue
// (ap_sent_adoptions): what withdrawing it needs once the adoption row
// is deleted.
type sentAdoption struct {
	bun.BaseModel `bun:"table:ap_sent_adoptions"`
	AdoptionID    string    `bun:"adoption_id,pk"`
	AppID         string    `bun:"app_id"`
	Target        string    `bun:"target"` // the app's id on its node
	Inbox         string    `bun:"inbox"`
	SentAt        time.Time `bun:"sent_at"`
}

// renderAdoption tells the publishing node that a city here uses its app,
// or no longer does. Adoptions of local apps need no message (the app's
// Update carries its users).
func (s *Service) renderAdoption(ctx context.Context, e eventArgs) ([]outgoing, error) {
	if e.Change == "delete" {
		return s.renderUnadoption(ctx, e.ObjectID)
	}
	d, err := s.apps.AdoptionByID(ctx, e.ObjectID)
	if errors.Is(err, apps.ErrNotFound) {
		return nil, nil // withdrawn since: its delete event tells, if this was ever sent
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
	return []outgoing{s.adoptionAdd(d, *a.RemoteID, origin.DeliverTo())}, nil
}

// adoptionAdd is the Add of an adoption, to the inbox of its app's
// catalogue. Queuing it records where it went; an adoption withdrawn in
// the meantime is not sent.
func (s *Service) adoptionAdd(d *apps.Adoption, target, inbox string) outgoing {
	add := as2.Adopt(s.ids.Activity(newActivityID()), s.ids.Instance(), target, d, s.ids.Adoption(d.ID))
	sent := &sentAdoption{AdoptionID: d.ID, AppID: d.AppID, Target: target, Inbox: inbox, SentAt: s.now()}
	record := func(ctx context.Context, tx bun.Tx) (bool, error) {
		exists, err := tx.NewSelect().Model((*apps.Adoption)(nil)).Where("d.id = ?", d.ID).Exists(ctx)
		if err != nil || !exists {
			return false, err
		}
		_, err = tx.NewInsert().Model(sent).On("CONFLICT (adoption_id) DO UPDATE").
			Set("target = EXCLUDED.target, inbox = EXCLUDED.inbox, sent_at = EXCLUDED.sent_at").Exec(ctx)
		if err != nil {
			return false, fmt.Errorf("record sent adoption %s: %w", d.ID, err)
		}
		return true, nil
	}
	return outgoing{actor: s.ids.Instance(), activity: add, also: []string{inbox}, record: record}
}

// renderUnadoption withdraws an adoption sent before: Remove{Adoption}
// to where its Add went. The publishing node keeps one adoption per node,
// so while another city of this node still uses the app, that city's Add
// is sent instead. An adoption never sent (of a local app, or withdrawn
// before its Add went) sends nothing.
func (s *Service) renderUnadoption(ctx context.Context, id string) ([]outgoing, error) {
	var sent sentAdoption
	err := s.db.NewSelect().Model(&sent).Where("adoption_id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read sent adoption %s: %w", id, err)
	}
	forget := func(ctx context.Context, tx bun.Tx) (bool, error) {
		res, err := tx.NewDelete().Model((*sentAdoption)(nil)).Where("adoption_id = ?", id).Exec(ctx)
		if err != nil {
			return false, fmt.Errorf("forget sent adoption %s: %w", id, err)
		}
		n, _ := res.RowsAffected()
		return n > 0, nil // none: an earlier run of this event sent it
	}
	other, err := s.otherAdoption(ctx, sent.AppID, id)
	if err != nil {
		return nil, err
	}
	if other != nil {
		add := s.adoptionAdd(other, sent.Target, sent.Inbox)
		record := add.record
		add.record = func(ctx context.Context, tx bun.Tx) (bool, error) {
			if ok, err := forget(ctx, tx); !ok || err != nil {
				return false, err
			}
			return record(ctx, tx)
		}
		return []outgoing{add}, nil
	}
	remove := as2.Unadopt(s.ids.Activity(newActivityID()), s.ids.Instance(), sent.Target, s.ids.Adoption(id))
	return []outgoing{{actor: s.ids.Instance(), activity: remove, also: []string{sent.Inbox}, record: forget}}, nil
}

// otherAdoption is the latest adoption of an app by a city of this node
// other than except; nil when there is none (or the app is gone).
func (s *Service) otherAdoption(ctx context.Context, appID, except string) (*apps.Adoption, error) {
	a, err := s.apps.ByID(ctx, appID)
	if errors.Is(err, apps.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	list, err := s.apps.Adoptions(ctx, a.Slug)
	if errors.Is(err, apps.ErrGone) || errors.Is(err, apps.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var latest *apps.Adoption
	for i, d := range list {
		if d.Local() && d.ID != except && (latest == nil || d.UpdatedAt.After(latest.UpdatedAt)) {
			latest = &list[i]
		}
	}
	return latest, nil
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
	str := func(k string) string { v, _ := obj[k].(string); return s.plain(v, maxPeerLine) }
	since, _ := time.Parse(time.DateOnly, str(as2.TermSince))
	d, err := s.apps.AdoptRemote(ctx, apps.RemoteAdoption{Slug: slug, Actor: a.Actor, Name: a.Object.Name,
		Version: str(as2.TermVersion), Contact: str(as2.TermContact), Since: since, ActivityID: a.ID})
	if err != nil {
		return "", err
	}
	return "adoption by " + d.Name, nil
}

// applyUnadoption withdraws another node's adoption of one of our apps
// (Remove{Adoption}, the app as target). Adoptions are kept per adopting
// actor, and the inbox checked that the actor signed: a Remove withdraws
// only its sender's own adoption.
func (s *Service) applyUnadoption(ctx context.Context, a *as2.Activity) (string, error) {
	if s.apps == nil {
		return "ignored: no catalogue", nil
	}
	target, _ := a.Raw["target"].(string)
	kind, slug, ok := s.local(target)
	if !ok || kind != "app" || a.Inner != nil || a.Object != nil && a.Object.Type != "agora:Adoption" {
		return "ignored: Remove of something else", nil
	}
	if !sameHost(a.ObjectID, a.Actor) {
		return "", fmt.Errorf("%w: adoption %s is not on its sender's host", ErrInvalid, a.ObjectID)
	}
	err := s.apps.UnadoptRemote(ctx, slug, a.Actor)
	switch {
	case errors.Is(err, apps.ErrNotAdopted):
		return "ignored: " + a.Actor + " has no adoption of " + slug, nil
	case errors.Is(err, apps.ErrNotFound), errors.Is(err, apps.ErrGone):
		return "ignored: no app " + slug, nil
	case err != nil:
		return "", err
	}
	return "adoption of " + slug + " withdrawn", nil
}

// mirrorApp stores an app a followed catalogue announced.
func (s *Service) mirrorApp(ctx context.Context, group string, o *as2.Object, raw map[string]any) (string, error) {
	yml, _ := raw[as2.TermPublicCode].(string)
	in := apps.RemoteApp{ID: o.ID, OriginActor: group, OriginNode: hostOf(group), URL: o.URL, PublicCodeYML: s.cleanPublicCode(yml)}
	in.Deprecated, _ = raw[as2.TermDeprecated].(bool)
	list, _ := raw[as2.TermReleases].([]any)
	for _, r := range list {
		m, _ := r.(map[string]any)
		version, _ := m["version"].(string)
		changelog, _ := m["changelog"].(string)
		date, _ := m["date"].(string)
		day, _ := time.Parse(time.DateOnly, date)
		in.Releases = append(in.Releases, apps.RemoteRelease{Version: s.plain(version, maxPeerLine), Date: day,
			Changelog: s.plainLines(changelog, maxPeerText)})
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
	s.serve(w, r, as2.Renderer{IDs: s.ids}.Catalogue(s.nodeName(r.Context()), key.publicPEM))
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

// catalogueOutbox lists the catalogue's own apps (not those of other
// nodes, not deleted ones), newest first, as Page refs: what a node that
// starts following the catalogue reads to catch up (see backfill.go).
func (s *Service) catalogueOutbox(w http.ResponseWriter, r *http.Request) {
	if s.apps == nil {
		s.notFound(w, nil)
		return
	}
	const where = "remote_id IS NULL AND deleted_at IS NULL"
	total, err := s.db.NewSelect().Table("apps").Where(where).Count(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.collection(w, r, as2.Outbox(s.ids.Catalogue()), int(total), func(offset int) ([]string, error) {
		var slugs []string
		err := s.db.NewSelect().Table("apps").Column("slug").Where(where).
			OrderExpr("created_at DESC, id").Offset(int64(offset)).Limit(pageSize).Scan(r.Context(), &slugs)
		for i, slug := range slugs {
			slugs[i] = s.ids.App(slug)
		}
		return slugs, err
	})
}
