package decisions

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
)

// One decision across several nodes (docs/DECISIONS.md, "Several
// nodes"): a coordinator publishes a Process; each participating node
// runs it as a vote of its own and serves its published document with a
// detached signature of its instance key (a PartEnvelope); the
// coordinator checks every part, merges the counts and publishes an
// Aggregate that names each node's part and every missing node. What
// comes from another node is read as hostile: bounded, checked field by
// field, recounted.

// Formats of the documents nodes exchange.
const (
	ProcessFormat   = "agora-process/1"
	PartFormat      = "agora-decision-part/1"
	AggregateFormat = "agora-aggregate/1"
)

// Bounds of what is read from another node.
const (
	// MaxParticipants bounds the nodes of one process.
	MaxParticipants = 100
	// MaxSmallDocument bounds a process, an envelope or an aggregate.
	MaxSmallDocument = 8 << 20
	// MaxPartDocument bounds one node's published document (a million
	// ballots take about 100 MB).
	MaxPartDocument = 512 << 20
	// maxCount bounds any count read from a part, so that a hundred
	// parts add up without overflow.
	maxCount = 1 << 50
	// maxWeight bounds a part's total weight (about a trillion people).
	maxWeight = 1 << 40
)

// Process is the shared question, as its coordinator publishes it.
// Spec.VoteID is the process's ID (its URL): the aggregate's tie order
// is drawn from it.
type Process struct {
	Format       string    `json:"format"`
	ID           string    `json:"id"`          // URL at the coordinator
	Coordinator  string    `json:"coordinator"` // base URL of the coordinating node
	Question     string    `json:"question"`
	Description  string    `json:"description,omitempty"`
	Spec         Spec      `json:"spec"`
	Delegation   bool      `json:"delegation"` // each node's delegations apply within it
	OpensAt      time.Time `json:"opens_at"`
	ClosesAt     time.Time `json:"closes_at"`
	Deadline     time.Time `json:"deadline"`     // parts not counted by then are missing
	Participants []string  `json:"participants"` // base URLs of the nodes, in order
}

// PartEnvelope is what a participating node answers the coordinator:
// where its published document is, its digest, and its signature.
type PartEnvelope struct {
	Format    string `json:"format"`
	Process   string `json:"process"`
	Node      string `json:"node"`
	Document  string `json:"document"` // URL of the node's agora-decision/1 document
	SHA256    string `json:"sha256"`   // hex, of the document's bytes
	KeyID     string `json:"key_id"`
	Signature string `json:"signature"` // base64 RSASSA-PKCS1-v1_5 SHA-256 of PartMessage
}

// Part statuses in an aggregate.
const (
	PartCounted = "counted" // signed, checked, recounted: in the aggregate
	PartRefused = "refused" // it answered, and its part failed a check
	PartMissing = "missing" // it did not answer by the deadline
)

// Part is one node's part as the aggregate shows it.
type Part struct {
	Node       string  `json:"node"`
	Status     string  `json:"status"`
	Reason     string  `json:"reason,omitempty"`
	Document   string  `json:"document,omitempty"`
	SHA256     string  `json:"sha256,omitempty"`
	KeyID      string  `json:"key_id,omitempty"`
	Signature  string  `json:"signature,omitempty"`
	Electorate int64   `json:"electorate,omitempty"`
	Result     *Result `json:"result,omitempty"`
}

// Aggregate is the coordinator's published result: the process, each
// participant's part in the process's order, the nodes not counted, and
// the merged count.
type Aggregate struct {
	Format       string    `json:"format"`
	Process      Process   `json:"process"`
	AggregatedAt time.Time `json:"aggregated_at"`
	Parts        []Part    `json:"parts"`
	Missing      []string  `json:"missing"` // nodes not counted (missing or refused)
	Electorate   int64     `json:"electorate"`
	Result       Result    `json:"result"`
}

