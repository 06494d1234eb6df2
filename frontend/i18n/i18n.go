// Package i18n holds the interface's messages in French (the default) and
// English, and chooses one per request.
//
// Messages live in locales/<lang>/<feature>.json, flat keys to text (one
// file per feature, so features do not edit the same file); a text may
// hold fmt verbs filled by T's arguments. Both languages must have the
// same keys, and a key may be defined once only: tests enforce it, so a
// missing translation fails the build, not a resident's page.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

//go:embed locales
var files embed.FS

// Languages are the supported languages, the default first.
var Languages = []string{"fr", "en"}

// Catalog holds every message of every language.
type Catalog struct {
	messages map[string]map[string]string // lang -> key -> text
	matcher  language.Matcher
	// Location is the time zone dates are shown in: the node's territory's.
	Location *time.Location
}

// Load returns a catalogue of the embedded messages, its dates in UTC
// until its Location is set. The messages are read once per process and
// shared by every catalogue (they never change): the pages, the emails
// and the fediverse notifications each hold one, and each copy was
// about 1.5 MB of an idle node's heap.
func Load() (*Catalog, error) {
	shared, err := loadShared()
	if err != nil {
		return nil, err
	}
	c := *shared
	return &c, nil
}

var loadShared = sync.OnceValues(func() (*Catalog, error) {
	c := &Catalog{messages: map[string]map[string]string{}, Location: time.UTC}
	tags := make([]language.Tag, 0, len(Languages))
	for _, lang := range Languages {
		names, err := fs.Glob(files, "locales/"+lang+"/*.json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("no %s messages", lang)
		}
		m := map[string]string{}
		for _, name := range names {
			raw, err := files.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("load %s: %w", name, err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(raw, &part); err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("%s: key %q defined twice", name, k)
				}
				m[k] = v
			}
		}
		c.messages[lang] = m
		tags = append(tags, language.MustParse(lang))
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
})

// Keys returns the message keys of one language, sorted.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.messages[lang]))
	for k := range c.messages[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CookieName is the cookie that remembers a reader's language choice.
const CookieName = "lang"

// Negotiate picks the language of a request: an explicit ?lang= choice,
// then the lang cookie, then Accept-Language, then French.
func (c *Catalog) Negotiate(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); c.supported(l) {
		return l
	}
	if ck, err := r.Cookie(CookieName); err == nil && c.supported(ck.Value) {
		return ck.Value
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return Languages[0]
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[i]
}

func (c *Catalog) supported(lang string) bool {
	_, ok := c.messages[lang]
	return ok
}

// Printer translates into one language.
func (c *Catalog) Printer(lang string) *Printer {
	if !c.supported(lang) {
		lang = Languages[0]
	}
	return &Printer{Lang: lang, messages: c.messages[lang], loc: c.Location}
}

// Printer translates messages into one language.
type Printer struct {
	Lang     string
	messages map[string]string
	loc      *time.Location
}

// T returns the message for key, formatted with args. An unknown key is
// returned as is, visible enough to be noticed and fixed.
func (p *Printer) T(key string, args ...any) string {
	text, ok := p.messages[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return text
	}
	if p.Lang == "fr" {
		text = elide(text, args)
	}
	return fmt.Sprintf(text, args...)
}

// elide writes "de" and "que" before a text argument that starts with a
// vowel as French does, "d’" and "qu’": "la plateforme de %s" gives "la
// plateforme d’Agora", "de Paris" stays. An h is left alone (it may be
// aspirated: "de Hautes-Alpes").
func elide(format string, args []any) string {
	var b strings.Builder
	next := 0 // the argument of the next verb
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		if j < len(format) && format[j] == '%' {
			b.WriteString("%%")
			i = j
			continue
		}
		arg := next
		if j < len(format) && format[j] == '[' { // %[2]s
			end := strings.IndexByte(format[j:], ']')
			if end < 0 {
				b.WriteByte(c)
				continue
			}
			if n, err := strconv.Atoi(format[j+1 : j+end]); err == nil {
				arg = n - 1
			}
			j += end + 1
		}
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j < len(format) && (format[j] == 's' || format[j] == 'v') && arg >= 0 && arg < len(args) {
			if v, ok := args[arg].(string); ok && startsWithVowel(v) {
				out := b.String()
				for _, w := range []string{"de", "De", "que", "Que"} {
					if strings.HasSuffix(out, " "+w+" ") || out == w+" " {
						b.Reset()
						b.WriteString(out[:len(out)-2] + "’")
						break
					}
				}
			}
		}
		b.WriteString(format[i:min(j+1, len(format))])
		next = arg + 1
		i = j
	}
	return b.String()
}

