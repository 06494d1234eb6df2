package participation

import (
	"time"

	"agora/frontend/i18n"
	"agora/instances/spaces"
)

// phaseView is one phase of a space as pages show it: its name, its days
// in words, and where it stands against now.
type phaseView struct {
	Name          string
	Kind          spaces.PhaseKind
	From, Until   string // the first and last day (or moment) of the phase
	Past, Current bool
}

// phaseName is a phase's own label, or its kind's name.
func phaseName(l *i18n.Printer, p *spaces.Phase) string {
	if p.Name != "" {
		return p.Name
	}
	return l.T("space.phase." + string(p.Kind))
}

// moment writes when a phase starts: the day alone when it starts at
// midnight where the node is, else the day and the time.
func (s *surface) moment(l *i18n.Printer, t time.Time) string {
	if local := t.In(s.Location()); local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0 {
		return l.Date(t)
	}
	return l.DateTime(t)
}

// lastDay writes when a phase ends. Phases end at an exclusive instant;
// one that ends at midnight ends, for a reader, the day before.
func (s *surface) lastDay(l *i18n.Printer, t time.Time) string {
	if local := t.In(s.Location()); local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0 {
		return l.Date(t.Add(-time.Second))
	}
	return l.DateTime(t)
}

// phaseViews lists a space's phases against now.
func (s *surface) phaseViews(l *i18n.Printer, sp *spaces.Space, now time.Time) []phaseView {
	out := make([]phaseView, len(sp.Phases))
	for i := range sp.Phases {
		p := &sp.Phases[i]
		out[i] = phaseView{Name: phaseName(l, p), Kind: p.Kind, From: l.Moment(p.StartsAt), Until: l.LastDay(p.EndsAt),
			Past: !now.Before(p.EndsAt), Current: !now.Before(p.StartsAt) && now.Before(p.EndsAt)}
	}
	return out
}

// whatNow says in plain words what residents can do in a space now.
func (s *surface) whatNow(l *i18n.Printer, sp *spaces.Space, now time.Time) string {
	cur := sp.PhaseAt(now)
	if cur == nil {
		var next *spaces.Phase
		for i := range sp.Phases {
			if now.Before(sp.Phases[i].StartsAt) {
				next = &sp.Phases[i]
				break
			}
		}
		switch {
		case len(sp.Phases) == 0:
			return l.T("space.now.none")
		case next == nil:
			return l.T("space.now.ended", l.LastDay(sp.Phases[len(sp.Phases)-1].EndsAt))
		case next == &sp.Phases[0]:
			return l.T("space.now.soon", l.Moment(next.StartsAt), phaseName(l, next))
		default:
			return l.T("space.now.between", phaseName(l, next), l.Moment(next.StartsAt))
		}
	}
	until := l.LastDay(cur.EndsAt)
	if cur.Kind == spaces.Information {
		for i := range sp.Phases {
			if p := &sp.Phases[i]; p.Kind == spaces.Proposals && now.Before(p.StartsAt) {
				return l.T("space.now.information_then", until, l.Moment(p.StartsAt))
			}
		}
	}
	return l.T("space.now."+string(cur.Kind), until)
}

// spaceKindName is the name of a kind of space.
func spaceKindName(l *i18n.Printer, k spaces.Kind) string { return l.T("space.kind." + string(k)) }
