package opendata

import (
	"time"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// The JSON shapes of the read API. Field names are part of the API
// (docs/API.md): snake_case, never renamed. Ids are strings, times
// RFC 3339 in UTC, and a value that may be missing is null, never absent
// (the author object excepted, whose handle shows only for public accounts).
// Nothing personal goes out: no account id, no desk, no agent, no residency.

type apiSpaceJSON struct {
	ID                   string           `json:"id"`
	Slug                 string           `json:"slug"`
	Kind                 spaces.Kind      `json:"kind"`
	Title                string           `json:"title"`
	Description          string           `json:"description"`
	DescriptionHTML      string           `json:"description_html"`
	Phases               []apiPhaseJSON   `json:"phases"`
	Categories           []apiCategoryRef `json:"categories"`
	Limits               apiLimitsJSON    `json:"limits"`
	SupportThreshold     int              `json:"support_threshold"`
	UnverifiedMayPropose bool             `json:"unverified_may_propose"`
	CreatedAt            string           `json:"created_at"`
	UpdatedAt            string           `json:"updated_at"`
	URL                  string           `json:"url"`
	APIURL               string           `json:"api_url"`
	ProposalsURL         string           `json:"proposals_url"`
	FeedURL              string           `json:"feed_url"`
}

type apiPhaseJSON struct {
	Kind     spaces.PhaseKind `json:"kind"`
	Name     string           `json:"name"` // empty: show the kind's name
	StartsAt string           `json:"starts_at"`
	EndsAt   string           `json:"ends_at"`
	Current  bool             `json:"current"`
}

type apiCategoryRef struct {
	Slug   string  `json:"slug"`
	NameFR string  `json:"name_fr"`
	NameEN *string `json:"name_en"`
}

type apiLimitsJSON struct {
	TitleMax int `json:"title_max"`
	BodyMax  int `json:"body_max"`
}

type apiSpaceRef struct {
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	URL    string `json:"url"`
	APIURL string `json:"api_url"`
}

// apiAuthor is all that is shown of a person: the display name, the
// handle too when the account is public, "former participant" in the
// reader's language when it was erased.
type apiAuthor struct {
	Name    string `json:"name"`
	Handle  string `json:"handle,omitempty"`
	URL     string `json:"url,omitempty"` // a fediverse author's public profile
	Deleted bool   `json:"deleted,omitempty"`
}

type apiLocation struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type apiProposalJSON struct {
	ID           string          `json:"id"`
	Space        apiSpaceRef     `json:"space"`
	Title        *string         `json:"title"`
	Body         *string         `json:"body"`
	BodyHTML     *string         `json:"body_html"`
	Category     *apiCategoryRef `json:"category"`
	Address      *string         `json:"address"`
	Location     *apiLocation    `json:"location"`
	State        proposals.State `json:"state"`
	SupportCount int             `json:"support_count"`
	CommentCount int             `json:"comment_count"`
	Author       *apiAuthor      `json:"author"`
	CreatedAt    string          `json:"created_at"`
	UpdatedAt    string          `json:"updated_at"`
	EditedAt     *string         `json:"edited_at"`
	Hidden       bool            `json:"hidden"`
	HiddenReason *string         `json:"hidden_reason"`
	MergedInto   *string         `json:"merged_into"`
	URL          string          `json:"url"`
	APIURL       string          `json:"api_url"`
	FeedURL      string          `json:"feed_url"`
}

// apiProposalDetail is one proposal with its history.
type apiProposalDetail struct {
	apiProposalJSON
	Timeline []apiEventJSON  `json:"timeline"`
	Answers  []apiAnswerJSON `json:"answers"`
}

type apiEventJSON struct {
	Kind      string          `json:"kind"`
	At        string          `json:"at"`
	FromState *string         `json:"from_state"`
	ToState   proposals.State `json:"to_state"`
	Service   *string         `json:"service"`
	Reason    *string         `json:"reason"`
}

type apiAnswerJSON struct {
	At        string          `json:"at"`
	Service   *string         `json:"service"`
	FromState proposals.State `json:"from_state"`
	State     proposals.State `json:"state"`
	Body      *string         `json:"body"`
	BodyHTML  *string         `json:"body_html"`
}

// apiTime writes a time as RFC 3339 in UTC, to the second.
func apiTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func apiTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := apiTime(*t)
	return &s
}

