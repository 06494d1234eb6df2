package decisions

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
)

// Weighed is a ballot that carries delegated weight: its voter is a
// delegate who votes in public on this vote.
type Weighed struct {
	Receipt   string `json:"receipt"`
	Delegate  string `json:"delegate"` // handle
	Weight    int64  `json:"weight"`
	Delegated int64  `json:"delegated"`
}

// Tally is a count read from the database: the result, the size of the
// electorate when the vote closed, and the ballots that carried
// delegated weight.
type Tally struct {
	Result     Result    `json:"result"`
	Electorate int64     `json:"electorate"`
	Weighed    []Weighed `json:"weighed,omitempty"`
}

// edge is one live delegation as a count reads it.
type edge struct {
	DelegatorID string `bun:"delegator_id"`
	DelegateID  string `bun:"delegate_id"`
	SpaceID     string `bun:"space_id"`
	Category    string `bun:"category"`
	Named       bool   `bun:"named"`
	Eligible    bool   `bun:"eligible"` // the delegator is in the vote's electorate
}

// edges reads the delegations that apply to v as they stood at t: live
// then, from a resident verified then, to a resident who was a delegate
// then; the most specific one per delegator. A vote is closed from its
// closing time on, so an act at that very instant comes after the
// snapshot: made before t, undone at t or later.
// With from, only from's delegations are read.
func (s *Service) edges(ctx context.Context, db bun.IDB, v *Vote, t time.Time, from ...string) ([]edge, error) {
	q := db.NewSelect().TableExpr("decision_delegations AS d").Column("d.delegator_id", "d.delegate_id", "d.space_id", "d.category", "d.named")
	// A delegator outside a narrowed electorate (too young, another
	// district) keeps their place in chains, so weight passes through
	// them, but brings none of their own.
	if v.MinAge > 0 || v.District != "" {
		in := accounts.ElectorateWhere(db.NewSelect().TableExpr("residencies AS e").ColumnExpr("1").Where("e.account_id = d.delegator_id"),
			"e", t, v.MinAge, v.District)
		q = q.ColumnExpr("CASE WHEN EXISTS (?) THEN 1 ELSE 0 END AS eligible", in)
	} else {
		q = q.ColumnExpr("1 AS eligible")
	}
	if len(from) > 0 {
		q = q.Where("d.delegator_id IN (?)", bun.In(from))
	}
	q = q.Where("d.created_at < ? AND (d.revoked_at IS NULL OR d.revoked_at >= ?)", t, t).
		Where("(d.space_id = '' AND d.category = '') OR (d.space_id = ? AND (d.category = '' OR d.category = ?))", v.SpaceID, v.Category).
		Where("EXISTS (SELECT 1 FROM decision_delegates AS g WHERE g.account_id = d.delegate_id AND g.since < ? AND (g.until IS NULL OR g.until >= ?))", t, t).
		Where("EXISTS (SELECT 1 FROM residencies AS r WHERE r.account_id = d.delegator_id AND r.verified_at < ? AND r.expires_at > ? AND (r.revoked_at IS NULL OR r.revoked_at >= ?))", t, t, t)
	// Scanned by hand: a hundred thousand rows through reflection cost
	// more than the rest of the count.
	rs, err := db.QueryContext(ctx, q.String())
	if err != nil {
		return nil, fmt.Errorf("read delegations: %w", err)
	}
	defer rs.Close()
	var rows []edge
	for rs.Next() {
		var e edge
		if err := rs.Scan(&e.DelegatorID, &e.DelegateID, &e.SpaceID, &e.Category, &e.Named, &e.Eligible); err != nil {
			return nil, fmt.Errorf("read delegations: %w", err)
		}
		rows = append(rows, e)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read delegations: %w", err)
	}
	sc := Scope{SpaceID: v.SpaceID, Category: v.Category}
	best := make(map[string]int, len(rows))
	out := rows[:0]
	for _, r := range rows {
		d := Delegation{SpaceID: r.SpaceID, Category: r.Category}
		k := specificity(d, sc)
		if i, ok := best[r.DelegatorID]; ok {
			if k > specificity(Delegation{SpaceID: out[i].SpaceID, Category: out[i].Category}, sc) {
				out[i] = r
			}
			continue
		}
		best[r.DelegatorID] = len(out)
		out = append(out, r)
	}
	return out, nil
}

