package reports

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"agora/storage/database"
)

// The map's pins are kept in memory per cell of the fine grid. A box of
// the map touches a few cells: read once, a cell answers every box over
// it, whoever asks, until it changes. At a million reports over Paris a
// cell holds about 4,400 pins and costs about 10 ms to read, a box
// answered from memory some tens of microseconds (docs/BENCHMARKS.md),
// so the map's cost follows the cells people look at, not the number
// of people looking.
//
// serve reads every cell at start (WarmMap, in the background, within
// three quarters of the budget below), and a cell once read is kept: a
// map looked at once an hour is answered from memory as one looked at
// by everyone at once.
//
// Freshness:
//   - this process's writes drop their report's cell at once
//     (Service.moved);
//   - every AnswerTTL, a box asked makes the node read which cells have
//     reports with updated_at past the latest seen (one query on
//     street_reports_updated_idx) and drop them, in the background while
//     boxes come steadily, before answering after a quiet spell: a
//     change made by another serve process shows within 2 × AnswerTTL;
//   - a cell asked for more than cellLives/2 × AnswerTTL after it was
//     read is read again in the background, served as it was meanwhile,
//     so a change that did not move updated_at (a hand-typed UPDATE) or
//     that committed with an older updated_at than one seen before shows
//     once the cell is a minute old and has been asked for.
//
// Memory: about 40 bytes a pin (ids in one string, points as int32,
// category and state as small numbers), at most maxCellPins pins; past
// it, cells are dropped, any of them, to make room.

// cellLives is how many AnswerTTLs make a cell's life: past half of it,
// a cell asked for is read again in the background.
const cellLives = 30

// maxCellPins bounds the pins kept (about 80 MB).
const maxCellPins = 2_000_000

// cellPins are the pins of one cell, sorted by latitude then longitude
// (the order of street_reports_cell_idx).
type cellPins struct {
	done       chan struct{} // closed once read (or failed)
	err        error
	refreshing bool // read again in the background
	at         time.Time
	lat        []int32
	lon        []int32
	cat        []uint16 // into cells.names
	state      []uint16 // into cells.names
	ids        string   // every id, end to end
	idsEnd     []uint32 // where each id ends in ids
}

func (c *cellPins) id(i int) string {
	start := uint32(0)
	if i > 0 {
		start = c.idsEnd[i-1]
	}
	return c.ids[start:c.idsEnd[i]]
}

// pinCells is the cache of pins per fine cell.
type pinCells struct {
	mu    sync.Mutex
	m     map[int64]*cellPins
	pins  int    // kept in all
	gen   uint64 // bumped by every drop of all: a read begun before is not kept
	names []string
	index map[string]uint16
	// seen is the latest updated_at read; checked when the latest look
	// at what changed (checking while one runs) is older than AnswerTTL.
	seen     time.Time
	checked  time.Time
	checking chan struct{}
	now      func() time.Time
	hits     uint64 // boxes answered with every cell kept (the benchmark reports it)
	warming  int    // WarmMap calls under way
}

func newPinCells() *pinCells {
	return &pinCells{m: map[int64]*cellPins{}, index: map[string]uint16{}, now: time.Now}
}

// intern returns the number of a category or state name; c.mu is held.
func (c *pinCells) intern(s string) uint16 {
	if n, ok := c.index[s]; ok {
		return n
	}
	n := uint16(len(c.names))
	c.names = append(c.names, strings.Clone(s))
	c.index[c.names[n]] = n
	return n
}

// dropAll forgets every cell, and when the changes were last looked at.
func (c *pinCells) dropAll() {
	c.mu.Lock()
	c.gen++
	clear(c.m)
	c.pins = 0
	c.checked = time.Time{}
	c.seen = time.Time{}
	c.mu.Unlock()
}

// drop forgets one cell. A read of it under way serves those waiting for
// it but is not kept.
func (c *pinCells) drop(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[id]; ok {
		if isDone(e.done) {
			c.pins -= len(e.lat)
		}
		delete(c.m, id)
	}
}

