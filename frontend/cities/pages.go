package cities

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"agora/frontend/web"
	"agora/instances/markup"

	"agora/frontend/i18n"
)

// citiesData is the "Other cities" page: the spaces of other cities this
// node follows, each with its latest proposals and debates.
type citiesData struct {
	Spaces []citySpaceView
}

type citySpaceView struct {
	Name, Handle, Host, URL string
	Summary                 string // as text: a Group's summary is never shown as HTML
	Items                   []cityItemView
}

// cityItemView is one proposal or debate of another city in a list.
type cityItemView struct {
	Link, Title, State, Supports, Published, DateISO string
	Budget                                           *remoteBudgetView
}

// remoteBudgetView is a budget project of another city in words.
type remoteBudgetView struct {
	Line                                       string // "Financé · 120 000 € · Travaux, 40 %"
	Edition, Heading, Cost, Votes, Spent, Step string
	Funded                                     bool
	Progress                                   int
	HasStep                                    bool
}

// remoteBudget puts a remote budget project's figures in words; nil for
// anything else.
func remoteBudget(l *i18n.Printer, b *RemoteBudget) *remoteBudgetView {
	if b == nil {
		return nil
	}
	// As the budget pages write amounts: "120 000 €", "€120,000".
	money := func(n int64) string {
		sym := map[string]string{"EUR": "€", "": "€", "USD": "$", "GBP": "£"}[b.Currency]
		if sym == "" {
			sym = b.Currency
		}
		if l.Lang == "en" && (sym == "€" || sym == "$" || sym == "£") {
			return sym + l.Int(n)
		}
		return l.Int(n) + "\u00a0" + sym
	}
	v := &remoteBudgetView{Edition: b.Edition, Heading: b.Heading, Cost: money(b.Cost), Votes: l.Int(b.Votes),
		Funded: b.Funded, Progress: b.Progress, HasStep: b.Funded && b.Status != ""}
	parts := []string{l.T("budgetfed.not_funded")}
	if b.Funded {
		parts = []string{l.T("budgetfed.funded")}
	}
	parts = append(parts, l.T("budgetfed.cost_line", v.Cost))
	if v.HasStep {
		v.Step = l.T("budgetfed.status." + b.Status)
		parts = append(parts, l.T("budgetfed.step_line", v.Step, b.Progress))
		if b.Spent > 0 {
			v.Spent = money(b.Spent)
		}
	}
	v.Line = strings.Join(parts, " · ")
	return v
}

// cityItemData is the page of one proposal or debate of another city:
// what its node sent, its comments, and the form to comment.
type cityItemData struct {
	ID, Title, Author, Host string
	State, Supports         string // as on its node; "" when the origin is not Agora
	Published, DateISO      string
	Updated                 string        // "" when never edited
	Original                string        // its page on its node
	Content                 template.HTML // sanitised on the way in, and again here
	Space                   *RemoteSpace  // nil when no longer followed
	Comments                []remoteCommentView
	Form                    *web.Form
	CanComment              bool   // signed in with a public profile
	NotPublic               bool   // signed in with a private profile
	NotPublicAlert          bool   // ...who just tried to comment
	SignIn                  string // where to sign in, for a visitor
	Done                    string
	Budget                  *remoteBudgetView // a budget project's figures, else nil
}

type remoteCommentView struct {
	ID, Author, AuthorURL, Origin, Date, DateISO string
	Here                                         bool // written by a resident of this node
	Body                                         template.HTML
}

// Limits of the "Other cities" pages.
const (
	citiesLatest     = 5    // proposals shown per space on /cities
	maxRemoteComment = 5000 // as a comment here
)

func (s *surface) citiesPage(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), s.Printer(r)
	followed, err := s.federation.FollowedSpaces(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var d citiesData
	for _, sp := range followed {
		if sp.State != "accepted" {
			continue
		}
		items, err := s.federation.RemoteProposals(ctx, sp.ActorID, citiesLatest)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		v := citySpaceView{Name: sp.Name, Handle: sp.Handle, Host: sp.Host, URL: sp.ActorID, Summary: markup.PlainText(sp.Summary, false)}
		if v.Host == "" {
			v.Host = hostOf(sp.ActorID)
		}
		if v.Name == "" {
			v.Name = v.Handle
		}
		for _, it := range items {
			v.Items = append(v.Items, cityItemView{Link: cityItemLink(it.ID), Title: remoteTitle(l, it),
				State: remoteState(l, it.State), Supports: remoteSupports(l, it), Published: l.DateTime(it.Published),
				DateISO: it.Published.UTC().Format(time.RFC3339), Budget: remoteBudget(l, it.Budget)})
		}
		d.Spaces = append(d.Spaces, v)
	}
	s.HTML(w, r, http.StatusOK, "federation_cities", l.T("cities.title"), d)
}

// cityItemLink is the page of a remote proposal or debate on this node.
func cityItemLink(id string) string { return "/cities/item?id=" + url.QueryEscape(id) }

func remoteTitle(l *i18n.Printer, it RemoteItem) string {
	if strings.TrimSpace(it.Name) == "" {
		return l.T("cities.untitled")
	}
	return it.Name
}

