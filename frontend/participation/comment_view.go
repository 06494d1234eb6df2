package participation

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"agora/frontend/web"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/debates"
)

// threadDepth is how many levels of replies nest on a page; deeper
// replies are shown flat at the last level, after the comment they
// descend from.
const threadDepth = 4

// commentsData is everything the "comments" partial (templates/
// comments.html) shows of the thread of a proposal or a debate: the
// comments with their replies, the sort order, and the form to add one.
//
// A page that shows a thread builds it with commentsView and renders it
// inside its own section, under its own h2 (the partial's headings are
// h3), with the section's id "comments":
//
//	<section id="comments" aria-labelledby="comments-title">
//	  <h2 id="comments-title">…</h2>
//	  {{template "comments" .Data.Comments}}
//	</section>
type commentsData struct {
	L          *i18n.Printer
	Target     debates.Target
	PageURL    string // the target's page, where the sort form and the acts lead back
	Count      string // how many comments, in words
	Sort       string
	Sorts      []web.Option
	ThreadHTML template.HTML // rendered by threadCache for this reader
	Open       bool          // the target takes comments
	Closed     string        // why not, in words, when it does not
	SignIn     string        // where a visitor signs in to comment
	CanAdd     bool
	Add        commentFields // the form to add a comment
	Done       string        // what the reader just did, in words
	ShowThread bool          // false when there is nothing to show
	Slots      web.Slots     // marks the thread and the form to add one, which depend on the reader

	thread *renderedThread // what ThreadHTML was made from, for the page's readers
}

// commentLevel is one level of a thread: its comments, and the thread's
// data their templates need (only its printer: the thread is rendered for
// no reader in particular, see threadCache).
type commentLevel struct {
	D     *commentsData
	Items []*commentView
}

// commentView is one comment as the partial shows it.
type commentView struct {
	ID         string
	Author     string // display name, "former participant", or a remote actor's name
	AuthorURL  string // a remote author's profile
	Profile    string // a local author's public profile handle, or ""
	Origin     string // a remote author's server
	Remote     bool
	Via        string // "from the fediverse", for a remote author
	EnteredBy  string // "typed at a desk", for a comment an agent typed
	Date       string
	DateISO    string
	Alignment  string // in words, "" for none
	AlignClass string
	Body       template.HTML // rendered and sanitised by the debates service
	Hidden     bool
	Reason     string // why moderation hid it
	Deleted    bool
	Edited     bool          // edited since written: link to its history
	Supports   string        // the count, in words
	Acts       template.HTML // where threadCache puts what the reader may do
	Replies    commentLevel
}

// commentFields are the fields of a comment form: its text and, for a new
// comment or a reply, where it stands.
type commentFields struct {
	L          *i18n.Printer
	Form       *web.Form
	Alignments []web.Option // none for an edit
}

// commentDone are the confirmations a redirect may ask a thread to show.
var commentDone = []string{"added", "replied", "edited", "deleted", "supported", "unsupported", "hidden", "unhidden"}

// commentsView reads the thread of a target for the reader: the sort
// order from the query (?sort=oldest|newest|supported, oldest by default),
// their supports, and what they may do. A target that does not exist is
// debates.ErrNotFound.
func (s *surface) commentsView(r *http.Request, target debates.Target) (commentsData, error) {
	ctx, l, acc := r.Context(), s.Printer(r), web.CurrentAccount(r)
	sort, err := debates.ParseSort(r.URL.Query().Get("sort"))
	if err != nil {
		sort = debates.SortOldest
	}
	d := commentsData{L: l, Target: target, PageURL: web.TargetURL(target), Sort: string(sort),
		Add: s.commentFields(l, web.EmptyForm(), true), Slots: s.Slots()}
	for _, o := range []debates.Sort{debates.SortOldest, debates.SortNewest, debates.SortSupported} {
		d.Sorts = append(d.Sorts, web.Option{Value: string(o), Label: l.T("comment.sort." + string(o))})
	}
	switch err := s.debates.TakesComments(ctx, target); {
	case err == nil:
		d.Open = true
	case errors.Is(err, debates.ErrHidden):
		d.Closed = l.T("comment.closed.hidden." + string(target.Kind))
	case errors.Is(err, debates.ErrClosed):
		d.Closed = l.T("comment.closed.debate")
	default:
		return d, err
	}
	thread, err := s.threads.get(ctx, l, target, sort)
	if err != nil {
		return d, err
	}
	reader := threadReader{open: d.Open, moderator: acc.Has(accounts.Moderator)}
	if acc != nil {
		reader.accountID = acc.ID
		if reader.supported, err = s.debates.Supported(ctx, acc.ID, target); err != nil {
			return d, err
		}
	}
	d.thread = thread
	d.ThreadHTML = thread.html(reader)
	d.Count = l.Plural("comment.count", thread.visible)
	d.ShowThread = !thread.empty
	d.forReader(acc != nil)
	if done := r.URL.Query().Get("comment"); slices.Contains(commentDone, done) {
		d.Done = l.T("comment.done." + done)
	}
	return d, nil
}

// forReader sets the form to add a comment for a signed-in reader, or the
// link to sign in for a visitor.
func (d *commentsData) forReader(signedIn bool) {
	d.CanAdd, d.SignIn = d.Open && signedIn, ""
	if d.Open && !signedIn {
		d.SignIn = "/login?next=" + url.QueryEscape(d.PageURL+"#comments")
	}
}

// viewComment is what anyone may see of a comment: a hidden one shows
// only why, a deleted one only that it was.
func viewComment(l *i18n.Printer, c *debates.Comment) *commentView {
	v := &commentView{ID: c.ID, Date: l.DateTime(c.CreatedAt), DateISO: c.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
		Hidden: c.Hidden(), Reason: c.HiddenReason, Deleted: c.Deleted(), Supports: l.Plural("comment.supports", c.SupportCount)}
	v.Author, v.AuthorURL, v.Origin, v.Remote = web.CommentAuthor(l, c)
	v.Profile = web.CommentProfile(c)
	if v.Remote {
		v.Via = l.T("comment.fediverse")
	}
	if c.EnteredBy != "" {
		v.EnteredBy = l.T("comment.entered_at_desk", c.Desk)
	}
	if v.Hidden || v.Deleted {
		return v
	}
	v.Body = template.HTML(c.BodyHTML)
	v.Edited = c.EditedAt != nil
	if c.Alignment != debates.AlignNone {
		v.Alignment, v.AlignClass = l.T("comment.align."+string(c.Alignment)), "align-"+string(c.Alignment)
	}
	return v
}

// commentFields is a comment form over f, with the alignments when asked.
func (s *surface) commentFields(l *i18n.Printer, f *web.Form, aligned bool) commentFields {
	out := commentFields{L: l, Form: f}
	if aligned {
		if f.Values["alignment"] == "" {
			f.Values["alignment"] = "none"
		}
		for _, a := range []string{"none", "for", "against", "neutral"} {
			out.Alignments = append(out.Alignments, web.Option{Value: a, Label: l.T("comment.align." + a)})
		}
	}
	return out
}