// pinsFromCells answers a box of the fine grid from the kept cells,
// reading those missing, in the order of the database's index: cell,
// then latitude.
func (s *Service) pinsFromCells(ctx context.Context, q pinsQuery, ttl time.Duration) (pinsAnswer, error) {
	if err := s.pinCells.fresh(ctx, s, ttl); err != nil {
		return pinsAnswer{}, err
	}
	if s.pinCells.warmingWithout(q.cells) {
		// While the map is being warmed, a box over a cell not read yet
		// asks the database for its own pins (about a thousand index
		// entries) rather than reading whole cells (thousands of rows
		// each) that the warm-up reads too.
		return s.pinsInTurn(ctx, q)
	}
	got, err := s.pinCells.get(ctx, s, q.cells, ttl)
	if err != nil {
		return pinsAnswer{}, err
	}
	var kind map[string]bool
	if q.filter.Kind != "" {
		cats, err := s.Categories(ctx, true)
		if err != nil {
			return pinsAnswer{}, err
		}
		kind = map[string]bool{}
		for _, c := range cats {
			if c.Kind == q.filter.Kind {
				kind[c.Slug] = true
			}
		}
	}
	s.pinCells.mu.Lock()
	names := s.pinCells.names // append-only: the numbers read below are in it
	s.pinCells.mu.Unlock()
	south, north, west, east := int32(q.south), int32(q.north), int32(q.west), int32(q.east)
	out := make([]Pin, 0, min(q.limit+1, 64))
	for _, c := range got {
		i := sort.Search(len(c.lat), func(i int) bool { return c.lat[i] >= south })
		for ; i < len(c.lat) && c.lat[i] <= north; i++ {
			if c.lon[i] < west || c.lon[i] > east {
				continue
			}
			cat, st := names[c.cat[i]], State(names[c.state[i]])
			if (q.filter.Category != "" && cat != q.filter.Category) || (kind != nil && !kind[cat]) || (q.filter.OpenOnly && !st.Open()) {
				continue
			}
			out = append(out, Pin{ID: c.id(i), Category: cat, State: st, LatE6: int64(c.lat[i]), LonE6: int64(c.lon[i])})
			if len(out) > q.limit {
				return pinsAnswer{pins: out[:q.limit], more: true}, nil
			}
		}
	}
	return pinsAnswer{pins: out}, nil
}

