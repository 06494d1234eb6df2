package notify_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// sink is a minimal SMTP server, the server side of RFC 5321 and nothing
// more: EHLO (PIPELINING advertised if asked, RFC 2920), HELO, MAIL,
// RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT. It reads each message
// enough to know it is well formed (headers, From and To as in the
// envelope, Date, Message-ID, a multipart/alternative body whose parts
// are quoted-printable UTF-8 text, the one-click unsubscribe headers of
// RFC 8058 and the same link in the text), counts it and throws it
// away. Benchmarks use it to measure the node handing emails to an SMTP
// server without the cost of a server that stores them (Mailpit's, about
// 1 ms of CPU per email); it runs in a process of its own
// (startSinkProcess) so that the node's CPU time and its own are told
// apart.
type sink struct {
	cfg sinkConfig
	ln  net.Listener

	mu    sync.Mutex
	seen  map[string]int
	stats sinkStats
}

type sinkConfig struct {
	Pipelining bool
	// Unsubscribe, when set, is the prefix of every message's
	// List-Unsubscribe URL; the key after it must end with the number
	// of its recipient r<number>@…, as the benchmark seeds them.
	Unsubscribe string
	// Refuse: recipients at this domain are refused for good (550).
	Refuse string
}

type sinkStats struct {
	Accepted    int      // messages taken
	Bad         int      // messages refused as malformed
	Refused     int      // recipients refused
	Duplicates  int      // messages for a recipient who already had one
	Connections int      // sessions opened
	Errors      []string // the first reasons for refusing a message
}

func newSink(cfg sinkConfig) (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{cfg: cfg, ln: ln, seen: map[string]int{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.stats.Connections++
			s.mu.Unlock()
			go s.session(c)
		}
	}()
	return s, nil
}

// startSink starts a sink in this process, closed at the end of the test.
func startSink(t testing.TB, cfg sinkConfig) (*sink, string) {
	t.Helper()
	s, err := newSink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.ln.Close() })
	return s, "smtp://" + s.ln.Addr().String()
}

func (s *sink) Stats() sinkStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Errors = append([]string(nil), st.Errors...)
	return st
}

const (
	maxCommandLine = 512  // RFC 5321 4.5.3.1.4, CRLF included
	maxTextLine    = 1000 // RFC 5321 4.5.3.1.6
	maxMessage     = 1 << 20
)

var errLine = errors.New("line too long or not ended by CRLF")

// readLine reads one CRLF-ended line of at most max bytes, without its
// CRLF. A line too long is read to its end and reported.
func readLine(r *bufio.Reader, max int) (string, error) {
	var line []byte
	long := false
	for {
		frag, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
		if len(line)+len(frag) > max {
			long = true
		} else {
			line = append(line, frag...)
		}
		if err == nil {
			break
		}
	}
	if long || !bytes.HasSuffix(line, []byte("\r\n")) {
		return "", errLine
	}
	return string(line[:len(line)-2]), nil
}

// path reads the <address> of MAIL FROM: or RCPT TO: and ignores the
// parameters after it.
func path(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	arg = strings.TrimLeft(arg[len(prefix):], " ")
	if !strings.HasPrefix(arg, "<") {
		return "", false
	}
	end := strings.IndexByte(arg, '>')
	if end < 0 || strings.ContainsAny(arg[1:end], "<> ") {
		return "", false
	}
	return arg[1:end], true
}

