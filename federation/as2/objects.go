package as2

import (
	"cmp"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"agora/instances/debates"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// ProposalInput is what a proposal's Page is made of.
type ProposalInput struct {
	Proposal *proposals.Proposal
	Space    *spaces.Space
	// Author is the actor of the author when they chose to be public
	// (IDs.Person), else "": the Page is then attributed to the space's
	// Group, and names nobody.
	Author      string
	Attachments []proposals.Attachment // in order
	Answer      *proposals.Event       // the latest official answer (LatestAnswer), or nil
}

// LatestAnswer returns the last official answer of a proposal's timeline
// (oldest first), or nil.
func LatestAnswer(timeline []proposals.Event) *proposals.Event {
	for i := len(timeline) - 1; i >= 0; i-- {
		if timeline[i].Kind == "answer" {
			return &timeline[i]
		}
	}
	return nil
}

// answerMax is how much of an official answer the summary line quotes.
const answerMax = 200

// ProposalPage renders a proposal as a Page in its space's Group. A hidden
// proposal is a Tombstone.
//
// Mastodon shows a Page as its name, its summary and a link, and never its
// content (StatusParser#processed_text, for "converted" types): so the
// state line ("État : à l’étude · 42 soutiens · Réponse officielle : …")
// is the summary, and is also added after the body in content, which
// Lemmy and the rest show. Mastodon applies Updates to Notes and
// Questions only (ProcessStatusUpdateService#expected_type?): its readers
// keep the line of the Create, and follow the link for the rest. updated
// is the later of UpdatedAt and EditedAt.
func (r Renderer) ProposalPage(in ProposalInput) *Doc {
	p, sp := in.Proposal, in.Space
	id := r.IDs.Proposal(p.ID)
	if p.Hidden() {
		return Tombstone(id, "Page", *p.HiddenAt)
	}
	group := r.IDs.Space(sp.Slug)
	pg := streams.NewActivityStreamsPage()
	setID(pg, id)
	setName(pg, p.Title)
	line := r.proposalLine(p, in.Answer)
	setSummary(pg, line)
	setContent(pg, p.BodyHTML+"\n"+line)
	setMediaType(pg, "text/html")
	setAttributedTo(pg, cmp.Or(in.Author, group))
	setAudience(pg, group)
	setTo(pg, []string{Public, group})
	setCc(pg, []string{Followers(group)})
	setURL(pg, id)
	setPublished(pg, p.CreatedAt)
	setUpdated(pg, p.CreatedAt, latest(p.UpdatedAt, p.EditedAt))
	if len(in.Attachments) > 0 {
		pg.SetActivityStreamsAttachment(r.attachments(p.ID, in.Attachments))
	}
	if place := place(p); place != nil {
		loc := streams.NewActivityStreamsLocationProperty()
		loc.AppendActivityStreamsPlace(place)
		pg.SetActivityStreamsLocation(loc)
	}
	replies := streams.NewActivityStreamsRepliesProperty()
	replies.SetActivityStreamsCollection(collection(Replies(id), p.CommentCount))
	pg.SetActivityStreamsReplies(replies)

	extra := map[string]any{
		"source":      source(p.Body, "text/markdown"),
		TermState:     string(p.State),
		TermSupports:  p.SupportCount,
		TermThreshold: sp.SupportThreshold,
	}
	if in.Answer != nil {
		extra[TermOfficialAnswer] = in.Answer.Answer
	}
	if p.Category != "" {
		extra[TermCategory] = p.Category
		extra["tag"] = []any{map[string]any{
			"type": "Hashtag",
			"name": "#" + strings.ReplaceAll(p.Category, "-", "_"), // Mastodon's hashtags have no hyphen
			"href": group + "/proposals?category=" + url.QueryEscape(p.Category),
		}}
	}
	return &Doc{Value: pg, extra: extra}
}

// proposalLine is the one paragraph that says where a proposal stands.
func (r Renderer) proposalLine(p *proposals.Proposal, answer *proposals.Event) string {
	w := wordsFor(r.Lang)
	supports := w.SupportOther
	if p.SupportCount == 1 {
		supports = w.SupportOne
	}
	parts := []string{
		fmt.Sprintf(w.StateLabel, cmp.Or(w.State[p.State], string(p.State))),
		fmt.Sprintf(supports, p.SupportCount),
	}
	if answer != nil && answer.Answer != "" {
		parts = append(parts, fmt.Sprintf(w.Answer, cut(strings.Join(strings.Fields(answer.Answer), " "), answerMax)))
	}
	return "<p>" + html.EscapeString(strings.Join(parts, " · ")) + "</p>"
}

// attachments renders a proposal's files: photos as Image, the rest as
// Document, each at the address the site serves it from.
func (r Renderer) attachments(proposalID string, files []proposals.Attachment) vocab.ActivityStreamsAttachmentProperty {
	prop := streams.NewActivityStreamsAttachmentProperty()
	for _, f := range files {
		u := r.IDs.Attachment(proposalID, f.Position)
		if strings.HasPrefix(f.ContentType, "image/") {
			img := streams.NewActivityStreamsImage()
			setURL(img, u)
			setMediaType(img, f.ContentType)
			setName(img, f.Name)
			prop.AppendActivityStreamsImage(img)
			continue
		}
		doc := streams.NewActivityStreamsDocument()
		setURL(doc, u)
		setMediaType(doc, f.ContentType)
		setName(doc, f.Name)
		prop.AppendActivityStreamsDocument(doc)
	}
	return prop
}

// place is where a proposal is, or nil when it says nothing of it.
func place(p *proposals.Proposal) vocab.ActivityStreamsPlace {
	if p.Address == "" && p.Lat == nil {
		return nil
	}
	pl := streams.NewActivityStreamsPlace()
	setName(pl, p.Address)
	if p.Lat != nil && p.Lon != nil {
		lat := streams.NewActivityStreamsLatitudeProperty()
		lat.Set(*p.Lat)
		pl.SetActivityStreamsLatitude(lat)
		lon := streams.NewActivityStreamsLongitudeProperty()
		lon.Set(*p.Lon)
		pl.SetActivityStreamsLongitude(lon)
	}
	return pl
}

// DebatePage renders a standalone debate as a Page in its space's Group,
// attributed to author (the actor of a public author) or else to the
// Group. Its summary says whether it is open, for Mastodon as for
// proposals; a closed debate's conclusion follows its description in
// content. A hidden debate is a Tombstone.
func (r Renderer) DebatePage(d *debates.Debate, sp *spaces.Space, author string) *Doc {
	id := r.IDs.Debate(d.ID)
	if d.Hidden() {
		return Tombstone(id, "Page", *d.HiddenAt)
	}
	w := wordsFor(r.Lang)
	group := r.IDs.Space(sp.Slug)
	closed := d.State == debates.DebateClosed
	line := "<p>" + html.EscapeString(w.DebateOpen) + "</p>"
	if closed {
		line = "<p>" + html.EscapeString(w.DebateClosed) + "</p>"
	}
	content := d.DescriptionHTML + "\n" + line
	if closed && d.ConclusionHTML != "" {
		content += "\n<p><strong>" + html.EscapeString(w.Conclusion) + "</strong></p>\n" + d.ConclusionHTML
	}
	pg := streams.NewActivityStreamsPage()
	setID(pg, id)
	setName(pg, d.Question)
	setSummary(pg, line)
	setContent(pg, strings.TrimPrefix(content, "\n"))
	setMediaType(pg, "text/html")
	setAttributedTo(pg, cmp.Or(author, group))
	setAudience(pg, group)
	setTo(pg, []string{Public, group})
	setCc(pg, []string{Followers(group)})
	setURL(pg, id)
	setPublished(pg, d.CreatedAt)
	setUpdated(pg, d.CreatedAt, latest(time.Time{}, d.EditedAt, d.ClosedAt))
	replies := streams.NewActivityStreamsRepliesProperty()
	replies.SetActivityStreamsCollection(collection(Replies(id), d.CommentCount))
	pg.SetActivityStreamsReplies(replies)

	extra := map[string]any{TermState: string(d.State)}
	if d.Description != "" {
		extra["source"] = source(d.Description, "text/markdown")
	}
	return &Doc{Value: pg, extra: extra}
}

// CommentNote renders a local comment as a Note in its thread. A remote
// comment is not ours to render: it gives a Ref to its APID, which an
// Announce passes on by id and Serialize refuses. A deleted or hidden
// comment is a Tombstone.
//
// author is the actor of the author when they chose to be public; for
// anyone else the Note is attributed to the space's Group, so that it
// names nobody who did not choose to be seen beyond the node. inReplyTo is
// the id of what the comment answers; "" means the local parent comment,
// or the proposal's or debate's Page for a comment on the target itself.
// context (FEP-7888) is always that Page. Where the comment stands (for,
// against) is said in agora:alignment and, for Mastodon, at the top of
// content: never in summary, which Mastodon shows as a content warning.
func (r Renderer) CommentNote(c *debates.Comment, sp *spaces.Space, author, inReplyTo string) *Doc {
	id := r.IDs.Comment(c.ID)
	switch {
	case c.Remote() && c.APID != nil:
		return Ref(*c.APID)
	case c.Deleted():
		return Tombstone(id, "Note", *c.DeletedAt)
	case c.Hidden():
		return Tombstone(id, "Note", *c.HiddenAt)
	}
	page := r.IDs.Proposal(c.TargetID)
	if c.TargetKind == debates.TargetDebate {
		page = r.IDs.Debate(c.TargetID)
	}
	if inReplyTo == "" {
		inReplyTo = page
		if c.ParentID != "" {
			inReplyTo = r.IDs.Comment(c.ParentID)
		}
	}
	group := r.IDs.Space(sp.Slug)
	content := c.BodyHTML
	if label, ok := wordsFor(r.Lang).Alignment[c.Alignment]; ok {
		content = "<p><strong>" + html.EscapeString(label) + "</strong></p>\n" + content
	}
	n := streams.NewActivityStreamsNote()
	setID(n, id)
	setContent(n, content)
	setMediaType(n, "text/html")
	setAttributedTo(n, cmp.Or(author, group))
	setInReplyTo(n, inReplyTo)
	setContext(n, page)
	setAudience(n, group)
	setTo(n, []string{Public, group})
	setCc(n, []string{Followers(group)})
	setURL(n, page+"#comment-"+url.PathEscape(c.ID))
	setPublished(n, c.CreatedAt)
	if c.EditedAt != nil {
		setUpdated(n, c.CreatedAt, *c.EditedAt)
	}
	extra := map[string]any{"source": source(c.Body, "text/markdown")}
	if c.Alignment != debates.AlignNone {
		extra[TermAlignment] = string(c.Alignment)
	}
	return &Doc{Value: n, extra: extra}
}

// Tombstone stands for something deleted or withdrawn from view: id is
// what it was, formerType its type ("Page", "Note", "Person"), deleted
// when (left out when zero).
func Tombstone(id, formerType string, deleted time.Time) *Doc {
	t := streams.NewActivityStreamsTombstone()
	setID(t, id)
	ft := streams.NewActivityStreamsFormerTypeProperty()
	ft.AppendXMLSchemaString(formerType)
	t.SetActivityStreamsFormerType(ft)
	if !deleted.IsZero() {
		del := streams.NewActivityStreamsDeletedProperty()
		del.Set(deleted.UTC())
		t.SetActivityStreamsDeleted(del)
	}
	return &Doc{Value: t}
}

// latest returns the latest of t and the others that are set.
func latest(t time.Time, others ...*time.Time) time.Time {
	for _, o := range others {
		if o != nil && o.After(t) {
			t = *o
		}
	}
	return t
}

// cut shortens s to n characters, ending with an ellipsis when it cuts.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}

// RemoteNote is a comment a resident of this node wrote on a proposal or
// debate of another city (page, in the space group): a Note addressed to
// that space, whose node shows it with its origin.
func RemoteNote(id, author, page, group, contentHTML, markdown string, published time.Time) *Doc {
	n := streams.NewActivityStreamsNote()
	setID(n, id)
	setContent(n, contentHTML)
	setMediaType(n, "text/html")
	setAttributedTo(n, author)
	setInReplyTo(n, page)
	setContext(n, page)
	setAudience(n, group)
	setTo(n, []string{Public, group})
	setCc(n, []string{Followers(author)})
	setURL(n, id)
	setPublished(n, published)
	d := &Doc{Value: n, extra: map[string]any{}}
	if markdown != "" {
		d.extra["source"] = source(markdown, "text/markdown")
	}
	return d
}

// StepInput is a published step of a funded budget project.
type StepInput struct {
	ID, ProjectID, ProjectTitle string
	Status                      string // study, tender, works, done, abandoned
	Progress                    int
	Text                        string // plain text
	At                          time.Time
	Space                       *spaces.Space
}

// StepNote renders a step as a Note of the space's Group: the project's
// title linked to its page, where it stands, and what happened. Residents
// and other cities following the space see the works progress.
func (r Renderer) StepNote(in StepInput) *Doc {
	w := wordsFor(r.Lang)
	group := r.IDs.Space(in.Space.Slug)
	project := r.IDs.BudgetProject(in.ProjectID)
	content := "<p><a href=\"" + html.EscapeString(project) + "\">" + html.EscapeString(in.ProjectTitle) + "</a> — " +
		html.EscapeString(cmp.Or(w.Step[in.Status], in.Status)) + ", " + html.EscapeString(fmt.Sprintf(w.Progress, in.Progress)) + "</p>"
	for _, para := range strings.Split(strings.ReplaceAll(in.Text, "\r", ""), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			content += "\n<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>"
		}
	}
	n := streams.NewActivityStreamsNote()
	setID(n, r.IDs.BudgetStep(in.ID))
	setContent(n, content)
	setMediaType(n, "text/html")
	setAttributedTo(n, group)
	setAudience(n, group)
	setTo(n, []string{Public, group})
	setCc(n, []string{Followers(group)})
	setURL(n, project)
	setPublished(n, in.At)
	return &Doc{Value: n, extra: map[string]any{}}
}
