package main

import (
	"bufio"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkIdleMemory says where an idle node's resident memory goes,
// in the conditions of BenchmarkIdleRSS (SQLite, two seconds after ready
// and one home page): the binary's own pages (file-backed) by section
// and by the package their bytes belong to, read from the process's page
// table (/proc/PID/pagemap) against the binary's symbols, and the
// process's own memory (anonymous) as Go's runtime accounts for it. The
// binary is built with its symbol table (not loaded, so the resident
// figures are those of the stripped binary). Each line is logged; run
// with -v.
func BenchmarkIdleMemory(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "agora")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for i := 0; i < b.N; i++ {
		debugAddr := freeAddr(b)
		b.Setenv("AGORA_DEBUG_ADDR", debugAddr)
		cmd, addr := startAgora(b, bin, b.TempDir())
		waitReady(b, addr)
		if resp, err := http.Get("http://" + addr + "/"); err == nil {
			resp.Body.Close()
		}
		time.Sleep(2 * time.Second)
		pid := cmd.Process.Pid
		b.ReportMetric(statusMB(pid, "VmRSS"), "MB-RSS")
		b.ReportMetric(statusMB(pid, "RssFile"), "MB-RSS-file")
		b.ReportMetric(statusMB(pid, "RssAnon"), "MB-RSS-anon")
		sections, packages, err := residentBinary(pid, bin)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range sections {
			b.Logf("binary section %-24s %6.2f MB resident", s.name, s.mb)
		}
		for j, p := range packages {
			if j == 25 {
				break
			}
			b.Logf("binary, bytes of %-40s %6.2f MB resident", p.name, p.mb)
		}
		stats, err := runtimeMemStats(debugAddr)
		if err != nil {
			b.Fatal(err)
		}
		for _, k := range []string{"HeapInuse", "HeapIdle", "HeapReleased", "Stack", "GCSys", "BuckHashSys", "MSpan", "OtherSys"} {
			b.Logf("runtime %-14s %6.2f MB", k, stats[k]/1e6)
		}
		b.ReportMetric(stats["HeapInuse"]/1e6, "MB-heap-inuse")
		stopAgora(b, cmd)
	}
}

type residentPart struct {
	name string
	mb   float64
}

// residentBinary reads which pages of bin, mapped by process pid, are
// resident, and sums them by ELF section and by the package of the
// symbols they hold (bytes of a page no symbol covers go to the
// section: Go's pclntab and read-only data are mostly not split into
// symbols).
func residentBinary(pid int, bin string) (sections, packages []residentPart, err error) {
	f, err := elf.Open(bin)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, nil, fmt.Errorf("symbols of %s: %w", bin, err)
	}
	type span struct {
		start, end uint64
		name       string
	}
	var spans []span
	for _, s := range syms {
		if s.Size > 0 && s.Value > 0 {
			spans = append(spans, span{s.Value, s.Value + s.Size, s.Name})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	pagemap, err := os.Open(fmt.Sprintf("/proc/%d/pagemap", pid))
	if err != nil {
		return nil, nil, err
	}
	defer pagemap.Close()
	maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, nil, err
	}
	const page = 4096
	bySection, byPackage := map[string]float64{}, map[string]float64{}
	entry := make([]byte, 8)
	sc := bufio.NewScanner(strings.NewReader(string(maps)))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != bin {
			continue
		}
		lo, hi, _ := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			return nil, nil, fmt.Errorf("maps line %q", sc.Text())
		}
		for a := start; a < end; a += page {
			if _, err := pagemap.ReadAt(entry, int64(a/page*8)); err != nil {
				return nil, nil, fmt.Errorf("pagemap: %w", err)
			}
			if binary.LittleEndian.Uint64(entry)&(1<<63) == 0 {
				continue // not resident
			}
			section := "other"
			for _, s := range f.Sections {
				if s.Addr != 0 && a < s.Addr+s.Size && a+page > s.Addr {
					section = s.Name
					break
				}
			}
			bySection[section] += page
			covered := uint64(0)
			for i := sort.Search(len(spans), func(i int) bool { return spans[i].end > a }); i < len(spans) && spans[i].start < a+page; i++ {
				from, to := max(spans[i].start, a), min(spans[i].end, a+page)
				if to > from {
					byPackage[packageOf(spans[i].name)] += float64(to - from)
					covered += to - from
				}
			}
			if covered < page {
				byPackage["(no symbol, "+section+")"] += float64(page - covered)
			}
		}
	}
	return sortedParts(bySection), sortedParts(byPackage), nil
}

func sortedParts(m map[string]float64) []residentPart {
	var out []residentPart
	for k, v := range m {
		out = append(out, residentPart{k, v / 1e6})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].mb > out[j].mb })
	return out
}

// packageOf is the module (or standard library package) a symbol belongs
// to: "github.com/owner/repo", "modernc.org/sqlite", "agora", "std:net".
func packageOf(sym string) string {
	switch {
	case strings.HasPrefix(sym, "runtime."):
		return "std:runtime"
	case strings.HasPrefix(sym, "type:"), strings.HasPrefix(sym, "go:"):
		return "(" + sym[:strings.IndexByte(sym, ':')] + ")"
	}
	slash := strings.LastIndexByte(sym, '/')
	dot := strings.IndexByte(sym[slash+1:], '.')
	if dot < 0 {
		return "(" + sym + ")"
	}
	path := strings.Split(sym[:slash+1+dot], "/")
	switch {
	case path[0] == "agora":
		return "agora"
	case path[0] == "github.com" || path[0] == "golang.org":
		return strings.Join(path[:min(3, len(path))], "/")
	case strings.Contains(path[0], "."):
		return strings.Join(path[:min(2, len(path))], "/")
	}
	return "std:" + path[0]
}

// runtimeMemStats reads the runtime's memory figures, in bytes, from the
// heap profile's text form on the node's debug address.
func runtimeMemStats(addr string) (map[string]float64, error) {
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, m := range regexp.MustCompile(`(?m)^# (\w+) = (\d+)`).FindAllStringSubmatch(string(body), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		out[m[1]] = v
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no memory statistics in the heap profile")
	}
	return out, nil
}
