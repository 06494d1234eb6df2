// Package budgets holds the pure computation of participatory budgets:
// the two rules that turn approval ballots into funded projects (greedy
// by votes, and the Method of Equal Shares with its Add1 completion and
// greedy fill), and the Pabulib .pb format (parser and writer). It knows
// no database and no HTTP: callers pass plain values and get plain
// values back, so the ballot machinery, the pages, the API and the
// command line can all use it. docs/BUDGETS.md is the specification.
//
// Choices made here:
//
//   - Money is an int64 count of whole currency units (euros for a
//     French city; the .pb file's currency otherwise). Costs and
//     budgets are positive and at most MaxAmount.
//   - Every computation is exact: greedy only adds integers; Equal
//     Shares keeps each voter's remaining budget as an exact fraction
//     (math/big integers over a common denominator), so a result is
//     the same on every machine and can be recomputed by anyone from
//     the published ballots.
//   - Equal Shares uses cost utilities (the variant equalshares.net
//     describes and recommends for approval ballots), the Add1
//     completion with integral per-voter shares that stops at an
//     exhaustive outcome, then a greedy fill (equalshares.net's
//     "Add1U").
//   - Ties are broken as equalshares.net recommends (lower cost, then
//     more votes), then by an order drawn by lot when the caller gives
//     one (Election.TieOrder), else by project id. Ties that reach that
//     last step are reported, so a page can say a lot decided.
//   - A knapsack ballot is counted as an approval of each project on it.
package budgets
