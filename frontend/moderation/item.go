package moderation

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"agora/frontend/i18n"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// excerptLength is how much of an item's text moderation pages quote.
const excerptLength = 300

// itemView is a reported or moderated item as moderation pages name it.
type itemView struct {
	Target   moderation.Target
	AuthorID string // a local author's account, "" for a fediverse one
	Name     string // "the proposal “…”", "Camille’s comment", in words
	URL      string // its page; a comment's place in its thread
	Excerpt  string // the start of its text, plain
	Hidden   bool
	Reason   string // why moderation hid it
	SpaceID  string
	Category string // a proposal's
	State    string // a proposal's
}

// itemView loads what moderation pages show of an item. Only moderators
// (full) see the name and text of a hidden item.
func (s *surface) itemView(ctx context.Context, l *i18n.Printer, t moderation.Target, full bool) (*itemView, error) {
	v := &itemView{Target: t}
	switch t.Kind {
	case moderation.TargetProposal:
		p, err := s.proposals.ByID(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		v.Name, v.URL, v.SpaceID, v.Category, v.State = l.T("moderation.item.proposal", p.Title), "/proposals/"+url.PathEscape(p.ID),
			p.SpaceID, p.Category, string(p.State)
		v.Excerpt, v.Hidden, v.Reason, v.AuthorID = excerpt(s.markup.Text(p.BodyHTML)), p.Hidden(), p.HiddenReason, p.AuthorID
	case moderation.TargetDebate:
		d, err := s.debates.Debate(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		v.Name, v.URL, v.SpaceID = l.T("moderation.item.debate", d.Question), "/debates/"+url.PathEscape(d.ID), d.SpaceID
		v.Excerpt, v.Hidden, v.Reason, v.AuthorID = excerpt(s.markup.Text(d.DescriptionHTML)), d.Hidden(), d.HiddenReason, d.AuthorID
	case moderation.TargetComment:
		c, err := s.debates.Comment(ctx, t.ID)
		if err == nil && c.Deleted() {
			err = debates.ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		author, _, origin, _ := web.CommentAuthor(l, c)
		if origin != "" {
			author += " (" + origin + ")"
		}
		v.Name, v.URL = l.T("moderation.item.comment", author), web.CommentURL(c.Target(), c.ID, "")
		v.Excerpt, v.Hidden, v.Reason, v.AuthorID = excerpt(s.markup.Text(c.BodyHTML)), c.Hidden(), c.HiddenReason, c.AuthorID
	default:
		return nil, moderation.ErrTarget
	}
	if v.Hidden && !full {
		v.Name, v.Excerpt = l.T("moderation.item.hidden."+string(t.Kind)), ""
	}
	return v, nil
}

// excerpt cuts a text to excerptLength characters, at a space if it can.
func excerpt(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= excerptLength {
		return text
	}
	cut := string([]rune(text)[:excerptLength])
	if i := strings.LastIndexByte(cut, ' '); i > excerptLength/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
