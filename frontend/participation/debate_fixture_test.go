package participation_test

import (
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/debates"
)

// debComments reads every comment of a target, as rows, through the
// service: what the pages must not have changed.
func debComments(t *testing.T, n *frontendtest.Node, target debates.Target) []*debates.Node {
	t.Helper()
	nodes, err := n.Debates.Thread(t.Context(), target, debates.ThreadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}