// fresh drops the cells that changed since the last look, if that look
// is older than ttl. While looks come steadily (the last under 2 × ttl
// ago) the next runs in the background and nobody waits for it: a
// query's stall must not hold up every box asked meanwhile. After a
// quiet spell (or the first time) the caller waits for it, and so do the
// others asking meanwhile.
func (c *pinCells) fresh(ctx context.Context, s *Service, ttl time.Duration) error {
	c.mu.Lock()
	age := c.now().Sub(c.checked)
	if age < ttl {
		c.mu.Unlock()
		return nil
	}
	steady := age < 2*ttl
	if wait := c.checking; wait != nil {
		c.mu.Unlock()
		if steady {
			return nil
		}
		select {
		case <-wait:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	wait := make(chan struct{})
	c.checking = wait
	c.mu.Unlock()
	if steady {
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
			defer cancel()
			_ = c.look(ctx, s, ttl, wait) // a failure: the next box asks again
		}()
		return nil
	}
	return c.look(ctx, s, ttl, wait)
}

// look reads which cells changed and drops them; wait is closed when done.
func (c *pinCells) look(ctx context.Context, s *Service, ttl time.Duration, wait chan struct{}) error {
	c.mu.Lock()
	seen, gen, start := c.seen, c.gen, c.now()
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.checking = nil
		c.mu.Unlock()
		close(wait)
	}()

	type change struct {
		Cell *int64    `bun:"cell"`
		At   time.Time `bun:"at"`
	}
	var changes []change
	q := s.db.NewSelect().Model((*Report)(nil)).ColumnExpr("cell, MAX(updated_at) AS at")
	if seen.IsZero() {
		// The first look: where the changes start from, nothing to drop.
		q = s.db.NewSelect().Model((*Report)(nil)).ColumnExpr("NULL AS cell, MAX(updated_at) AS at")
	} else {
		q = q.Where("updated_at > ?", seen).Group("cell")
	}
	if err := q.Scan(ctx, &changes); err != nil {
		return fmt.Errorf("changed map cells: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return nil // everything was dropped meanwhile: look again next time
	}
	for _, ch := range changes {
		if ch.At.After(c.seen) {
			c.seen = ch.At
		}
		if ch.Cell != nil {
			if old, ok := c.m[*ch.Cell]; ok && isDone(old.done) {
				c.pins -= len(old.lat)
				delete(c.m, *ch.Cell)
			}
		}
	}
	if c.seen.IsZero() {
		// No report yet: the epoch, so that the next look asks for every
		// report (a first one written by another process).
		c.seen = time.Unix(0, 0).UTC()
	}
	c.checked = start
	return nil
}

func isDone(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// get returns the cells of list, in its order, reading at once those not
// kept (or kept past their life) and waiting for those another caller
// reads.
func (c *pinCells) get(ctx context.Context, s *Service, list []int64, ttl time.Duration) ([]*cellPins, error) {
	out := make([]*cellPins, len(list))
	var missing, stale []int64
	var mine, old []*cellPins
	c.mu.Lock()
	now, life := c.now(), cellLives*ttl
	gen := c.gen
	for i, id := range list {
		e, ok := c.m[id]
		if ok && isDone(e.done) {
			switch {
			case e.err != nil:
				delete(c.m, id)
				ok = false
			case now.Sub(e.at) >= life/2 && !e.refreshing:
				// Read again in the background, served meanwhile: the
				// look for changes dropped the cell if a report in it
				// changed, so only what did not move updated_at can be
				// missing, and nobody waits for a cell once it is kept.
				e.refreshing = true
				stale, old = append(stale, id), append(old, e)
			}
		}
		if !ok {
			e = &cellPins{done: make(chan struct{})}
			c.m[id] = e
			missing = append(missing, id)
			mine = append(mine, e)
		}
		out[i] = e
	}
	if len(missing) == 0 {
		c.hits++
	}
	c.mu.Unlock()
	if len(stale) > 0 {
		go c.refresh(ctx, s, stale, old, gen)
	}

	if len(missing) > 0 {
		if err := c.fill(ctx, s, missing, mine); err != nil {
			return nil, err
		}
	}
	for _, e := range out {
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			// Another caller's failure (its context ended, perhaps):
			// read this box without the cache.
			return s.pinCells.uncached(ctx, s, list)
		}
	}
	return out, nil
}

// warmingWithout reports whether WarmMap is under way and a cell of
// list is neither kept nor being read.
func (c *pinCells) warmingWithout(list []int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.warming == 0 {
		return false
	}
	for _, id := range list {
		if _, ok := c.m[id]; !ok {
			return true
		}
	}
	return false
}

// fill reads the cells of list into mine, the entries get or Warm put
// in the map for them, keeps those still there and wakes who waits.
func (c *pinCells) fill(ctx context.Context, s *Service, list []int64, mine []*cellPins) error {
	err := c.read(ctx, s, list, mine)
	c.mu.Lock()
	for i, id := range list {
		e := mine[i]
		e.err = err
		if c.m[id] != e {
			continue // dropped meanwhile
		}
		if err != nil {
			delete(c.m, id)
		} else {
			c.pins += len(e.lat)
		}
	}
	c.evict()
	c.mu.Unlock()
	for _, e := range mine {
		close(e.done)
	}
	return err
}

// refresh reads cells again and puts them in place of old, unless they
// were dropped meanwhile.
func (c *pinCells) refresh(ctx context.Context, s *Service, list []int64, old []*cellPins, gen uint64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
	defer cancel()
	fresh := make([]*cellPins, len(list))
	for i := range fresh {
		fresh[i] = &cellPins{done: make(chan struct{})}
		close(fresh[i].done)
	}
	err := c.read(ctx, s, list, fresh)
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, id := range list {
		if err != nil || c.gen != gen || c.m[id] != old[i] {
			old[i].refreshing = false
			continue
		}
		c.pins += len(fresh[i].lat) - len(old[i].lat)
		c.m[id] = fresh[i]
	}
	c.evict()
}

// evict drops cells, any of them, while more than maxCellPins pins are
// kept; c.mu is held.
func (c *pinCells) evict() {
	for id, e := range c.m {
		if c.pins <= maxCellPins {
			return
		}
		if isDone(e.done) {
			c.pins -= len(e.lat)
			delete(c.m, id)
		}
	}
}

// uncached reads cells for one caller, keeping nothing.
func (c *pinCells) uncached(ctx context.Context, s *Service, list []int64) ([]*cellPins, error) {
	out := make([]*cellPins, len(list))
	for i := range out {
		out[i] = &cellPins{done: make(chan struct{})}
	}
	if err := c.read(ctx, s, list, out); err != nil {
		return nil, err
	}
	return out, nil
}

// read fills into (one per id of list) from the database in one query,
// in a turn among the public reads; the caller keeps them or not.
func (c *pinCells) read(ctx context.Context, s *Service, list []int64, into []*cellPins) error {
	done, err := s.admit(ctx)
	if err != nil {
		return err
	}
	defer done()
	var b strings.Builder
	args := make([]any, len(list))
	postgres := database.IsPostgres(s.db)
	b.WriteString("SELECT cell, id, category, state, lat_e6, lon_e6 FROM street_reports WHERE cell IN (")
	for i, id := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		if postgres {
			fmt.Fprintf(&b, "$%d", i+1)
		} else {
			b.WriteByte('?')
		}
		args[i] = id
	}
	b.WriteString(") ORDER BY cell, lat_e6, lon_e6")
	rows, err := s.db.DB.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return fmt.Errorf("map cells: %w", err)
	}
	defer rows.Close()
	at := make(map[int64]int, len(list))
	for i, id := range list {
		at[id] = i
	}
	ids := make([]strings.Builder, len(list))
	// Names are numbered under c.mu, once every row is read.
	type row struct {
		e          *cellPins
		cat, state string
	}
	var read []row
	var (
		cell        int64
		id, cat, st string
		lat, lon    int64
	)
	for rows.Next() {
		if err := rows.Scan(&cell, &id, &cat, &st, &lat, &lon); err != nil {
			return fmt.Errorf("map cells: %w", err)
		}
		i, ok := at[cell]
		if !ok {
			continue
		}
		e := into[i]
		e.lat = append(e.lat, int32(lat))
		e.lon = append(e.lon, int32(lon))
		ids[i].WriteString(id)
		e.idsEnd = append(e.idsEnd, uint32(ids[i].Len()))
		read = append(read, row{e, cat, st})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("map cells: %w", err)
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range read {
		r.e.cat = append(r.e.cat, c.intern(r.cat))
		r.e.state = append(r.e.state, c.intern(r.state))
	}
	for i, e := range into {
		e.ids = ids[i].String()
		e.at = now
		e.lat, e.lon = slices.Clip(e.lat), slices.Clip(e.lon)
	}
	return nil
}

