package notifications

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A bounce is an email that comes back after the SMTP server took one of
// ours: the recipient's server refused it later (no such mailbox: a hard
// bounce), or could not deliver it for a while (a full mailbox: a soft
// one). ParseBounce reads one as the node's MTA hands it over (agora
// admin mail bounce, an MTA pipe): a delivery status notification (RFC
// 3464, multipart/report; report-type=delivery-status, as Postfix, Exim,
// Sendmail and the large providers send them) or, failing that, a plain
// text bounce whose words and status codes say it failed. A bounce is
// hostile input: it is read up to MaxBounceSize, through at most
// maxParts parts maxDepth deep, with no regular expression that can
// backtrack, so its cost is bounded by its size.

// MaxBounceSize is the largest bounce read, in bytes; a larger one is
// refused (a DSN is a few kilobytes; the returned message is what makes
// it long).
const MaxBounceSize = 1 << 20

const (
	maxParts  = 32
	maxDepth  = 3
	maxDetail = 300 // characters of the remote server's words kept
)

// Errors of bounces.
var (
	ErrBounce        = errors.New("not a bounce: no failed or delayed delivery in this message")
	ErrBounceSize    = errors.New("bounce message larger than 1 MiB")
	ErrBounceUnknown = errors.New("this bounce names no address the node writes to")
)

// Bounce is what a bounce says of the one recipient it is about.
type Bounce struct {
	Recipient string // the address that failed ("" when the bounce does not say)
	Key       string // the address's key from the VERP envelope (bounces+KEY@node), "" when absent
	Status    string // the enhanced status code, "5.1.1"; "" when none is given
	Hard      bool   // a permanent failure: stop writing to the address
	Detail    string // what the remote server said, one line, at most maxDetail characters
}

// keyPattern finds a bounce key in an address: local+KEY@domain.
var keyPattern = regexp.MustCompile(`(?i)\+([0-9a-f]{24})@`)

// statusPattern is an enhanced status code (RFC 3463) in text.
var statusPattern = regexp.MustCompile(`\b([245])\.([0-9]{1,3})\.([0-9]{1,3})\b`)

// replyPattern is an SMTP reply code at the start of a server's words.
var replyPattern = regexp.MustCompile(`(?m)(?:^|[\s:;(])([45][0-9][0-9])[ -]`)

// addressPattern is an email address in text.
var addressPattern = regexp.MustCompile(`[A-Za-z0-9._%+=-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}`)

// failedWords are what plain-text bounces say, lowered.
var failedWords = []string{"could not be delivered", "undeliverable", "delivery has failed", "delivery failed",
	"permanent error", "failed permanently", "mail delivery failed", "returned mail", "delivery status notification",
	"user unknown", "mailbox unavailable", "non remis", "n'a pas pu être remis", "échec de la remise"}

// ParseBounce reads a bounce message from r. envelopeTo is the address
// the MTA delivered it to (its pipe's recipient), "" when unknown: the
// VERP key is looked for there first, then in the bounce's Delivered-To,
// X-Original-To, Envelope-To and To headers. A delivery report of
// success, or a message that is no bounce, is ErrBounce.
func ParseBounce(r io.Reader, envelopeTo string) (*Bounce, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBounceSize+1))
	if err != nil {
		return nil, fmt.Errorf("read bounce: %w", err)
	}
	if len(data) > MaxBounceSize {
		return nil, ErrBounceSize
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBounce, err)
	}
	b := &Bounce{Key: findKey(envelopeTo)}
	for _, h := range []string{"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"} {
		for _, v := range msg.Header[textproto.CanonicalMIMEHeaderKey(h)] {
			if b.Key == "" {
				b.Key = findKey(v)
			}
		}
	}
	w := &walker{}
	w.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0)
	switch {
	case w.dsn != nil:
		*b = mergeDSN(*b, *w.dsn)
	case w.sawReport:
		return nil, fmt.Errorf("%w (a delivery report of a success)", ErrBounce)
	default:
		if !fromText(b, w.text.String(), textproto.MIMEHeader(msg.Header).Get("Subject")) {
			return nil, ErrBounce
		}
	}
	if b.Recipient == "" {
		b.Recipient = w.originalTo
	}
	b.Detail = oneLine(b.Detail, maxDetail)
	return b, nil
}

// findKey returns the bounce key of an address, or "".
func findKey(s string) string {
	if len(s) > 2*MaxAddress {
		s = s[:2*MaxAddress]
	}
	if m := keyPattern.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1])
	}
	return ""
}

// mergeDSN keeps the key found in the envelope or headers.
func mergeDSN(b, dsn Bounce) Bounce {
	dsn.Key = b.Key
	return dsn
}

// walker goes through a message's parts, within maxParts and maxDepth.
type walker struct {
	parts      int
	dsn        *Bounce         // the worst recipient of the first delivery-status part
	sawReport  bool            // a delivery-status part was there, of successes only
	text       strings.Builder // the plain text parts, for a bounce without a report
	originalTo string          // the To of the returned message or its headers
}

