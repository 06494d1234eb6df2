package federation

import (
	"fmt"
	"strings"
	"testing"
)

// Who may change what a followed space sent (FEP-1b12): an Update or a
// Delete is applied only when its signer is the object's author or the
// Group it belongs to (announcing it); another actor of the same host can
// neither rewrite nor delete. An author restores what they deleted with
// Undo{Delete}; what the Group removed only the Group restores.
func TestUpdateDeleteAuthority(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		group := r.base + "/c/velo"
		camille, mallory := r.base+"/u/camille", r.base+"/u/mallory"
		n.followRemote(t, r, group)
		page := r.base + "/post/7"
		pageDoc := func(by, name string) map[string]any {
			return map[string]any{"id": page, "type": "Page", "attributedTo": by, "audience": group, "name": name,
				"content": "<p>" + name + "</p>"}
		}
		seq := 0
		next := func(actor string) string {
			seq++
			return fmt.Sprintf("%s/activities/%d", strings.SplitN(actor, "/u/", 2)[0], seq)
		}
		announce := func(inner map[string]any) map[string]any {
			return activity("Announce", next(group), group, inner)
		}
		name := func() (string, bool) {
			t.Helper()
			o, err := n.fed.RemoteObject(n.ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			return o.Name, o.DeletedAt != nil
		}
		want := func(what, wantName string, wantDeleted bool) {
			t.Helper()
			if got, deleted := name(); got != wantName || deleted != wantDeleted {
				t.Errorf("after %s: name %q deleted %v; want %q deleted %v", what, got, deleted, wantName, wantDeleted)
			}
		}
		apply := func(what string, act map[string]any, wantOutcome string) {
			t.Helper()
			by := strings.TrimPrefix(act["actor"].(string), r.base)
			if got := n.accepted(t, r, act); !strings.HasPrefix(got, wantOutcome) {
				t.Errorf("%s by %s: outcome %q, want %q…", what, by, got, wantOutcome)
			}
		}

		apply("Announce{Create}", announce(activity("Create", next(camille), camille, pageDoc(camille, "Pistes cyclables"))), "create remote Page")
		want("creation", "Pistes cyclables", false)

		// Another actor of the same host, naming the Group as audience.
		apply("Update as the author", activity("Update", next(mallory), mallory, pageDoc(camille, "Piraté")), "refused:")
		apply("Update as itself", activity("Update", next(mallory), mallory, pageDoc(mallory, "Piraté")), "refused:")
		apply("Create over it", activity("Create", next(mallory), mallory, pageDoc(mallory, "Piraté")), "refused:")
		apply("Delete", activity("Delete", next(mallory), mallory, page), "refused:")
		apply("Delete with a Tombstone", activity("Delete", next(mallory), mallory, map[string]any{"id": page, "type": "Tombstone"}), "refused:")
		want("another actor's attempts", "Pistes cyclables", false)

		// Its author, directly; its Group, announcing.
		apply("Update", activity("Update", next(camille), camille, pageDoc(camille, "Pistes cyclables, v2")), "update remote Page")
		want("the author's Update", "Pistes cyclables, v2", false)
		apply("Announce{Update}", announce(activity("Update", next(camille), camille, pageDoc(camille, "Pistes cyclables, v3"))), "update remote Page")
		want("the Group's Announce{Update}", "Pistes cyclables, v3", false)

		// The author deletes and restores; nobody else restores.
		apply("Delete", activity("Delete", next(camille), camille, page), "remote object deleted")
		want("the author's Delete", "Pistes cyclables, v3", true)
		apply("Create again", activity("Create", next(camille), camille, pageDoc(camille, "Revenu")), "ignored: deleted before")
		undoDelete := func(by string) map[string]any {
			return activity("Undo", next(by), by, activity("Delete", next(by), by, page))
		}
		apply("Undo{Delete}", undoDelete(mallory), "refused:")
		want("another actor's Undo{Delete}", "Pistes cyclables, v3", true)
		apply("Undo{Delete}", undoDelete(camille), "remote object restored")
		want("the author's Undo{Delete}", "Pistes cyclables, v3", false)

		// The Group removes it (moderation): the author cannot undo that,
		// the Group can.
		apply("Announce{Delete}", announce(activity("Delete", next(camille), camille, page)), "remote objects deleted: 1")
		want("the Group's Announce{Delete}", "Pistes cyclables, v3", true)
		apply("Undo{Delete}", undoDelete(camille), "refused:")
		want("the author's Undo of the Group's Delete", "Pistes cyclables, v3", true)
		apply("Announce{Undo{Delete}}", announce(undoDelete(group)), "remote object restored")
		want("the Group's Announce{Undo{Delete}}", "Pistes cyclables, v3", false)
		if objs, err := n.fed.RemoteObjects(n.ctx, group, "", 10); err != nil || len(objs) != 1 {
			t.Errorf("listed after restore: %+v %v", objs, err)
		}
	})
}