// Errors of processes.
var (
	ErrProcess      = errors.New("not a valid process")
	ErrParticipants = errors.New("a process has 1 to 100 participating nodes, each the base URL of a node (https://host), named once")
	ErrDeadline     = errors.New("the deadline for parts is between the closing time and 30 days after it")
	ErrJoined       = errors.New("this node already runs this process")
	ErrNotJoined    = errors.New("this node does not run this process")
	ErrCollecting   = errors.New("parts are still expected: the aggregate is not made yet")
	ErrPart         = errors.New("the part is not valid")
	ErrSignature    = errors.New("the part's signature is not the node's")
)

// NodeURL checks and normalises a node's base URL: http or https, a
// host, no user, path, query or fragment; no trailing slash.
func NodeURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: %q", ErrParticipants, raw)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// InstanceKeyID is the key a node signs its parts with: its instance
// actor's (federation).
func InstanceKeyID(node string) string { return node + "/actor#main-key" }

// PartDocumentPath is where a node serves the published document of
// the vote that runs a process.
func PartDocumentPath(voteID string) string { return "/votes/" + voteID + "/results.json" }

// check checks a process as it is read (from another node too): the
// same rules as a vote, plus participants and deadline.
func (p *Process) check() error {
	if p.Format != ProcessFormat {
		return fmt.Errorf("%w: format %q (want %s)", ErrProcess, p.Format, ProcessFormat)
	}
	if _, err := url.Parse(p.ID); err != nil || p.ID != p.Spec.VoteID || !strings.HasPrefix(p.ID, p.Coordinator+"/") {
		return fmt.Errorf("%w: its id must be its URL at its coordinator", ErrProcess)
	}
	if c, err := NodeURL(p.Coordinator); err != nil || c != p.Coordinator {
		return fmt.Errorf("%w: coordinator %q", ErrProcess, p.Coordinator)
	}
	in := p.Input()
	orig := in
	orig.Options = slices.Clone(in.Options)
	if err := checkProcessInput(&in); err != nil {
		return fmt.Errorf("%w: %w", ErrProcess, err)
	}
	if !reflect.DeepEqual(in, orig) { // not in the form check gives: not ours
		return fmt.Errorf("%w: fields not in their normal form", ErrProcess)
	}
	if len(p.Participants) < 1 || len(p.Participants) > MaxParticipants {
		return ErrParticipants
	}
	seen := map[string]bool{}
	for _, n := range p.Participants {
		if u, err := NodeURL(n); err != nil || u != n || seen[n] {
			return ErrParticipants
		}
		seen[n] = true
	}
	if p.Deadline.Before(p.ClosesAt) || p.Deadline.After(p.ClosesAt.Add(30*24*time.Hour)) {
		return ErrDeadline
	}
	return nil
}

// Input is the vote a participating node opens for a process.
func (p *Process) Input() Input {
	return Input{Question: p.Question, Description: p.Description, Method: p.Spec.Method,
		Options: slices.Clone(p.Spec.Options), StatusQuo: p.Spec.StatusQuo, ScoreMin: p.Spec.ScoreMin,
		ScoreMax: p.Spec.ScoreMax, BudgetTotal: p.Spec.BudgetTotal, Quorum: p.Spec.Quorum,
		Delegation: p.Delegation, OpensAt: p.OpensAt, ClosesAt: p.ClosesAt}
}

// Participates says whether node is one of the process's.
func (p *Process) Participates(node string) bool { return slices.Contains(p.Participants, node) }

// readJSON decodes one bounded JSON document, refusing trailing data
// and unknown fields.
func readJSON(r io.Reader, limit int64, v any) error {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if lr.N <= 0 {
			return fmt.Errorf("larger than %d bytes", limit)
		}
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		if lr.N <= 0 {
			return fmt.Errorf("larger than %d bytes", limit)
		}
		return errors.New("data after the document")
	}
	return nil
}

// ParseProcess reads and checks a process document.
func ParseProcess(r io.Reader) (*Process, error) {
	p := new(Process)
	if err := readJSON(r, MaxSmallDocument, p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProcess, err)
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

// ParseEnvelope reads a part envelope and checks its shape.
func ParseEnvelope(r io.Reader) (*PartEnvelope, error) {
	e := new(PartEnvelope)
	if err := readJSON(r, MaxSmallDocument, e); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPart, err)
	}
	if e.Format != PartFormat {
		return nil, fmt.Errorf("%w: format %q (want %s)", ErrPart, e.Format, PartFormat)
	}
	if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != sha256.Size {
		return nil, fmt.Errorf("%w: sha256 %q", ErrPart, e.SHA256)
	}
	if _, err := base64.StdEncoding.DecodeString(e.Signature); err != nil || len(e.Signature) > 2048 {
		return nil, fmt.Errorf("%w: signature is not base64", ErrPart)
	}
	return e, nil
}

