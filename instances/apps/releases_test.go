package apps_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
)

func random(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// A release's files are streamed to the store with their SHA-256 and
// size; the rows and the outbox event are written together.
func TestAddRelease(t *testing.T) {
	runStores(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		tarball, notes := random(t, 200<<10), []byte("Notes de version\n")
		limit := random(t, artifactLimit) // exactly the limit is accepted
		r, err := f.svc.AddRelease(f.ctx, f.admin, a.Slug, apps.ReleaseInput{
			Version: " 1.2.0 ", Date: time.Date(2026, 11, 2, 15, 4, 5, 0, time.FixedZone("CET", 3600)), Changelog: "- Catalogue d’applications",
			Artifacts: []apps.ArtifactInput{
				{Name: "agora-1.2.0-linux-amd64.tar.gz", MediaType: "application/gzip", Body: bytes.NewReader(tarball)},
				{Name: "NOTES.txt", MediaType: "text/plain; charset=utf-8", Body: bytes.NewReader(notes)},
				{Name: "agora.bin", Body: io.MultiReader(bytes.NewReader(limit[:1000]), bytes.NewReader(limit[1000:]))},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if r.Version != "1.2.0" || !r.Date.Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) || r.CreatedBy != f.admin.Account.ID {
			t.Errorf("release %+v", r)
		}
		want := []struct {
			name, mediaType string
			body            []byte
		}{
			{"agora-1.2.0-linux-amd64.tar.gz", "application/gzip", tarball},
			{"NOTES.txt", "text/plain; charset=utf-8", notes},
			{"agora.bin", "application/octet-stream", limit},
		}
		rels, err := f.svc.Releases(f.ctx, a.Slug)
		if err != nil || len(rels) != 1 || len(rels[0].Artifacts) != 3 {
			t.Fatalf("Releases = %+v, %v", rels, err)
		}
		for i, w := range want {
			got := rels[0].Artifacts[i]
			if got.Name != w.name || got.MediaType != w.mediaType || got.SHA256 != sum(w.body) || got.BlobKey != got.SHA256 ||
				got.Size != int64(len(w.body)) || got.Position != i+1 {
				t.Errorf("artifact %d: %+v", i, got)
			}
			dl, err := f.svc.Artifact(f.ctx, got.ID)
			if err != nil || dl.BlobKey != got.BlobKey || dl.Size != got.Size || dl.Name != w.name {
				t.Errorf("Artifact(%s) = %+v, %v", got.ID, dl, err)
			}
			if !bytes.Equal(f.read(t, dl.BlobKey), w.body) {
				t.Errorf("artifact %d: the stored blob differs", i)
			}
		}
		if ev := f.events(t); !slices.Equal(ev, []string{"create app", "create release"}) {
			t.Errorf("outbox %q", ev)
		}

		// A second release, newest first; the same file again is one blob.
		f.clock.Advance(time.Hour)
		if _, err := f.svc.AddRelease(f.ctx, f.admin, a.Slug, apps.ReleaseInput{Version: "1.3.0", Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			Artifacts: []apps.ArtifactInput{{Name: "NOTES.txt", Body: bytes.NewReader(notes)}}}); err != nil {
			t.Fatal(err)
		}
		rels, _ = f.svc.Releases(f.ctx, a.Slug)
		if len(rels) != 2 || rels[0].Version != "1.3.0" || rels[1].Version != "1.2.0" {
			t.Errorf("releases %+v", rels)
		}
		if _, err := f.svc.Artifact(f.ctx, "nope"); !errors.Is(err, apps.ErrNotFound) {
			t.Errorf("Artifact(nope): %v", err)
		}
		if rels, err := f.svc.Releases(f.ctx, "nope"); !errors.Is(err, apps.ErrNotFound) || rels != nil {
			t.Errorf("Releases(nope): %v", err)
		}
	})
}

// untouchable fails the test if anything reads it: refusals that need no
// upload must not start one.
type untouchable struct{ t testing.TB }

func (u untouchable) Read([]byte) (int, error) {
	u.t.Error("the artifact was read")
	return 0, io.EOF
}

// failing returns some bytes, then an error, as a dropped upload does.
type failing struct {
	data []byte
	err  error
}

func (f *failing) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// A refused release writes no row and leaves no blob of its own: over
// the size limit (after other files were stored), a failed upload, bad
// fields, a version already there.
func TestAddReleaseRefused(t *testing.T) {
	runStores(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		shared := []byte("un fichier que deux versions partagent")
		if _, err := f.svc.AddRelease(f.ctx, f.admin, a.Slug, apps.ReleaseInput{Version: "1.0",
			Artifacts: []apps.ArtifactInput{{Name: "shared.txt", Body: bytes.NewReader(shared)}}}); err != nil {
			t.Fatal(err)
		}
		remote := f.app(t, "Lyon")
		makeRemote(t, f, remote.ID)
		before, files := f.state(t), f.blobs(t)
		dropped := errors.New("connection reset by peer")

		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			slug  string
			in    apps.ReleaseInput
			want  error
		}{
			{"one byte over the limit, after a good file and a shared one", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{
				{Name: "ok.txt", Body: bytes.NewReader(random(t, 1000))},
				{Name: "shared.txt", Body: bytes.NewReader(shared)},
				{Name: "big.bin", Body: bytes.NewReader(random(t, artifactLimit+1))},
			}}, apps.ErrTooLarge},
			{"far over the limit", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{
				{Name: "huge.bin", Body: io.LimitReader(&repeat{line: []byte("0123456789")}, 50<<20)},
			}}, apps.ErrTooLarge},
			{"an upload that fails", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{
				{Name: "ok.txt", Body: bytes.NewReader(random(t, 1000))},
				{Name: "cut.bin", Body: &failing{data: random(t, 5000), err: dropped}},
			}}, dropped},
			{"a version already there", f.admin, a.Slug, apps.ReleaseInput{Version: "1.0", Artifacts: []apps.ArtifactInput{{Name: "x", Body: untouchable{t}}}}, apps.ErrConflict},
			{"no version", f.admin, a.Slug, apps.ReleaseInput{Version: " ", Artifacts: []apps.ArtifactInput{{Name: "x", Body: untouchable{t}}}}, apps.ErrInvalid},
			{"a path for a name", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{{Name: "../etc/passwd", Body: untouchable{t}}}}, apps.ErrInvalid},
			{"two files of one name", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{{Name: "x", Body: untouchable{t}}, {Name: "x", Body: untouchable{t}}}}, apps.ErrInvalid},
			{"a bad media type", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{{Name: "x", MediaType: "gzip", Body: untouchable{t}}}}, apps.ErrInvalid},
			{"no content", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{{Name: "x"}}}, apps.ErrInvalid},
			{"too many files", f.admin, a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: slices.Repeat([]apps.ArtifactInput{{Name: "x", Body: untouchable{t}}}, 21)}, apps.ErrInvalid},
			{"a resident", accounts.As(f.account(t, "camille")), a.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{{Name: "x", Body: untouchable{t}}}}, apps.ErrForbidden},
			{"a remote app", f.admin, remote.Slug, apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{{Name: "x", Body: untouchable{t}}}}, apps.ErrRemote},
			{"no such app", f.admin, "nope", apps.ReleaseInput{Version: "2.0", Artifacts: []apps.ArtifactInput{{Name: "x", Body: untouchable{t}}}}, apps.ErrNotFound},
		} {
			r, err := f.svc.AddRelease(f.ctx, tc.actor, tc.slug, tc.in)
			if r != nil {
				t.Errorf("%s: release %+v", tc.name, r)
			}
			f.refused(t, before, err, tc.want, tc.name)
			if got := f.blobs(t); !slices.Equal(got, files) {
				t.Errorf("%s: the store holds %q, want %q", tc.name, got, files)
			}
		}
		if got := f.read(t, sum(shared)); !bytes.Equal(got, shared) {
			t.Errorf("the shared file changed")
		}

		// The field errors say which file.
		_, err := f.svc.AddRelease(f.ctx, f.admin, a.Slug, apps.ReleaseInput{Version: "2.0",
			Artifacts: []apps.ArtifactInput{{Name: "ok", Body: untouchable{t}}, {Name: "a/b", MediaType: "nope", Body: untouchable{t}}}})
		var ie *apps.InvalidError
		if !errors.As(err, &ie) || len(ie.Errors) != 2 || ie.Errors[0].Path != "artifacts[1].name" || ie.Errors[1].Path != "artifacts[1].mediaType" {
			t.Errorf("field errors: %v", err)
		}
		if !strings.Contains(err.Error(), "artifacts[1].name") {
			t.Errorf("message %q", err)
		}
	})
}
