package decisions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/outbox"
)

// Fediverse opinion: a vote is also a poll that anyone on the fediverse
// may answer (federation renders it as an ActivityStreams Question).
// Those answers are opinion, never ballots: they are stored apart
// (decision_poll_answers), counted apart (Opinion), and never read by a
// count, a result or the published document.

// Errors of a fediverse answer.
var (
	ErrUnknownName = errors.New("no option of this vote has this name")
	ErrAnswered    = errors.New("this actor already answered this single-choice poll with another option")
	ErrAnswerActor = errors.New("a fediverse answer needs its actor's id and its activity's id")
)

// Bounds of what a peer sends.
const (
	maxNameBytes  = 1024 // an option's label is at most 200 characters (4 bytes each at most) plus its key
	maxActorBytes = 2048
)

// Answer is one option chosen by a remote actor, as their server sent it
// (Mastodon sends one Note per option chosen).
type Answer struct {
	VoteID     string
	Actor      string // the remote actor's id
	Name       string // the option's poll name (PollNames)
	ActivityID string
}

// Opinion is what the fediverse answered to a vote's poll: per option
// (in the vote's order) the remote actors who chose it, and how many
// distinct actors answered at all.
type Opinion struct {
	Counts []int64 `json:"counts"`
	Voters int64   `json:"voters"`
}

// Total is the number of answers (an actor may choose several options of
// a multiple-choice poll).
func (o *Opinion) Total() int64 {
	var n int64
	for _, c := range o.Counts {
		n += c
	}
	return n
}

// MultipleChoice says whether the vote's poll takes several options
// (anyOf) rather than one (oneOf): every method but single. A ranked,
// score or budget ballot has no poll form on the fediverse; its poll
// asks which options one likes, as an approval vote does.
func (v *Vote) MultipleChoice() bool { return v.Method != Single }

// PollNames are the names of the vote's options in its poll, in order:
// the labels, where a label that two options share is followed by the
// option's key in parentheses, so that every name is distinct and an
// answer names one option.
func PollNames(v *Vote) []string {
	seen := map[string]int{}
	for _, o := range v.Options {
		seen[o.Label]++
	}
	names := make([]string, len(v.Options))
	for i, o := range v.Options {
		names[i] = o.Label
		if seen[o.Label] > 1 {
			names[i] = o.Label + " (" + o.Key + ")"
		}
	}
	return names
}

// CleanName is the name of an answer as compared with the poll's names:
// spaces around it trimmed, inner runs of spaces as one space, and
// refused ("") when it is not UTF-8, too long, or holds a control or
// format character (a bidirectional override, a zero-width joiner that
// would make a name look like another).
func CleanName(s string) string {
	if len(s) > maxNameBytes || !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		if unicode.IsControl(r) && !unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return ""
		}
	}
	return strings.Join(strings.Fields(s), " ")
}

// position is the option an answer names, by its poll name.
func (v *Vote) position(name string) (int, bool) {
	name = CleanName(name)
	if name == "" {
		return 0, false
	}
	for i, n := range PollNames(v) {
		if CleanName(n) == name {
			return i, true
		}
	}
	return 0, false
}

// answerRow is one stored answer. Slot is the option's position for a
// multiple-choice poll, 0 for a single-choice one: the primary key then
// takes one answer per actor.
type answerRow struct {
	bun.BaseModel `bun:"table:decision_poll_answers"`

	VoteID     string    `bun:"vote_id,pk"`
	Actor      string    `bun:"actor,pk"`
	Slot       int       `bun:"slot,pk"`
	Position   int       `bun:"position"`
	ActivityID string    `bun:"activity_id"`
	CreatedAt  time.Time `bun:"created_at"`
}

// AddAnswer records a fediverse answer to a vote's poll. It returns
// false, and changes nothing, when the actor had already chosen this
// option (a repeated answer counts once). Refused, changing nothing: an
// unknown vote (ErrNotFound), a name that is no option's
// (ErrUnknownName), an answer before opening (ErrNotOpen) or from
// closing on (ErrClosed), a second option on a single-choice poll
// (ErrAnswered). An answer recorded queues an update of the poll (its
// counts), which federation coalesces.
func (s *Service) AddAnswer(ctx context.Context, a Answer) (bool, error) {
	if a.Actor == "" || len(a.Actor) > maxActorBytes || a.ActivityID == "" || len(a.ActivityID) > maxActorBytes {
		return false, ErrAnswerActor
	}
	var added bool
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// A share lock, as a ballot takes: closing (which locks the row
		// for update) and an answer do not cross.
		v, err := s.load(ctx, tx, a.VoteID, "SHARE")
		if err != nil {
			return err
		}
		pos, ok := v.position(a.Name)
		if !ok {
			return ErrUnknownName
		}
		now := s.now()
		if err := v.Window(now); err != nil {
			return err
		}
		if v.ClosedAt != nil {
			return ErrClosed
		}
		row := &answerRow{VoteID: v.ID, Actor: a.Actor, Position: pos, ActivityID: a.ActivityID, CreatedAt: now}
		if v.MultipleChoice() {
			row.Slot = pos
		}
		res, err := tx.NewInsert().Model(row).On("CONFLICT (vote_id, actor, slot) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("record answer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var before answerRow
			err := tx.NewSelect().Model(&before).Where("vote_id = ? AND actor = ? AND slot = ?", v.ID, a.Actor, row.Slot).Scan(ctx)
			if err != nil {
				return fmt.Errorf("read answer: %w", err)
			}
			if before.Position != pos {
				return ErrAnswered
			}
			return nil // the same answer again
		}
		added = true
		return outbox.Record(ctx, tx, now, outbox.Update, "vote", v.ID, "")
	})
	if err != nil {
		return false, err
	}
	return added, nil
}

// resetAnswers forgets a poll's answers when the vote's options or method
// change (before the first ballot): they answered another poll. Mastodon
// resets its votes when a poll's options change, the same way.
func resetAnswers(ctx context.Context, tx bun.IDB, v *Vote, in Input) error {
	same := v.MultipleChoice() == (in.Method != Single) && len(v.Options) == len(in.Options)
	for i := 0; same && i < len(v.Options); i++ {
		same = v.Options[i].Label == in.Options[i].Label && v.Options[i].Key == in.Options[i].Key
	}
	if same {
		return nil
	}
	if _, err := tx.NewDelete().Model((*answerRow)(nil)).Where("vote_id = ?", v.ID).Exec(ctx); err != nil {
		return fmt.Errorf("reset answers: %w", err)
	}
	return nil
}

// Opinion counts the fediverse answers to a vote's poll.
func (s *Service) Opinion(ctx context.Context, voteID string) (*Opinion, error) {
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Position int   `bun:"position"`
		N        int64 `bun:"n"`
	}
	if err := s.db.NewSelect().Model((*answerRow)(nil)).Column("position").ColumnExpr("COUNT(*) AS n").
		Where("vote_id = ?", v.ID).Group("position").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count answers: %w", err)
	}
	o := &Opinion{Counts: make([]int64, len(v.Options))}
	for _, r := range rows {
		if r.Position >= 0 && r.Position < len(o.Counts) {
			o.Counts[r.Position] = r.N
		}
	}
	if err := s.db.NewSelect().Model((*answerRow)(nil)).ColumnExpr("COUNT(DISTINCT actor)").
		Where("vote_id = ?", v.ID).Scan(ctx, &o.Voters); err != nil {
		return nil, fmt.Errorf("count voters: %w", err)
	}
	return o, nil
}
