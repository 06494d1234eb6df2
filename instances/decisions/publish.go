package decisions

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/outbox"
)

// resultRow is a closed vote's frozen count.
type resultRow struct {
	bun.BaseModel `bun:"table:decision_results"`

	VoteID   string    `bun:"vote_id,pk"`
	ClosedAt time.Time `bun:"closed_at"`
	Summary  string    `bun:"summary"` // Tally as JSON
}

// Close freezes the count of a vote whose closing time has passed and
// publishes it, in one transaction; closing a closed vote returns its
// frozen count. Before the closing time: ErrStillOpen.
func (s *Service) Close(ctx context.Context, voteID string) (*Tally, error) {
	if t, err := s.Results(ctx, voteID); err == nil || !errors.Is(err, ErrStillOpen) {
		return t, err
	}
	var out *Tally
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		v, err := s.load(ctx, tx, voteID, "UPDATE")
		if err != nil {
			return err
		}
		now := s.now()
		if now.Before(v.ClosesAt) {
			return ErrStillOpen
		}
		if v.ClosedAt != nil { // another process closed it meanwhile
			out, err = s.results(ctx, tx, voteID)
			return err
		}
		t, err := s.count(ctx, tx, v)
		if err != nil {
			return err
		}
		summary, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
		if _, err := tx.NewInsert().Model(&resultRow{VoteID: v.ID, ClosedAt: now, Summary: string(summary)}).Exec(ctx); err != nil {
			return fmt.Errorf("record result: %w", err)
		}
		if _, err := tx.NewUpdate().Model((*Vote)(nil)).Set("closed_at = ?", now).Where("id = ?", v.ID).Exec(ctx); err != nil {
			return fmt.Errorf("close vote: %w", err)
		}
		out = t
		if err := notifyClosed(ctx, tx, now, v, t); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Update, "vote", v.ID, "")
	})
	s.votes.forget(voteID)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CloseDue closes every vote whose closing time has passed; it returns
// how many it closed. The node runs it now and then (serve).
func (s *Service) CloseDue(ctx context.Context) (int, error) {
	var ids []string
	if err := s.db.NewSelect().Model((*Vote)(nil)).Column("id").Where("closed_at IS NULL AND closes_at <= ?", s.now()).
		Scan(ctx, &ids); err != nil {
		return 0, fmt.Errorf("list votes to close: %w", err)
	}
	for _, id := range ids {
		if _, err := s.Close(ctx, id); err != nil {
			return 0, fmt.Errorf("close vote %s: %w", id, err)
		}
	}
	return len(ids), nil
}

// Results returns a closed vote's frozen count, ErrStillOpen before.
func (s *Service) Results(ctx context.Context, voteID string) (*Tally, error) {
	return s.results(ctx, s.db, voteID)
}

func (s *Service) results(ctx context.Context, db bun.IDB, voteID string) (*Tally, error) {
	r := new(resultRow)
	err := db.NewSelect().Model(r).Where("vote_id = ?", voteID).Scan(ctx)
	if isNoRows(err) {
		if _, err := s.load(ctx, db, voteID, ""); err != nil {
			return nil, err
		}
		return nil, ErrStillOpen
	}
	if err != nil {
		return nil, fmt.Errorf("load result: %w", err)
	}
	t := new(Tally)
	if err := json.Unmarshal([]byte(r.Summary), t); err != nil {
		return nil, fmt.Errorf("decode result: %w", err)
	}
	return t, nil
}

// Format names the published document's shape.
const Format = "agora-decision/1"

// Published is what the node publishes when a vote closes: the vote,
// its count, and every ballot by receipt (never by voter), sorted by
// receipt so that their order says nothing of when they were cast.
// Ballots carrying delegated weight name their delegate, who votes in
// public.
type Published struct {
	Format     string            `json:"format"`
	Question   string            `json:"question"`
	OpensAt    time.Time         `json:"opens_at"`
	ClosesAt   time.Time         `json:"closes_at"`
	Spec       Spec              `json:"spec"`
	Electorate int64             `json:"electorate"`
	MinAge     int               `json:"min_age,omitempty"`  // the electorate's age floor
	District   string            `json:"district,omitempty"` // the electorate's district
	Result     Result            `json:"result"`
	Ballots    []PublishedBallot `json:"ballots"`
}

// PublishedBallot is one counted ballot.
type PublishedBallot struct {
	Receipt   string `json:"receipt"`
	Choice    Choice `json:"choice"`
	Weight    int64  `json:"weight"`
	Delegated int64  `json:"delegated,omitempty"`
	Delegate  string `json:"delegate,omitempty"`
}