func startsWithVowel(s string) bool {
	for _, r := range s {
		return strings.ContainsRune("aàâäeéèêëiîïoôöuùûüAÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜ", r)
	}
	return false
}

var months = map[string][12]string{
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Date writes a day the way readers of the language do: "24 novembre
// 2026", and "1er janvier 2027" (French writes the first of a month as
// an ordinal).
func (p *Printer) Date(t time.Time) string {
	t = t.In(p.loc)
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 && p.Lang == "fr" {
		day = "1er"
	}
	return day + " " + months[p.Lang][t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Int writes a whole number the way readers of the language do: French
// groups thousands with a narrow no-break space ("10 000"), English with
// a comma ("10,000").
func (p *Printer) Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= 4 && p.Lang == "fr" {
		return sign + s // French leaves 1000 to 9999 ungrouped
	}
	sep := ","
	if p.Lang == "fr" {
		sep = "\u202f"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

// Decimal writes a number with decimals as written by the reader: a
// decimal comma in French ("48,8385"), a point in English. prec is the
// number of decimals (-1: as few as needed).
func (p *Printer) Decimal(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if p.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// DateTime adds the time of day: "24 novembre 2026 à 21:30",
// "24 November 2026 at 21:30".
func (p *Printer) DateTime(t time.Time) string {
	t = t.In(p.loc)
	at := " à "
	if p.Lang == "en" {
		at = " at "
	}
	return p.Date(t) + at + t.Format("15:04")
}

// Plural picks the singular or plural form of a message with a count:
// key.one or key.other. French counts 0 as singular, English does not.
func (p *Printer) Plural(key string, n int) string {
	if n == 1 || (n == 0 && p.Lang == "fr") {
		return p.T(key+".one", n)
	}
	return p.T(key+".other", n)
}

// Size writes a number of bytes the way readers of the language do.
func (p *Printer) Size(n int64) string {
	var v float64
	var key string
	switch {
	case n < 1000:
		return p.T("attachment.bytes", n)
	case n < 1000*1000:
		v, key = float64(n)/1000, "attachment.kb"
	default:
		v, key = float64(n)/(1000*1000), "attachment.mb"
	}
	return p.T(key, p.Decimal(v, 1))
}

// Moment writes when something starts: the day alone when it starts at
// midnight where the node is, else the day and the time.
func (p *Printer) Moment(t time.Time) string {
	if midnight(t.In(p.loc)) {
		return p.Date(t)
	}
	return p.DateTime(t)
}

// LastDay writes when something ends. Periods end at an exclusive
// instant; one that ends at midnight ends, for a reader, the day before.
func (p *Printer) LastDay(t time.Time) string {
	if midnight(t.In(p.loc)) {
		return p.Date(t.Add(-time.Second))
	}
	return p.DateTime(t)
}

func midnight(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 }

// CivilDate writes a calendar day stored as midnight UTC (a release date),
// the same day wherever the node is.
func (p *Printer) CivilDate(t time.Time) string {
	return p.Date(t.UTC().Add(12 * time.Hour))
}

// Span writes a duration in the largest whole unit that fits it: "2 ans",
// "30 jours", "1 heure", "15 minutes".
func (p *Printer) Span(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d >= 365*day && d%(365*day) == 0:
		return p.Plural("span.years", int(d/(365*day)))
	case d >= day && d%day == 0:
		return p.Plural("span.days", int(d/day))
	case d >= time.Hour && d%time.Hour == 0:
		return p.Plural("span.hours", int(d/time.Hour))
	}
	return p.Plural("span.minutes", int(d/time.Minute))
}