// remoteState names an Agora state in words, or "" for a state this node
// does not know (or none: the origin is not Agora).
func remoteState(l *i18n.Printer, state string) string {
	if state == "" {
		return ""
	}
	for _, prefix := range []string{"proposal.state.", "debate.state."} {
		if t := l.T(prefix + state); t != prefix+state {
			return t
		}
	}
	return ""
}

// remoteSupports says how many supports the item has on its own node, in
// words that keep them apart from this node's supports; "" when the
// origin is not Agora and counts none.
func remoteSupports(l *i18n.Printer, it RemoteItem) string {
	if it.State == "" && it.Supports == 0 {
		return ""
	}
	return l.Plural("cities.supports", it.Supports)
}

func (s *surface) cityItemPage(w http.ResponseWriter, r *http.Request) {
	s.renderCityItem(w, r, http.StatusOK, r.URL.Query().Get("id"), web.EmptyForm(), false)
}

// remoteID reports whether id can be the id of an object of another node.
func remoteID(id string) bool {
	u, err := url.Parse(id)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// renderCityItem shows one proposal or debate of another city with f as
// its comment form; notPublic says a private account just tried to
// comment.
func (s *surface) renderCityItem(w http.ResponseWriter, r *http.Request, status int, id string, f *web.Form, notPublic bool) {
	ctx, l, acc := r.Context(), s.Printer(r), web.CurrentAccount(r)
	if !remoteID(id) {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, errors.New("not a remote object id")))
		return
	}
	it, comments, err := s.federation.RemoteItem(ctx, id)
	if errors.Is(err, ErrFederationInput) || (err == nil && it.Type == "Note") {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, err))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	followed, err := s.federation.FollowedSpaces(ctx)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := cityItemData{ID: it.ID, Title: remoteTitle(l, it), Author: it.Author, Host: hostOf(it.ID),
		State: remoteState(l, it.State), Supports: remoteSupports(l, it), Published: l.DateTime(it.Published),
		DateISO: it.Published.UTC().Format(time.RFC3339), Original: it.URL, Content: s.peerHTML(it.ContentHTML), Form: f,
		Budget: remoteBudget(l, it.Budget)}
	if d.Original == "" {
		d.Original = it.ID
	}
	if d.Author == "" {
		d.Author = l.T("cities.unknown_author")
	}
	if !it.Updated.IsZero() && it.Updated.After(it.Published.Add(time.Minute)) {
		d.Updated = l.DateTime(it.Updated)
	}
	for i := range followed {
		if followed[i].ActorID == it.Space {
			d.Space = &followed[i]
			if d.Space.Name == "" {
				d.Space.Name = d.Space.Handle
			}
		}
	}
	here := s.BaseURL().Host
	for _, c := range comments {
		v := remoteCommentView{ID: c.ID, Author: c.Author, AuthorURL: c.AuthorID, Origin: hostOf(c.AuthorID),
			Date: l.DateTime(c.Published), DateISO: c.Published.UTC().Format(time.RFC3339), Body: s.peerHTML(c.ContentHTML)}
		if v.Origin == "" {
			v.Origin = hostOf(c.ID)
		}
		v.Here = v.Origin == here
		if v.Author == "" {
			v.Author = l.T("cities.unknown_author")
		}
		d.Comments = append(d.Comments, v)
	}
	switch {
	case acc == nil:
		d.SignIn = "/login?next=" + url.QueryEscape(cityItemLink(it.ID)+"#comment-add")
	case !acc.Public || notPublic:
		d.NotPublic, d.NotPublicAlert = true, notPublic
	default:
		d.CanComment = true
	}
	if r.URL.Query().Get("done") == "commented" {
		d.Done = l.T("cities.comment.done")
	}
	s.HTML(w, r, status, "federation_item", d.Title, d)
}

// cityComment sends a resident's comment on a proposal or debate of
// another city. Only public profiles are known to other nodes, so only
// they may comment there.
func (s *surface) cityComment(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l, acc := s.Printer(r), web.CurrentAccount(r)
	id := strings.TrimSpace(r.PostForm.Get("id"))
	f := web.NewForm(r)
	f.Values["comment"] = r.PostForm.Get("comment") // as typed, for the page shown again
	body := strings.TrimSpace(f.Values["comment"])
	switch {
	case !remoteID(id):
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, errors.New("not a remote object id")))
		return
	case body == "":
		f.Errors["comment"] = l.T("cities.comment.error.empty")
	case utf8.RuneCountInString(body) > maxRemoteComment:
		f.Errors["comment"] = l.T("admin.error.too_long", maxRemoteComment)
	}
	if f.Invalid() {
		s.renderCityItem(w, r, http.StatusBadRequest, id, f, false)
		return
	}
	if err := s.federation.CommentRemote(r.Context(), acc.ID, id, body); err != nil {
		if !errors.Is(err, ErrFederationInput) {
			s.Fail(w, r, err)
			return
		}
		s.Log().DebugContext(r.Context(), "remote comment refused", "id", id, "err", err)
		if !acc.Public {
			s.renderCityItem(w, r, http.StatusForbidden, id, f, true)
			return
		}
		f.Errors["comment"] = l.T("cities.comment.error.refused")
		s.renderCityItem(w, r, http.StatusBadRequest, id, f, false)
		return
	}
	http.Redirect(w, r, cityItemLink(id)+"&done=commented#comments", http.StatusSeeOther)
}