// PartMessage is what a node signs: the format, the process's URL, the
// digest of the process as the node joined it (ProcessDigest), the node
// and the digest of its document, one per line. Binding the process and
// the node, a part cannot be replayed in another process or as another
// node's; binding the process's content (its participants among it), a
// coordinator cannot drop a node from the list after the nodes joined.
func PartMessage(process, processDigest, node, sha string) []byte {
	return []byte(PartFormat + "\nprocess: " + process + "\nprocess-sha256: " + processDigest +
		"\nnode: " + node + "\nsha256: " + sha + "\n")
}

// ProcessDigest is the digest of a process's JSON as this code writes
// it (fields in a fixed order): what its parts' signatures bind.
func (p *Process) ProcessDigest() string {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // a Process always encodes
	}
	return Digest(b)
}

// Digest is the hex SHA-256 of a document.
func Digest(doc []byte) string {
	s := sha256.Sum256(doc)
	return hex.EncodeToString(s[:])
}

// VerifySignature checks a part's signature with the node's key.
func VerifySignature(pub *rsa.PublicKey, p *Process, node, sha, sig string) error {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return ErrSignature
	}
	h := sha256.Sum256(PartMessage(p.ID, p.ProcessDigest(), node, sha))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], raw); err != nil {
		return ErrSignature
	}
	return nil
}

// CheckPublished checks that a node's published document runs the
// process as published (question, times, method, options, bounds) and
// recounts it.
func (p *Process) CheckPublished(doc []byte) (*Published, error) {
	pub, err := Verify(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPart, err)
	}
	spec := pub.Spec
	spec.VoteID = p.Spec.VoteID
	if pub.Question != p.Question || !pub.OpensAt.Equal(p.OpensAt) || !pub.ClosesAt.Equal(p.ClosesAt) || !reflect.DeepEqual(spec, p.Spec) {
		return nil, fmt.Errorf("%w: it is not this process's question (question, times, method or options differ)", ErrPart)
	}
	// Weights are bounded before any sum is trusted: the recount adds
	// them without overflow checks, so a part whose weights wrap around
	// is refused here (each sum below stays under 2^41, scores under
	// 2^51).
	var weight int64
	for _, b := range pub.Ballots {
		if weight += b.Weight; b.Weight > maxWeight || weight > maxWeight {
			return nil, fmt.Errorf("%w: more weight than a node has people", ErrPart)
		}
	}
	if err := boundResult(p, &pub.Result); err != nil {
		return nil, err
	}
	if pub.Electorate < 0 || pub.Electorate > maxCount {
		return nil, fmt.Errorf("%w: electorate %d", ErrPart, pub.Electorate)
	}
	return pub, nil
}

// PartSource fetches what checking a part needs: a document by URL
// (bounded), and a node's instance public key.
type PartSource interface {
	Document(ctx context.Context, url string) ([]byte, error)
	PublicKey(ctx context.Context, node string) (*rsa.PublicKey, error)
}

