package decisions

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"agora/instances/accounts"
	"agora/instances/spaces"
	"agora/storage/database"
)

// processRow is a process this node coordinates.
type processRow struct {
	bun.BaseModel `bun:"table:decision_processes,alias:dp"`

	ID           string     `bun:"id,pk"`
	Document     string     `bun:"document"`
	ClosesAt     time.Time  `bun:"closes_at"`
	Deadline     time.Time  `bun:"deadline"`
	CreatedBy    string     `bun:"created_by"`
	CreatedAt    time.Time  `bun:"created_at"`
	AggregatedAt *time.Time `bun:"aggregated_at"`
	Aggregate    string     `bun:"aggregate"`
}

// partRow is a participant's part as the coordinator last found it.
type partRow struct {
	bun.BaseModel `bun:"table:decision_process_parts,alias:pp"`

	ProcessID string    `bun:"process_id,pk"`
	Node      string    `bun:"node,pk"`
	Status    string    `bun:"status"`
	Reason    string    `bun:"reason"`
	Part      string    `bun:"part"`
	Attempts  int       `bun:"attempts"`
	CheckedAt time.Time `bun:"checked_at"`
}

// joinedRow binds a local vote to the process it runs.
type joinedRow struct {
	bun.BaseModel `bun:"table:decision_vote_processes"`

	VoteID   string    `bun:"vote_id,pk"`
	Process  string    `bun:"process"`
	Document string    `bun:"document"` // the process as joined, JSON
	JoinedAt time.Time `bun:"joined_at"`

	PartSHA256    string `bun:"part_sha256"`
	PartKeyID     string `bun:"part_key_id"`
	PartSignature string `bun:"part_signature"`
}

// ProcessInput is a process as the coordinator's admin or official
// writes it: the vote, the deadline for parts (zero: one hour after
// closing) and the participating nodes' base URLs (this node among them
// if its residents vote too).
type ProcessInput struct {
	Input
	Deadline     time.Time
	Participants []string
}

// checkProcessInput checks a process's vote as a vote is checked, with
// no space (a process has no category) and, for the electorate, every
// verified resident of each node.
func checkProcessInput(in *Input) error { return in.check(&spaces.Space{}, nil) }

// ErrNotParticipant is a node joining a process that does not list it.
var ErrNotParticipant = errors.New("this node is not one of the process's participating nodes")

