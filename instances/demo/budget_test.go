package demo

import (
	"bytes"
	"testing"

	"agora/instances/budgets"
)

// The demo's edition is a valid Pabulib file whose result funds some
// projects and not others, the same on every load.
func TestLastEditionFile(t *testing.T) {
	a, err := lastEditionPB()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := lastEditionPB()
	if !bytes.Equal(a, b) {
		t.Fatal("the demo's edition differs between two loads")
	}
	pb, err := budgets.ParsePB(bytes.NewReader(a), budgets.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	e, rule, err := pb.Election("all")
	if err != nil {
		t.Fatal(err)
	}
	res, err := budgets.Compute(e, rule, budgets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	funded := len(res.Headings[0].Funded)
	if funded < len(milestones) || funded == len(lastEdition) {
		t.Errorf("%d of %d projects funded: want at least %d (each with its milestones) and not all", funded, len(lastEdition), len(milestones))
	}
}
