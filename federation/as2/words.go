package as2

import (
	"agora/instances/debates"
	"agora/instances/proposals"
)

// words are the few words rendered documents carry for people who read
// them in Mastodon and the like, which show the content and ignore Agora's
// own terms. They match the frontend's feeds (frontend/i18n).
type words struct {
	State        map[proposals.State]string
	SupportOne   string // "%d soutien"
	SupportOther string // "%d soutiens"
	StateLabel   string // "État : %s"
	Answer       string // "Réponse officielle : %s"
	Alignment    map[debates.Alignment]string
	DebateOpen   string
	DebateClosed string
	Conclusion   string            // "Conclusion :"
	Catalogue    string            // the catalogue's name, before the node's
	Step         map[string]string // a budget project's follow-up status
	Progress     string            // "avancement : %d %"
}

// vocabulary holds the words by language; read only. French is the
// node's first language and the default.
var vocabulary = map[string]words{
	"fr": {
		State: map[proposals.State]string{
			proposals.Published: "publiée", proposals.Review: "en examen", proposals.Study: "à l’étude",
			proposals.Accepted: "acceptée", proposals.Rejected: "refusée", proposals.Implemented: "réalisée",
			proposals.Withdrawn: "retirée", proposals.Merged: "fusionnée avec une autre",
		},
		SupportOne: "%d soutien", SupportOther: "%d soutiens",
		StateLabel: "État : %s", Answer: "Réponse officielle : %s",
		Alignment: map[debates.Alignment]string{
			debates.AlignFor: "Pour", debates.AlignAgainst: "Contre", debates.AlignNeutral: "Neutre",
		},
		DebateOpen: "Débat ouvert", DebateClosed: "Débat clos", Conclusion: "Conclusion :",
		Catalogue: "Logiciels libres",
		Step:      map[string]string{"study": "Études", "tender": "Appel d’offres", "works": "Travaux", "done": "Réalisé", "abandoned": "Abandonné"},
		Progress:  "avancement : %d %%",
	},
	"en": {
		State: map[proposals.State]string{
			proposals.Published: "published", proposals.Review: "under review", proposals.Study: "in study",
			proposals.Accepted: "accepted", proposals.Rejected: "rejected", proposals.Implemented: "implemented",
			proposals.Withdrawn: "withdrawn", proposals.Merged: "merged into another",
		},
		SupportOne: "%d support", SupportOther: "%d supports",
		StateLabel: "State: %s", Answer: "Official answer: %s",
		Alignment: map[debates.Alignment]string{
			debates.AlignFor: "For", debates.AlignAgainst: "Against", debates.AlignNeutral: "Neutral",
		},
		DebateOpen: "Open debate", DebateClosed: "Closed debate", Conclusion: "Conclusion:",
		Catalogue: "Free software",
		Step:      map[string]string{"study": "Study", "tender": "Tender", "works": "Works", "done": "Done", "abandoned": "Abandoned"},
		Progress:  "progress: %d%%",
	},
}

// wordsFor returns the words of lang, French when there are none.
func wordsFor(lang string) words {
	if w, ok := vocabulary[lang]; ok {
		return w
	}
	return vocabulary["fr"]
}
