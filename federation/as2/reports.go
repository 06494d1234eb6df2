package as2

import (
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-fed/activity/streams"

	"agora/instances/reports"
)

// A report category is a Group actor, followed like a space: the node
// posts in it (Create{Note} of each report sent in the category and of
// each change of its state), nobody else does. A Group rather than a
// Service, so that another Agora node follows it from its admin page as
// it follows a space, and keeps what it sends for "Other cities".

// Agora's terms on a report's Notes.
const (
	TermService      = "agora:service"      // the city service in charge
	TermScheduledFor = "agora:scheduledFor" // the day of a planned intervention (YYYY-MM-DD)
	TermOperator     = "agora:operator"     // who a transferred report went to
)

// ReportHandlePrefix starts a category's WebFinger name
// (acct:signalements.nid-de-poule@host): spaces' slugs and people's
// handles never hold a dot, so no category shadows them, nor they it.
// Mastodon accepts dots inside a username.
const ReportHandlePrefix = "signalements."

// ReportCategory is a report category's Group actor.
func (ids IDs) ReportCategory(slug string) string { return ids.abs("reports", "categories", slug) }

// ReportList is the list of a category's reports, the actor's page.
func (ids IDs) ReportList(slug string) string {
	return ids.abs("reports") + "?category=" + url.QueryEscape(slug)
}

// Report is a report's Note, at its page.
func (ids IDs) Report(id string) string { return ids.abs("reports", id) }

// ReportState is the Note of one change of a report's state (its
// timeline event), a reply to the report's Note.
func (ids IDs) ReportState(reportID string, eventID int64) string {
	return ids.abs("reports", reportID, "states", strconv.FormatInt(eventID, 10))
}

// reportWords are the words of reports' Notes, French first; they match
// the frontend's (street.state.*).
type reportVocab struct {
	Name, Summary, Service, New, NewSuggestion, By, Report string
	State                                                  map[reports.State]string
}

var reportWords = map[string]reportVocab{
	"fr": {Name: "Signalements : %s", Summary: "Signalements « %s » sur %s, et ce que la ville en fait.",
		Service: "Service en charge : %s", New: "Nouveau signalement", NewSuggestion: "Nouvelle suggestion d’aménagement", By: "Signalé par %s", Report: "Signalement",
		State: map[reports.State]string{reports.New: "Nouveau", reports.Acknowledged: "Pris en compte",
			reports.Scheduled: "Intervention programmée", reports.Done: "Résolu", reports.Rejected: "Rejeté",
			reports.Requalified: "Confié à un autre service", reports.Transferred: "Transmis à un tiers"}},
	"en": {Name: "Reports: %s", Summary: "Reports of “%s” in %s, and what the city does about them.",
		Service: "Service in charge: %s", New: "New report", NewSuggestion: "New amenity suggestion", By: "Reported by %s", Report: "Report",
		State: map[reports.State]string{reports.New: "New", reports.Acknowledged: "Acknowledged",
			reports.Scheduled: "Intervention scheduled", reports.Done: "Done", reports.Rejected: "Rejected",
			reports.Requalified: "Handed to another service", reports.Transferred: "Transferred to a third party"}},
}

func (r Renderer) reportWords() reportVocab {
	if w, ok := reportWords[r.Lang]; ok {
		return w
	}
	return reportWords["fr"]
}

// ReportCategoryGroup renders a category's actor: its name (in French by
// default) as name, what it is and the service in charge as summary.
func (r Renderer) ReportCategoryGroup(c *reports.Category, nodeName, publicKeyPEM string) *Doc {
	w := r.reportWords()
	name := c.Name(r.Lang)
	g := streams.NewActivityStreamsGroup()
	id := r.IDs.ReportCategory(c.Slug)
	d := r.actor(g, id, r.IDs.ReportList(c.Slug), ReportHandlePrefix+c.Slug, fmt.Sprintf(w.Name, name), publicKeyPEM, false)
	setSummary(g, "<p>"+html.EscapeString(fmt.Sprintf(w.Summary, name, nodeName))+"</p><p>"+
		html.EscapeString(fmt.Sprintf(w.Service, c.Service))+"</p>")
	setUpdated(g, time.Time{}, c.UpdatedAt)
	d.extra["postingRestrictedToMods"] = true
	d.extra[TermService] = c.Service
	return d
}

// ReportInput is what a report's Note is made of: its public part only.
type ReportInput struct {
	Report     *reports.Published
	Category   *reports.Category // the category it was first sent in: the Note's Group
	Current    *reports.Category // the category it is in now
	AuthorName string            // "" unless the reporter chose to be named
}