func (s *sink) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReaderSize(c, 4096)
	w := bufio.NewWriter(c)
	// Replies wait while more commands are already read (a pipelined
	// group), and go before reading blocks.
	reply := func(lines ...string) bool {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		if r.Buffered() == 0 {
			return w.Flush() == nil
		}
		return true
	}
	reply("220 sink ESMTP")
	greeted := false
	var from *string
	var rcpts []string
	reset := func() { from, rcpts = nil, nil }
	for {
		c.SetDeadline(time.Now().Add(5 * time.Minute))
		line, err := readLine(r, maxCommandLine)
		if errors.Is(err, errLine) {
			reply("500 5.5.2 line too long or not ended by CRLF")
			continue
		}
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			if arg == "" {
				reply("501 5.5.4 a domain, please")
				continue
			}
			greeted = true
			reset()
			if strings.EqualFold(verb, "HELO") {
				reply("250 sink")
			} else if s.cfg.Pipelining {
				reply("250-sink", "250-PIPELINING", "250 8BITMIME")
			} else {
				reply("250-sink", "250 8BITMIME")
			}
		case "MAIL":
			a, ok := path(arg, "FROM:")
			switch {
			case !greeted || from != nil:
				reply("503 5.5.1 bad sequence of commands")
			case !ok:
				reply("501 5.5.4 MAIL FROM:<address>")
			default:
				from = &a
				reply("250 2.1.0 ok")
			}
		case "RCPT":
			a, ok := path(arg, "TO:")
			switch {
			case from == nil:
				reply("503 5.5.1 bad sequence of commands")
			case !ok || a == "":
				reply("501 5.5.4 RCPT TO:<address>")
			case len(rcpts) >= 100:
				reply("452 4.5.3 too many recipients")
			case s.cfg.Refuse != "" && strings.HasSuffix(strings.ToLower(a), "@"+s.cfg.Refuse):
				s.mu.Lock()
				s.stats.Refused++
				s.mu.Unlock()
				reply("550 5.1.1 no such mailbox")
			default:
				rcpts = append(rcpts, a)
				reply("250 2.1.5 ok")
			}
		case "DATA":
			if from == nil || len(rcpts) == 0 {
				reply("503 5.5.1 no valid recipients")
				continue
			}
			if !reply("354 end with <CRLF>.<CRLF>") {
				return
			}
			data, err := readData(r)
			if err != nil && !errors.Is(err, errLine) && !errors.Is(err, errTooBig) {
				return
			}
			if err == nil {
				err = s.check(data, *from, rcpts)
			}
			s.mu.Lock()
			if err != nil {
				s.stats.Bad++
				if len(s.stats.Errors) < 10 {
					s.stats.Errors = append(s.stats.Errors, err.Error())
				}
			} else {
				s.stats.Accepted++
				for _, a := range rcpts {
					s.seen[a]++
					if s.seen[a] > 1 {
						s.stats.Duplicates++
					}
				}
			}
			s.mu.Unlock()
			reset()
			if err != nil {
				reply("554 5.6.0 " + strings.NewReplacer("\r", " ", "\n", " ").Replace(err.Error()))
			} else {
				reply("250 2.0.0 ok")
			}
		case "RSET":
			reset()
			reply("250 2.0.0 ok")
		case "NOOP":
			reply("250 2.0.0 ok")
		case "QUIT":
			reply("221 2.0.0 bye")
			w.Flush()
			return
		default:
			reply("500 5.5.1 unknown command")
		}
	}
}

var errTooBig = errors.New("message too big")

// readData reads a message up to the line holding a lone dot, removing
// the dot that the client doubled at the start of a line (RFC 5321
// 4.5.2). A line too long or a message too big is read to its end and
// reported.
func readData(r *bufio.Reader) ([]byte, error) {
	var b bytes.Buffer
	var bad error
	for {
		line, err := readLine(r, maxTextLine)
		if errors.Is(err, errLine) {
			bad = errLine
			continue
		}
		if err != nil {
			return nil, err
		}
		if line == "." {
			break
		}
		line = strings.TrimPrefix(line, ".")
		if b.Len()+len(line) > maxMessage {
			bad = errTooBig
			continue
		}
		b.WriteString(line)
		b.WriteString("\r\n")
	}
	return b.Bytes(), bad
}

// check says why a message is not well formed, or nil.
func (s *sink) check(data []byte, from string, rcpts []string) error {
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("headers: %w", err)
	}
	h := m.Header
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-Id", "Mime-Version", "Content-Type"} {
		if len(h[k]) != 1 {
			return fmt.Errorf("%d %s headers, want 1", len(h[k]), k)
		}
	}
	if a, err := netmail.ParseAddress(h.Get("From")); err != nil || a.Address != from {
		return fmt.Errorf("From %q is not the sender %q", h.Get("From"), from)
	}
	to, err := netmail.ParseAddressList(h.Get("To"))
	if err != nil || len(to) != len(rcpts) {
		return fmt.Errorf("To %q is not the recipients %q", h.Get("To"), rcpts)
	}
	for i := range to {
		if to[i].Address != rcpts[i] {
			return fmt.Errorf("To %q is not the recipients %q", h.Get("To"), rcpts)
		}
	}
	if _, err := h.Date(); err != nil {
		return fmt.Errorf("Date: %w", err)
	}
	if subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || strings.TrimSpace(subject) == "" {
		return fmt.Errorf("Subject %q: empty or badly encoded", h.Get("Subject"))
	}
	if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, ">") || !strings.Contains(id, "@") {
		return fmt.Errorf("Message-ID %q", id)
	}
	if h.Get("Mime-Version") != "1.0" {
		return fmt.Errorf("MIME-Version %q", h.Get("Mime-Version"))
	}
	var unsub string
	if s.cfg.Unsubscribe != "" {
		if len(rcpts) != 1 {
			return errors.New("an unsubscribe link for many recipients")
		}
		v := h.Get("List-Unsubscribe")
		key, ok := strings.CutPrefix(v, "<"+s.cfg.Unsubscribe)
		key, ok2 := strings.CutSuffix(key, ">")
		local, _, _ := strings.Cut(rcpts[0], "@")
		n, err := strconv.Atoi(strings.TrimPrefix(local, "r"))
		if !ok || !ok2 || err != nil || !strings.HasSuffix(key, fmt.Sprintf("%040d", n)) {
			return fmt.Errorf("List-Unsubscribe %q is not %s's", v, rcpts[0])
		}
		if p := h.Get("List-Unsubscribe-Post"); p != "List-Unsubscribe=One-Click" {
			return fmt.Errorf("List-Unsubscribe-Post %q", p)
		}
		unsub = v[1 : len(v)-1]
	}
	typ, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || typ != "multipart/alternative" || params["boundary"] == "" {
		return fmt.Errorf("Content-Type %q, want multipart/alternative", h.Get("Content-Type"))
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	text := false
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("MIME part: %w", err)
		}
		pt, pp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil || pt != "text/plain" && pt != "text/html" || !strings.EqualFold(pp["charset"], "utf-8") ||
			p.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			return fmt.Errorf("MIME part %q %q", p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"))
		}
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil || !utf8.Valid(body) {
			return fmt.Errorf("MIME part %s: not quoted-printable UTF-8", pt)
		}
		if pt == "text/plain" {
			text = true
			if unsub != "" && !bytes.Contains(body, []byte(unsub)) {
				return errors.New("the text does not hold the unsubscribe link")
			}
		}
	}
	if !text {
		return errors.New("no text/plain part")
	}
	return nil
}

