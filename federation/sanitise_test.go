package federation

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"agora/federation/as2"
)

// hostile is markup a peer might put in any text it sends: a redirect, a
// same-origin form, scripts, handlers, script links, styles, frames, and
// the same escaped once (which a careless decoder turns back into markup).
var hostile = []string{
	`<meta http-equiv=refresh content="0;url=https://evil.example">`,
	`<form action=/admin/accounts/x/roles method=post><input name=role value=admin><button>Valider</button></form>`,
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<a href="javascript:alert(1)">clic</a>`,
	`<p style="position:fixed;inset:0">voile</p>`,
	`<iframe src="https://evil.example"></iframe>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
}

// hostileText is a text with every hostile piece in it.
func hostileText(label string) string { return label + " " + strings.Join(hostile, " ") + " fin" }

// unsafeMarkup finds what must never be stored from a peer.
var unsafeMarkup = regexp.MustCompile(`(?i)<\s*(meta|form|input|button|script|img|iframe|style|object|embed)|on[a-z]+\s*=|javascript:|style\s*=|http-equiv`)

// anyTag finds markup of any kind, which a plain field must not have.
var anyTag = regexp.MustCompile(`<[a-zA-Z/!?]`)

// Every text that comes from a peer is stored sanitised: actors' names,
// summaries and usernames (Person, Group, Application), objects of a
// followed space (names, content, authors, state), comments and their
// authors, reports' reasons, adoptions, and a remote app's publiccode.yml
// and releases. Plain fields carry no markup at all; rich ones only what
// the Markdown policy allows.
func TestPeerTextSanitisedOnTheWayIn(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		actorDoc := func(path, typ string) string {
			id := r.base + path
			r.put(path, map[string]any{
				"id": id, "type": typ, "inbox": id + "/inbox",
				"preferredUsername": hostileText("user"), "name": hostileText("Nom"), "summary": hostileText("<p>Résumé</p>"),
				"url":       "javascript:alert(1)",
				"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": publicPEM(&r.key.PublicKey)},
			})
			return id
		}
		person := actorDoc("/users/mallory", "Person")
		group := actorDoc("/c/hostile", "Group")
		app := actorDoc("/actor", "Application")
		n.followRemote(t, r, group)

		attachments := []any{map[string]any{"type": "Document", "url": r.base + "/f.pdf", "name": hostileText("pièce")}}
		// A reply to a local proposal, with attachments.
		note := createNote(person, r.base+"/users/mallory/statuses/1", n.proposalIRI(), hostileText("<p>Commentaire</p>"))
		note["object"].(map[string]any)["attachment"] = attachments
		if got := n.accepted(t, r, note); !strings.HasPrefix(got, "comment ") {
			t.Fatalf("reply: %q", got)
		}
		// A Page and a Note of the followed space, one HTML, one Markdown.
		page := r.base + "/post/1"
		for i, obj := range []map[string]any{
			{"id": page, "type": "Page", "attributedTo": person, "audience": group, "name": hostileText("Titre"),
				"content": hostileText("<p>Contenu</p>"), "agora:state": hostileText("state"), "attachment": attachments,
				"url": "javascript:alert(1)"},
			{"id": r.base + "/post/2", "type": "Note", "attributedTo": person, "audience": group, "context": page,
				"inReplyTo": page, "content": hostileText("**Markdown**"), "mediaType": "text/markdown"},
		} {
			create := activity("Create", fmt.Sprintf("%s/create/%d", person, i), person, obj)
			if got := n.accepted(t, r, activity("Announce", fmt.Sprintf("%s/announce/%d", group, i), group, create)); !strings.HasPrefix(got, "create remote") {
				t.Fatalf("announce %d: %q", i, got)
			}
		}
		// A report and an adoption from the other node's instance actor.
		flag := activity("Flag", r.base+"/flags/1", app, []any{n.proposalIRI()})
		flag["content"] = hostileText("Motif")
		if got := n.accepted(t, r, flag); got != "reports: 1" {
			t.Errorf("flag: %q", got)
		}
		local := n.publishApp(t, "Locale")
		add := activity("Add", r.base+"/adds/1", app, map[string]any{"type": "agora:Adoption", "id": r.base + "/adoptions/1",
			"name": hostileText("Ville"), "agora:version": hostileText("1.0"), "agora:contact": hostileText("contact"),
			"agora:since": "2026-01-02"})
		add["target"] = n.base + "/apps/" + local.Slug
		if got := n.accepted(t, r, add); !strings.HasPrefix(got, "adoption by") {
			t.Errorf("adoption: %q", got)
		}
		// A remote app, announced by a followed catalogue.
		catalogue := r.group("/apps", "catalogue")
		n.followRemote(t, r, catalogue)
		yml := strings.NewReplacer(
			"name: Agora", "name: "+strconv.Quote(hostileText("Appli")),
			"shortDescription: Plateforme de participation citoyenne pour les communes.",
			"shortDescription: "+strconv.Quote(hostileText("Courte")),
			"- name: Camille Martin", "- name: "+strconv.Quote(hostileText("Camille")),
		).Replace(appYML(t, "Agora", "https://git.example.org/hostile.git"))
		appPage := map[string]any{"id": catalogue + "/hostile", "type": "Page", "name": "x", "attributedTo": catalogue,
			"url": catalogue + "/hostile", "agora:publiccodeYml": yml,
			"agora:releases": []any{map[string]any{"version": hostileText("2.0"), "date": "2026-11-01", "changelog": hostileText("Notes")}}}
		if got := n.accepted(t, r, activity("Announce", catalogue+"/announce/1", catalogue, appPage)); !strings.HasPrefix(got, "remote app") {
			t.Errorf("remote app: %q", got)
		}

		plain, rich := 0, 0
		check := func(where, value string, isPlain bool) {
			t.Helper()
			if isPlain {
				plain++
			} else {
				rich++
			}
			if m := unsafeMarkup.FindString(value); m != "" {
				t.Errorf("%s: %q stored (%q)", where, m, value)
			}
			if m := anyTag.FindString(value); isPlain && m != "" {
				t.Errorf("%s, a plain field, has markup %q: %q", where, m, value)
			}
		}
		rows := func(query string, isPlain []bool, args ...any) {
			t.Helper()
			rs, err := n.db.QueryContext(n.ctx, query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			cols, _ := rs.Columns()
			found := 0
			for rs.Next() {
				found++
				vals := make([]string, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rs.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					check(cols[i]+" of "+query, v, isPlain[i])
				}
			}
			if found == 0 {
				t.Errorf("no row for %s", query)
			}
		}
		rows("SELECT name, preferred_username, url, type, summary FROM ap_remote_actors", []bool{true, true, true, true, false})
		rows("SELECT name, author_name, url, state, content_html FROM ap_remote_objects WHERE group_actor = ?", []bool{true, true, true, true, false}, group)
		rows("SELECT remote_name, body, body_html FROM comments WHERE remote_actor = ?", []bool{true, false, false}, person)
		rows("SELECT reason FROM reports WHERE remote_actor = ?", []bool{true}, app)
		rows("SELECT name, version, contact FROM app_adoptions WHERE actor = ?", []bool{true, true, true}, app)
		rows("SELECT name, publiccode_yml, short_descriptions FROM apps WHERE remote_id IS NOT NULL", []bool{true, true, true})
		rows("SELECT version, changelog FROM app_releases WHERE app_id IN (SELECT id FROM apps WHERE remote_id IS NOT NULL)", []bool{true, true})
		t.Logf("%d plain and %d rich values checked", plain, rich)

		// What is kept still says what was meant.
		fs, err := n.fed.Followings(n.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Remote == group && (!strings.HasPrefix(f.Actor.Name, "Nom") || !strings.Contains(f.Actor.Summary, "<p>Résumé</p>") ||
				!strings.Contains(f.Actor.Summary, "clic") || f.Actor.URL != "") {
				t.Errorf("group kept as %+v", f.Actor)
			}
		}
		o, err := n.fed.RemoteObject(n.ctx, r.base+"/post/2")
		if err != nil || !strings.Contains(o.ContentHTML, "**Markdown**") {
			t.Errorf("Markdown note kept as %+v (%v)", o, err)
		}
	})
}

