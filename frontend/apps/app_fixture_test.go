package apps_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"agora/frontend"
	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/storage/storagetest"
)

// The catalogue's tests' fixtures: a node with every surface and the
// catalogue over one database and one blob store (local or S3), and
// publiccode.yml files to publish.

// appNode is a participation node with the catalogue.
type appNode struct {
	*frontendtest.Node
	apps  *apps.Service
	store *storagetest.BlobStore
}

// newAppNode builds the node on a fresh database of the dialect and an
// empty blob store of the kind ("local" or "s3"), the same store for
// the catalogue and for the pages that serve its files.
func newAppNode(t testing.TB, dialect, storeKind string, opts apps.Options) *appNode {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	store := storagetest.NewBlobStore(t, storeKind)
	var svc *apps.Service
	n := frontendtest.NewNodeOn(t, db, func(d *frontend.Deps) {
		svc = apps.NewService(db, store, d.Now, opts)
		d.Blobs, d.Apps = store, svc
	})
	return &appNode{Node: n, apps: svc, store: store}
}

// appOnEachDialect runs fn on a fresh node of each dialect, local blobs.
func appOnEachDialect(t *testing.T, fn func(t *testing.T, n *appNode)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newAppNode(t, dialect, "local", apps.Options{}))
	})
}

// appYAML is a valid publiccode.yml of an app named name, whose
// repository is derived from it.
func appYAML(name string) string {
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	return fmt.Sprintf(`publiccodeYmlVersion: "0.4"
name: %s
url: "https://git.example.org/villes/%s.git"
landingURL: "https://%s.example.org"
softwareVersion: 1.0.0
releaseDate: 2026-11-02
platforms:
  - web
categories:
  - digital-citizenship
  - survey
developmentStatus: stable
softwareType: standalone/web
description:
  fr:
    shortDescription: Inscriptions scolaires en ligne pour les familles de la commune.
    longDescription: >
      Un portail où les familles inscrivent leurs enfants à l’école, à la cantine
      et au centre de loisirs, suivent leur dossier et reçoivent les réponses de
      la mairie ; les agents instruisent les demandes depuis le même outil, et un
      guichet permet de tout faire pour les familles sans équipement.
    features:
      - Inscription à l’école et à la cantine
      - Suivi du dossier
  en:
    shortDescription: Online school enrolment for the town's families.
legal:
  license: AGPL-3.0-or-later
maintenance:
  type: internal
  contacts:
    - name: Service numérique
localisation:
  localisationReady: true
  availableLanguages:
    - fr
    - en
`, name, slug, slug)
}

// appPublish publishes an app through the service, as the node.
func appPublish(t testing.TB, n *appNode, name string) *apps.App {
	t.Helper()
	a, fes, err := n.apps.Publish(t.Context(), accounts.System, strings.NewReader(appYAML(name)))
	if err != nil {
		t.Fatalf("publish %s: %v %v", name, fes, err)
	}
	return a
}

// appPart is one part of a multipart form: a field, or a file when
// fileName is set.
type appPart struct {
	name, fileName, contentType string
	body                        io.Reader
}

func appField(name, value string) appPart { return appPart{name: name, body: strings.NewReader(value)} }

func appFile(field, fileName, contentType string, body []byte) appPart {
	return appPart{name: field, fileName: fileName, contentType: contentType, body: bytes.NewReader(body)}
}

// appMultipart posts a multipart form as it is written, through a pipe:
// the handler reads the parts while they are produced, as from a slow
// client, never a buffered body.
func (n *appNode) appMultipart(t testing.TB, target, token string, parts ...appPart) *httptest.ResponseRecorder {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, p := range parts {
			var w io.Writer
			var err error
			if p.fileName != "" {
				h := make(map[string][]string)
				h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.fileName)}
				ct := p.contentType
				if ct == "" {
					ct = "application/octet-stream"
				}
				h["Content-Type"] = []string{ct}
				w, err = mw.CreatePart(h)
			} else {
				w, err = mw.CreateFormField(p.name)
			}
			if err == nil {
				_, err = io.Copy(w, p.body)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	r := httptest.NewRequest(http.MethodPost, target, pr)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	pr.Close() // the handler may stop reading early: unblock the writer
	return w
}

// appCount is how many rows a catalogue table holds.
func (n *appNode) appCount(t *testing.T, table string) int {
	t.Helper()
	return n.Count(t, table)
}

// appBlobs lists what the blob store holds (temporary files too).
func (n *appNode) appBlobs(t *testing.T) []string {
	t.Helper()
	return n.store.Files(t)
}
