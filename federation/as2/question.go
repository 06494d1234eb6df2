package as2

import (
	"fmt"
	"html"
	"strings"

	"github.com/go-fed/activity/streams"

	"agora/instances/decisions"
	"agora/instances/spaces"
)

// Agora's terms on a vote's Question.
const (
	TermMethod  = "agora:method"  // single, approval, ranked, score, budget
	TermResults = "agora:results" // the published results (agora-decision/1), once the vote is counted
)

// QuestionInput is what a vote's Question is made of.
type QuestionInput struct {
	Vote  *decisions.Vote
	Space *spaces.Space
	// Opinion is the fediverse's answers, the only counts the Question
	// carries in oneOf/anyOf and votersCount.
	Opinion *decisions.Opinion
	// Tally is the binding count once the vote is closed and counted,
	// else nil: it is said in content, and the published document is
	// attached.
	Tally *decisions.Tally
}

// pollWords are the words of a vote's Question, by language.
type pollWords struct {
	Binding  string // "Vote des résidents vérifiés, du %s au %s."
	Opinion  string // what an answer from the fediverse is
	Multiple string // for anyOf polls of ranked, score and budget votes
	Result   string // "Résultat officiel : "
	Votes    string // "%s (%d)"
	Turnout  string // "%d votants sur %d inscrits"
	Counting string // closed, not yet counted
	Quorum   string // "Quorum non atteint (%d voix requises) …"
	Download string // the attachment's name
}

var pollVocabulary = map[string]pollWords{
	"fr": {
		Binding:  "Vote officiel des résidents vérifiés, du %s au %s (UTC).",
		Opinion:  "Vos réponses depuis le fédivers sont comptées à part, comme un avis : elles ne comptent pas dans le résultat officiel.",
		Multiple: "Ici, cochez les options qui vous conviennent.",
		Result:   "Résultat officiel : ",
		Votes:    "%s (%d)",
		Turnout:  "%d votes de résidents, %d inscrits.",
		Counting: "Vote clos, dépouillement en cours.",
		Quorum:   " Quorum non atteint (%d voix requises) : ce résultat ne fait pas décision.",
		Download: "Résultats publiés, bulletins par reçu (JSON)",
	},
	"en": {
		Binding:  "Binding vote of verified residents, from %s to %s (UTC).",
		Opinion:  "Your answers from the fediverse are counted apart, as opinion: they do not count in the binding result.",
		Multiple: "Here, tick the options you like.",
		Result:   "Binding result: ",
		Votes:    "%s (%d)",
		Turnout:  "%d resident votes, %d on the roll.",
		Counting: "Vote closed, counting.",
		Quorum:   " Quorum not reached (%d votes needed): this result does not stand.",
		Download: "Published results, ballots by receipt (JSON)",
	},
}

// Vote is a vote's Question, also its page.
func (ids IDs) Vote(id string) string { return ids.abs("votes", id) }

// VoteResults is the published results document of a vote.
func (ids IDs) VoteResults(id string) string { return ids.Vote(id) + "/results.json" }

