package as2

import "unicode/utf8"

// MaxAnswerName is the longest option name an answer may carry, in
// bytes: the poll's names are labels of at most 200 characters and a key.
const MaxAnswerName = 1024

// PollAnswer is an answer to a poll as Mastodon, GoToSocial, Misskey and
// Pleroma send it (FEP-9967): Create{Note} whose Note has a name (the
// option chosen), inReplyTo (the Question) and no content. A
// multiple-choice answer comes as one such Note per option.
type PollAnswer struct {
	ID       string // the Note's id
	Actor    string // who answered: the activity's actor
	Question string // inReplyTo
	Name     string // the option's name, exactly as sent (not sanitised: callers match it against their own names, and keep nothing else of it)
}

// ReadPollAnswer reads a poll answer from a parsed activity. ok is false
// for anything that is not one (a reply with content is a comment); err
// is a malformed answer: a name too long or not UTF-8, or a Note
// attributed to someone else than the activity's actor.
func ReadPollAnswer(a *Activity) (ans PollAnswer, ok bool, err error) {
	if a == nil || a.Type != "Create" || a.Object == nil || a.Object.Type != "Note" || a.Object.InReplyTo == "" {
		return PollAnswer{}, false, nil
	}
	m, _ := a.Raw["object"].(map[string]any)
	name := str(m["name"]) // as sent: Object.Name may have been cleaned since
	if name == "" || hasContent(m) {
		return PollAnswer{}, false, nil
	}
	if len(name) > MaxAnswerName || !utf8.ValidString(name) {
		return PollAnswer{}, false, malformed("poll answer %s: name of %d bytes, not UTF-8 or over %d", a.Object.ID, len(name), MaxAnswerName)
	}
	if a.Object.AttributedTo != "" && a.Object.AttributedTo != a.Actor {
		return PollAnswer{}, false, malformed("poll answer %s attributed to %s, sent by %s", a.Object.ID, a.Object.AttributedTo, a.Actor)
	}
	if _, err := requireURL("inReplyTo", a.Object.InReplyTo); err != nil {
		return PollAnswer{}, false, err
	}
	return PollAnswer{ID: a.Object.ID, Actor: a.Actor, Question: a.Object.InReplyTo, Name: name}, true, nil
}

// hasContent says whether an object has text (content, or a non-empty
// contentMap): a reply, not a poll answer. An empty content, as some
// servers send with an answer, is none.
func hasContent(m map[string]any) bool {
	if str(m["content"]) != "" {
		return true
	}
	cm, _ := m["contentMap"].(map[string]any)
	for _, v := range cm {
		if str(v) != "" {
			return true
		}
	}
	return false
}