// optional is nil for an empty string: null in JSON.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (s *surface) spaceJSON(sp *spaces.Space, now time.Time) apiSpaceJSON {
	l := s.Links()
	out := apiSpaceJSON{
		ID: sp.ID, Slug: sp.Slug, Kind: sp.Kind, Title: sp.Title,
		Description: sp.Description, DescriptionHTML: s.spaces.DescriptionHTML(sp),
		Phases: make([]apiPhaseJSON, 0, len(sp.Phases)), Categories: make([]apiCategoryRef, 0, len(sp.Categories)),
		Limits:           apiLimitsJSON{TitleMax: sp.TitleMax, BodyMax: sp.BodyMax},
		SupportThreshold: sp.SupportThreshold, UnverifiedMayPropose: sp.UnverifiedMayPropose,
		CreatedAt: apiTime(sp.CreatedAt), UpdatedAt: apiTime(sp.UpdatedAt),
		URL: l.SpacePage(sp.Slug), APIURL: l.APISpace(sp.Slug),
		ProposalsURL: l.APISpaceProposals(sp.Slug, nil), FeedURL: l.SpaceFeed(sp.Slug, nil),
	}
	current := sp.PhaseAt(now)
	for i, p := range sp.Phases {
		out.Phases = append(out.Phases, apiPhaseJSON{Kind: p.Kind, Name: p.Name,
			StartsAt: apiTime(p.StartsAt), EndsAt: apiTime(p.EndsAt), Current: current == &sp.Phases[i]})
	}
	for _, c := range sp.Categories {
		out.Categories = append(out.Categories, categoryRef(c))
	}
	return out
}

func categoryRef(c spaces.Category) apiCategoryRef {
	return apiCategoryRef{Slug: c.Slug, NameFR: c.NameFR, NameEN: optional(c.NameEN)}
}

// authorJSON shows an author as the API may: never an id, a handle only
// when the account is public, nothing but "former participant" once it
// is erased (its handle is then a placeholder that names the account id).
func authorJSON(a *accounts.Account, l *i18n.Printer) *apiAuthor {
	if a == nil || a.Deleted() {
		return &apiAuthor{Name: l.T("account.former"), Deleted: true}
	}
	if a.Public {
		return &apiAuthor{Name: a.DisplayName, Handle: a.Handle}
	}
	return &apiAuthor{Name: a.DisplayName}
}

// proposalJSON shows a proposal of sp. A hidden one keeps its place,
// state and counts; what it said, where, and who said it are withheld.
func (s *surface) proposalJSON(p *proposals.Proposal, sp *spaces.Space, l *i18n.Printer) apiProposalJSON {
	links := s.Links()
	out := apiProposalJSON{
		ID:    p.ID,
		Space: apiSpaceRef{Slug: sp.Slug, Title: sp.Title, URL: links.SpacePage(sp.Slug), APIURL: links.APISpace(sp.Slug)},
		State: p.State, SupportCount: p.SupportCount, CommentCount: p.CommentCount,
		CreatedAt: apiTime(p.CreatedAt), UpdatedAt: apiTime(p.UpdatedAt), EditedAt: apiTimePtr(p.EditedAt),
		MergedInto: optional(p.MergedInto),
		URL:        links.ProposalPage(p.ID), APIURL: links.APIProposal(p.ID), FeedURL: links.ProposalFeed(p.ID, nil),
	}
	if c := sp.Category(p.Category); c != nil {
		ref := categoryRef(*c)
		out.Category = &ref
	}
	if p.Hidden() {
		out.Hidden = true
		out.HiddenReason = &p.HiddenReason
		return out
	}
	out.Title, out.Body, out.BodyHTML = &p.Title, &p.Body, &p.BodyHTML
	out.Address = optional(p.Address)
	if p.Lat != nil && p.Lon != nil {
		out.Location = &apiLocation{Lat: *p.Lat, Lon: *p.Lon}
	}
	out.Author = authorJSON(p.Author, l)
	return out
}

// proposalDetail adds the timeline and the official answers. Who acted
// is never shown, only the city service that answered; the text of the
// answers to a hidden proposal is withheld with it.
func (s *surface) proposalDetail(p *proposals.Proposal, sp *spaces.Space, events []proposals.Event, l *i18n.Printer) apiProposalDetail {
	out := apiProposalDetail{apiProposalJSON: s.proposalJSON(p, sp, l),
		Timeline: make([]apiEventJSON, 0, len(events)), Answers: []apiAnswerJSON{}}
	for _, e := range events {
		out.Timeline = append(out.Timeline, apiEventJSON{Kind: e.Kind, At: apiTime(e.At),
			FromState: optional(string(e.FromState)), ToState: e.ToState,
			Service: optional(e.Service), Reason: optional(e.Reason)})
		if e.Kind != "answer" {
			continue
		}
		a := apiAnswerJSON{At: apiTime(e.At), Service: optional(e.Service), FromState: e.FromState, State: e.ToState}
		if !p.Hidden() {
			a.Body, a.BodyHTML = &e.Answer, &e.AnswerHTML
		}
		out.Answers = append(out.Answers, a)
	}
	return out
}
