package budgets

import "math"

// certifiedRun is a fast run of Equal Shares in float64 whose every
// decision is checked against a rigorous bound on its rounding error.
// When a decision cannot be certified (two projects' effective vote
// counts too close to tell, a voter's budget too close to the payment,
// the approvers' money too close to the cost), run reports failure and
// the caller runs the exact computation (mesRun) instead. A certified
// run decides exactly what the exact run decides, so its outcome is the
// exact outcome, on any machine: rounding can differ between machines
// (fused multiply-add), but the bounds hold for any correctly rounded
// operation, fused or not.
//
// Bounds. u = 2^-53 is the unit roundoff. E bounds |b̂ - b| for every
// voter's budget (b̂ computed, b exact); budgets that are 0 are exactly 0
// (a voter is only set to 0 when certainly unable to pay). For a
// project, with P its poor approvers (those who pay all they have):
//
//	ρ = (cost - Σ_P w·b) / (d - W_P)     exact
//	ρ̂ = the same in float64
//	|ρ̂ - ρ| ≤ Δ = 2·((W_P·E + σ + u·cost)/(d - W_P) + 2u·ρ̂)
//
// σ bounding the rounding of the sum (2(m+2)u·Σ). That holds if the exact
// poor set is P, which is certain when no approver's budget lies within
// η = E + Δ of ρ̂ (then every b̂ < ρ̂ is b < ρ and every other b ≥ ρ, and
// ρ is the unique solution). After a charge, payers' budgets carry
// E + Δ + u·share.
type certifiedRun struct {
	h *heading

	g   []voters // group → its budget and weight
	err float64  // E
	top float64  // the per-voter share: no budget exceeds it

	heap  []int32
	upper []float64 // project → an upper bound of its exact effective vote count
	ev    []fevalue // project → last evaluation
	evals []int32

	sb, sw []float64 // scratch: budgets and weights of one project's approvers with money

	// live[p] is project p's approvers that may still have money: a
	// copy of h.approvers made at each run, from which evaluate drops
	// the groups it finds with nothing left.
	live    [][]int32
	liveBuf []int32
}

// voters is a group's state: the budget of each of its voters, and how
// many they are (side by side: evaluate reads both).
type voters struct{ b, w float64 }

// fevalue is an evaluation of one project. Its exact effective vote
// count lies in [lo, hi]; when exact is set it is exactly lo = hi (no
// approver with money pays all it has: the count is the weight of the
// approvers with money, an integer).
type fevalue struct {
	rho, delta float64
	lo, hi     float64
	exact      bool
}

const unit = 0x1p-53

func newCertifiedRun(h *heading) *certifiedRun {
	r := &certifiedRun{
		h:     h,
		g:     make([]voters, len(h.groups)),
		upper: make([]float64, len(h.projects)),
		ev:    make([]fevalue, len(h.projects)),
	}
	for g, gr := range h.groups {
		r.g[g].w = float64(gr.weight)
	}
	return r
}

// run computes the rule with each voter's budget num/den, or reports
// false when a decision could not be certified.
func (r *certifiedRun) run(num, den int64) (outcome, bool) {
	h := r.h
	share := float64(num) / float64(den)
	r.top = share
	r.err = unit * share // num/den rounded once (0 would do for den 1)
	for g := range r.g {
		r.g[g].b = share
	}
	if r.live == nil {
		n := 0
		for _, a := range h.approvers {
			n += len(a)
		}
		r.live, r.liveBuf = make([][]int32, len(h.approvers)), make([]int32, n)
	}
	off := 0
	for p, a := range h.approvers {
		r.live[p] = r.liveBuf[off : off+len(a) : off+len(a)]
		copy(r.live[p], a)
		off += len(a)
	}
	r.heap = r.heap[:0]
	for p, v := range h.votes {
		if v > 0 {
			r.upper[p] = float64(v)
			r.heap = append(r.heap, int32(p))
		}
	}
	r.heapInit()

	var o outcome
	for {
		best, tied, ok := r.choose()
		if !ok {
			return outcome{}, false
		}
		if best < 0 {
			return o, true
		}
		if len(tied) > 1 {
			t := Tie{Chosen: []string{h.projects[best].id}}
			for _, p := range tied {
				t.Projects = append(t.Projects, h.projects[p].id)
			}
			o.ties = append(o.ties, t)
		}
		o.winners = append(o.winners, best)
		o.cost += h.projects[best].cost
		r.charge(best)
	}
}

// choose is mesRun.choose with certified comparisons: the best project
// by estimate must beat every other evaluated one for certain, or tie
// with it exactly (both counts exact integers).
func (r *certifiedRun) choose() (best int32, tied []int32, ok bool) {
	h := r.h
	best = -1
	r.evals = r.evals[:0]
	for len(r.heap) > 0 {
		c := r.heap[0]
		if best >= 0 && r.upper[c] < r.ev[best].lo {
			break // certainly below best, and so is every other candidate
		}
		r.heapPop()
		affordable, ok := r.evaluate(c)
		if !ok {
			return -1, nil, false
		}
		if !affordable {
			continue
		}
		r.evals = append(r.evals, c)
		if best < 0 || r.estimate(c, best) {
			best = c
		}
	}
	for _, c := range r.evals {
		if c == best {
			continue
		}
		r.heapPush(c)
		a, b := &r.ev[best], &r.ev[c]
		switch {
		case a.lo > b.hi:
			continue
		case a.exact && b.exact && a.lo == b.lo:
			if !r.tieBreak(best, c) {
				return -1, nil, false // the estimate chose the other: cannot happen, be safe
			}
			if h.projects[c].cost == h.projects[best].cost && h.votes[c] == h.votes[best] {
				tied = append(tied, c)
			}
		default:
			return -1, nil, false
		}
	}
	if len(tied) > 0 {
		tied = append(tied, best)
		sortByRank(h, tied)
	}
	return best, tied, true
}

