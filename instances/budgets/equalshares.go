package budgets

import (
	"math/big"
)

// equalShares is the Method of Equal Shares for approval ballots with
// cost utilities, completed as equalshares.net's "Add1U" with its
// default options (integral endowments, stop when exhaustive):
//
//  1. Run the rule with the heading's budget B shared equally among the
//     n voters (B/n each).
//  2. While that outcome is not exhaustive (some project with votes that
//     is not funded would still fit), run it again with an integral
//     share one unit larger: floor(B/n)+1, +2, ... and keep the new
//     outcome as long as it costs at most B; stop at the first one that
//     costs more.
//  3. Fill what is left of B greedily (greedyFill).
//
// See docs/BUDGETS.md for the references.
func (h *heading) equalShares(maxSteps int, exact bool) (HeadingResult, error) {
	var res HeadingResult
	n := h.voters
	if n == 0 {
		return res, nil
	}
	res.StartShare = fraction(h.budget, n)
	run := h.runner(exact)
	out := run(h.budget, n)
	res.Share, res.Steps = res.StartShare, 1

	// When the budget covers every project with a vote, the completion
	// can only end with all of them funded, after as many steps as it
	// takes; the fill reaches the same set at once.
	var votedCost int64
	for p, v := range h.votes {
		if v > 0 {
			votedCost += h.projects[p].cost
		}
	}
	if votedCost > h.budget {
		for s := h.budget / n; !h.exhaustive(out); {
			if res.Steps >= maxSteps {
				return HeadingResult{}, ErrCompletionTooLong
			}
			s++
			next := run(s, 1)
			res.Steps++
			if next.cost > h.budget {
				break
			}
			out, res.Share = next, Fraction{Num: s, Den: 1}
		}
	}

	funded := make([]bool, len(h.projects))
	for _, p := range out.winners {
		funded[p] = true
		res.Funded = append(res.Funded, h.projects[p].id)
	}
	res.Ties = out.ties
	res.Filled = h.greedyFill(funded, out.cost, &res)
	return res, nil
}

// runner returns the function that runs the rule once with each voter's
// budget num/den: the certified float64 run, and the exact run when that
// one cannot certify a decision (or always, when exact is set).
func (h *heading) runner(exact bool) func(num, den int64) outcome {
	var (
		fast *certifiedRun
		slow *mesRun
	)
	return func(num, den int64) outcome {
		if !exact {
			if fast == nil {
				fast = newCertifiedRun(h)
			}
			if o, ok := fast.run(num, den); ok {
				return o
			}
		}
		if slow == nil {
			slow = newMESRun(h)
		}
		return slow.run(big.NewInt(num), den)
	}
}

// exhaustive reports whether no project with votes outside o fits in
// what o leaves of the budget.
func (h *heading) exhaustive(o outcome) bool {
	in := make([]bool, len(h.projects))
	for _, p := range o.winners {
		in[p] = true
	}
	for p, v := range h.votes {
		if v > 0 && !in[p] && o.cost+h.projects[p].cost <= h.budget {
			return false
		}
	}
	return true
}

func fraction(num, den int64) Fraction {
	a, b := num, den
	for b != 0 {
		a, b = b, a%b
	}
	return Fraction{Num: num / a, Den: den / a}
}

// outcome is what one run of the rule (one per-voter share) funds.
type outcome struct {
	winners []int32 // in the order chosen
	cost    int64
	ties    []Tie
}

// mesRun computes the rule for one heading and one per-voter share. It
// is reused across the completion's runs to keep its memory.
//
// Voters are not handled one by one: all voters of a group (identical
// ballots) always hold the same budget, and groups with the same
// payment history form a class with one budget. A class's budget is an
// exact fraction num/D, D being a denominator common to all classes
// (math/big, never rounded). Each class knows, per project, the weight
// of its groups that approve the project, so finding a project's
// effective vote count walks the classes, not the voters.
type mesRun struct {
	h  *heading
	np int

	cls     []int32 // group → class, or broke (-1: budget 0)
	classes []mesClass
	weights []int64 // class k's per-project weights: weights[k*np:(k+1)*np]
	alive   []int32 // classes with voters and money, budget ascending
	spare   []int32
	total   []int64 // project → weight of its approvers with money left
	den     big.Int // D

	heap    []int32  // candidates: max-heap on eff
	eff     []effect // project → last effective vote count (exact)
	payment []big.Int
	payers  []int64
	evals   []int32

	// trace, when set, records each choice (tests of the papers'
	// examples read the exact payments).
	trace *[]traceStep

	tmp, tmp2 big.Int
}

// effect is an effective vote count num/den, compared exactly.
type effect struct{ num, den big.Int }

type mesClass struct {
	num   big.Int // budget × D
	size  int64   // weight of its groups
	child int32   // during a charge: the class its payers move to; -1 none; -2 broke
}

type traceStep struct {
	project int32
	rho     *big.Rat // the largest payment of one voter
	eff     *big.Rat
}

