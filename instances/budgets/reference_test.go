package budgets_test

import (
	"cmp"
	"math/big"
	"slices"

	"agora/instances/budgets"
)

// Reference implementations, written for obviousness, not speed: one
// voter per unit of ballot weight, every budget a big.Rat, every count
// recomputed from the ballots. The property tests compare the package
// against them on thousands of random elections.

type refProject struct {
	id    string
	cost  int64
	votes int64
	rank  int
}

// refHeading is one heading: its projects and one approval set (indices
// into projects) per voter who supports at least one of them.
type refHeading struct {
	id       string
	budget   int64
	projects []refProject
	voters   [][]int
}

func refHeadings(e budgets.Election) []refHeading {
	// Tie order: TieOrder first, then the rest by id.
	rank := map[string]int{}
	for i, id := range e.TieOrder {
		rank[id] = i
	}
	var rest []string
	for _, p := range e.Projects {
		if _, ok := rank[p.ID]; !ok {
			rest = append(rest, p.ID)
		}
	}
	slices.Sort(rest)
	for i, id := range rest {
		rank[id] = len(e.TieOrder) + i
	}
	var hs []refHeading
	for _, h := range e.Headings {
		rh := refHeading{id: h.ID, budget: h.Budget}
		local := map[string]int{}
		for _, p := range e.Projects {
			if p.Heading == h.ID {
				local[p.ID] = len(rh.projects)
				rh.projects = append(rh.projects, refProject{id: p.ID, cost: p.Cost, rank: rank[p.ID]})
			}
		}
		for _, b := range e.Ballots {
			var set []int
			for _, id := range b.Projects {
				if l, ok := local[id]; ok {
					set = append(set, l)
				}
			}
			if len(set) == 0 {
				continue
			}
			for range b.Weight {
				rh.voters = append(rh.voters, set)
			}
		}
		for i := range rh.projects {
			for _, v := range rh.voters {
				if slices.Contains(v, i) {
					rh.projects[i].votes++
				}
			}
		}
		hs = append(hs, rh)
	}
	return hs
}

// greedyOrder: more votes, then lower cost, then tie order.
func (h refHeading) greedyOrder() []int {
	order := make([]int, len(h.projects))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		pa, pb := h.projects[a], h.projects[b]
		if pa.votes != pb.votes {
			return cmp.Compare(pb.votes, pa.votes)
		}
		if pa.cost != pb.cost {
			return cmp.Compare(pa.cost, pb.cost)
		}
		return cmp.Compare(pa.rank, pb.rank)
	})
	return order
}

// refGreedy adds, in greedy order, every project with votes that fits.
func (h refHeading) refGreedy(funded []int) []int {
	var used int64
	for _, p := range funded {
		used += h.projects[p].cost
	}
	for _, p := range h.greedyOrder() {
		if slices.Contains(funded, p) || h.projects[p].votes == 0 {
			continue
		}
		if used+h.projects[p].cost <= h.budget {
			used += h.projects[p].cost
			funded = append(funded, p)
		}
	}
	return funded
}

