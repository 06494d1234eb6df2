package browsertest

import (
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestMain(m *testing.M) { Main(m) }

// strictCSP is the policy Agora serves its pages with: no inline script.
const strictCSP = "default-src 'self'; script-src 'self'"

// page wraps a body in a document that passes axe-core by itself.
func page(title, body string) string {
	return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>` + title + `</title></head>
<body>
<header><nav aria-label="Principal"><a href="/accessible">Accueil</a></nav></header>
<main>
<h1>` + title + `</h1>
` + body + `
</main>
</body>
</html>`
}

// site serves the test pages.
func site() http.Handler {
	mux := http.NewServeMux()
	html := func(path, csp, doc string) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if csp != "" {
				w.Header().Set("Content-Security-Policy", csp)
			}
			fmt.Fprint(w, doc)
		})
	}
	html("/accessible", strictCSP, page("Proposer une idée", `
<form method="post" action="/proposals">
<label for="title">Titre</label>
<input id="title" name="title" type="text">
<button type="submit">Envoyer</button>
</form>`))
	// The inline script would set the title if the policy let it run.
	html("/csp", strictCSP, page("Page sous CSP stricte", `
<p>Texte.</p>
<script>document.title = "inline script ran";</script>`))
	html("/broken", "", `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Page cassée</title>
<style>.pale { color: #bbb; background: #fff; }</style></head>
<body>
<main>
<h1>Page cassée</h1>
<img src="/photo.png">
<input type="text" name="nom">
<p class="pale">Texte trop pâle pour être lu.</p>
</main>
</body>
</html>`)
	html("/passkey", "", page("Clé d'accès", `<p>Cérémonie.</p>`))
	mux.HandleFunc("POST /proposals", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/proposals/1?title="+url.QueryEscape(r.PostFormValue("title")), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /proposals/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Proposition", `<p id="title">`+r.URL.Query().Get("title")+`</p>`))
	})
	mux.HandleFunc("GET /photo.png", http.NotFound)
	mux.HandleFunc("GET /empty500", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError) // no body: Chromium shows its own error page
	})
	return mux
}

func TestAccessiblePagePasses(t *testing.T) {
	t.Parallel()
	base := Serve(t, site())
	start := time.Now()
	b := New(t)
	t.Logf("New (tab, and the shared browser if first): %v", time.Since(start))
	start = time.Now()
	b.Open(base + "/accessible")
	t.Logf("Open: %v", time.Since(start))
	start = time.Now()
	b.AssertAccessible()
	t.Logf("first axe check (inject + run): %v", time.Since(start))
	start = time.Now()
	b.AssertAccessible()
	t.Logf("second axe check on the same page: %v", time.Since(start))
}

func TestBrokenPageFails(t *testing.T) {
	t.Parallel()
	base := Serve(t, site())
	b := New(t)
	b.Open(base + "/broken")

	var rules []string
	for _, v := range b.Violations() {
		rules = append(rules, v.Rule)
	}
	for _, want := range []string{"image-alt", "label", "color-contrast"} {
		if !slices.Contains(rules, want) {
			t.Errorf("axe found %v, want %s among them", rules, want)
		}
	}

	rec := &recorder{TB: t}
	rec.do(b.assertAccessible)
	if len(rec.fatals) != 0 || len(rec.skips) != 0 {
		t.Fatalf("the check stopped instead of reporting: fatals %q, skips %q", rec.fatals, rec.skips)
	}
	if len(rec.errors) != 1 {
		t.Fatalf("AssertAccessible reported %d errors, want 1: %q", len(rec.errors), rec.errors)
	}
	msg := rec.errors[0]
	for _, want := range []string{
		base + "/broken",
		"image-alt (critical): Images must have alternative text",
		"https://dequeuniversity.com/rules/axe/",
		`html: <img src="/photo.png">`,
		"label (critical): Form elements must have labels",
		`html: <input type="text" name="nom">`,
		"color-contrast (serious)",
		`- at p
      html: <p class="pale">`,
		"insufficient color contrast",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	t.Logf("what a developer sees:\n%s", msg)
}

func TestStrictCSPPageIsChecked(t *testing.T) {
	t.Parallel()
	base := Serve(t, site())
	b := New(t)
	b.Open(base + "/csp")
	title, err := chromedp.Run(b.Context(), chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "Page sous CSP stricte" {
		t.Fatalf("title %q: the policy did not block the inline script, so this test proves nothing", title)
	}
	if vs := b.Violations(); len(vs) != 0 {
		t.Errorf("violations on an accessible page under CSP: %v", vs)
	}
}

func TestNavigateStatus(t *testing.T) {
	t.Parallel()
	base := Serve(t, site())
	b := New(t)
	for path, want := range map[string]int{
		"/accessible": http.StatusOK,
		"/missing":    http.StatusNotFound,
		"/empty500":   http.StatusInternalServerError,
	} {
		if got := b.Navigate(base + path); got != want {
			t.Errorf("Navigate(%s) = %d, want %d", path, got, want)
		}
	}

	rec := &recorder{TB: t}
	rec.do(func(tb testing.TB) {
		b.t = tb
		defer func() { b.t = t }()
		b.Open(base + "/missing")
	})
	if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], "HTTP status 404, want 2xx") {
		t.Errorf("Open of a missing page reported %q, want one fatal about status 404", rec.fatals)
	}
}

func TestFormAndKeyboard(t *testing.T) {
	t.Parallel()
	base := Serve(t, site())
	b := New(t)

	b.Open(base + "/accessible")
	b.Fill("#title", "brouillon")
	b.Fill("#title", "Plus d'arbres") // replaces, does not append
	if status := b.Submit("button[type=submit]"); status != http.StatusOK {
		t.Fatalf("submit: status %d", status)
	}
	if got := b.Text("#title"); got != "Plus d'arbres" {
		t.Errorf("after submit, title %q", got)
	}

	b.Open(base + "/accessible")
	var order []string
	for range 3 {
		order = append(order, b.Tab().String())
	}
	want := []string{
		`link "Accueil" <a>`,
		`textbox "Titre" <input id=title>`,
		`button "Envoyer" <button>`,
	}
	if !slices.Equal(order, want) {
		t.Errorf("tab order\n got %q\nwant %q", order, want)
	}
	if got := b.ShiftTab(); got.ID != "title" {
		t.Errorf("Shift+Tab went to %s, want #title", got)
	}
	b.Press("Au clavier")
	if status := b.PressAndLoad(kb.Enter); status != http.StatusOK {
		t.Fatalf("Enter in the form: status %d", status)
	}
	if got := b.Text("#title"); got != "Au clavier" {
		t.Errorf("after Enter, title %q", got)
	}
}

func TestPasskey(t *testing.T) {
	t.Parallel()
	base := Serve(t, site())
	b := New(t)
	b.Open(base + "/passkey")
	auth := b.VirtualAuthenticator()

	start := time.Now()
	created, err := chromedp.Run(b.Context(), chromedp.Evaluate[string](`(async () => {
		const cred = await navigator.credentials.create({publicKey: {
			challenge: crypto.getRandomValues(new Uint8Array(32)),
			rp: {name: "Agora", id: "localhost"},
			user: {id: new TextEncoder().encode("resident-1"), name: "ada", displayName: "Ada"},
			pubKeyCredParams: [{type: "public-key", alg: -7}],
			authenticatorSelection: {residentKey: "required", userVerification: "required"},
			timeout: 5000,
		}});
		return cred.type + " " + cred.authenticatorAttachment;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("navigator.credentials.create: %v", err)
	}
	t.Logf("create: %v", time.Since(start))
	if created != "public-key platform" {
		t.Errorf("created %q", created)
	}
	creds := auth.Credentials()
	if len(creds) != 1 || creds[0].RpID != "localhost" || !creds[0].IsResidentCredential || string(creds[0].UserHandle) != "resident-1" {
		t.Fatalf("credentials after create: %+v", creds)
	}

	// Sign in with the discoverable credential, as a passkey login does.
	start = time.Now()
	user, err := chromedp.Run(b.Context(), chromedp.Evaluate[string](`(async () => {
		const a = await navigator.credentials.get({publicKey: {
			challenge: crypto.getRandomValues(new Uint8Array(32)),
			rpId: "localhost",
			userVerification: "required",
			timeout: 5000,
		}});
		return new TextDecoder().decode(a.response.userHandle);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("navigator.credentials.get: %v", err)
	}
	t.Logf("get: %v", time.Since(start))
	if user != "resident-1" {
		t.Errorf("signed in as %q, want resident-1", user)
	}
}

// TestOwnBrowser runs a test without the shared browser of Main, as in a
// package whose TestMain does not call it.
func TestOwnBrowser(t *testing.T) {
	saved := shared
	shared = nil
	t.Cleanup(func() { shared = saved })

	base := Serve(t, site())
	start := time.Now()
	b := New(t)
	t.Logf("own browser and tab: %v", time.Since(start))
	b.Open(base + "/accessible")
	b.AssertAccessible()
}

func TestConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name, ci  string
		wantSkip  bool
		wantFatal bool
	}{
		{name: "unset", wantSkip: true},
		{name: "unset in CI", ci: "true", wantFatal: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvChromium, "")
			t.Setenv("PATH", t.TempDir()) // no Chromium to fall back to
			t.Setenv("AGORA_TEST_REQUIRE", "")
			t.Setenv("CI", tc.ci)
			rec := &recorder{TB: t}
			rec.do(func(tb testing.TB) { New(tb) })
			if got := len(rec.skips) == 1 && strings.Contains(rec.skips[0], EnvChromium); got != tc.wantSkip {
				t.Errorf("skips %q, want a skip naming %s: %v", rec.skips, EnvChromium, tc.wantSkip)
			}
			if got := len(rec.fatals) == 1 && strings.Contains(rec.fatals[0], EnvChromium); got != tc.wantFatal {
				t.Errorf("fatals %q, want a failure naming %s: %v", rec.fatals, EnvChromium, tc.wantFatal)
			}
			t.Logf("skips %q, fatals %q", rec.skips, rec.fatals)
		})
	}
}

// With AGORA_TEST_CHROMIUM empty, a Chromium on PATH is used, under any
// of its usual names; the variable wins over PATH.
func TestChromiumPath(t *testing.T) {
	onPath := func(names ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			if slices.Contains(names, name) {
				return "/usr/bin/" + name, nil
			}
			return "", exec.ErrNotFound
		}
	}
	for _, tc := range []struct {
		name, env string
		path      []string
		want      string
	}{
		{"variable", "/opt/chrome/chrome", []string{"chromium"}, "/opt/chrome/chrome"},
		{"chromium on PATH", "", []string{"chromium", "chromium-browser"}, "/usr/bin/chromium"},
		{"chromium-browser on PATH", "", []string{"chromium-browser"}, "/usr/bin/chromium-browser"},
		{"google-chrome on PATH", "", []string{"google-chrome"}, "/usr/bin/google-chrome"},
		{"none", "", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == EnvChromium {
					return tc.env
				}
				return ""
			}
			if got := chromiumPath(getenv, onPath(tc.path...)); got != tc.want {
				t.Errorf("chromiumPath = %q, want %q", got, tc.want)
			}
		})
	}
}

// recorder is a testing.TB that records failures and skips instead of
// acting on them, so that a test can prove a check fails. Everything else
// goes to the real test it wraps.
type recorder struct {
	testing.TB
	mu                    sync.Mutex
	errors, fatals, skips []string
}

// do runs f with r in its own goroutine, where Fatal and Skip end f as
// they would end a test.
func (r *recorder) do(f func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}

func (r *recorder) add(list *[]string, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*list = append(*list, s)
}

func (r *recorder) Error(args ...any)                 { r.add(&r.errors, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) { r.add(&r.errors, fmt.Sprintf(format, args...)) }
func (r *recorder) Fail()                             { r.add(&r.errors, "Fail") }
func (r *recorder) Fatal(args ...any)                 { r.add(&r.fatals, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.add(&r.fatals, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) FailNow()         { r.add(&r.fatals, "FailNow"); runtime.Goexit() }
func (r *recorder) Skip(args ...any) { r.add(&r.skips, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Skipf(format string, args ...any) {
	r.add(&r.skips, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) SkipNow() { r.add(&r.skips, "SkipNow"); runtime.Goexit() }
func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errors)+len(r.fatals) > 0
}

// hostileSite serves pages that do what a page of the node must never
// do, each with the policy it needs to do it (none, or the node's).
func hostileSite() http.Handler {
	mux := http.NewServeMux()
	html := func(path, csp, body string) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if csp != "" {
				w.Header().Set("Content-Security-Policy", csp)
			}
			fmt.Fprint(w, page("Page", body))
		})
	}
	html("/clean", strictCSP, `<p>Rien.</p><p><a href="https://elsewhere.example/">lien</a></p>`)
	html("/inline-script", strictCSP, `<script>document.title = "ran";</script>`)
	html("/remote-image", "default-src 'self'", `<img src="http://127.0.0.1:9/x.png" alt="x">`)
	html("/inline-style", strictCSP, `<p style="color: red">rouge</p>`)
	html("/refresh-away", "", `<meta http-equiv="refresh" content="1;url=http://evil.invalid/">`)
	html("/refresh-here", "", `<meta http-equiv="refresh" content="0;url=/clean">`)
	html("/refresh-later", "", `<meta http-equiv="refresh" content="3600;url=/clean">`)
	html("/script-nav", "", `<script>location.href = "/clean";</script>`)
	html("/alert", "", `<script>alert("pwned");</script>`)
	html("/frame", "", `<iframe title="x" src="/clean"></iframe>`)
	html("/popup", "", `<script>window.open("/clean");</script>`)
	return mux
}

// WatchIncidents sees every kind of incident on a page made for it, and
// none on a clean page; AssertNoIncidents reports them as one error.
func TestIncidents(t *testing.T) {
	t.Parallel()
	base := Serve(t, hostileSite())
	for _, tc := range []struct {
		path string
		want string // kind of incident expected; "" for none
	}{
		{"/clean", ""},
		{"/inline-script", "csp"},
		{"/remote-image", "csp"},
		{"/inline-style", "csp"},
		{"/refresh-away", "navigation"},
		{"/refresh-here", "navigation"},
		{"/refresh-later", "refresh"},
		{"/script-nav", "navigation"},
		{"/alert", "dialog"},
		{"/frame", "frame"},
		{"/popup", "window"},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			t.Parallel()
			b := New(t)
			g := b.WatchIncidents(base)
			b.Open(base + tc.path)
			rec := &recorder{TB: t}
			var clean bool
			rec.do(func(tb testing.TB) { clean = g.assertNoIncidents(tb, 1500*time.Millisecond) })
			if clean != (tc.want == "") {
				t.Errorf("the check says clean: %v", clean)
			}
			if len(rec.fatals) != 0 {
				t.Fatalf("the check stopped: %q", rec.fatals)
			}
			switch {
			case tc.want == "" && len(rec.errors) != 0:
				t.Errorf("incidents on a clean page: %q", rec.errors)
			case tc.want != "" && len(rec.errors) != 1:
				t.Errorf("reported %d errors, want one naming a %s incident: %q", len(rec.errors), tc.want, rec.errors)
			case tc.want != "" && !strings.Contains(rec.errors[0], "  - "+tc.want+": "):
				t.Errorf("no %s incident in %q", tc.want, rec.errors[0])
			}
			t.Logf("%s: %q", tc.path, rec.errors)
		})
	}
}