func (w *walker) walk(h textproto.MIMEHeader, body io.Reader, depth int) {
	w.parts++
	if w.parts > maxParts || depth > maxDepth {
		return
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt = "text/plain" // RFC 2045: no or a bad Content-Type is plain text
	}
	body = decoded(h.Get("Content-Transfer-Encoding"), body)
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if params["boundary"] == "" {
			return
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			w.walk(p.Header, p, depth+1)
		}
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		if w.dsn == nil {
			w.dsn, w.sawReport = readDSN(body), true
		}
	case mt == "message/rfc822" || mt == "text/rfc822-headers" || mt == "message/global" || mt == "message/global-headers":
		if w.originalTo == "" {
			if m, err := mail.ReadMessage(io.LimitReader(body, MaxBounceSize)); err == nil {
				if a, err := mail.ParseAddress(m.Header.Get("To")); err == nil {
					w.originalTo = a.Address
				}
			}
		}
	case mt == "text/plain" || mt == "":
		if w.text.Len() < 64<<10 {
			io.Copy(&w.text, io.LimitReader(body, int64(64<<10-w.text.Len())))
			w.text.WriteByte('\n')
		}
	}
}

// decoded undoes a part's transfer encoding.
func decoded(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &newlineSkipper{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// newlineSkipper drops line breaks, which base64 bodies have and the
// decoder does not take.
type newlineSkipper struct{ r io.Reader }

func (n *newlineSkipper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// readDSN reads a delivery-status body: the per-message fields, then one
// group per recipient (RFC 3464 section 2). It returns the worst
// recipient (failed before delayed), or nil when none failed or waits.
func readDSN(body io.Reader) *Bounce {
	tr := textproto.NewReader(bufio.NewReader(io.LimitReader(body, MaxBounceSize)))
	var failed, delayed *Bounce
	for range maxParts { // groups
		h, err := tr.ReadMIMEHeader()
		if len(h) > 0 {
			if b := recipient(h); b != nil {
				switch strings.ToLower(strings.TrimSpace(h.Get("Action"))) {
				case "failed":
					if failed == nil {
						failed = b
					}
				case "delayed":
					if delayed == nil {
						delayed = b
					}
				}
			}
		}
		if err != nil {
			break
		}
	}
	if failed != nil {
		return failed
	}
	return delayed
}

// recipient reads one recipient's group; nil for the per-message group.
func recipient(h textproto.MIMEHeader) *Bounce {
	addr := typedAddress(h.Get("Final-Recipient"))
	if addr == "" {
		addr = typedAddress(h.Get("Original-Recipient"))
	}
	action := strings.ToLower(strings.TrimSpace(h.Get("Action")))
	if addr == "" && action == "" {
		return nil
	}
	b := &Bounce{Recipient: addr}
	if m := statusPattern.FindStringSubmatch(h.Get("Status")); m != nil {
		b.Status = m[0]
	}
	diag := h.Get("Diagnostic-Code")
	if _, rest, ok := strings.Cut(diag, ";"); ok {
		diag = rest
	}
	b.Detail = diag
	if b.Status == "" { // some servers give it only in their words
		if m := statusPattern.FindString(diag); m != "" {
			b.Status = m
		}
	}
	// A delivery the MTA gave up on after a transient failure (4.x.x)
	// is soft: the address may work tomorrow.
	b.Hard = action == "failed" && !strings.HasPrefix(b.Status, "4")
	return b
}

// typedAddress reads "rfc822; someone@example.org".
func typedAddress(v string) string {
	typ, addr, ok := strings.Cut(v, ";")
	if !ok || !strings.EqualFold(strings.TrimSpace(typ), "rfc822") {
		return ""
	}
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	if len(addr) > MaxAddress || !strings.Contains(addr, "@") {
		return ""
	}
	return addr
}

// fromText reads a bounce without a delivery report: it must say it
// failed (its subject or words) and carry a status or reply code, or
// name a permanent error. The first address after the words "failed" or
// "address(es)" is the recipient.
func fromText(b *Bounce, text, subject string) bool {
	lower := strings.ToLower(subject + "\n" + text)
	said := false
	for _, w := range failedWords {
		if strings.Contains(lower, w) {
			said = true
			break
		}
	}
	if !said {
		return false
	}
	status := statusPattern.FindString(text)
	reply := ""
	if m := replyPattern.FindStringSubmatch(text); m != nil {
		reply = m[1]
	}
	permanent := strings.Contains(lower, "permanent") || strings.Contains(lower, "user unknown")
	switch {
	case status != "":
		b.Status, b.Hard = status, status[0] == '5'
	case reply != "":
		b.Hard = reply[0] == '5'
	case permanent:
		b.Hard = true
	default:
		return false
	}
	if i := strings.Index(lower, "failed:"); i >= 0 {
		if a := addressPattern.FindString(text[i:]); a != "" && findKey(a) == "" {
			b.Recipient = a
		}
	}
	// The server's words: the line that holds the code.
	code := status
	if code == "" {
		code = reply
	}
	if code != "" {
		if i := strings.Index(text, code); i >= 0 {
			line := text[i:]
			if j := strings.IndexByte(line, '\n'); j >= 0 {
				line = line[:j]
			}
			b.Detail = line
		}
	}
	return true
}

// oneLine makes a remote server's words safe to keep and show: valid
// UTF-8, no control characters, spaces collapsed, at most n characters.
func oneLine(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return s
}