// sinkEnv, set to a sinkConfig in JSON, makes the test binary a sink
// (TestMain): it prints its address, serves until its standard input
// closes, then prints its figures in JSON.
const sinkEnv = "AGORA_TEST_SMTP_SINK"

func runSinkProcess(cfg string) int {
	var c sinkConfig
	if err := json.Unmarshal([]byte(cfg), &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s, err := newSink(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Printf("smtp://%s\n", s.ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	s.ln.Close()
	json.NewEncoder(os.Stdout).Encode(s.Stats())
	return 0
}

// sinkProcess is a sink in a process of its own.
type sinkProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
	URL   string
}

func startSinkProcess(t testing.TB, cfg sinkConfig) *sinkProcess {
	t.Helper()
	js, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), sinkEnv+"="+string(js))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &sinkProcess{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := p.out.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "smtp://") {
		t.Fatalf("SMTP sink: %q, %v", line, err)
	}
	p.URL = strings.TrimSpace(line)
	return p
}

// Stop ends the sink and returns its figures and its CPU time.
func (p *sinkProcess) Stop(t testing.TB) (sinkStats, time.Duration) {
	t.Helper()
	p.stdin.Close()
	var st sinkStats
	if err := json.NewDecoder(p.out).Decode(&st); err != nil {
		t.Fatalf("SMTP sink's figures: %v", err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("SMTP sink: %v", err)
	}
	ru := p.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return st, time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// selfCPU is this process's CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// FuzzSink: whatever a client sends, the sink answers and ends its
// session when the client goes, and takes no message its checks refuse.
func FuzzSink(f *testing.F) {
	f.Add([]byte("EHLO x\r\nMAIL FROM:<agora@paris15.example>\r\nRCPT TO:<r1@example.org>\r\nDATA\r\n..x\r\n.\r\nQUIT\r\n"))
	f.Add([]byte("EHLO x\r\nMAIL FROM:<a@b.c> BODY=8BITMIME\r\nRCPT TO:<r2@d.e>\r\nDATA\r\nFrom: a@b.c\r\nTo: r2@d.e\r\n\r\nx\r\n.\r\nRSET\r\nNOOP\r\n"))
	f.Add([]byte("HELO\r\nMAIL FROM:<>\nRCPT TO:<>\r\nDATA\r\n" + strings.Repeat("a", 2000) + "\r\n.\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		s := &sink{cfg: sinkConfig{Pipelining: true, Unsubscribe: "https://paris15.example/u/", Refuse: "d.e"}, seen: map[string]int{}}
		server, client := net.Pipe()
		done := make(chan struct{})
		go func() { s.session(server); close(done) }()
		replies := make(chan []byte)
		go func() { b, _ := io.ReadAll(client); replies <- b }()
		client.Write(in)
		client.Close()
		<-done
		out := <-replies
		if !bytes.HasPrefix(out, []byte("220 ")) {
			t.Fatalf("no greeting: %q", out)
		}
		if st := s.Stats(); st.Accepted > 0 && !bytes.Contains(out, []byte("250 2.0.0 ok")) {
			t.Fatalf("%d taken, none acknowledged", st.Accepted)
		}
	})
}
