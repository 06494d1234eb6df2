package budgets

import "math/big"

// TraceStep is one choice of a run, for the tests of the papers'
// examples, which give exact payments.
type TraceStep struct {
	ID       string
	Rho, Eff *big.Rat // the largest payment of one voter; the effective vote count
}

// FixedRun runs Equal Shares once, without the completion, on e's first
// heading with its budget shared equally among its voters.
func FixedRun(e Election) ([]string, []TraceStep, error) {
	hs, err := prepare(e)
	if err != nil {
		return nil, nil, err
	}
	h := hs[0]
	r := newMESRun(h)
	var trace []traceStep
	r.trace = &trace
	o := r.run(big.NewInt(h.budget), h.voters)
	var ids []string
	for _, p := range o.winners {
		ids = append(ids, h.projects[p].id)
	}
	var steps []TraceStep
	for _, s := range trace {
		steps = append(steps, TraceStep{ID: h.projects[s.project].id, Rho: s.rho, Eff: s.eff})
	}
	return ids, steps, nil
}

// GiveWays runs the certified computation once per heading of e (first
// run of Equal Shares, share budget/voters) and counts the runs that
// could not certify a decision.
func GiveWays(e Election) (runs, gaveWay int, err error) {
	hs, err := prepare(e)
	if err != nil {
		return 0, 0, err
	}
	for _, h := range hs {
		if h.voters == 0 {
			continue
		}
		runs++
		if _, ok := newCertifiedRun(h).run(h.budget, h.voters); !ok {
			gaveWay++
		}
	}
	return runs, gaveWay, nil
}
