package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"agora/federation/as2"
	"agora/instances/reports"
)

// Street reports federate by category: each category is a Group actor at
// /reports/categories/{slug} (acct:signalements.{slug}@host), followed
// like a space. When a report is sent, and at each change of its state,
// the category's Group sends Create{Note} to its followers, through the
// outbox events the reports domain records (reports.ReportObject,
// reports.StateObject) and the same durable, signed delivery as every
// other activity. A report's Note carries its public part only (its
// open-data record); a change of state is a Note that replies to it.
// Messages, public or private, never go out.

// reportCategory returns a category, errGone when there is none (or no
// reports on this node).
func (s *Service) reportCategory(ctx context.Context, slug string) (*reports.Category, error) {
	if s.reports == nil {
		return nil, errGone
	}
	c, err := s.reports.CategoryBySlug(ctx, slug)
	if errors.Is(err, reports.ErrUnknownCategory) {
		return nil, errGone
	}
	return c, err
}

// reportDoc renders a report's Note, and says which category's Group
// sends it (the one it was first sent in).
func (s *Service) reportDoc(ctx context.Context, r as2.Renderer, id string) (*as2.Doc, string, error) {
	if s.reports == nil {
		return nil, "", errGone
	}
	p, err := s.reports.PublishedReport(ctx, id)
	if errors.Is(err, reports.ErrNotFound) {
		return nil, "", errGone
	}
	if err != nil {
		return nil, "", err
	}
	origin, err := s.reportCategory(ctx, p.Origin)
	if err != nil {
		return nil, "", err
	}
	current, err := s.reportCategory(ctx, p.Category)
	if err != nil {
		return nil, "", err
	}
	in := as2.ReportInput{Report: p, Category: origin, Current: current}
	if p.AuthorID != "" {
		if a, err := s.accounts.ByID(ctx, p.AuthorID); err == nil && !a.Deleted() {
			in.AuthorName = a.DisplayName
		}
	}
	return r.ReportNote(in), s.ids.ReportCategory(origin.Slug), nil
}

// reportStateDoc renders a change of a report's state; audience are the
// Groups whose followers hear of it: the report's first category, and
// the category it is in after a requalification.
func (s *Service) reportStateDoc(ctx context.Context, r as2.Renderer, eventID string) (*as2.Doc, []string, error) {
	n, err := strconv.ParseInt(eventID, 10, 64)
	if err != nil || s.reports == nil {
		return nil, nil, errGone
	}
	e, err := s.reports.StateChange(ctx, n)
	if errors.Is(err, reports.ErrNotFound) || errors.Is(err, reports.ErrNotPublic) {
		return nil, nil, errGone // a message: never federated
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := s.reports.PublishedReport(ctx, e.ReportID)
	if errors.Is(err, reports.ErrNotFound) {
		return nil, nil, errGone
	}
	if err != nil {
		return nil, nil, err
	}
	origin, err := s.reportCategory(ctx, p.Origin)
	if err != nil {
		return nil, nil, err
	}
	in := as2.StateInput{Event: e, Category: origin}
	audience := []string{s.ids.ReportCategory(origin.Slug)}
	if e.Category != origin.Slug {
		if in.NewCategory, err = s.reportCategory(ctx, e.Category); err != nil {
			return nil, nil, err
		}
		audience = append(audience, s.ids.ReportCategory(e.Category))
	}
	return r.ReportStateNote(in), audience, nil
}

// renderReport is render for reports' events: Create{Note} by the
// category's Group, which Mastodon shows as it is, and other Agora nodes
// that follow the Group keep for "Other cities".
func (s *Service) renderReport(ctx context.Context, r as2.Renderer, e eventArgs) ([]outgoing, error) {
	var (
		object   *as2.Doc
		audience []string
		err      error
	)
	switch e.ObjectType {
	case reports.ReportObject:
		var group string
		object, group, err = s.reportDoc(ctx, r, e.ObjectID)
		audience = []string{group}
	case reports.StateObject:
		object, audience, err = s.reportStateDoc(ctx, r, e.ObjectID)
	}
	if errors.Is(err, errGone) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	group := audience[0]
	create := as2.Create(s.ids.Activity(newActivityID()), group, object, []string{as2.Public}, []string{as2.Followers(group)})
	return []outgoing{{actor: group, activity: create, audience: audience}}, nil
}

// reportCategoryActor serves a category's Group.
func (s *Service) reportCategoryActor(w http.ResponseWriter, r *http.Request) {
	c, err := s.reportCategory(r.Context(), mux.Vars(r)["slug"])
	if errors.Is(err, errGone) {
		s.notFound(w, err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key, err := s.keys.key(r.Context(), s.ids.ReportCategory(c.Slug))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serve(w, r, as2.Renderer{IDs: s.ids}.ReportCategoryGroup(c, s.nodeName(r.Context()), key.publicPEM))
}

// reportCategoryOutbox lists the reports first sent in a category,
// newest first, as Note refs.
func (s *Service) reportCategoryOutbox(w http.ResponseWriter, r *http.Request) {
	c, err := s.reportCategory(r.Context(), mux.Vars(r)["slug"])
	if errors.Is(err, errGone) {
		s.notFound(w, err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, total, err := s.reports.CategoryReports(r.Context(), c.Slug, 0, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.collection(w, r, as2.Outbox(s.ids.ReportCategory(c.Slug)), total, func(offset int) ([]string, error) {
		ids, _, err := s.reports.CategoryReports(r.Context(), c.Slug, offset, pageSize)
		for i, id := range ids {
			ids[i] = s.ids.Report(id)
		}
		return ids, err
	})
}

// reportObject serves a report's Note.
func (s *Service) reportObject(w http.ResponseWriter, r *http.Request) {
	d, _, err := s.reportDoc(r.Context(), as2.Renderer{IDs: s.ids}, mux.Vars(r)["id"])
	if errors.Is(err, errGone) {
		s.notFound(w, err)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("report: %w", err))
		return
	}
	s.serve(w, r, d)
}

// reportStateObject serves the Note of a change of state; a message's
// id, or an event of another report, is 404.
func (s *Service) reportStateObject(w http.ResponseWriter, r *http.Request) {
	d, _, err := s.reportStateDoc(r.Context(), as2.Renderer{IDs: s.ids}, mux.Vars(r)["n"])
	if errors.Is(err, errGone) {
		s.notFound(w, err)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("report state: %w", err))
		return
	}
	if !strings.HasPrefix(d.ID(), s.ids.Report(mux.Vars(r)["id"])+"/") {
		s.notFound(w, nil)
		return
	}
	s.serve(w, r, d)
}

// reportPages sends a browser that opens a category's or a state's id to
// its page: the category's list of reports, the report.
func (s *Service) reportPages(w http.ResponseWriter, r *http.Request) {
	v := mux.Vars(r)
	if slug := v["slug"]; slug != "" {
		http.Redirect(w, r, s.ids.ReportList(slug), http.StatusFound)
		return
	}
	http.Redirect(w, r, s.ids.Report(v["id"]), http.StatusFound)
}