// warmBatch is how many cells WarmMap reads in one query: each query
// takes one turn among the public reads, so boxes asked meanwhile are
// served between them.
const warmBatch = 16

// maxWarmEmpty bounds the empty cells WarmMap keeps: a territory of up to
// 10,000 cells (about 100 km square).
const maxWarmEmpty = 10_000

// WarmMap reads the map's cells into memory, in the order of the grid,
// until three quarters of maxCellPins are kept. serve runs it once at
// start, in the background: the map is then answered from memory within
// seconds of a start, instead of each cell being read by the first
// visitor who looks at it while others wait (docs/REPORTS.md). Cells
// already kept, or read by a box meanwhile, are left as they are.
func (s *Service) WarmMap(ctx context.Context) (cells, pins int, err error) {
	ttl := s.answerTTL()
	if ttl <= 0 {
		return 0, 0, nil
	}
	c := s.pinCells
	c.mu.Lock()
	c.warming++
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.warming--
		c.mu.Unlock()
	}()
	// Where the changes start from: a report changed while the cells are
	// read is dropped at the next look, as any other change.
	if err := c.fresh(ctx, s, ttl); err != nil {
		return 0, 0, err
	}
	var counts []struct {
		Cell  int64 `bun:"cell"`
		Count int   `bun:"n"`
	}
	err = s.db.NewSelect().Model((*Report)(nil)).ColumnExpr("cell, COUNT(*) AS n").
		Where("cell IS NOT NULL").Group("cell").Order("cell").Scan(ctx, &counts)
	if err != nil {
		return 0, 0, fmt.Errorf("warm the map: %w", err)
	}
	// The territory's cells without reports are kept empty: a box over
	// a park or the river is then not read either.
	poly, err := s.Territory(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("warm the map: %w", err)
	}
	if poly != nil {
		have := make(map[int64]bool, len(counts))
		for _, n := range counts {
			have[n.Cell] = true
		}
		c.mu.Lock()
		for _, id := range boxCells(poly.Bounds(), fineStep, fineCols, maxWarmEmpty) {
			if _, ok := c.m[id]; !ok && !have[id] {
				e := &cellPins{done: make(chan struct{}), at: c.now()}
				close(e.done)
				c.m[id] = e
			}
		}
		c.mu.Unlock()
	}
	budget := maxCellPins * 3 / 4
	for len(counts) > 0 {
		var list []int64
		var mine []*cellPins
		c.mu.Lock()
		room := budget - c.pins
		for len(counts) > 0 && len(list) < warmBatch && counts[0].Count <= room {
			if _, ok := c.m[counts[0].Cell]; !ok {
				e := &cellPins{done: make(chan struct{})}
				c.m[counts[0].Cell] = e
				list, mine = append(list, counts[0].Cell), append(mine, e)
				room -= counts[0].Count
			}
			counts = counts[1:]
		}
		c.mu.Unlock()
		if len(list) == 0 {
			break // the budget is spent (or every cell was kept already)
		}
		if err := c.fill(ctx, s, list, mine); err != nil {
			return cells, pins, fmt.Errorf("warm the map: %w", err)
		}
		for _, e := range mine {
			cells, pins = cells+1, pins+len(e.lat)
		}
	}
	return cells, pins, nil
}