// CheckPart fetches the document an envelope (or an aggregate's part)
// names, and checks it: the document is the node's (same origin), its
// digest, the node's signature, and its recount. It returns the part
// as counted.
func (p *Process) CheckPart(ctx context.Context, src PartSource, node string, e PartEnvelope) (Part, error) {
	if e.Process != p.ID || e.Node != node {
		return Part{}, fmt.Errorf("%w: it names process %q and node %q", ErrPart, e.Process, e.Node)
	}
	if e.KeyID != InstanceKeyID(node) {
		return Part{}, fmt.Errorf("%w: key %q is not the node's instance key", ErrPart, e.KeyID)
	}
	if !strings.HasPrefix(e.Document, node+"/") {
		return Part{}, fmt.Errorf("%w: its document %q is not on the node", ErrPart, e.Document)
	}
	doc, err := src.Document(ctx, e.Document)
	if err != nil {
		return Part{}, err
	}
	if got := Digest(doc); got != e.SHA256 {
		return Part{}, fmt.Errorf("%w: the document's digest is %s, the signed one %s", ErrPart, got, e.SHA256)
	}
	key, err := src.PublicKey(ctx, node)
	if err != nil {
		return Part{}, err
	}
	if err := VerifySignature(key, p, node, e.SHA256, e.Signature); err != nil {
		return Part{}, err
	}
	pub, err := p.CheckPublished(doc)
	if err != nil {
		return Part{}, err
	}
	r := normal(pub.Result)
	return Part{Node: node, Status: PartCounted, Document: e.Document, SHA256: e.SHA256, KeyID: e.KeyID,
		Signature: e.Signature, Electorate: pub.Electorate, Result: &r}, nil
}

// boundResult checks a part's result has the process's shape and
// counts that add up without overflow.
func boundResult(p *Process, r *Result) error {
	n := len(p.Spec.Options)
	bad := func(what string) error { return fmt.Errorf("%w: its result's %s", ErrPart, what) }
	if r.Method != p.Spec.Method || len(r.Totals) != n {
		return bad("method or options")
	}
	in := func(v int64) bool { return v >= -maxCount && v <= maxCount }
	if !in(r.Ballots) || !in(r.Weight) || !in(r.Delegated) || !in(r.Lost.NoVote) || !in(r.Lost.Cycle) ||
		r.Ballots < 0 || r.Weight < 0 || r.Delegated < 0 || r.Lost.NoVote < 0 || r.Lost.Cycle < 0 {
		return bad("counts")
	}
	for i, t := range r.Totals {
		if t.Key != p.Spec.Options[i].Key || !in(t.Votes) || !in(t.Delegated) || !in(t.Score) {
			return bad("totals")
		}
	}
	if p.Spec.Method == Ranked {
		if len(r.Pairwise) != n {
			return bad("pairwise matrix")
		}
		for _, row := range r.Pairwise {
			if len(row) != n {
				return bad("pairwise matrix")
			}
			for _, v := range row {
				if v < 0 || v > maxCount {
					return bad("pairwise matrix")
				}
			}
		}
	}
	return nil
}

// Merge adds a part's count to c: every total, the lost weight, and for
// ranked votes the pairwise matrix. A count is a sum over ballots for
// every method (totals, scores, pairwise preferences), so merging the
// parts' counts is counting all their ballots at once; the order (and
// Schulze's strongest paths, and a budget's funded projects) is then
// decided on the sums by Result. The result must have c's shape
// (boundResult).
func (c *Counter) Merge(r Result) {
	c.res.Ballots += r.Ballots
	c.res.Weight += r.Weight
	c.res.Delegated += r.Delegated
	c.Lose(r.Lost)
	for i, t := range r.Totals {
		c.res.Totals[i].Votes += t.Votes
		c.res.Totals[i].Delegated += t.Delegated
		c.res.Totals[i].Score += t.Score
	}
	n := len(c.spec.Options)
	if c.spec.Method == Ranked {
		for i, row := range r.Pairwise {
			for j, v := range row {
				c.pair[i*n+j] += v
			}
		}
	}
}

// MakeAggregate merges the counted parts (by node) into the process's
// aggregate; a participant without a counted part is listed as missing
// (or refused, with the reason), never dropped.
func (p *Process) MakeAggregate(parts map[string]Part, at time.Time) (*Aggregate, error) {
	a := &Aggregate{Format: AggregateFormat, Process: *p, AggregatedAt: at.UTC(), Missing: []string{}}
	c := NewCounter(p.Spec)
	for _, node := range p.Participants {
		part, ok := parts[node]
		switch {
		case ok && part.Status == PartCounted:
			if part.Result == nil {
				return nil, fmt.Errorf("%w: counted part of %s without a result", ErrPart, node)
			}
			if err := boundResult(p, part.Result); err != nil {
				return nil, fmt.Errorf("part of %s: %w", node, err)
			}
			c.Merge(*part.Result)
			a.Electorate += part.Electorate
		case ok && part.Status == PartRefused:
			part = Part{Node: node, Status: PartRefused, Reason: part.Reason}
			a.Missing = append(a.Missing, node)
		default:
			part = Part{Node: node, Status: PartMissing, Reason: part.Reason}
			a.Missing = append(a.Missing, node)
		}
		part.Node = node
		a.Parts = append(a.Parts, part)
	}
	a.Result = normal(c.Result())
	return a, nil
}

