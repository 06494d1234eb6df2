package as2

import (
	"cmp"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-fed/activity/streams"

	"agora/instances/spaces"
)

// Agora's terms on a participatory-budget project's Page.
const (
	TermBudgetProject = "agora:budgetProject" // true: this Page is a budget project, not a proposal
	TermEdition       = "agora:edition"       // the edition's title
	TermHeading       = "agora:heading"       // the envelope's name
	TermRef           = "agora:reference"     // the project's reference in its edition
	TermCost          = "agora:cost"          // whole currency units (integer)
	TermCurrency      = "agora:currency"      // ISO 4217 code
	TermVotes         = "agora:votes"         // ballots for it (integer)
	TermFunded        = "agora:funded"        // boolean: the edition's rule funds it
	TermStatus        = "agora:status"        // follow-up: study, tender, works, done, abandoned ("" before any step)
	TermProgress      = "agora:progress"      // percent, 0 to 100
	TermSpent         = "agora:spent"         // money spent so far, whole units (integer)
)

// BudgetStatuses are the follow-up statuses a project's Page may carry.
var BudgetStatuses = []string{"study", "tender", "works", "done", "abandoned"}

// BudgetProjectInput is a project of a decided edition, as it federates.
type BudgetProjectInput struct {
	ID, Ref, Title, Description string // Description is plain text
	Edition, Heading            string // titles
	Cost, Spent, Votes          int64
	Currency                    string
	Funded                      bool
	Status                      string // "" before the first step
	Progress                    int
	Published, Updated          time.Time
	Space                       *spaces.Space
}

// BudgetProjectPage renders a project of a decided edition as a Page of
// its budget space's Group. Mastodon shows a Page as its name, summary
// and link: the summary is the line that says where the project stands
// ("Financé · Coût : 120 000 € · Travaux, avancement : 40 %"); the same
// figures are PropertyValue attachments, which Mastodon shows as a
// profile's fields do, and Agora's terms, which machines read.
func (r Renderer) BudgetProjectPage(in BudgetProjectInput) *Doc {
	w := budgetWordsFor(r.Lang)
	group := r.IDs.Space(in.Space.Slug)
	id := r.IDs.BudgetProject(in.ID)
	cost := money(in.Cost, in.Currency, r.Lang)
	parts := []string{w.notFunded}
	if in.Funded {
		parts = []string{w.funded}
	}
	parts = append(parts, fmt.Sprintf(w.cost, cost))
	fields := [][2]string{{w.costName, cost}, {w.votesName, strconv.FormatInt(in.Votes, 10)}}
	if in.Heading != "" {
		fields = append(fields, [2]string{w.headingName, in.Heading})
	}
	if in.Funded && in.Status != "" {
		step := cmp.Or(wordsFor(r.Lang).Step[in.Status], in.Status)
		progress := fmt.Sprintf("%d %%", in.Progress)
		parts = append(parts, step+", "+fmt.Sprintf(wordsFor(r.Lang).Progress, in.Progress))
		fields = append(fields, [2]string{w.statusName, step}, [2]string{w.progressName, progress})
		if in.Spent > 0 {
			fields = append(fields, [2]string{w.spentName, money(in.Spent, in.Currency, r.Lang)})
		}
	}
	line := "<p>" + html.EscapeString(strings.Join(parts, " · ")) + "</p>"
	content := ""
	for _, para := range strings.Split(strings.ReplaceAll(in.Description, "\r", ""), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			content += "<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>\n"
		}
	}
	pg := streams.NewActivityStreamsPage()
	setID(pg, id)
	setName(pg, in.Title)
	setSummary(pg, line)
	setContent(pg, content+line)
	setMediaType(pg, "text/html")
	setAttributedTo(pg, group)
	setAudience(pg, group)
	setTo(pg, []string{Public, group})
	setCc(pg, []string{Followers(group)})
	setURL(pg, id)
	setPublished(pg, in.Published)
	if in.Updated.After(in.Published) {
		setUpdated(pg, in.Published, in.Updated)
	}
	attachment := make([]any, 0, len(fields))
	for _, f := range fields {
		attachment = append(attachment, map[string]any{"type": "PropertyValue", "name": f[0], "value": f[1]})
	}
	extra := map[string]any{
		"attachment":      attachment,
		TermBudgetProject: true,
		TermEdition:       in.Edition,
		TermRef:           in.Ref,
		TermCost:          in.Cost,
		TermCurrency:      in.Currency,
		TermVotes:         in.Votes,
		TermFunded:        in.Funded,
	}
	if in.Heading != "" {
		extra[TermHeading] = in.Heading
	}
	if in.Funded && in.Status != "" {
		extra[TermStatus] = in.Status
		extra[TermProgress] = in.Progress
		extra[TermSpent] = in.Spent
	}
	return &Doc{Value: pg, extra: extra}
}