// estimate reports whether a looks better than b: higher estimated
// count, or on exactly equal exact counts the tie-break.
func (r *certifiedRun) estimate(a, b int32) bool {
	ea, eb := &r.ev[a], &r.ev[b]
	if ea.exact && eb.exact && ea.lo == eb.lo {
		return r.tieBreak(a, b)
	}
	return ea.lo+ea.hi > eb.lo+eb.hi
}

// tieBreak is better's order after equal counts: lower cost, more
// votes, the tie order.
func (r *certifiedRun) tieBreak(a, b int32) bool {
	h := r.h
	if ca, cb := h.projects[a].cost, h.projects[b].cost; ca != cb {
		return ca < cb
	}
	if va, vb := h.votes[a], h.votes[b]; va != vb {
		return va > vb
	}
	return h.rank[a] < h.rank[b]
}

// evaluate is mesRun.evaluate in float64. It reports whether c is
// affordable, and false in ok when that or its count is uncertain.
func (r *certifiedRun) evaluate(c int32) (affordable, ok bool) {
	cost := float64(r.h.projects[c].cost)
	// Gather the approvers with money into contiguous scratch: the
	// passes below read it several times.
	sb, sw := r.sb[:0], r.sw[:0]
	var money, d float64
	live := r.live[c]
	n := 0
	for _, g := range live {
		if v := r.g[g]; v.b > 0 {
			b, w := v.b, v.w
			live[n] = g
			n++
			sb = append(sb, b)
			sw = append(sw, w)
			money += w * b
			d += w
		}
	}
	r.live[c] = live[:n]
	r.sb, r.sw = sb, sw
	m := len(sb)
	if m == 0 {
		return false, true // every approver has exactly nothing
	}
	gamma := 2 * float64(m+2) * unit
	moneyErr := d*r.err + gamma*money
	switch {
	case money+moneyErr < cost:
		return false, true
	case money-moneyErr < cost:
		return false, false
	}

	// Water-filling without sorting: those below the equal part pay all
	// they have, which raises the part; repeat until no one new is poor.
	// The last pass also finds the budget nearest the part.
	rho := cost / d
	var poorSum, poorW, below, above float64
	for i := 0; ; i++ {
		if i == 64 {
			return false, false // not settled: leave it to the exact run
		}
		var s, pw float64
		below, above = 0, math.Inf(1) // the budgets nearest ρ̂, under and over
		for j, b := range sb {
			if b < rho {
				s += sw[j] * b
				pw += sw[j]
				if b > below {
					below = b
				}
			} else if b < above {
				above = b
			}
		}
		if pw == poorW && s == poorSum {
			break
		}
		poorSum, poorW = s, pw
		if poorW >= d {
			return false, false
		}
		rho = (cost - poorSum) / (d - poorW)
	}
	near := min(rho-below, above-rho)
	rich := d - poorW
	delta := 2 * ((poorW*r.err+gamma*poorSum+unit*cost)/rich + 2*unit*rho)
	if near <= r.err+delta || delta >= rho/2 {
		return false, false
	}
	e := &r.ev[c]
	e.rho, e.delta = rho, delta
	if poorW == 0 {
		// Exact: ρ = cost/d, count = d (an integer below 2^53).
		e.lo, e.hi, e.exact = d, d, true
	} else {
		e.lo = cost / (rho + delta) * (1 - 4*unit)
		e.hi = cost / (rho - delta) * (1 + 4*unit)
		e.exact = false
	}
	r.upper[c] = e.hi
	return true, true
}

// charge funds c: its poor approvers pay all they have (their budget is
// then exactly 0), the others ρ̂. The evaluation certified who is poor.
func (r *certifiedRun) charge(c int32) {
	e := &r.ev[c]
	for _, g := range r.live[c] {
		v := &r.g[g]
		if v.b == 0 {
			continue
		}
		if v.b < e.rho {
			v.b = 0
		} else {
			v.b -= e.rho
		}
	}
	r.err += e.delta + unit*r.top
}

// The candidates' heap, highest upper bound on top.

func (r *certifiedRun) heapInit() {
	for i := len(r.heap)/2 - 1; i >= 0; i-- {
		r.down(i)
	}
}

func (r *certifiedRun) heapPush(c int32) {
	r.heap = append(r.heap, c)
	for i := len(r.heap) - 1; i > 0; {
		parent := (i - 1) / 2
		if r.upper[r.heap[i]] <= r.upper[r.heap[parent]] {
			break
		}
		r.heap[i], r.heap[parent] = r.heap[parent], r.heap[i]
		i = parent
	}
}

func (r *certifiedRun) heapPop() {
	n := len(r.heap) - 1
	r.heap[0] = r.heap[n]
	r.heap = r.heap[:n]
	if n > 0 {
		r.down(0)
	}
}

func (r *certifiedRun) down(i int) {
	n := len(r.heap)
	for {
		top, left := i, 2*i+1
		if left < n && r.upper[r.heap[left]] > r.upper[r.heap[top]] {
			top = left
		}
		if right := left + 1; right < n && r.upper[r.heap[right]] > r.upper[r.heap[top]] {
			top = right
		}
		if top == i {
			return
		}
		r.heap[i], r.heap[top] = r.heap[top], r.heap[i]
		i = top
	}
}
