package participation

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// proposalFormData is the form that writes a proposal, new or edited.
type proposalFormData struct {
	Space             *spaces.Space
	Form              *web.Form
	Action            string
	Edit              bool
	Categories        []web.Option
	TitleMax, BodyMax int
	Agent             bool   // offer to propose for a resident present at the desk
	Moderate          bool   // a moderator editing another's proposal gives a reason
	Closed            string // why no proposal can be made now, in place of the form
	Unverified        bool   // the reader may not propose before verifying their residency
	MaxFiles          int    // how many files the form may add
	FilesHave         int    // how many the proposal has already, for an edit
	MaxMiB            int
	MaxMegapixels     int
	FilesAgain        bool   // files were sent with a form that failed: choose them again
	Room              string // how much of the author's quota of files is used, once some is
}

// newProposalFormData fills what the form shows of the space.
func (s *surface) newProposalFormData(r *http.Request, sp *spaces.Space, f *web.Form) proposalFormData {
	l := s.Printer(r)
	d := proposalFormData{Space: sp, Form: f, TitleMax: sp.TitleMax, BodyMax: sp.BodyMax,
		MaxFiles: proposals.MaxAttachments, MaxMiB: web.UploadMaxBytes >> 20, MaxMegapixels: web.UploadMaxPixels / 1_000_000}
	if len(sp.Categories) > 0 {
		d.Categories = []web.Option{{Value: "", Label: l.T("proposal.form.category_choose")}}
		for _, c := range sp.Categories {
			d.Categories = append(d.Categories, web.Option{Value: c.Slug, Label: c.Name(l.Lang)})
		}
	}
	return d
}

// room says how much of an author's quota of files their proposals use,
// or "" when there is no quota or they use none.
func (s *surface) room(r *http.Request, authorID string) (string, error) {
	used, quota, err := s.proposals.AttachmentUse(r.Context(), authorID)
	if err != nil || quota == 0 || used == 0 {
		return "", err
	}
	l := s.Printer(r)
	return l.T("attachment.quota", l.Size(used), l.Size(quota)), nil
}

// proposalInput reads the text fields of the proposal form. Coordinates
// take a decimal point or a decimal comma. The space's rules are checked
// here too, so that the form shows every message at once next to its
// field; the service checks them again.
func (s *surface) proposalInput(r *http.Request, sp *spaces.Space, f *web.Form) proposals.Input {
	l := s.Printer(r)
	in := proposals.Input{Title: f.Values["title"], Body: f.Values["body"], Category: f.Values["category"], Address: f.Values["address"]}
	if err := markup.CheckLength(proposals.ErrTitle, in.Title, 1, sp.TitleMax); err != nil {
		s.FailForm(r, f, err)
	}
	if err := markup.CheckLength(proposals.ErrBody, in.Body, 1, sp.BodyMax); err != nil {
		s.FailForm(r, f, err)
	}
	if len(sp.Categories) > 0 && !sp.HasCategory(in.Category) {
		s.FailForm(r, f, proposals.ErrCategory)
	}
	if utf8.RuneCountInString(in.Address) > 200 {
		s.FailForm(r, f, proposals.ErrAddress)
	}
	var okLat, okLon bool
	in.Lat, okLat = coordinate(f.Values["lat"], 90)
	in.Lon, okLon = coordinate(f.Values["lon"], 180)
	if !okLat {
		f.Errors["lat"] = l.T("proposal.error.latitude")
	}
	if !okLon {
		f.Errors["lon"] = l.T("proposal.error.longitude")
	}
	if okLat && okLon && (in.Lat == nil) != (in.Lon == nil) {
		if in.Lat == nil {
			f.Errors["lat"] = l.T("proposal.error.location_pair")
		} else {
			f.Errors["lon"] = l.T("proposal.error.location_pair")
		}
	}
	return in
}

// coordinate reads a latitude or a longitude; "" is none.
func coordinate(v string, limit float64) (*float64, bool) {
	v = strings.ReplaceAll(strings.TrimSpace(v), ",", ".")
	if v == "" {
		return nil, true
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || x < -limit || x > limit {
		return nil, false
	}
	return &x, true
}

// mayPropose says whether the reader may propose in the space now, and
// if not, why: the phase, or their residency. Agents may always fill the
// form, for a resident present.
func (s *surface) mayPropose(r *http.Request, d *proposalFormData) error {
	l, acc, sp, now := s.Printer(r), web.CurrentAccount(r), d.Space, s.Now()
	d.Agent = acc.Has(accounts.Agent)
	switch err := s.proposals.MayPropose(r.Context(), acc, sp); {
	case errors.Is(err, proposals.ErrPhase):
		d.Closed = s.whatNow(l, sp, now)
	case errors.Is(err, proposals.ErrNotVerified):
		// An agent proposes for a resident, whose residency the service
		// checks when the form is sent.
		d.Unverified = !d.Agent
	case err != nil:
		return err
	}
	return nil
}