// money writes a whole amount with its currency, as a reader of lang
// expects: "120 000 €", "€120,000".
func money(n int64, currency, lang string) string {
	digits := strconv.FormatInt(n, 10)
	sep := "\u202f" // French groups thousands with a narrow no-break space
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	sym := currency
	if currency == "EUR" || currency == "" {
		sym = "€"
	}
	if lang == "en" && sym == "€" {
		return sym + b.String()
	}
	return b.String() + "\u00a0" + sym
}

type budgetWords struct {
	funded, notFunded, cost                                               string
	costName, votesName, headingName, statusName, progressName, spentName string
}

var budgetVocabulary = map[string]budgetWords{
	"fr": {funded: "Financé", notFunded: "Non retenu", cost: "Coût : %s",
		costName: "Coût", votesName: "Votes", headingName: "Enveloppe", statusName: "Étape", progressName: "Avancement", spentName: "Dépensé"},
	"en": {funded: "Funded", notFunded: "Not funded", cost: "Cost: %s",
		costName: "Cost", votesName: "Votes", headingName: "Envelope", statusName: "Stage", progressName: "Progress", spentName: "Spent"},
}

func budgetWordsFor(lang string) budgetWords {
	if w, ok := budgetVocabulary[lang]; ok {
		return w
	}
	return budgetVocabulary["fr"]
}

// BudgetProject is what a peer's budget project Page says of itself, in
// Agora's terms, checked: amounts are whole and within bounds, the status
// one of BudgetStatuses (or ""), progress 0 to 100, the currency three
// capital letters. Texts (Edition, Heading, Ref) are as sent: the caller
// makes them plain text.
type BudgetProject struct {
	Edition, Heading, Ref string
	Cost, Spent, Votes    int64
	Currency              string
	Funded                bool
	Status                string
	Progress              int
}

// MaxBudgetAmount bounds the amounts read, as instances/budgets does
// (10^12 whole units).
const MaxBudgetAmount = 1_000_000_000_000

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// ReadBudgetProject reads Agora's budget terms of an object as sent
// (ParseObject's map, or an inline object). ok is false when the object
// does not say it is a budget project (agora:budgetProject true); a
// project with a term of the wrong kind or out of bounds is an error
// (ErrMalformed), so nothing half-read is kept.
func ReadBudgetProject(raw map[string]any) (p BudgetProject, ok bool, err error) {
	if is, _ := raw[TermBudgetProject].(bool); !is {
		return BudgetProject{}, false, nil
	}
	text := func(key string, max int) (string, error) {
		switch v := raw[key].(type) {
		case nil:
			return "", nil
		case string:
			if len(v) > max {
				return "", malformed("%s longer than %d bytes", key, max)
			}
			return v, nil
		}
		return "", malformed("%s is %s, not a string", key, kind(raw[key]))
	}
	whole := func(key string, max float64) (int64, error) {
		switch v := raw[key].(type) {
		case nil:
			return 0, nil
		case float64:
			if v < 0 || v > max || v != math.Trunc(v) {
				return 0, malformed("%s %v is not a whole number from 0 to %.0f", key, v, max)
			}
			return int64(v), nil
		}
		return 0, malformed("%s is %s, not a number", key, kind(raw[key]))
	}
	if p.Edition, err = text(TermEdition, 1000); err != nil {
		return BudgetProject{}, true, err
	}
	if p.Heading, err = text(TermHeading, 1000); err != nil {
		return BudgetProject{}, true, err
	}
	if p.Ref, err = text(TermRef, 200); err != nil {
		return BudgetProject{}, true, err
	}
	if p.Currency, err = text(TermCurrency, 3); err != nil {
		return BudgetProject{}, true, err
	}
	if p.Currency != "" && !currencyCode.MatchString(p.Currency) {
		return BudgetProject{}, true, malformed("%s %q is not an ISO 4217 code", TermCurrency, p.Currency)
	}
	if p.Status, err = text(TermStatus, 20); err != nil {
		return BudgetProject{}, true, err
	}
	known := p.Status == ""
	for _, s := range BudgetStatuses {
		known = known || s == p.Status
	}
	if !known {
		return BudgetProject{}, true, malformed("%s %q is not a follow-up status", TermStatus, p.Status)
	}
	if p.Cost, err = whole(TermCost, MaxBudgetAmount); err != nil {
		return BudgetProject{}, true, err
	}
	if p.Spent, err = whole(TermSpent, MaxBudgetAmount); err != nil {
		return BudgetProject{}, true, err
	}
	if p.Votes, err = whole(TermVotes, MaxBudgetAmount); err != nil {
		return BudgetProject{}, true, err
	}
	progress, err := whole(TermProgress, 100)
	if err != nil {
		return BudgetProject{}, true, err
	}
	p.Progress = int(progress)
	switch v := raw[TermFunded].(type) {
	case nil:
	case bool:
		p.Funded = v
	default:
		return BudgetProject{}, true, malformed("%s is %s, not a boolean", TermFunded, kind(v))
	}
	return p, true, nil
}