// CreateProcess publishes a process coordinated by this node, whose
// base URL is base. The process's URL is base/processes/ID.
func (s *Service) CreateProcess(ctx context.Context, actor accounts.Actor, base string, in ProcessInput) (*Process, error) {
	if err := MayRun(actor); err != nil {
		return nil, err
	}
	base, err := NodeURL(base)
	if err != nil {
		return nil, fmt.Errorf("coordinator: %w", err)
	}
	if in.Category != "" {
		return nil, ErrCategory // each node chooses its own when it joins
	}
	if err := checkProcessInput(&in.Input); err != nil {
		return nil, err
	}
	if len(in.Participants) < 1 || len(in.Participants) > MaxParticipants {
		return nil, ErrParticipants
	}
	nodes := make([]string, len(in.Participants))
	for i, n := range in.Participants {
		if nodes[i], err = NodeURL(n); err != nil {
			return nil, err
		}
	}
	if in.Deadline.IsZero() {
		in.Deadline = in.ClosesAt.Add(time.Hour)
	}
	id := database.NewID()
	p := &Process{Format: ProcessFormat, ID: base + "/processes/" + id, Coordinator: base,
		Question: in.Question, Description: in.Description, Delegation: in.Delegation,
		OpensAt: in.OpensAt, ClosesAt: in.ClosesAt, Deadline: in.Deadline.UTC().Truncate(time.Microsecond), Participants: nodes}
	p.Spec = Spec{VoteID: p.ID, Method: in.Method, Options: in.Options, StatusQuo: in.StatusQuo,
		ScoreMin: in.ScoreMin, ScoreMax: in.ScoreMax, BudgetTotal: in.BudgetTotal, Quorum: in.Quorum}
	if err := p.check(); err != nil {
		return nil, err
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode process: %w", err)
	}
	now := s.now()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row := &processRow{ID: id, Document: string(doc), ClosesAt: p.ClosesAt, Deadline: p.Deadline,
			CreatedBy: actor.Account.ID, CreatedAt: now}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return fmt.Errorf("insert process: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "decision.process.create", id, p.Question, "")
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Coordinated is a process this node coordinates, with its aggregate
// once made.
type Coordinated struct {
	Process
	Key          string     // the id in its URL
	AggregatedAt *time.Time // nil while parts are collected
	Aggregate    []byte     // the aggregate document, JSON
}

func (r *processRow) coordinated() (*Coordinated, error) {
	p, err := ParseProcess(bytes.NewReader([]byte(r.Document)))
	if err != nil {
		return nil, fmt.Errorf("stored process %s: %w", r.ID, err)
	}
	return &Coordinated{Process: *p, Key: r.ID, AggregatedAt: r.AggregatedAt, Aggregate: []byte(r.Aggregate)}, nil
}

// ProcessByKey returns a process this node coordinates, by the id in
// its URL.
func (s *Service) ProcessByKey(ctx context.Context, key string) (*Coordinated, error) {
	return s.process(ctx, s.db, key, false)
}

func (s *Service) process(ctx context.Context, db bun.IDB, key string, lock bool) (*Coordinated, error) {
	r := new(processRow)
	q := db.NewSelect().Model(r).Where("dp.id = ?", key)
	if lock && db.Dialect().Name() == dialect.PG {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); isNoRows(err) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("load process: %w", err)
	}
	return r.coordinated()
}

// DueProcesses lists the processes this node coordinates that have
// closed and have no aggregate yet.
func (s *Service) DueProcesses(ctx context.Context) ([]Coordinated, error) {
	var rows []processRow
	if err := s.db.NewSelect().Model(&rows).Where("aggregated_at IS NULL AND closes_at <= ?", s.now()).Order("closes_at").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	out := make([]Coordinated, 0, len(rows))
	for i := range rows {
		c, err := rows[i].coordinated()
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}

// Join runs a process on this node (base URL self): it opens a vote in
// the space with the process's question, options, method and times,
// bound to the process in the same transaction. A node joins a process
// once (ErrJoined), and only one that lists it (ErrNotParticipant).
func (s *Service) Join(ctx context.Context, actor accounts.Actor, self, spaceID, category string, p *Process) (*Vote, error) {
	if err := MayRun(actor); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	self, err := NodeURL(self)
	if err != nil {
		return nil, err
	}
	if !p.Participates(self) {
		return nil, ErrNotParticipant
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode process: %w", err)
	}
	in := p.Input()
	in.Category = category
	return s.create(ctx, actor, spaceID, in, func(ctx context.Context, tx bun.Tx, v *Vote) error {
		_, err := tx.NewInsert().Model(&joinedRow{VoteID: v.ID, Process: p.ID, Document: string(doc), JoinedAt: v.CreatedAt}).Exec(ctx)
		if errors.Is(database.Translate(err), database.ErrConflict) {
			return ErrJoined
		}
		if err != nil {
			return fmt.Errorf("bind vote to process: %w", err)
		}
		return nil
	})
}

// JoinedVote returns the local vote that runs a process (by its URL),
// and the process as it was joined.
func (s *Service) JoinedVote(ctx context.Context, process string) (*Vote, *Process, error) {
	r := new(joinedRow)
	err := s.db.NewSelect().Model(r).Where("process = ?", process).Scan(ctx)
	if isNoRows(err) {
		return nil, nil, ErrNotJoined
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find joined vote: %w", err)
	}
	p, err := ParseProcess(bytes.NewReader([]byte(r.Document)))
	if err != nil {
		return nil, nil, fmt.Errorf("joined process %s: %w", process, err)
	}
	v, err := s.ByID(ctx, r.VoteID)
	return v, p, err
}

// SignedPart returns this node's part of a process it runs, once its
// vote is closed: the envelope the coordinator fetches, signed by sign
// with the digest of the vote's published document. Made once, then
// kept (the document no longer changes after closing). Before closing:
// ErrStillOpen; a process not run here: ErrNotJoined.
func (s *Service) SignedPart(ctx context.Context, self, process string, sign Sign) (*PartEnvelope, error) {
	r := new(joinedRow)
	err := s.db.NewSelect().Model(r).Where("process = ?", process).Scan(ctx)
	if isNoRows(err) {
		return nil, ErrNotJoined
	}
	if err != nil {
		return nil, fmt.Errorf("find joined vote: %w", err)
	}
	e := &PartEnvelope{Format: PartFormat, Process: process, Node: self, Document: self + PartDocumentPath(r.VoteID),
		SHA256: r.PartSHA256, KeyID: r.PartKeyID, Signature: r.PartSignature}
	if r.PartSHA256 != "" {
		return e, nil
	}
	p, err := ParseProcess(bytes.NewReader([]byte(r.Document)))
	if err != nil {
		return nil, fmt.Errorf("joined process %s: %w", process, err)
	}
	if _, err := s.Close(ctx, r.VoteID); err != nil {
		return nil, err
	}
	h := sha256.New()
	if err := s.WritePublished(ctx, h, r.VoteID); err != nil {
		return nil, err
	}
	e.SHA256 = hex.EncodeToString(h.Sum(nil))
	keyID, sig, err := sign(ctx, PartMessage(process, p.ProcessDigest(), self, e.SHA256))
	if err != nil {
		return nil, err
	}
	e.KeyID, e.Signature = keyID, base64.StdEncoding.EncodeToString(sig)
	if _, err := s.db.NewUpdate().Model((*joinedRow)(nil)).
		Set("part_sha256 = ?, part_key_id = ?, part_signature = ?", e.SHA256, e.KeyID, e.Signature).
		Where("vote_id = ? AND part_sha256 = ''", r.VoteID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("record signed part: %w", err)
	}
	return e, nil
}

// Parts returns the parts found so far of a process this node
// coordinates, by node.
func (s *Service) Parts(ctx context.Context, key string) (map[string]Part, error) {
	return s.parts(ctx, s.db, key)
}

func (s *Service) parts(ctx context.Context, db bun.IDB, key string) (map[string]Part, error) {
	var rows []partRow
	if err := db.NewSelect().Model(&rows).Where("process_id = ?", key).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read parts: %w", err)
	}
	out := make(map[string]Part, len(rows))
	for _, r := range rows {
		var p Part
		if err := json.Unmarshal([]byte(r.Part), &p); err != nil {
			return nil, fmt.Errorf("decode part of %s: %w", r.Node, err)
		}
		out[r.Node] = p
	}
	return out, nil
}

// RecordPart records what the coordinator found of a node's part: a
// counted one stays (it is never replaced), a refused or missing one is
// replaced by the next attempt.
func (s *Service) RecordPart(ctx context.Context, key string, part Part) error {
	b, err := json.Marshal(part)
	if err != nil {
		return fmt.Errorf("encode part: %w", err)
	}
	row := &partRow{ProcessID: key, Node: part.Node, Status: part.Status, Reason: part.Reason, Part: string(b), Attempts: 1, CheckedAt: s.now()}
	_, err = s.db.NewInsert().Model(row).
		On("CONFLICT (process_id, node) DO UPDATE").
		Set("status = EXCLUDED.status, reason = EXCLUDED.reason, part = EXCLUDED.part, checked_at = EXCLUDED.checked_at").
		Set("attempts = pp.attempts + 1").
		Where("pp.status <> ?", PartCounted).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("record part of %s: %w", part.Node, err)
	}
	return nil
}

