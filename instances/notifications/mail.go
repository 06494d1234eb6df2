package notifications

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// ErrAddress is an email address the node will not write to.
var ErrAddress = errors.New("not a valid email address")

// MaxAddress is the longest email address, in bytes (RFC 5321).
const MaxAddress = 254

// CheckAddress checks an email address a resident gives: a bare address
// (no name, no angle brackets), at most MaxAddress bytes, with a domain
// that has a dot. It returns it as it will be used.
func CheckAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxAddress || strings.ContainsAny(s, "\r\n<>\" ,;") {
		return "", ErrAddress
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", ErrAddress
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return "", ErrAddress
	}
	return s, nil
}

// Mailer hands messages to the node's SMTP server (AGORA_SMTP_URL).
type Mailer struct {
	addr     string // host:port
	host     string
	user     string
	pass     string
	implicit bool // TLS from the first byte (smtps://)
	starttls bool
	from     string
	bounces  string // the envelope sender's address (bounces=), "" for from
	timeout  time.Duration
}

// ParseSMTP reads an SMTP server's URL: smtp://user:pass@host:587?starttls=true
// (STARTTLS, required when asked), smtps://user:pass@host:465 (TLS from
// the start) or smtp://host:25 (plain, for a relay on the same machine).
// from= sets the sender's address, defaultFrom otherwise.
func ParseSMTP(raw, defaultFrom string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	m := &Mailer{host: u.Hostname(), timeout: 30 * time.Second}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		m.implicit = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, fmt.Errorf("SMTP URL: scheme %q, want smtp or smtps", u.Scheme)
	}
	if m.host == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	m.addr = net.JoinHostPort(m.host, port)
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	q := u.Query()
	switch v := q.Get("starttls"); v {
	case "", "false":
	case "true":
		m.starttls = true
	default:
		return nil, fmt.Errorf("SMTP URL: starttls=%q, want true or false", v)
	}
	from := q.Get("from")
	if from == "" {
		from = defaultFrom
	}
	if m.from, err = CheckAddress(from); err != nil {
		return nil, fmt.Errorf("SMTP URL: sender %q: %w", from, err)
	}
	if b := q.Get("bounces"); b != "" {
		if m.bounces, err = CheckAddress(b); err != nil || strings.Contains(b, "+") {
			return nil, fmt.Errorf("SMTP URL: bounces=%q: want a plain address without +, where the node's MTA pipes bounces to agora admin mail bounce", b)
		}
	}
	return m, nil
}

// envelope is the envelope sender (MAIL FROM, which becomes the
// Return-Path) of an email to an address whose bounce key is key. With
// bounces=LOCAL@DOMAIN in the URL, it is LOCAL+KEY@DOMAIN (VERP): a
// bounce that comes back later names the address it is about; without
// a key, LOCAL@DOMAIN. Without bounces=, the sender's address.
func (m *Mailer) envelope(key string) string {
	if m.bounces == "" {
		return m.from
	}
	if len(key) != 24 || findKey("+"+key+"@") != key {
		return m.bounces
	}
	at := strings.LastIndexByte(m.bounces, '@')
	return m.bounces[:at] + "+" + key + m.bounces[at:]
}

// Message is one email: plain text and simple HTML, in one language.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// Unsubscribe, when set, is the URL that stops these emails in one
	// click: List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
	Unsubscribe string
	// BounceKey, when set, is the recipient address's key, put in the
	// envelope sender so that a later bounce names it (Mailer.envelope).
	BounceKey string
}

// Send hands a message to the SMTP server on a connection of its own. An
// error says whether the server refused it (the address, the message) or
// could not be reached.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	s := m.Session()
	defer s.Close()
	return s.Send(ctx, msg)
}

// Session sends messages one after the other on one connection to the
// SMTP server, opened at the first and opened again after an error, so
// that a courier with thousands of emails does not greet the server for
// each. A session is used by one goroutine at a time.
type Session struct {
	m    *Mailer
	conn net.Conn
	c    *smtp.Client
	// pipelining: the server advertised PIPELINING (RFC 2920), so MAIL,
	// RCPT and DATA go in one write and their replies are read together.
	pipelining bool
	params     string // MAIL FROM's parameters, as net/smtp would send them
}

// Session returns a session with the node's SMTP server; Close ends it.
func (m *Mailer) Session() *Session { return &Session{m: m} }

// Close says goodbye to the server, if connected.
func (s *Session) Close() error {
	if s.c == nil {
		return nil
	}
	s.conn.SetDeadline(time.Now().Add(5 * time.Second))
	err := s.c.Quit()
	s.c.Close()
	s.c, s.conn, s.pipelining = nil, nil, false
	return err
}

// drop forgets a connection after an error: the next message opens one.
func (s *Session) drop() {
	if s.c != nil {
		s.c.Close()
	}
	s.c, s.conn, s.pipelining = nil, nil, false
}

