package budgets

// greedy is the rule most cities use: projects in greedy order (more
// votes first, then lower cost, then the tie order), each funded if it
// still fits in what is left of the budget, skipped otherwise; the walk
// goes on past a skipped project. A project nobody voted for is never
// funded.
func (h *heading) greedy() HeadingResult {
	var res HeadingResult
	h.greedyFill(make([]bool, len(h.projects)), 0, &res)
	return res
}

// greedyFill walks the greedy order from an outcome already funded
// (funded, costing used) and adds every project with votes that still
// fits, appending to res.Funded and res.Ties. It is both the greedy rule
// and Equal Shares' final fill. It returns how many projects it added.
func (h *heading) greedyFill(funded []bool, used int64, res *HeadingResult) int {
	before := make([]bool, len(funded))
	copy(before, funded)
	added := 0
	for _, p := range h.order {
		if funded[p] || h.votes[p] == 0 {
			continue
		}
		if c := h.projects[p].cost; used+c <= h.budget {
			used += c
			funded[p] = true
			res.Funded = append(res.Funded, h.projects[p].id)
			added++
		}
	}
	// A run of projects with equal votes and cost was ordered by the tie
	// order alone; it decided something when only part of the run was
	// funded.
	for i := 0; i < len(h.order); {
		a := h.order[i]
		j := i + 1
		for j < len(h.order) && h.votes[h.order[j]] == h.votes[a] && h.projects[h.order[j]].cost == h.projects[a].cost {
			j++
		}
		var tie Tie
		for _, p := range h.order[i:j] {
			if before[p] || h.votes[p] == 0 {
				continue
			}
			tie.Projects = append(tie.Projects, h.projects[p].id)
			if funded[p] {
				tie.Chosen = append(tie.Chosen, h.projects[p].id)
			}
		}
		if len(tie.Chosen) > 0 && len(tie.Chosen) < len(tie.Projects) {
			res.Ties = append(res.Ties, tie)
		}
		i = j
	}
	return added
}
