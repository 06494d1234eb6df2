package moderation_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

func TestPublicLog(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		north := f.newSpace(t, "nord", "sports")
		far := f.newProposal(t, north, bob.ID)
		here := moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}
		there := moderation.Target{Kind: moderation.TargetProposal, ID: far}

		r, err := f.svc.Report(f.ctx, accounts.As(bob), here, "Advertising.")
		wantErr(t, err, nil, "report")
		_, err = f.svc.Resolve(f.ctx, f.mod(), r.ID, "Not advertising.")
		wantErr(t, err, nil, "resolve")
		wantErr(t, f.svc.Hide(f.ctx, f.mod(), here, "Advertising after all."), nil, "hide")
		wantErr(t, f.svc.Hide(f.ctx, f.mod(), there, "Insults."), nil, "hide there")
		wantErr(t, f.svc.Unhide(f.ctx, f.mod(), here, "Edited since."), nil, "unhide")

		all, err := f.svc.Log(f.ctx, moderation.LogFilter{})
		wantErr(t, err, nil, "log")
		actions := func(es []moderation.PublicEntry) string {
			var out []string
			for _, e := range es {
				out = append(out, string(e.Action))
			}
			return strings.Join(out, ",")
		}
		if got := actions(all); got != "unhide,hide,hide,resolve" {
			t.Errorf("log = %s", got)
		}
		centre, err := f.svc.Log(f.ctx, moderation.LogFilter{SpaceID: f.space})
		wantErr(t, err, nil, "log of a space")
		if got := actions(centre); got != "unhide,hide,resolve" {
			t.Errorf("log of the space = %s", got)
		}
		page, err := f.svc.Log(f.ctx, moderation.LogFilter{Before: all[1].ID, Limit: 1})
		wantErr(t, err, nil, "next page")
		if len(page) != 1 || page[0].ID != all[2].ID {
			t.Errorf("page = %+v", page)
		}

		// Who reported and who moderated are nowhere in what the public reads...
		text := fmt.Sprintf("%+v", all)
		for who, id := range map[string]string{"reporter": bob.ID, "moderator": f.moderator.ID} {
			if strings.Contains(text, id) {
				t.Errorf("the public log shows the %s: %s", who, text)
			}
		}
		var fields []string
		for _, fl := range reflect.VisibleFields(reflect.TypeFor[moderation.PublicEntry]()) {
			fields = append(fields, fl.Name)
		}
		if want := []string{"ID", "At", "Action", "Target", "SpaceID", "Reason", "Details"}; !slices.Equal(fields, want) {
			t.Errorf("PublicEntry fields = %q, want %q", fields, want)
		}
		// ...but the moderator is kept for the node's admins.
		if n := f.Count(t, "moderation_log", "moderator_id = ?", f.moderator.ID); n != 4 {
			t.Errorf("%d entries name the moderator, want 4", n)
		}
	})
}