// connect opens and greets a connection, with TLS and authentication
// when the URL asks for them.
func (s *Session) connect(ctx context.Context) error {
	m := s.m
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return fmt.Errorf("reach SMTP server: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if m.implicit {
		conn = tls.Client(conn, &tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12})
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SMTP greeting: %w", err)
	}
	if m.starttls {
		if err := c.StartTLS(&tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12}); err != nil {
			c.Close()
			return fmt.Errorf("SMTP STARTTLS: %w", err)
		}
	}
	if m.user != "" {
		if err := c.Auth(smtp.PlainAuth("", m.user, m.pass, m.host)); err != nil {
			c.Close()
			return fmt.Errorf("SMTP authentication: %w", err)
		}
	}
	s.conn, s.c = conn, c
	s.pipelining, _ = c.Extension("PIPELINING")
	s.params = ""
	if ok, _ := c.Extension("8BITMIME"); ok {
		s.params += " BODY=8BITMIME"
	}
	if ok, _ := c.Extension("SMTPUTF8"); ok {
		s.params += " SMTPUTF8"
	}
	return nil
}

// Send hands one message to the server, within the mailer's timeout. On
// any error the connection is closed (the next message opens another),
// so that a half-done exchange never leaks into the next message.
func (s *Session) Send(ctx context.Context, msg Message) error {
	m := s.m
	to, err := CheckAddress(msg.To)
	if err != nil {
		return err
	}
	body, err := m.compose(msg, to)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	if s.c == nil {
		if err := s.connect(ctx); err != nil {
			return err
		}
	} else if dl, ok := ctx.Deadline(); ok {
		s.conn.SetDeadline(dl)
	}
	if err := s.transaction(m.envelope(msg.BounceKey), to, body); err != nil {
		s.drop()
		return err
	}
	return nil
}

// transaction is MAIL, RCPT and DATA of one message: four round trips
// with the server, or two when it takes commands pipelined.
func (s *Session) transaction(from, to string, body []byte) error {
	if s.pipelining {
		return s.pipelined(from, to, body)
	}
	c := s.c
	if err := c.Mail(from); err != nil {
		return refusal("SMTP sender refused", err)
	}
	if err := c.Rcpt(to); err != nil {
		return refusal("SMTP recipient refused", err)
	}
	w, err := c.Data()
	if err != nil {
		return refusal("SMTP data", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("SMTP data: %w", err)
	}
	if err := w.Close(); err != nil {
		return refusal("SMTP message refused", err)
	}
	return nil
}

// pipelined is a transaction as RFC 2920 allows it: MAIL, RCPT and DATA
// in one write, their three replies read in order, then the message and
// its reply. Every reply sent is read before saying what failed, so the
// error names the first refusal; the caller closes the connection after
// any error, so a DATA accepted after a refused recipient goes no
// further.
func (s *Session) pipelined(from, to string, body []byte) error {
	t := s.c.Text
	// from and to passed CheckAddress: no line break, no angle bracket.
	fmt.Fprintf(t.W, "MAIL FROM:<%s>%s\r\nRCPT TO:<%s>\r\nDATA\r\n", from, s.params, to)
	if err := t.W.Flush(); err != nil {
		return fmt.Errorf("SMTP sender: %w", err)
	}
	steps := []struct {
		code int
		what string
	}{{250, "SMTP sender refused"}, {25, "SMTP recipient refused"}, {354, "SMTP data"}}
	var first error
	for _, st := range steps {
		_, _, err := t.ReadResponse(st.code)
		if err == nil {
			continue
		}
		if first == nil {
			first = refusal(st.what, err)
		}
		var te *textproto.Error
		if !errors.As(err, &te) {
			return first // the connection failed: no more replies to read
		}
	}
	if first != nil {
		return first
	}
	w := t.DotWriter()
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("SMTP data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("SMTP data: %w", err)
	}
	if _, _, err := t.ReadResponse(250); err != nil {
		return refusal("SMTP message refused", err)
	}
	return nil
}

// compose writes the message: headers, then text and HTML as
// multipart/alternative, quoted-printable.
func (m *Mailer) compose(msg Message, to string) ([]byte, error) {
	if strings.ContainsAny(msg.Subject, "\r\n") || strings.ContainsAny(msg.Unsubscribe, "\r\n<> ") {
		return nil, errors.New("compose email: a header holds a line break")
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	id := make([]byte, 16)
	rand.Read(id)
	h := []string{
		"From: " + m.from,
		"To: " + to,
		"Subject: " + mime.QEncoding.Encode("utf-8", msg.Subject),
		"Date: " + time.Now().UTC().Format(time.RFC1123Z),
		"Message-ID: <" + hex.EncodeToString(id) + "@" + m.from[strings.LastIndexByte(m.from, '@')+1:] + ">",
		"MIME-Version: 1.0",
		"Auto-Submitted: auto-generated",
		"Content-Type: multipart/alternative; boundary=" + mw.Boundary(),
	}
	if msg.Unsubscribe != "" {
		h = append(h, "List-Unsubscribe: <"+msg.Unsubscribe+">", "List-Unsubscribe-Post: List-Unsubscribe=One-Click")
	}
	var head bytes.Buffer
	for _, line := range h {
		head.WriteString(line + "\r\n")
	}
	head.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", msg.Text}, {"text/html", msg.HTML}} {
		if part.body == "" {
			continue
		}
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qw := quotedprintable.NewWriter(pw)
		if _, err := qw.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := qw.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return append(head.Bytes(), b.Bytes()...), nil
}

// ErrRefused is an SMTP server's permanent refusal (a 5xx reply): no such
// mailbox, a rejected message. Trying again as it is will not help.
var ErrRefused = errors.New("the mail server refused this email")

// refusal wraps an error of a step of the SMTP exchange, as ErrRefused
// too when the server refused for good.
func refusal(what string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return fmt.Errorf("%s: %w: %w", what, ErrRefused, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}