// cleanObject also cleans what is parsed but not stored (attachments'
// names, content warnings), so no later use can pick up raw peer text.
func TestCleanObject(t *testing.T) {
	n := buildNode(t, "sqlite", nil)
	a, err := parseTestActivity(hostileText("Nom"), hostileText("Pièce"))
	if err != nil {
		t.Fatal(err)
	}
	n.fed.cleanActivity(a)
	o := a.Object
	for what, v := range map[string]string{"name": o.Name, "summary": o.Summary, "attachment name": o.Attachments[0].Name,
		"attachment URL": o.Attachments[0].URL, "url": o.URL, "content": o.Content, "flag text": a.Content} {
		if m := unsafeMarkup.FindString(v); m != "" {
			t.Errorf("%s: %q in %q", what, m, v)
		}
	}
}

func parseTestActivity(name, attachment string) (*as2.Activity, error) {
	return as2.Parse(mustJSON(map[string]any{"id": "https://remote.example/a/1", "type": "Create", "actor": "https://remote.example/u/a",
		"content": hostileText("Motif"),
		"object": map[string]any{"id": "https://remote.example/n/1", "type": "Note", "name": name, "summary": hostileText("CW"),
			"content": hostileText("<p>x</p>"), "url": "javascript:alert(1)",
			"attachment": []any{map[string]any{"type": "Document", "url": "javascript:alert(1)", "name": attachment}}}}))
}
