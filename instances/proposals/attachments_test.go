package proposals_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/storage/storagetest"
)

// Files are joined by the author alone, within the edit window, five at
// most, each of a known type; nothing is written when refused.
func TestAttach(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "fichiers", nil)
		author, other := f.resident(t, "camille"), f.resident(t, "bruno")
		agent := f.account(t, "guichet_2", accounts.Agent)
		p := f.propose(t, accounts.As(author), sp.ID, "Un banc")
		file := func(name, ct string) proposals.Attachment {
			return proposals.Attachment{BlobKey: strings.Repeat("ab", 32), Name: name, ContentType: ct, Size: 1200}
		}
		photo, plan := file("banc.jpg", "image/jpeg"), file("plan.pdf", "application/pdf")

		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			files []proposals.Attachment
			want  error
		}{
			{"no one", accounts.System, []proposals.Attachment{photo}, proposals.ErrSignIn},
			{"another resident", accounts.As(other), []proposals.Attachment{photo}, proposals.ErrForbidden},
			{"an HTML file", accounts.As(author), []proposals.Attachment{file("x.html", "text/html")}, proposals.ErrAttachments},
			{"no name", accounts.As(author), []proposals.Attachment{file(" ", "image/png")}, proposals.ErrAttachments},
			{"no blob", accounts.As(author), []proposals.Attachment{{Name: "x.png", ContentType: "image/png", Size: 1}}, proposals.ErrAttachments},
			{"six", accounts.As(author), []proposals.Attachment{photo, photo, photo, photo, photo, photo}, proposals.ErrAttachments},
		} {
			wantErr(t, f.svc.Attach(f.ctx, tc.actor, p.ID, tc.files), tc.want, tc.name)
			if n := f.Count(t, "proposal_attachments", ""); n != 0 {
				t.Fatalf("%s: %d attachments written", tc.name, n)
			}
		}

		wantErr(t, f.svc.Attach(f.ctx, accounts.As(author), p.ID, []proposals.Attachment{photo, plan}), nil, "two files")
		wantErr(t, f.svc.Attach(f.ctx, accounts.As(author), p.ID, []proposals.Attachment{photo, photo, photo, photo}), proposals.ErrAttachments, "over five in all")
		wantErr(t, f.svc.Attach(f.ctx, accounts.As(author), p.ID, []proposals.Attachment{photo, photo, photo}), nil, "five in all")
		got, err := f.svc.Attachments(f.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 || got[0].Position != 1 || got[1].Name != "plan.pdf" || got[4].Position != 5 {
			t.Errorf("attachments %+v", got)
		}
		if n := f.Count(t, "outbox_events", "object_id = ? AND kind = 'update'", p.ID); n != 2 {
			t.Errorf("%d outbox updates, want one per Attach", n)
		}

		// For a resident at the desk; not once the window is over.
		resident := f.resident(t, "marie")
		q := f.propose(t, accounts.Actor{Account: agent, OnBehalfOf: resident, Desk: "Mairie"}, sp.ID, "Un abri")
		wantErr(t, f.svc.Attach(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: resident, Desk: "Mairie"}, q.ID, []proposals.Attachment{photo}), nil, "at the desk")
		f.clock.Advance(proposals.EditWindow + time.Second)
		wantErr(t, f.svc.Attach(f.ctx, accounts.As(resident), q.ID, []proposals.Attachment{plan}), proposals.ErrEditWindow, "after the window")
		wantErr(t, f.svc.Attach(f.ctx, accounts.As(author), "nosuchproposal", []proposals.Attachment{plan}), proposals.ErrNotFound, "no proposal")
	})
}