// ParseAggregate reads an aggregate and checks its shape: a valid
// process, one part per participant in its order, statuses known.
func ParseAggregate(r io.Reader) (*Aggregate, error) {
	a := new(Aggregate)
	if err := readJSON(r, MaxSmallDocument, a); err != nil {
		return nil, fmt.Errorf("read aggregate: %w", err)
	}
	if a.Format != AggregateFormat {
		return nil, fmt.Errorf("read aggregate: format %q (want %s)", a.Format, AggregateFormat)
	}
	if err := a.Process.check(); err != nil {
		return nil, fmt.Errorf("read aggregate: %w", err)
	}
	if len(a.Parts) != len(a.Process.Participants) {
		return nil, fmt.Errorf("read aggregate: %d parts for %d participating nodes", len(a.Parts), len(a.Process.Participants))
	}
	for i, part := range a.Parts {
		if part.Node != a.Process.Participants[i] {
			return nil, fmt.Errorf("read aggregate: part %d is %q, not %q", i, part.Node, a.Process.Participants[i])
		}
		switch part.Status {
		case PartCounted:
			if part.Result == nil {
				return nil, fmt.Errorf("read aggregate: counted part of %s has no result", part.Node)
			}
			if err := boundResult(&a.Process, part.Result); err != nil {
				return nil, fmt.Errorf("read aggregate: part of %s: %w", part.Node, err)
			}
		case PartMissing, PartRefused:
		default:
			return nil, fmt.Errorf("read aggregate: part of %s: status %q", part.Node, part.Status)
		}
	}
	return a, nil
}

// ErrAggregateMismatch is what VerifyAggregate returns when the
// published aggregate is not what its parts give.
var ErrAggregateMismatch = errors.New("the published aggregate is not what its parts give")

// VerifyAggregate fetches every counted part again and checks it as the
// coordinator did (digest, signature, recount, and that it is what the
// aggregate shows), then merges them again and compares with the
// published aggregate. It returns the checked parts in order.
func VerifyAggregate(ctx context.Context, a *Aggregate, src PartSource) ([]Part, error) {
	parts := map[string]Part{}
	var checked []Part
	for _, part := range a.Parts {
		if part.Status != PartCounted {
			parts[part.Node] = part
			checked = append(checked, part)
			continue
		}
		got, err := a.Process.CheckPart(ctx, src, part.Node, PartEnvelope{Format: PartFormat, Process: a.Process.ID,
			Node: part.Node, Document: part.Document, SHA256: part.SHA256, KeyID: part.KeyID, Signature: part.Signature})
		if err != nil {
			return nil, fmt.Errorf("part of %s: %w", part.Node, err)
		}
		if got.Electorate != part.Electorate || !reflect.DeepEqual(*got.Result, normal(*part.Result)) {
			return nil, fmt.Errorf("part of %s: %w: its count is not the one the node published", part.Node, ErrAggregateMismatch)
		}
		parts[part.Node] = got
		checked = append(checked, got)
	}
	again, err := a.Process.MakeAggregate(parts, a.AggregatedAt)
	if err != nil {
		return nil, err
	}
	if again.Electorate != a.Electorate || !slices.Equal(again.Missing, a.Missing) ||
		!reflect.DeepEqual(again.Result, normal(a.Result)) {
		return nil, ErrAggregateMismatch
	}
	return checked, nil
}

// Sign is how a node signs with its instance key (federation); it
// returns the key's id and the signature.
type Sign func(ctx context.Context, msg []byte) (keyID string, sig []byte, err error)