// WritePublished writes a closed vote's published document to w,
// reading the ballots one by one (a million ballots never sit in
// memory at once).
func (s *Service) WritePublished(ctx context.Context, w io.Writer, voteID string) error {
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return err
	}
	t, err := s.Results(ctx, voteID)
	if err != nil {
		return err
	}
	head := Published{Format: Format, Question: v.Question, OpensAt: v.OpensAt, ClosesAt: v.ClosesAt,
		Spec: v.Spec(), Electorate: t.Electorate, MinAge: v.MinAge, District: v.District, Result: t.Result}
	b, err := json.Marshal(head)
	if err != nil {
		return fmt.Errorf("encode published: %w", err)
	}
	// The head without its empty ballots and closing brace, then the
	// ballots as they come.
	const tail = `"ballots":null}`
	if !slices.Equal(b[len(b)-len(tail):], []byte(tail)) {
		return fmt.Errorf("encode published: unexpected head %q", b[len(b)-len(tail):])
	}
	bw := bufio.NewWriter(w)
	bw.Write(b[:len(b)-len(tail)])
	bw.WriteString(`"ballots":[`)
	first := true
	enc := json.NewEncoder(bw)
	err = s.eachPublished(ctx, v, t, func(pb PublishedBallot) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		if err := enc.Encode(pb); err != nil {
			return fmt.Errorf("encode ballot: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// EachPublished calls fn with each published ballot of a closed vote,
// sorted by receipt, as the published document lists them (for other
// formats than WritePublished's, such as CSV). Before closing:
// ErrStillOpen.
func (s *Service) EachPublished(ctx context.Context, voteID string, fn func(PublishedBallot) error) error {
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return err
	}
	t, err := s.Results(ctx, voteID)
	if err != nil {
		return err
	}
	return s.eachPublished(ctx, v, t, fn)
}

// EachBallot calls fn with each counted ballot of a closed vote as
// option positions (Spec.Marks' form; the slice is reused, fn must not
// keep it) with its weight, in the order the database stores them
// rather than the published order: for counts by other rules, such as
// the participatory budget's Equal Shares, which need every ballot but
// neither receipts nor their order. Reading in storage order spares
// the index walk that sorting by receipt costs. Before closing:
// ErrStillOpen.
func (s *Service) EachBallot(ctx context.Context, voteID string, fn func(marks []int32, weight int64) error) error {
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return err
	}
	t, err := s.Results(ctx, voteID)
	if err != nil {
		return err
	}
	return s.eachStored(ctx, v, t, false, func(_ string, marks []int32, w Weighed) error { return fn(marks, w.Weight) })
}

func (s *Service) eachPublished(ctx context.Context, v *Vote, t *Tally, fn func(PublishedBallot) error) error {
	spec := v.Spec()
	return s.eachStored(ctx, v, t, true, func(receipt string, marks []int32, w Weighed) error {
		return fn(PublishedBallot{Receipt: receipt, Choice: spec.Choice(marks), Weight: w.Weight, Delegated: w.Delegated, Delegate: w.Delegate})
	})
}

// eachStored reads a closed vote's ballots, by receipt when byReceipt
// (the published order) or as stored, and calls fn with each one's
// receipt, marks (reused: fn must not keep them) and weight: 1, or what
// the count gave a delegate carrying others'.
func (s *Service) eachStored(ctx context.Context, v *Vote, t *Tally, byReceipt bool, fn func(receipt string, marks []int32, w Weighed) error) error {
	heavy := make(map[string]Weighed, len(t.Weighed))
	for _, h := range t.Weighed {
		heavy[h.Receipt] = h
	}
	n := len(v.Options)
	if v.Method == Score {
		n = -1
	}
	q := "SELECT receipt, content FROM decision_ballots WHERE vote_id = ?"
	if byReceipt {
		q += " ORDER BY receipt"
	}
	rows, err := s.db.QueryContext(ctx, q, v.ID)
	if err != nil {
		return fmt.Errorf("read ballots: %w", err)
	}
	defer rows.Close()
	var (
		receipt string
		content []byte
		buf     []int32
	)
	for rows.Next() {
		if err := rows.Scan(&receipt, &content); err != nil {
			return fmt.Errorf("read ballots: %w", err)
		}
		if buf, err = decode(content, buf, n); err != nil {
			return err
		}
		w, ok := heavy[receipt]
		if !ok {
			w = Weighed{Weight: 1}
		}
		if err := fn(receipt, buf, w); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read ballots: %w", err)
	}
	return nil
}

// ErrMismatch is what Verify returns when a published count is not what
// its ballots give.
var ErrMismatch = errors.New("the published result is not what the published ballots give")

// Recompute counts a published document's ballots again, checking each
// against the vote as a ballot is checked when cast. Delegated weight
// lost on the way (Lost) cannot be seen in the ballots: it is taken as
// published.
func Recompute(p *Published) (Result, error) {
	if p.Format != Format {
		return Result{}, fmt.Errorf("unknown format %q (want %s)", p.Format, Format)
	}
	c := NewCounter(p.Spec)
	seen := make(map[string]bool, len(p.Ballots))
	for _, b := range p.Ballots {
		if seen[b.Receipt] {
			return Result{}, fmt.Errorf("receipt %s appears twice", b.Receipt)
		}
		seen[b.Receipt] = true
		marks, err := p.Spec.Marks(b.Choice)
		if err != nil {
			return Result{}, fmt.Errorf("ballot %s: %w", b.Receipt, err)
		}
		if b.Weight < 1 || b.Delegated != b.Weight-1 {
			return Result{}, fmt.Errorf("ballot %s: weight %d with %d delegated", b.Receipt, b.Weight, b.Delegated)
		}
		c.Add(marks, b.Weight, b.Delegated)
	}
	c.Lose(p.Result.Lost)
	return c.Result(), nil
}

// Verify reads a published document and recomputes it: nil when the
// published result is what its ballots give.
func Verify(r io.Reader) (*Published, error) {
	p := new(Published)
	if err := json.NewDecoder(r).Decode(p); err != nil {
		return nil, fmt.Errorf("read published results: %w", err)
	}
	got, err := Recompute(p)
	if err != nil {
		return p, err
	}
	if !reflect.DeepEqual(normal(got), normal(p.Result)) {
		return p, ErrMismatch
	}
	return p, nil
}

// normal makes a result comparable after a JSON round trip.
func normal(r Result) Result {
	b, _ := json.Marshal(r)
	var out Result
	json.Unmarshal(b, &out)
	return out
}
