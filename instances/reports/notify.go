package reports

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
)

// followed is the follow target of a report.
func followed(id string) notifications.Target {
	return notifications.Target{Kind: notifications.Report, ID: id}
}

// TitleMax is how much of a report's description a notification keeps
// as its title.
const TitleMax = 120

// notifyState tells the followers of a report (its reporter among them,
// unless they stopped) of its new state, in the transaction of the
// change (see package notifications). The official who changed it is not
// told of their own act.
func notifyState(ctx context.Context, tx bun.IDB, at time.Time, r *Report, e *Event) error {
	t := followed(r.ID)
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.ReportState, Subject: t,
		Title: excerpt(r.Description, TitleMax), Detail: string(e.State), ActorID: e.ActorID, At: at,
		Followers: []notifications.Target{t}})
}

// excerpt is the first n characters of s on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n])) + "…"
}
