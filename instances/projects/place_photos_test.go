package projects_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"os"
	"testing"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/geo"
	"agora/instances/projects"
	"agora/storage/blobs"
	"agora/storage/storagetest"
)

// A project's place and photos: bad input is refused with every field at
// fault and changes nothing (no row, no blob); good input is stored and
// read back.
func TestPlaceAndPhotos(t *testing.T) {
	file, err := os.ReadFile("testdata/quartier.pb")
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n a photo, already re-encoded by the kit")
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			f, snap := newFixture(t, dialect)
			ctx := t.Context()
			b, err := f.svc.Import(ctx, accounts.System, f.spaceID, bytes.NewReader(file), budgets.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			list, err := f.svc.Projects(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			var funded, other string
			for _, p := range list {
				if p.Funded && funded == "" {
					funded = p.ID
				} else if other == "" {
					other = p.ID
				}
			}
			step, err := f.svc.AddMilestone(ctx, f.official, funded, projects.MilestoneInput{Status: projects.Works, Progress: 40, Text: "Chantier ouvert"})
			if err != nil {
				t.Fatal(err)
			}
			otherStep, err := f.svc.AddMilestone(ctx, f.official, other, projects.MilestoneInput{Status: projects.Study, Text: "Études"})
			if err != nil && !errors.Is(err, projects.ErrNotFunded) {
				t.Fatal(err)
			}

			// Refused places and photos: nothing changes.
			before := snap()
			for _, tc := range []struct {
				name  string
				actor accounts.Actor
				in    projects.PlaceInput
				want  projects.Problems
			}{
				{"latitude 91", f.official, projects.PlaceInput{Point: &geo.Point{Lat: 91, Lon: 2}}, projects.Problems{"point": "range"}},
				{"longitude -181", f.official, projects.PlaceInput{Point: &geo.Point{Lat: 48, Lon: -181}}, projects.Problems{"point": "range"}},
				{"address too long and point off Earth", f.official, projects.PlaceInput{Address: string(bytes.Repeat([]byte("a"), 301)),
					Point: &geo.Point{Lat: -90.5, Lon: 0}}, projects.Problems{"point": "range", "address": "too_long"}},
				{"resident", f.resident, projects.PlaceInput{Address: "Place Charles-Michels"}, nil},
			} {
				err := f.svc.SetPlace(ctx, tc.actor, funded, tc.in)
				var ie *projects.InvalidError
				switch {
				case tc.want == nil && !errors.Is(err, accounts.ErrForbidden):
					t.Errorf("%s: %v, want forbidden", tc.name, err)
				case tc.want != nil && (!errors.As(err, &ie) || !maps.Equal(ie.Problems, tc.want)):
					t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
				}
			}
			if err := f.svc.SetPlace(ctx, f.official, "nope", projects.PlaceInput{Address: "x"}); !errors.Is(err, projects.ErrNotFound) {
				t.Errorf("place of no project: %v", err)
			}
			for _, tc := range []struct {
				name    string
				actor   accounts.Actor
				project string
				in      projects.PhotoInput
				want    error
			}{
				{"no alt text", f.official, funded, projects.PhotoInput{Alt: "  ", ContentType: "image/png", File: bytes.NewReader(png)}, projects.ErrInvalid},
				{"a PDF", f.official, funded, projects.PhotoInput{Alt: "Plan", ContentType: "application/pdf", File: bytes.NewReader(png)}, projects.ErrInvalid},
				{"no file", f.official, funded, projects.PhotoInput{Alt: "Plan", ContentType: "image/png"}, projects.ErrInvalid},
				{"step of another project", f.official, funded, projects.PhotoInput{MilestoneID: stepID(otherStep, "x"), Alt: "Plan", ContentType: "image/png", File: bytes.NewReader(png)}, projects.ErrInvalid},
				{"no project", f.official, "nope", projects.PhotoInput{Alt: "Plan", ContentType: "image/png", File: bytes.NewReader(png)}, projects.ErrNotFound},
				{"resident", f.resident, funded, projects.PhotoInput{Alt: "Plan", ContentType: "image/png", File: bytes.NewReader(png)}, accounts.ErrForbidden},
			} {
				if _, err := f.svc.AddPhoto(ctx, tc.actor, tc.project, tc.in); !errors.Is(err, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
				}
			}
			before.Unchanged(t, f.db, "refused places and photos")
			sum := sha256.Sum256(png)
			if _, err := f.blobs.Stat(ctx, hex.EncodeToString(sum[:])); !errors.Is(err, blobs.ErrNotFound) {
				t.Errorf("a refused photo reached the blob store: %v", err)
			}

			// Set, then cleared.
			if err := f.svc.SetPlace(ctx, f.official, funded, projects.PlaceInput{Address: " Place Charles-Michels ", Point: &geo.Point{Lat: 48.846645, Lon: 2.285621}}); err != nil {
				t.Fatal(err)
			}
			p, _, err := f.svc.Project(ctx, funded)
			if err != nil {
				t.Fatal(err)
			}
			if at, ok := p.Point(); !ok || at != (geo.Point{Lat: 48.846645, Lon: 2.285621}) || p.Address != "Place Charles-Michels" {
				t.Errorf("placed: %v %v %q", at, ok, p.Address)
			}
			if err := f.svc.SetPlace(ctx, f.official, other, projects.PlaceInput{}); err != nil {
				t.Fatal(err)
			}
			if p, _, _ := f.svc.Project(ctx, other); p.LatE6 != nil || p.Address != "" {
				t.Errorf("cleared: %+v", p)
			}

			// Five photos of the project, five of its step, then no more.
			for i := range projects.MaxPhotos {
				if _, err := f.svc.AddPhoto(ctx, f.official, funded, projects.PhotoInput{Alt: "Vue de la rue", ContentType: "image/png",
					File: bytes.NewReader(append(png, byte(i)))}); err != nil {
					t.Fatal(err)
				}
				ph, err := f.svc.AddPhoto(ctx, f.official, funded, projects.PhotoInput{MilestoneID: step.ID, Alt: "Le chantier", ContentType: "image/jpeg",
					File: bytes.NewReader(png)})
				if err != nil {
					t.Fatal(err)
				}
				if ph.Position != 2*i+2 {
					t.Errorf("photo of the step at %d, want %d", ph.Position, 2*i+2)
				}
			}
			before = snap()
			for _, milestone := range []string{"", step.ID} {
				_, err := f.svc.AddPhoto(ctx, f.official, funded, projects.PhotoInput{MilestoneID: milestone, Alt: "Une de trop", ContentType: "image/png",
					File: bytes.NewReader(png)})
				var ie *projects.InvalidError
				if !errors.As(err, &ie) || ie.Problems["photo"] != projects.ProblemCount {
					t.Errorf("a sixth photo (step %q): %v", milestone, err)
				}
			}
			before.Unchanged(t, f.db, "a photo too many")
			photos, err := f.svc.Photos(ctx, funded)
			if err != nil || len(photos) != 2*projects.MaxPhotos || photos[0].Alt != "Vue de la rue" || photos[1].MilestoneID != step.ID {
				t.Fatalf("photos: %v %+v", err, photos)
			}
			ph, obj, err := f.svc.OpenPhoto(ctx, funded, 2)
			if err != nil {
				t.Fatal(err)
			}
			defer obj.Close()
			if ph.ContentType != "image/jpeg" || obj.Info().Size != int64(len(png)) {
				t.Errorf("photo 2: %+v, %d bytes", ph, obj.Info().Size)
			}
			if err := f.svc.RemovePhoto(ctx, f.official, funded, 1); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.RemovePhoto(ctx, f.official, funded, 1); !errors.Is(err, projects.ErrNotFound) {
				t.Errorf("removed twice: %v", err)
			}
			if _, _, err := f.svc.OpenPhoto(ctx, funded, 1); !errors.Is(err, projects.ErrNotFound) {
				t.Errorf("removed photo: %v", err)
			}
		})
	}
}

func stepID(m *projects.Milestone, otherwise string) string {
	if m == nil {
		return otherwise
	}
	return m.ID
}
