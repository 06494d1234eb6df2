package migrations

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/uptrace/bun"
)

// Peers' texts stored by versions that did not sanitise them on the way in
// (a remote Group's summary was kept raw and shown as HTML) are sanitised
// again, as federation now does when they arrive: plain fields to text
// with no markup, rich ones to HTML the Markdown policy allows, URLs to
// http(s) only.
//
// The sanitiser is a frozen copy of today's (instances/markup's policy and
// PlainText, federation's webURL), not an import: storage imports nothing
// of ours, and a migration must do tomorrow what it does today. It only
// ever removes markup, so running it twice, or after a later and stricter
// policy, changes nothing more. Rows that do not change are not written.
func init() {
	type column struct {
		name string
		kind func(string) string
	}
	type texts struct {
		table, key, where string
		columns           []column
	}
	username := func(s string) string {
		return strings.Map(func(c rune) rune {
			if c == '@' || c == '/' || c == ' ' {
				return -1
			}
			return c
		}, frozenPlain(s, false, 200))
	}
	name := func(s string) string { return frozenPlain(s, false, 200) }
	line := func(s string) string { return frozenPlain(s, false, 500) }
	lines := func(s string) string { return frozenPlain(s, true, 10000) }
	descriptions := func(s string) string { // a JSON object of plain texts
		var m map[string]string
		if json.Unmarshal([]byte(s), &m) != nil {
			return s
		}
		for k, v := range m {
			m[k] = line(v)
		}
		b, err := json.Marshal(m)
		if err != nil {
			return s
		}
		return string(b)
	}
	all := []texts{
		{"ap_remote_actors", "id", "1 = 1", []column{{"name", name}, {"preferred_username", username}, {"type", name},
			{"summary", frozenRich}, {"url", frozenWebURL}}},
		{"ap_remote_objects", "id", "1 = 1", []column{{"name", name}, {"author_name", name}, {"state", func(s string) string { return frozenPlain(s, false, 40) }},
			{"content_html", frozenRich}, {"url", frozenWebURL}}},
		{"comments", "id", "remote_actor IS NOT NULL AND remote_actor <> ''", []column{{"remote_name", func(s string) string { return frozenPlain(s, false, 100) }},
			{"body", frozenRich}, {"body_html", frozenRich}}},
		{"reports", "id", "remote_actor IS NOT NULL AND remote_actor <> ''", []column{{"reason", lines}}},
		{"app_adoptions", "id", "actor IS NOT NULL AND actor <> ''", []column{{"name", name}, {"version", line}, {"contact", line}}},
		{"apps", "id", "remote_id IS NOT NULL", []column{{"name", name}, {"short_descriptions", descriptions}}},
		{"app_releases", "id", "app_id IN (SELECT id FROM apps WHERE remote_id IS NOT NULL)", []column{{"version", line}, {"changelog", lines}}},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, t := range all {
				cols := make([]string, len(t.columns))
				for i, c := range t.columns {
					cols[i] = c.name
				}
				for after := ""; ; {
					// A page at a time, by key, read whole before it is written.
					rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE (%s) AND %s > ? ORDER BY %s LIMIT 500",
						t.key, coalesced(cols), t.table, t.where, t.key, t.key), after)
					if err != nil {
						return fmt.Errorf("read %s: %w", t.table, err)
					}
					var page [][]string
					for rows.Next() {
						vals := make([]string, len(cols)+1)
						ptrs := make([]any, len(vals))
						for i := range vals {
							ptrs[i] = &vals[i]
						}
						if err := rows.Scan(ptrs...); err != nil {
							rows.Close()
							return fmt.Errorf("read %s: %w", t.table, err)
						}
						page = append(page, vals)
					}
					rows.Close()
					if err := rows.Err(); err != nil {
						return fmt.Errorf("read %s: %w", t.table, err)
					}
					for _, vals := range page {
						var sets []string
						var args []any
						for i, c := range t.columns {
							if clean := c.kind(vals[i+1]); clean != vals[i+1] {
								sets = append(sets, c.name+" = ?")
								args = append(args, clean)
							}
						}
						if len(sets) == 0 {
							continue
						}
						args = append(args, vals[0])
						if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s WHERE %s = ?", t.table, strings.Join(sets, ", "), t.key), args...); err != nil {
							return fmt.Errorf("sanitise %s %s: %w", t.table, vals[0], err)
						}
					}
					if len(page) < 500 {
						break
					}
					after = page[len(page)-1][0]
				}
			}
			return nil
		})
	}
	// Nothing to undo: the texts as they were are not kept.
	down := func(context.Context, *bun.DB) error { return nil }
	Migrations.MustRegister(up, down)
}

// frozenPolicy is instances/markup's policy as of this migration.
var frozenPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "em", "del", "blockquote", "ul", "ol", "li", "code", "pre", "hr", "h3", "h4")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	return p
}()

// frozenRich is federation's rich(): markup's Sanitize of a peer's HTML.
func frozenRich(s string) string {
	return strings.TrimSpace(frozenPolicy.Sanitize(strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")))
}

// frozenBlockTag is markup's blockTag.
var frozenBlockTag = regexp.MustCompile(`(?i)<(?:br|/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|section|article))\b`)

// frozenWebURL is federation's webURL: an http(s) URL, or "".
func frozenWebURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(v) > 2048 {
		return ""
	}
	return v
}

// frozenPlain is markup.PlainText, cut to max runes as federation does.
func frozenPlain(s string, multiline bool, max int) string {
	dropControls := func(s string) string {
		return strings.Map(func(c rune) rune {
			switch {
			case c == '\n' || c == '\t':
				return c
			case c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069:
				return -1
			}
			return c
		}, s)
	}
	s = dropControls(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n"))
	s = frozenBlockTag.ReplaceAllString(s, "\n$0")
	strict := bluemonday.StrictPolicy()
	for i := 0; ; i++ {
		t := dropControls(html.UnescapeString(strict.Sanitize(s)))
		if t == s {
			break
		}
		if i == 4 {
			s = strings.NewReplacer("<", "", ">", "").Replace(t)
			break
		}
		s = t
	}
	s = dropControls(strings.ReplaceAll(s, "\r\n", "\n"))
	if !multiline {
		s = strings.Join(strings.Fields(s), " ")
	} else {
		var out []string
		blank := true
		for _, line := range strings.Split(s, "\n") {
			line = strings.Join(strings.Fields(line), " ")
			if line == "" {
				if blank {
					continue
				}
				blank = true
			} else {
				blank = false
			}
			out = append(out, line)
		}
		s = strings.TrimSpace(strings.Join(out, "\n"))
	}
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max]))
	}
	return s
}

// coalesced lists columns for a SELECT, NULL read as "".
func coalesced(cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = "COALESCE(" + c + ", '')"
	}
	return strings.Join(out, ", ")
}
