package frontend

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// proposalFormData is the form that writes a proposal, new or edited.
type proposalFormData struct {
	Space             *spaces.Space
	Form              *form
	Action            string
	Edit              bool
	Categories        []option
	TitleMax, BodyMax int
	Agent             bool   // offer to propose for a resident present at the desk
	Moderate          bool   // a moderator editing another's proposal gives a reason
	Closed            string // why no proposal can be made now, in place of the form
	Unverified        bool   // the reader may not propose before verifying their residency
	MaxFiles          int    // how many files the form may add
	FilesHave         int    // how many the proposal has already, for an edit
	MaxMiB            int
	MaxMegapixels     int
	FilesAgain        bool // files were sent with a form that failed: choose them again
}

// newProposalFormData fills what the form shows of the space.
func (s *server) newProposalFormData(r *http.Request, sp *spaces.Space, f *form) proposalFormData {
	l := s.render.printer(r)
	d := proposalFormData{Space: sp, Form: f, TitleMax: sp.TitleMax, BodyMax: sp.BodyMax,
		MaxFiles: proposals.MaxAttachments, MaxMiB: attachmentMaxBytes >> 20, MaxMegapixels: attachmentMaxPixels / 1_000_000}
	if len(sp.Categories) > 0 {
		d.Categories = []option{{Value: "", Label: l.T("proposal.form.category_choose")}}
		for _, c := range sp.Categories {
			d.Categories = append(d.Categories, option{Value: c.Slug, Label: c.Name(l.Lang)})
		}
	}
	return d
}

// proposalInput reads the text fields of the proposal form. Coordinates
// take a decimal point or a decimal comma. The space's rules are checked
// here too, so that the form shows every message at once next to its
// field; the service checks them again.
func (s *server) proposalInput(r *http.Request, sp *spaces.Space, f *form) proposals.Input {
	l := s.render.printer(r)
	in := proposals.Input{Title: f.Values["title"], Body: f.Values["body"], Category: f.Values["category"], Address: f.Values["address"]}
	if n := utf8.RuneCountInString(in.Title); n < 1 || n > sp.TitleMax {
		f.fail(l, proposals.ErrTitle)
	}
	if n := utf8.RuneCountInString(in.Body); n < 1 || n > sp.BodyMax {
		f.fail(l, proposals.ErrBody)
	}
	if len(sp.Categories) > 0 && !sp.HasCategory(in.Category) {
		f.fail(l, proposals.ErrCategory)
	}
	if utf8.RuneCountInString(in.Address) > 200 {
		f.fail(l, proposals.ErrAddress)
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
func (s *server) mayPropose(r *http.Request, d *proposalFormData) error {
	l, acc, sp, now := s.render.printer(r), currentAccount(r), d.Space, s.now()
	d.Agent = acc.Has(accounts.Agent)
	if !sp.AllowsProposals(now) {
		d.Closed = s.whatNow(l, sp, now)
		return nil
	}
	if sp.UnverifiedMayPropose || d.Agent {
		return nil
	}
	ok, err := s.accounts.IsVerified(r.Context(), acc.ID)
	d.Unverified = !ok
	return err
}
