package reports_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"agora/instances/reports"
)

// TestSnapBox checks the widened box holds the box asked, lies on its
// grid, and is what the node's map script asks for: the same function in
// frontend/web/static/map.js, run by Node.js when it is installed.
func TestSnapBox(t *testing.T) {
	cases := []struct{ in, want reports.Box }{
		// A street in the 11th (about 700 m): a grid of 0.001°.
		{reports.Box{West: 2.3601234, South: 48.8512345, East: 2.3696234, North: 48.8575345},
			reports.Box{West: 2.36, South: 48.851, East: 2.37, North: 48.858}},
		// Across the Greenwich meridian and the equator: 0.0002°.
		{reports.Box{West: -0.001, South: -0.0005, East: 0.0012, North: 0.0003},
			reports.Box{West: -0.001, South: -0.0006, East: 0.0012, North: 0.0004}},
		// The whole world stays the whole world.
		{reports.Box{West: -180, South: -90, East: 180, North: 90}, reports.Box{West: -180, South: -90, East: 180, North: 90}},
	}
	for _, c := range cases {
		if got := reports.SnapBox(c.in); got != c.want {
			t.Errorf("SnapBox(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var boxes []reports.Box
	for range 200 {
		lat, lon := -89+rng.Float64()*178, -179+rng.Float64()*358
		size := []float64{0.0005, 0.005, 0.05, 0.5}[rng.IntN(4)] * (0.5 + rng.Float64())
		b := reports.Box{South: lat, West: lon, North: min(lat+size*0.7, 90), East: min(lon+size, 180)}
		boxes = append(boxes, b)
		s := reports.SnapBox(b)
		// Held as the node compares: in microdegrees, as points are stored.
		if e6 := func(v float64) int64 { return int64(math.Round(v * 1e6)) }; !s.Valid() ||
			e6(s.South) > e6(b.South) || e6(s.West) > e6(b.West) || e6(s.North) < e6(b.North) || e6(s.East) < e6(b.East) {
			t.Fatalf("SnapBox(%+v) = %+v does not hold it", b, s)
		}
		// At most about a quarter wider on each axis (one step each side).
		if s.North-s.South > (b.North-b.South)+0.26*max(b.North-b.South, b.East-b.West)+1e-9 {
			t.Errorf("SnapBox(%+v) = %+v: too wide", b, s)
		}
		if again := reports.SnapBox(s); again.North-again.South < s.North-s.South-1e-9 {
			t.Errorf("SnapBox(%+v) narrower than the box", s)
		}
	}

	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("no Node.js: map.js's snap not compared")
		return
	}
	src, err := os.ReadFile("../../frontend/web/static/map.js")
	if err != nil {
		t.Fatal(err)
	}
	fn := regexp.MustCompile(`(?s)function snap\(box\) \{.*?\n  \}\n`).Find(src)
	if fn == nil {
		t.Fatal("no snap function in map.js")
	}
	in, _ := json.Marshal(boxes)
	script := string(fn) + fmt.Sprintf("console.log(JSON.stringify(%s.map(function (b) { return snap([b.West, b.South, b.East, b.North]).join(','); })));", in)
	out, err := exec.Command(node, "-e", script).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var fromJS []string
	if err := json.Unmarshal(out, &fromJS); err != nil || len(fromJS) != len(boxes) {
		t.Fatalf("node said %q (%v)", out, err)
	}
	for i, b := range boxes {
		s := reports.SnapBox(b)
		want := strings.Join([]string{fmt.Sprintf("%.6f", s.West), fmt.Sprintf("%.6f", s.South), fmt.Sprintf("%.6f", s.East), fmt.Sprintf("%.6f", s.North)}, ",")
		if fromJS[i] != want {
			t.Errorf("box %+v: map.js asks %s, SnapBox gives %s", b, fromJS[i], want)
		}
	}
}
