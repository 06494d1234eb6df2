package apps

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// estimateNodes is never below the real number of nodes, on the test
// files and on shapes where one byte starts two nodes.
func TestEstimateNodesBoundsTheTree(t *testing.T) {
	docs := map[string]string{
		"seq of maps":  "- a: 1\n  b: 2\n- c: 3\n",
		"nested seqs":  "- - - - a\n",
		"flow":         "{a: [1, 2, {b: c}], d: *x}",
		"complex keys": "? [a, b]\n: c\n",
		"one scalar":   "a",
		"anchors":      "a: &x [1, 2]\nb: *x\nc: !!str 3\n",
		"block text":   "a: |\n  one\n  two\n",
	}
	files, _ := filepath.Glob("testdata/*.yml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = string(b)
	}
	for name, doc := range docs {
		var n yaml.Node
		dec := yaml.NewDecoder(strings.NewReader(doc))
		if err := dec.Decode(&n); err != nil {
			continue // malformed files, unknown anchors
		}
		var count func(*yaml.Node) int
		count = func(n *yaml.Node) int {
			c := 1
			for _, k := range n.Content {
				c += count(k)
			}
			return c
		}
		if real, est := count(&n), estimateNodes([]byte(doc)); est < real {
			t.Errorf("%s: estimate %d, real %d", name, est, real)
		}
	}
	if est := estimateNodes(bytes.Repeat([]byte("x"), 1000)); est != 2 {
		t.Errorf("a scalar: %d", est)
	}
}