func newMESRun(h *heading) *mesRun {
	np := len(h.projects)
	return &mesRun{
		h:       h,
		np:      np,
		cls:     make([]int32, len(h.groups)),
		total:   make([]int64, np),
		eff:     make([]effect, np),
		payment: make([]big.Int, np),
		payers:  make([]int64, np),
	}
}

// newClass adds a class with no voters and budget num/D.
func (r *mesRun) newClass(num *big.Int) int32 {
	k := int32(len(r.classes))
	if cap(r.classes) > len(r.classes) {
		r.classes = r.classes[:k+1]
	} else {
		r.classes = append(r.classes, mesClass{})
	}
	c := &r.classes[k]
	c.num.Set(num)
	c.size, c.child = 0, -1
	start := int(k) * r.np
	if cap(r.weights) >= start+r.np {
		r.weights = r.weights[:start+r.np]
		clear(r.weights[start:])
	} else {
		r.weights = append(r.weights, make([]int64, r.np)...)
	}
	return k
}

func (r *mesRun) w(k int32) []int64 { return r.weights[int(k)*r.np : (int(k)+1)*r.np] }

// run computes the rule with each voter's budget num/den.
func (r *mesRun) run(num *big.Int, den int64) outcome {
	h := r.h
	r.classes, r.weights = r.classes[:0], r.weights[:0]
	r.den.SetInt64(den)
	k := r.newClass(num)
	r.classes[k].size = h.voters
	copy(r.w(k), h.votes)
	copy(r.total, h.votes)
	clear(r.cls)
	r.alive = append(r.alive[:0], k)

	r.heap = r.heap[:0]
	for p, v := range h.votes {
		if v > 0 {
			r.eff[p].num.SetInt64(v)
			r.eff[p].den.SetInt64(1)
			r.heap = append(r.heap, int32(p))
		}
	}
	r.heapInit()

	var o outcome
	for {
		best, tied := r.choose()
		if best < 0 {
			return o
		}
		if len(tied) > 1 {
			t := Tie{Chosen: []string{h.projects[best].id}}
			for _, p := range tied {
				t.Projects = append(t.Projects, h.projects[p].id)
			}
			o.ties = append(o.ties, t)
		}
		if r.trace != nil {
			rho := new(big.Rat).SetFrac(&r.payment[best], new(big.Int).Mul(&r.den, big.NewInt(r.payers[best])))
			eff := new(big.Rat).SetFrac(&r.eff[best].num, &r.eff[best].den)
			*r.trace = append(*r.trace, traceStep{project: best, rho: rho, eff: eff})
		}
		o.winners = append(o.winners, best)
		o.cost += h.projects[best].cost
		r.charge(best)
	}
}

// choose finds the project with the highest effective vote count, ties
// broken by lower cost, more votes, then the tie order. It evaluates
// candidates from the highest previous count down and stops when the
// next one's previous count (an upper bound: counts only fall as voters
// spend) is below the best found. Unaffordable projects leave for good.
// tied lists the projects equal to best on count, cost and votes, in tie
// order, when there are several.
func (r *mesRun) choose() (best int32, tied []int32) {
	h := r.h
	best = -1
	r.evals = r.evals[:0]
	for len(r.heap) > 0 {
		c := r.heap[0]
		if best >= 0 && r.cmpEff(c, best) < 0 {
			break
		}
		r.heapPop()
		if !r.evaluate(c) {
			continue
		}
		r.evals = append(r.evals, c)
		if best < 0 || r.better(c, best) {
			best = c
		}
	}
	for _, c := range r.evals {
		if c == best {
			continue
		}
		r.heapPush(c)
		if r.cmpEff(c, best) == 0 && h.projects[c].cost == h.projects[best].cost && h.votes[c] == h.votes[best] {
			tied = append(tied, c)
		}
	}
	if len(tied) > 0 {
		tied = append(tied, best)
		sortByRank(h, tied)
	}
	return best, tied
}

func sortByRank(h *heading, ps []int32) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && h.rank[ps[j]] < h.rank[ps[j-1]]; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// better reports whether a beats b: higher effective vote count, then
// lower cost, then more votes (equalshares.net's tie-breaking), then the
// tie order.
func (r *mesRun) better(a, b int32) bool {
	if c := r.cmpEff(a, b); c != 0 {
		return c > 0
	}
	h := r.h
	if ca, cb := h.projects[a].cost, h.projects[b].cost; ca != cb {
		return ca < cb
	}
	if va, vb := h.votes[a], h.votes[b]; va != vb {
		return va > vb
	}
	return h.rank[a] < h.rank[b]
}

// cmpEff compares the effective vote counts of a and b exactly.
func (r *mesRun) cmpEff(a, b int32) int {
	ea, eb := &r.eff[a], &r.eff[b]
	r.tmp.Mul(&ea.num, &eb.den)
	r.tmp2.Mul(&eb.num, &ea.den)
	return r.tmp.Cmp(&r.tmp2)
}