// Aggregate makes and freezes a process's aggregate once every
// participant's part is counted, or its deadline has passed (the others
// then shown missing); before, ErrCollecting. Made once: later calls
// return the frozen document.
func (s *Service) Aggregate(ctx context.Context, key string) ([]byte, error) {
	var out []byte
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.process(ctx, tx, key, true)
		if err != nil {
			return err
		}
		if c.AggregatedAt != nil {
			out = c.Aggregate
			return nil
		}
		parts, err := s.parts(ctx, tx, key)
		if err != nil {
			return err
		}
		now := s.now()
		complete := true
		for _, n := range c.Participants {
			complete = complete && parts[n].Status == PartCounted
		}
		if !complete && now.Before(c.Deadline) || now.Before(c.ClosesAt) {
			return ErrCollecting
		}
		a, err := c.MakeAggregate(parts, now)
		if err != nil {
			return err
		}
		if out, err = json.Marshal(a); err != nil {
			return fmt.Errorf("encode aggregate: %w", err)
		}
		_, err = tx.NewUpdate().Model((*processRow)(nil)).Set("aggregated_at = ?, aggregate = ?", now, string(out)).
			Where("id = ? AND aggregated_at IS NULL", key).Exec(ctx)
		if err != nil {
			return fmt.Errorf("record aggregate: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