// VoteQuestion renders a vote as a Question of its space's Group
// (FEP-9967): a single-choice vote as oneOf, every other method as anyOf
// (a ranked, score or budget ballot has no poll form: its poll asks which
// options one likes). Each option is a Note named after it
// (decisions.PollNames) whose replies.totalItems is the number of
// fediverse actors who chose it; votersCount is how many actors answered.
// These are always the fediverse's counts, never the binding ones: once
// the vote is counted, the binding result is written in content and the
// published document attached, and closed is set to the closing time.
func (r Renderer) VoteQuestion(in QuestionInput) *Doc {
	v, sp := in.Vote, in.Space
	w := pollVocabulary[r.Lang]
	if w.Binding == "" {
		w = pollVocabulary["fr"]
	}
	id := r.IDs.Vote(v.ID)
	group := r.IDs.Space(sp.Slug)
	names := decisions.PollNames(v)
	op := in.Opinion
	if op == nil || len(op.Counts) != len(names) {
		op = &decisions.Opinion{Counts: make([]int64, len(names))}
	}

	var b strings.Builder
	b.WriteString("<p>" + html.EscapeString(v.Question) + "</p>")
	for _, para := range strings.Split(strings.ReplaceAll(v.Description, "\r", ""), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("\n<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
		}
	}
	line := fmt.Sprintf(w.Binding, v.OpensAt.UTC().Format("2006-01-02 15:04"), v.ClosesAt.UTC().Format("2006-01-02 15:04")) + " " + w.Opinion
	if v.MultipleChoice() {
		line += " " + w.Multiple
	}
	b.WriteString("\n<p>" + html.EscapeString(line) + "</p>")
	closed := v.ClosedAt != nil
	if closed {
		b.WriteString("\n<p>" + html.EscapeString(r.bindingLine(w, v, names, in.Tally)) + "</p>")
	}

	q := streams.NewActivityStreamsQuestion()
	setID(q, id)
	setName(q, v.Question)
	setContent(q, b.String())
	setMediaType(q, "text/html")
	setAttributedTo(q, group)
	setAudience(q, group)
	setTo(q, []string{Public, group})
	setCc(q, []string{Followers(group)})
	setURL(q, id)
	setPublished(q, v.CreatedAt)
	setUpdated(q, v.CreatedAt, latest(v.UpdatedAt, v.ClosedAt))
	end := streams.NewActivityStreamsEndTimeProperty()
	end.Set(v.ClosesAt.UTC())
	q.SetActivityStreamsEndTime(end)
	if closed {
		c := streams.NewActivityStreamsClosedProperty()
		c.AppendXMLSchemaDateTime(v.ClosesAt.UTC())
		q.SetActivityStreamsClosed(c)
	}

	options := make([]any, len(names))
	for i, name := range names {
		options[i] = map[string]any{
			"type":    "Note",
			"name":    name,
			"replies": map[string]any{"type": "Collection", "totalItems": op.Counts[i]},
		}
	}
	kind := "oneOf"
	if v.MultipleChoice() {
		kind = "anyOf"
	}
	extra := map[string]any{
		kind:          options,
		"votersCount": op.Voters,
		TermMethod:    string(v.Method),
	}
	if closed && in.Tally != nil {
		extra[TermResults] = r.IDs.VoteResults(v.ID)
		extra["attachment"] = []any{map[string]any{
			"type": "Document", "mediaType": "application/json", "name": w.Download, "url": r.IDs.VoteResults(v.ID),
		}}
	}
	return &Doc{Value: q, extra: extra}
}

// bindingLine says the binding result in one line: the options by the
// count's order with their totals, and the turnout.
func (r Renderer) bindingLine(w pollWords, v *decisions.Vote, names []string, t *decisions.Tally) string {
	if t == nil {
		return w.Counting
	}
	byKey := map[string]int{}
	for i, o := range v.Options {
		byKey[o.Key] = i
	}
	total := map[string]int64{}
	for _, x := range t.Result.Totals {
		total[x.Key] = x.Votes
		if v.Method == decisions.Score {
			total[x.Key] = x.Score
		}
	}
	parts := make([]string, 0, len(t.Result.Order))
	for _, key := range t.Result.Order {
		i, ok := byKey[key]
		if !ok {
			continue
		}
		if v.Method == decisions.Ranked {
			parts = append(parts, names[i])
			continue
		}
		parts = append(parts, fmt.Sprintf(w.Votes, names[i], total[key]))
	}
	sep := ", "
	if v.Method == decisions.Ranked {
		sep = " > "
	}
	line := w.Result + strings.Join(parts, sep) + ". " + fmt.Sprintf(w.Turnout, t.Result.Ballots, t.Electorate)
	if t.Result.Quorum > 0 && !t.Result.Quorate {
		line += fmt.Sprintf(w.Quorum, t.Result.Quorum)
	}
	return line
}