// evaluate computes project c's effective vote count with the budgets
// as they are: its cost split as equally as possible among its
// approvers, those who cannot pay the equal part paying all they have.
// With ρ the largest payment, the count is cost/ρ (cost utilities). It
// reports false when the approvers cannot pay the cost together.
//
// Walking the classes by budget, ascending, with R the part of the cost
// not yet paid (× D) and d the weight of the approvers not yet walked,
// the equal part of the rest is R/(D·d); a class whose budget num/D is
// below it pays everything (R > num·d). The first class that can pay the
// equal part ends the walk: ρ = R/(D·d), count = cost·D·d/R.
func (r *mesRun) evaluate(c int32) bool {
	d := r.total[c]
	if d == 0 {
		return false
	}
	R := &r.payment[c]
	R.SetInt64(r.h.projects[c].cost)
	R.Mul(R, &r.den)
	for _, k := range r.alive {
		wk := r.weights[int(k)*r.np+int(c)]
		if wk == 0 {
			continue
		}
		num := &r.classes[k].num
		r.tmp.Mul(num, r.tmp2.SetInt64(d))
		if R.Cmp(&r.tmp) > 0 {
			r.tmp.Mul(num, r.tmp2.SetInt64(wk))
			R.Sub(R, &r.tmp)
			if d -= wk; d == 0 {
				return false
			}
			continue
		}
		r.payers[c] = d
		e := &r.eff[c]
		e.num.SetInt64(r.h.projects[c].cost)
		e.num.Mul(&e.num, r.tmp.SetInt64(d))
		e.num.Mul(&e.num, &r.den)
		e.den.Set(R)
		return true
	}
	return false // not reached: the walk meets every approver
}

// charge funds project c at the payment evaluate found: every approver
// pays ρ = R/(D·d), or all it has if that is less. The new common
// denominator is D·d, in which ρ is R.
func (r *mesRun) charge(c int32) {
	h := r.h
	d := r.payers[c]
	rho := &r.payment[c]
	r.tmp2.SetInt64(d)
	r.den.Mul(&r.den, &r.tmp2)
	for _, k := range r.alive {
		cl := &r.classes[k]
		cl.num.Mul(&cl.num, &r.tmp2)
		cl.child = -1
	}
	for _, g := range h.approvers[c] {
		k := r.cls[g]
		if k < 0 {
			continue
		}
		cl := &r.classes[k]
		if cl.child == -1 {
			if cl.num.Cmp(rho) <= 0 {
				cl.child = -2
			} else {
				r.tmp.Sub(&cl.num, rho)
				child := r.newClass(&r.tmp)
				cl = &r.classes[k] // newClass may have moved the slice
				cl.child = child
			}
		}
		gr := &h.groups[g]
		from := r.w(k)
		cl.size -= gr.weight
		if cl.child == -2 {
			r.cls[g] = -1
			for _, p := range gr.projects {
				from[p] -= gr.weight
				r.total[p] -= gr.weight
			}
			continue
		}
		to := r.w(cl.child)
		r.classes[cl.child].size += gr.weight
		r.cls[g] = cl.child
		for _, p := range gr.projects {
			from[p] -= gr.weight
			to[p] += gr.weight
		}
	}
	// The classes that kept voters keep their order, and so do the
	// classes of payers (all paid the same ρ): merge the two lists.
	stay, paid := r.alive, r.spare[:0]
	n := 0
	for _, k := range stay {
		if ch := r.classes[k].child; ch >= 0 {
			paid = append(paid, ch)
		}
		if r.classes[k].size > 0 {
			stay[n] = k
			n++
		}
	}
	stay = stay[:n]
	merged := make([]int32, 0, len(stay)+len(paid))
	i, j := 0, 0
	for i < len(stay) && j < len(paid) {
		if r.classes[paid[j]].num.Cmp(&r.classes[stay[i]].num) < 0 {
			merged = append(merged, paid[j])
			j++
		} else {
			merged = append(merged, stay[i])
			i++
		}
	}
	merged = append(merged, stay[i:]...)
	merged = append(merged, paid[j:]...)
	r.spare = paid[:0]
	r.alive = merged
}

// The candidates' heap, highest effective vote count on top.

func (r *mesRun) heapInit() {
	for i := len(r.heap)/2 - 1; i >= 0; i-- {
		r.down(i)
	}
}

func (r *mesRun) heapPush(c int32) {
	r.heap = append(r.heap, c)
	r.up(len(r.heap) - 1)
}

func (r *mesRun) heapPop() {
	n := len(r.heap) - 1
	r.heap[0] = r.heap[n]
	r.heap = r.heap[:n]
	if n > 0 {
		r.down(0)
	}
}

func (r *mesRun) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if r.cmpEff(r.heap[i], r.heap[parent]) <= 0 {
			return
		}
		r.heap[i], r.heap[parent] = r.heap[parent], r.heap[i]
		i = parent
	}
}

func (r *mesRun) down(i int) {
	n := len(r.heap)
	for {
		top, left := i, 2*i+1
		if left < n && r.cmpEff(r.heap[left], r.heap[top]) > 0 {
			top = left
		}
		if right := left + 1; right < n && r.cmpEff(r.heap[right], r.heap[top]) > 0 {
			top = right
		}
		if top == i {
			return
		}
		r.heap[i], r.heap[top] = r.heap[top], r.heap[i]
		i = top
	}
}