// Files given with a new proposal are written in its transaction: a bad
// one leaves no proposal behind, good ones arrive with it.
func TestCreateWithAttachments(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "avec-fichiers", nil)
		author := f.resident(t, "camille")
		photo := proposals.Attachment{BlobKey: strings.Repeat("cd", 32), Name: "banc.jpg", ContentType: "image/jpeg", Size: 900}
		in := proposals.Input{Title: "Un banc", Body: "Devant l’école.", Attachments: []proposals.Attachment{photo, {Name: "x.svg", ContentType: "image/svg+xml", BlobKey: "k", Size: 1}}}
		before := f.State(t)
		if _, err := f.svc.Create(f.ctx, accounts.As(author), sp.ID, in); err != proposals.ErrAttachments {
			t.Fatalf("Create with an SVG: %v, want ErrAttachments", err)
		}
		f.Unchanged(t, before, "create with a bad file")

		in.Attachments = []proposals.Attachment{photo, photo}
		p, err := f.svc.Create(f.ctx, accounts.As(author), sp.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Attachments(f.ctx, p.ID)
		if err != nil || len(got) != 2 || got[0].Position != 1 || got[1].Position != 2 {
			t.Fatalf("attachments = %+v, %v", got, err)
		}
	})
}

// Files given with an edit are written in the edit's transaction, under
// the edit's rules: a bad file, or one too many, saves neither the text
// nor any file; a moderator editing with a reason may add files too.
func TestEditWithAttachments(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "modifier-fichiers", nil)
		author, other := f.resident(t, "camille"), f.resident(t, "bruno")
		mod := f.resident(t, "moderatrice", accounts.Moderator)
		p := f.proposeIn(t, accounts.As(author), sp.ID, proposals.Input{Title: "Un banc", Body: "Devant l’école.",
			Attachments: []proposals.Attachment{{BlobKey: strings.Repeat("ef", 32), Name: "plan.pdf", ContentType: "application/pdf", Size: 300}}})
		photo := proposals.Attachment{BlobKey: strings.Repeat("cd", 32), Name: "banc.jpg", ContentType: "image/jpeg", Size: 900}
		edit := func(files ...proposals.Attachment) proposals.Input {
			return proposals.Input{Title: "Deux bancs", Body: "Devant l’école, à l’ombre.", Attachments: files}
		}
		snapshot := func() storagetest.Snapshot {
			return storagetest.TakeSnapshot(t, f.db, slices.Concat(tables, []string{"proposal_attachments"})...)
		}

		before := snapshot()
		svg := proposals.Attachment{BlobKey: "k", Name: "x.svg", ContentType: "image/svg+xml", Size: 1}
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(author), p.ID, edit(photo, svg), ""), proposals.ErrAttachments, "an SVG with the edit")
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(author), p.ID, edit(photo, photo, photo, photo, photo), ""), proposals.ErrAttachments, "six in all")
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(other), p.ID, edit(photo), ""), proposals.ErrForbidden, "files by another resident")
		if got := f.get(t, p.ID); got.Title != "Un banc" {
			t.Fatalf("refused edits changed the title to %q", got.Title)
		}

		wantErr(t, f.svc.Edit(f.ctx, accounts.As(author), p.ID, edit(photo, photo), ""), nil, "two files with the edit")
		got, err := f.svc.Attachments(f.ctx, p.ID)
		if err != nil || len(got) != 3 || got[0].Name != "plan.pdf" || got[1].Position != 2 || got[2].Name != "banc.jpg" {
			t.Fatalf("attachments = %+v, %v", got, err)
		}
		if p := f.get(t, p.ID); p.Title != "Deux bancs" {
			t.Errorf("title %q", p.Title)
		}

		// Once the window is over: not the author, a moderator with a reason.
		f.clock.Advance(proposals.EditWindow + time.Second)
		before = snapshot()
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(author), p.ID, edit(photo), ""), proposals.ErrEditWindow, "files after the window")
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(mod), p.ID, edit(photo), ""), proposals.ErrReason, "files by a moderator without a reason")
		wantErr(t, f.svc.Edit(f.ctx, accounts.As(mod), p.ID, edit(photo), "Plan lisible ajouté"), nil, "a file by a moderator")
		if n := f.Count(t, "proposal_attachments", "proposal_id = ?", p.ID); n != 4 {
			t.Errorf("%d attachments, want 4", n)
		}
	})
}