// Count counts a vote from the database: every ballot once, each voter
// who is part of a delegation chain weighed by Graph.Resolve. It reads
// the delegations as they stood at the vote's closing time (so a count
// after closing is the snapshot the vote closed on), or now while the
// vote is open. It holds in memory only the delegation graph and the
// ballots of the people in it.
func (s *Service) Count(ctx context.Context, v *Vote) (*Tally, error) {
	return s.count(ctx, s.db, v)
}

func (s *Service) count(ctx context.Context, db bun.IDB, v *Vote) (*Tally, error) {
	at := v.snapshot(s.now())
	spec := v.Spec()
	c := NewCounter(spec)
	// The electorate is counted meanwhile, on a connection of its own,
	// beside the delegations (the two halves of the ballots come after
	// and want both cores).
	electorate := make(chan error, 1)
	var n64 int64
	go func() {
		var err error
		n64, err = accounts.ElectorateWhere(s.db.NewSelect().TableExpr("residencies AS r"), "r", at, v.MinAge, v.District).Count(ctx)
		electorate <- err
	}()
	var (
		ids      map[string]int32
		g        Graph
		voted    []bool
		excluded func(int) bool
	)
	if v.Delegation {
		es, err := s.edges(ctx, db, v, at)
		if err != nil {
			return nil, err
		}
		ids = make(map[string]int32, 2*len(es))
		intern := func(id string) int32 {
			i, ok := ids[id]
			if !ok {
				i = int32(len(ids))
				ids[id] = i
				g.Next = append(g.Next, -1)
			}
			return i
		}
		var outside []bool // delegators outside the electorate
		for _, e := range es {
			from := intern(e.DelegatorID)
			g.Next[from] = intern(e.DelegateID)
			if !e.Eligible {
				outside = append(outside, make([]bool, len(g.Next)-len(outside))...)
				outside[from] = true
			}
		}
		voted = make([]bool, len(g.Next))
		excluded = func(i int) bool { return i < len(outside) && outside[i] }
	}
	// The ballots, in two halves of the voter ids read at once on
	// connections of their own (a million rows are most of a count's
	// time, and a reader keeps one core busy). Reads outside db see what
	// db sees: no ballot can be cast while a count holds the vote's lock.
	// IDs are lowercase base 32, so "k" splits them about evenly; any id
	// falls in exactly one half.
	halves := [2]struct {
		where string
		c     *Counter
		kept  []held
		err   error
	}{{where: "voter_id > '' AND voter_id < 'k'"}, {where: "voter_id >= 'k'"}}
	var wg sync.WaitGroup
	for i := range halves {
		h := &halves[i]
		h.c = NewCounter(spec)
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.kept, h.err = s.readBallots(ctx, v, spec, h.where, ids, voted, h.c)
		}()
	}
	wg.Wait()
	var kept []held
	for i := range halves {
		if halves[i].err != nil {
			<-electorate
			return nil, halves[i].err
		}
		c.Merge(halves[i].c.Result())
		kept = append(kept, halves[i].kept...)
	}
	t := &Tally{}
	if v.Delegation {
		to := g.Resolve(voted)
		weight := make([]int64, len(to))
		var lost Lost
		for i, x := range to {
			switch {
			case excluded(i):
				// outside the electorate: no weight of their own, lost or not
			case x == NoVote:
				if g.Next[i] >= 0 { // a delegator, not a delegate who neither voted nor delegated
					lost.NoVote++
				}
			case x == InCycle:
				lost.Cycle++
			case x != int32(i):
				weight[x]++
			}
		}
		c.Lose(lost)
		var heavy []held
		for _, h := range kept {
			d := weight[h.person]
			c.Add(h.marks, 1+d, d)
			if d > 0 {
				heavy = append(heavy, h)
			}
		}
		// The delegates' handles and receipts, a few hundred per query.
		for lo := 0; lo < len(heavy); lo += 500 {
			part := heavy[lo:min(len(heavy), lo+500)]
			byVoter := make(map[string]int32, len(part))
			for _, h := range part {
				byVoter[h.voter] = h.person
			}
			rs, err := db.QueryContext(ctx, db.NewRaw("SELECT b.voter_id, a.handle, b.receipt FROM decision_ballots AS b JOIN accounts AS a ON a.id = b.voter_id WHERE b.vote_id = ? AND b.voter_id IN (?)",
				v.ID, bun.In(slices.Collect(maps.Keys(byVoter)))).String())
			if err != nil {
				return nil, fmt.Errorf("read delegates: %w", err)
			}
			for rs.Next() {
				var voter, handle, receipt string
				if err := rs.Scan(&voter, &handle, &receipt); err != nil {
					rs.Close()
					return nil, fmt.Errorf("read delegates: %w", err)
				}
				d := weight[byVoter[voter]]
				t.Weighed = append(t.Weighed, Weighed{Receipt: receipt, Delegate: handle, Weight: 1 + d, Delegated: d})
			}
			err = rs.Err()
			rs.Close()
			if err != nil {
				return nil, fmt.Errorf("read delegates: %w", err)
			}
		}
		// In the order of the ballots, whatever the database returned.
		slices.SortFunc(t.Weighed, func(a, b Weighed) int { return strings.Compare(a.Receipt, b.Receipt) })
	}
	t.Result = c.Result()
	if err := <-electorate; err != nil {
		return nil, fmt.Errorf("count electorate: %w", err)
	}
	t.Electorate = int64(n64)
	return t, nil
}

