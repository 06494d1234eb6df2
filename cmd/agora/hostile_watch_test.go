package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// pageProbe reads pages of a node in a loop, one after the other, and
// keeps the slowest answer and what failed.
type pageProbe struct {
	done    chan struct{}
	stopped sync.Once
	wg      sync.WaitGroup

	mu       sync.Mutex
	worst    time.Duration
	count    int
	failures []string
}

func newPageProbe(n *fedNode, pages []string) *pageProbe {
	p := &pageProbe{done: make(chan struct{})}
	c := &http.Client{Timeout: time.Minute}
	p.wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-p.done:
				return
			case <-time.After(200 * time.Millisecond):
			}
			path := pages[i%len(pages)]
			start := time.Now()
			resp, err := c.Get(n.base + path)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			took := time.Since(start)
			p.mu.Lock()
			p.count++
			p.worst = max(p.worst, took)
			if err != nil {
				p.failures = append(p.failures, fmt.Sprintf("GET %s while peers misbehaved: %v", path, err))
			}
			p.mu.Unlock()
		}
	})
	return p
}

func (p *pageProbe) stop() {
	p.stopped.Do(func() { close(p.done) })
	p.wg.Wait()
}

func (p *pageProbe) result() (worst time.Duration, count int, failures []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.worst, p.count, p.failures
}

// memWatch follows the resident memory of a node's process (Linux): its
// peak since the watch began, from the kernel's high-water mark (reset
// when the watch starts) and from samples taken every 20 ms.
type memWatch struct {
	pid     int
	before  int64 // VmRSS when the watch began
	reset   bool  // the high-water mark was reset
	done    chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	sampled int64
}

// watchMemory starts the watch; it is nil where there is no /proc.
func watchMemory(t *testing.T, n *fedNode) *memWatch {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Log("memory is read from /proc: not checked on " + runtime.GOOS)
		return nil
	}
	m := &memWatch{pid: n.proc.cmd.Process.Pid, done: make(chan struct{})}
	var err error
	if m.before, err = procStatus(m.pid, "VmRSS"); err != nil {
		t.Fatal(err)
	}
	// Writing 5 to clear_refs resets VmHWM to the current RSS.
	m.reset = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", m.pid), []byte("5"), 0) == nil
	m.wg.Go(func() {
		for {
			if rss, err := procStatus(m.pid, "VmRSS"); err == nil {
				m.mu.Lock()
				m.sampled = max(m.sampled, rss)
				m.mu.Unlock()
			}
			select {
			case <-m.done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	return m
}

// peakGrowth stops the watch and returns how much higher than at its
// start the RSS went.
func (m *memWatch) peakGrowth(t *testing.T) int64 {
	t.Helper()
	close(m.done)
	m.wg.Wait()
	peak := m.sampled
	if m.reset {
		hwm, err := procStatus(m.pid, "VmHWM")
		if err != nil {
			t.Fatal(err)
		}
		peak = max(peak, hwm)
	}
	return max(peak-m.before, 0)
}

// procStatus reads a memory field of /proc/PID/status, in bytes.
func procStatus(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), field+":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %q: %w", field, rest, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// readFile reads a file of the repository.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