// refFixed is equalshares.net's equal_shares_fixed_budget (Python, exact
// fractions, approval ballots = cost utilities) transcribed, with the
// site's recommended tie-breaking (lower cost, more votes) and then the
// tie order.
func (h refHeading) refFixed(total *big.Rat) []int {
	n := len(h.voters)
	budget := make([]*big.Rat, n)
	for i := range budget {
		budget[i] = new(big.Rat).Quo(total, big.NewRat(int64(n), 1))
	}
	approvers := make([][]int, len(h.projects))
	for i, v := range h.voters {
		for _, p := range v {
			approvers[p] = append(approvers[p], i)
		}
	}
	remaining := map[int]*big.Rat{} // project → previous effective vote count
	for p, pr := range h.projects {
		if pr.cost > 0 && len(approvers[p]) > 0 {
			remaining[p] = big.NewRat(int64(len(approvers[p])), 1)
		}
	}
	var winners []int
	for {
		var best []int
		bestEff := new(big.Rat)
		var sorted []int
		for p := range remaining {
			sorted = append(sorted, p)
		}
		slices.SortFunc(sorted, func(a, b int) int {
			if c := remaining[b].Cmp(remaining[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		for _, c := range sorted {
			if remaining[c].Cmp(bestEff) < 0 {
				break
			}
			cost := big.NewRat(h.projects[c].cost, 1)
			money := new(big.Rat)
			for _, i := range approvers[c] {
				money.Add(money, budget[i])
			}
			if money.Cmp(cost) < 0 {
				delete(remaining, c)
				continue
			}
			slices.SortStableFunc(approvers[c], func(a, b int) int { return budget[a].Cmp(budget[b]) })
			paid := new(big.Rat)
			denominator := int64(len(approvers[c]))
			for _, i := range approvers[c] {
				maxPayment := new(big.Rat).Sub(cost, paid)
				maxPayment.Quo(maxPayment, big.NewRat(denominator, 1))
				eff := new(big.Rat).Quo(cost, maxPayment)
				if maxPayment.Cmp(budget[i]) > 0 {
					paid.Add(paid, budget[i])
					denominator--
					continue
				}
				remaining[c] = eff
				switch eff.Cmp(bestEff) {
				case 1:
					bestEff, best = eff, []int{c}
				case 0:
					best = append(best, c)
				}
				break
			}
		}
		if len(best) == 0 {
			return winners
		}
		slices.SortFunc(best, func(a, b int) int {
			pa, pb := h.projects[a], h.projects[b]
			if pa.cost != pb.cost {
				return cmp.Compare(pa.cost, pb.cost)
			}
			if pa.votes != pb.votes {
				return cmp.Compare(pb.votes, pa.votes)
			}
			return cmp.Compare(pa.rank, pb.rank)
		})
		w := best[0]
		winners = append(winners, w)
		delete(remaining, w)
		bestMaxPayment := new(big.Rat).Quo(big.NewRat(h.projects[w].cost, 1), bestEff)
		for _, i := range approvers[w] {
			if budget[i].Cmp(bestMaxPayment) > 0 {
				budget[i].Sub(budget[i], bestMaxPayment)
			} else {
				budget[i].SetInt64(0)
			}
		}
	}
}

func (h refHeading) cost(ps []int) int64 {
	var c int64
	for _, p := range ps {
		c += h.projects[p].cost
	}
	return c
}

// refEqualShares is equalshares.net's equal_shares with the Add1
// completion (integral endowments, stop when exhaustive) and the
// utilitarian completion ("Add1U"), literally: no shortcut. It returns
// the funded projects and the share of the kept run. Unlike the site's
// code, projects without votes are never funded nor counted when testing
// exhaustiveness (docs/BUDGETS.md says why).
func (h refHeading) refEqualShares() ([]int, *big.Rat) {
	n := int64(len(h.voters))
	if n == 0 {
		return nil, new(big.Rat)
	}
	B := big.NewRat(h.budget, 1)
	mes := h.refFixed(B)
	share := new(big.Rat).Quo(B, big.NewRat(n, 1))
	budget := h.budget / n * n
	for {
		exhaustive := true
		for p, pr := range h.projects {
			if pr.votes > 0 && !slices.Contains(mes, p) && h.cost(mes)+pr.cost <= h.budget {
				exhaustive = false
			}
		}
		if exhaustive {
			break
		}
		next := h.refFixed(big.NewRat(budget+n, 1))
		if h.cost(next) > h.budget {
			break
		}
		budget += n
		mes, share = next, big.NewRat(budget, n)
	}
	return h.refGreedy(mes), share
}

func (h refHeading) ids(ps []int) []string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, h.projects[p].id)
	}
	return ids
}
