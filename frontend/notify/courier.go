package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"agora/frontend/i18n"
	"agora/instances/notifications"
)

// Courier sends notifications by email: immediately, or as a daily or
// weekly digest, as each resident chose, in their language, plain text
// and simple HTML, with a one-click unsubscribe link (RFC 8058). The
// notifications themselves are the queue (notifications.ClaimDue): what
// was written in the change's transaction is mailed by whichever process
// claims it first.
type Courier struct {
	svc    *notifications.Service
	mailer *notifications.Mailer
	cat    *i18n.Catalog
	base   *url.URL
	name   string
	log    *slog.Logger
	conns  int
}

// CourierConfig is what a Courier needs.
type CourierConfig struct {
	Notifications *notifications.Service
	Mailer        *notifications.Mailer
	BaseURL       *url.URL
	NodeName      string
	Location      *time.Location // dates in emails; nil for Europe/Paris as pages
	Logger        *slog.Logger
	Connections   int // to the SMTP server at once; 0 for Connections
}

// NewCourier returns the node's courier.
func NewCourier(c CourierConfig) (*Courier, error) {
	if c.Notifications == nil || c.Mailer == nil || c.BaseURL == nil {
		return nil, errors.New("courier: needs notifications, a mailer and the base URL")
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	if c.Location != nil {
		cat.Location = c.Location
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Connections <= 0 {
		c.Connections = Connections
	}
	return &Courier{svc: c.Notifications, mailer: c.Mailer, cat: cat, base: c.BaseURL, name: c.NodeName, log: c.Logger,
		conns: c.Connections}, nil
}

// Run sends what is due every interval until ctx ends.
func (c *Courier) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := c.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			c.log.ErrorContext(ctx, "deliver email notifications", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Connections is how many connections to the SMTP server a courier keeps
// open while it delivers, unless told otherwise. Sending is bound by
// round trips (six per email), not by work, so more connections send
// more while the server keeps up.
const Connections = 16

// DeliverDue sends every email due now and returns how many were sent.
// Three stages run at once, so that the SMTP connections never wait for
// the database: one claims residents by hundreds (one pass over the queue
// in account order, then once more from the start), Connections send
// their emails on connections kept open, and this one records what the
// server took, a few hundred at a time in one statement. A refusal or an
// unreachable server is recorded for the resident to see, and tried
// again later.
func (c *Courier) DeliverDue(ctx context.Context) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		b   *notifications.Batch
		err error
	}
	work := make(chan *notifications.Batch, 2*claimSize)
	results := make(chan result, 2*claimSize)
	claimErr := make(chan error, 1)
	go func() { // claim
		defer close(work)
		after := ""
		for ctx.Err() == nil {
			bs, err := c.svc.ClaimDueAfter(ctx, after, claimSize)
			if err != nil {
				claimErr <- err
				return
			}
			if len(bs) == 0 {
				if after == "" {
					return
				}
				after = "" // the end of a pass: once more from the start
				continue
			}
			after = bs[len(bs)-1].Settings.AccountID
			for _, b := range bs {
				if len(b.Notifications) > 0 {
					work <- b
				}
			}
		}
	}()
	var senders sync.WaitGroup
	for range c.conns { // send
		senders.Go(func() {
			s := c.mailer.Session()
			defer s.Close()
			for b := range work {
				results <- result{b, s.Send(ctx, c.compose(b))}
			}
		})
	}
	go func() { senders.Wait(); close(results) }()

	sent := 0
	var ok []*notifications.Batch
	var failed error
	record := func() {
		if len(ok) == 0 || failed != nil {
			return
		}
		if err := c.svc.Sent(context.WithoutCancel(ctx), ok...); err != nil {
			failed = err
			cancel()
			return
		}
		sent += len(ok)
		ok = ok[:0]
	}
	for r := range results { // record
		if r.err != nil {
			if failed == nil && ctx.Err() == nil {
				c.log.WarnContext(ctx, "email not sent", "err", r.err)
				if err := c.svc.Failed(ctx, r.b, r.err); err != nil {
					failed = err
					cancel()
				}
			}
			continue
		}
		ok = append(ok, r.b)
		if len(ok) >= claimSize {
			record()
		}
	}
	record() // what the server took is recorded even when stopping
	if failed != nil {
		return sent, failed
	}
	select {
	case err := <-claimErr:
		return sent, err
	default:
	}
	return sent, ctx.Err()
}

// claimSize is how many residents one claim takes, and how many emails
// the server took are recorded at once.
const claimSize = 200

// abs makes a page's path absolute.
func (c *Courier) abs(path string) string {
	u := *c.base
	p, frag, _ := strings.Cut(path, "#")
	u.Path, u.RawQuery, u.Fragment = strings.TrimSuffix(c.base.Path, "/")+p, "", frag
	return u.String()
}

// mailData is what an email's HTML shows.
type mailData struct {
	L                       *i18n.Printer
	Items                   []item
	List, Settings, Unsub   string
	Greeting, Intro, Footer string
}

// mailHTML writes an email's HTML: by hand rather than by html/template,
// whose escaping by reflection was a fifth of the courier's CPU per email
// (docs/BENCHMARKS.md). Every text is escaped with html.EscapeString,
// every link is a URL the node made (abs), escaped the same way inside a
// quoted attribute; TestMailHTML checks it reads as the template it
// replaced did.
func mailHTML(d *mailData) string {
	var b strings.Builder
	b.Grow(1024)
	e := html.EscapeString
	w := func(ss ...string) {
		for _, s := range ss {
			b.WriteString(s)
		}
	}
	w(`<!doctype html>
<html lang="`, e(d.L.Lang), `"><head><meta charset="utf-8"></head>
<body>
<p>`, e(d.Greeting), `</p>
<p>`, e(d.Intro), `</p>
<ul>
`)
	for _, it := range d.Items {
		w(`<li>`, e(it.Text))
		if it.Title != "" {
			w(` : <a href="`, e(it.URL), `">`, e(it.Title), `</a>`)
		}
		if it.Detail != "" {
			w(`<br>`, e(it.Detail))
		}
		w(`<br><small>`, e(it.Time), "</small></li>\n")
	}
	w(`</ul>
<p><a href="`, e(d.List), `">`, e(d.L.T("notify.mail.all")), `</a></p>
<p><small>`, e(d.Footer), ` <a href="`, e(d.Settings), `">`, e(d.L.T("notify.mail.settings")), `</a> · <a href="`,
		e(d.Unsub), `">`, e(d.L.T("notify.mail.unsubscribe")), `</a></small></p>
</body></html>
`)
	return b.String()
}

// compose writes one batch's email in the resident's language.
func (c *Courier) compose(b *notifications.Batch) notifications.Message {
	l := c.cat.Printer(b.Language)
	d := mailData{L: l, List: c.abs("/notifications"), Settings: c.abs("/notifications/settings"),
		Unsub:    c.abs("/notifications/unsubscribe/" + b.Settings.UnsubscribeKey),
		Greeting: l.T("notify.mail.hello"), Intro: l.Plural("notify.mail.intro", len(b.Notifications)),
		Footer: l.T("notify.mail.footer", c.name)}
	for i := range b.Notifications {
		it := view(l, &b.Notifications[i])
		it.URL = c.abs(it.URL)
		d.Items = append(d.Items, it)
	}
	subject := l.T("notify.mail.subject", c.name, len(d.Items))
	if len(d.Items) == 1 {
		subject = "[" + c.name + "] " + d.Items[0].Text
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\n%s\n\n", d.Greeting, d.Intro)
	for _, it := range d.Items {
		text.WriteString("- " + it.Text)
		if it.Title != "" {
			text.WriteString(" : " + it.Title + "\n  " + it.URL)
		}
		if it.Detail != "" {
			text.WriteString("\n  " + it.Detail)
		}
		text.WriteString("\n  " + it.Time + "\n\n")
	}
	fmt.Fprintf(&text, "%s : %s\n\n-- \n%s\n%s : %s\n%s : %s\n", l.T("notify.mail.all"), d.List, d.Footer,
		l.T("notify.mail.settings"), d.Settings, l.T("notify.mail.unsubscribe"), d.Unsub)
	return notifications.Message{To: b.Settings.Address, Subject: strings.Join(strings.Fields(subject), " "),
		Text: text.String(), HTML: mailHTML(&d), Unsubscribe: d.Unsub, BounceKey: b.Settings.BounceKey}
}

// SendVerification sends the link that proves an address.
func (c *Courier) SendVerification(ctx context.Context, lang, address, token string) error {
	l := c.cat.Printer(lang)
	link := c.abs("/notifications/email/verify/" + token)
	text := fmt.Sprintf("%s\n\n%s\n\n%s\n\n%s\n", l.T("notify.mail.hello"), l.T("notify.verify.mail_body", c.name), link,
		l.T("notify.verify.mail_ignore"))
	var html bytes.Buffer
	template.Must(template.New("v").Parse(`<p>{{index . 0}}</p><p>{{index . 1}}</p><p><a href="{{index . 2}}">{{index . 2}}</a></p><p><small>{{index . 3}}</small></p>`)).
		Execute(&html, []string{l.T("notify.mail.hello"), l.T("notify.verify.mail_body", c.name), link, l.T("notify.verify.mail_ignore")})
	return c.mailer.Send(ctx, notifications.Message{To: address, Subject: "[" + c.name + "] " + l.T("notify.verify.mail_subject"),
		Text: text, HTML: html.String()})
}