// ReportNote renders a report as a Note of its category: the category,
// the address, the reporter's name when they chose to show it, the
// service; the place as a Place. Its open-data record is all it reads:
// never the description (free text may name people, and cannot be
// called back once federated), photos or messages; a reporter who kept
// their name private has their point rounded and no address.
func (r Renderer) ReportNote(in ReportInput) *Doc {
	w := r.reportWords()
	p := in.Report
	id := r.IDs.Report(p.ID)
	group := r.IDs.ReportCategory(in.Category.Slug)
	what := w.New
	if in.Category.Kind == reports.Suggestion {
		what = w.NewSuggestion
	}
	content := "<p>" + html.EscapeString(what) + " : <a href=\"" + html.EscapeString(id) + "\">" +
		html.EscapeString(in.Category.Name(r.Lang)) + "</a></p>"
	if r.Lang == "en" {
		content = strings.Replace(content, " : ", ": ", 1)
	}
	if p.Address != "" {
		content += "\n<p>" + html.EscapeString(p.Address) + "</p>"
	}
	if in.AuthorName != "" {
		content += "\n<p>" + html.EscapeString(fmt.Sprintf(w.By, in.AuthorName)) + "</p>"
	}
	content += "\n<p>" + html.EscapeString(fmt.Sprintf(w.Service, p.Service)) + "</p>"
	n := streams.NewActivityStreamsNote()
	setID(n, id)
	setContent(n, content)
	setMediaType(n, "text/html")
	setAttributedTo(n, group)
	setAudience(n, group)
	setTo(n, []string{Public, group})
	setCc(n, []string{Followers(group)})
	setURL(n, id)
	setPublished(n, p.CreatedAt)
	if p.Point != nil || p.Address != "" {
		pl := streams.NewActivityStreamsPlace()
		setName(pl, p.Address)
		if p.Point != nil {
			lat := streams.NewActivityStreamsLatitudeProperty()
			lat.Set(p.Point.Lat)
			pl.SetActivityStreamsLatitude(lat)
			lon := streams.NewActivityStreamsLongitudeProperty()
			lon.Set(p.Point.Lon)
			pl.SetActivityStreamsLongitude(lon)
		}
		loc := streams.NewActivityStreamsLocationProperty()
		loc.AppendActivityStreamsPlace(pl)
		n.SetActivityStreamsLocation(loc)
	}
	current := in.Category
	if in.Current != nil {
		current = in.Current
	}
	return &Doc{Value: n, extra: map[string]any{
		TermState:    string(p.State),
		TermCategory: current.Slug,
		TermService:  p.Service,
	}}
}

// StateInput is what the Note of a change of state is made of.
type StateInput struct {
	Event    *reports.Event    // a change of state (never a message)
	Category *reports.Category // the report's first category: the Note's Group
	// NewCategory, for a requalification, is the category it went to.
	NewCategory *reports.Category
}

// ReportStateNote renders a change of a report's state as a reply to the
// report's Note: the new state (its date, operator or new category) and
// the service's message.
func (r Renderer) ReportStateNote(in StateInput) *Doc {
	w := r.reportWords()
	e := in.Event
	report := r.IDs.Report(e.ReportID)
	group := r.IDs.ReportCategory(in.Category.Slug)
	line := html.EscapeString(w.State[e.State])
	extra := map[string]any{TermState: string(e.State), TermCategory: e.Category, TermService: e.Service}
	switch {
	case e.State == reports.Scheduled && e.ScheduledFor != nil:
		line += " (" + e.ScheduledFor.Format(time.DateOnly) + ")"
		extra[TermScheduledFor] = e.ScheduledFor.Format(time.DateOnly)
	case e.State == reports.Transferred && e.Operator != "":
		line += " : " + html.EscapeString(e.Operator)
		extra[TermOperator] = e.Operator
	case e.State == reports.Requalified && in.NewCategory != nil:
		line += " : " + html.EscapeString(in.NewCategory.Name(r.Lang)) + " (" + html.EscapeString(e.Service) + ")"
	}
	content := "<p><a href=\"" + html.EscapeString(report) + "\">" + html.EscapeString(w.Report) + " « " +
		html.EscapeString(in.Category.Name(r.Lang)) + " »</a> — " + line + "</p>"
	for _, para := range strings.Split(strings.ReplaceAll(e.Message, "\r", ""), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			content += "\n<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>"
		}
	}
	n := streams.NewActivityStreamsNote()
	setID(n, r.IDs.ReportState(e.ReportID, e.ID))
	setContent(n, content)
	setMediaType(n, "text/html")
	setAttributedTo(n, group)
	setAudience(n, group)
	setInReplyTo(n, report)
	setContext(n, report)
	setTo(n, []string{Public, group})
	setCc(n, []string{Followers(group)})
	setURL(n, report)
	setPublished(n, e.At)
	return &Doc{Value: n, extra: extra}
}