// held is a ballot of someone in the delegation graph, waiting for the
// weight the graph gives it.
type held struct {
	person int32
	voter  string
	marks  []int32
}

// readBallots counts into c the ballots of v whose voter matches where,
// except those of people in the delegation graph (ids), which it marks
// in voted and returns. Two calls with disjoint conditions may run at
// once: each person is in one of them, so voted's elements are written
// by one only.
func (s *Service) readBallots(ctx context.Context, v *Vote, spec Spec, where string, ids map[string]int32, voted []bool, c *Counter) ([]held, error) {
	// The range on voter_id makes the primary key (vote_id, voter_id) the
	// best index: with vote_id alone SQLite may take the receipts' index
	// and then look every row up in the table, three times slower.
	rows, err := s.db.QueryContext(ctx, "SELECT voter_id, content FROM decision_ballots WHERE vote_id = ? AND "+where, v.ID)
	if err != nil {
		return nil, fmt.Errorf("read ballots: %w", err)
	}
	defer rows.Close()
	n := len(spec.Options)
	if spec.Method == Score {
		n = -1
	}
	// Raw bytes, valid until the next row: a million rows allocate
	// nothing but what the people in the graph keep.
	var (
		voter, content sql.RawBytes
		buf            []int32
		kept           []held
	)
	for rows.Next() {
		if err := rows.Scan(&voter, &content); err != nil {
			return nil, fmt.Errorf("read ballots: %w", err)
		}
		if buf, err = decode(content, buf, n); err != nil {
			return nil, err
		}
		if i, ok := ids[string(voter)]; ok {
			voted[i] = true
			kept = append(kept, held{i, string(voter), append([]int32(nil), buf...)})
			continue
		}
		c.Add(buf, 1, 0)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ballots: %w", err)
	}
	return kept, nil
}
