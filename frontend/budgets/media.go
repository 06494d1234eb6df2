package budgets

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/geo"
	"agora/instances/projects"
)

// A project's place and photos (docs/BUDGETS.md, "Places and photos"):
// officials set the address and map point, and add photos one at a
// time, each with the text that describes it, to the project or to one
// step of its follow-up. Photos go through the kit's upload pipeline
// (web.ReadFileForm: JPEG or PNG only, decoded and encoded again, so no
// EXIF nor GPS position is kept).

// photoFieldMax bounds a text field of the photo form.
const photoFieldMax = 64 << 10

// photoLimit is the body limit of the photo form: one photo and room
// for the fields.
const photoLimit = web.UploadMaxBytes + 1<<20

// placeAndPhotoForms fills the officials' forms of a project's page.
func (s *surface) placeAndPhotoForms(r *http.Request, d *projectData, forms projectForms, ms []projects.Milestone) {
	l, p := s.Printer(r), d.Project
	d.PlaceForm, d.PhotoForm = forms.Place, forms.Photo
	if len(d.PlaceForm.Values) == 0 && len(d.PlaceForm.Errors) == 0 {
		d.PlaceForm.Values["address"] = p.Address
		if at, ok := p.Point(); ok {
			d.PlaceForm.Values["lat"], d.PlaceForm.Values["lon"] = web.Coord(at.Lat), web.Coord(at.Lon)
		}
	}
	d.PhotoTargets = []web.Option{{Value: "", Label: l.T("budgetpics.photo.of_project")}}
	for _, m := range ms {
		d.PhotoTargets = append(d.PhotoTargets, web.Option{Value: m.ID,
			Label: l.T("budgetpics.photo.of_step", l.Date(m.At), l.T("budget.status."+string(m.Status)))})
	}
	d.MaxPhotos, d.MaxMiB = projects.MaxPhotos, web.UploadMaxBytes>>20
	if at, ok := p.Point(); ok {
		d.Map = s.picker(r, &at)
	} else {
		d.Map = s.picker(r, nil)
	}
}

// picker is the map that fills a form's latitude and longitude fields
// where one clicks, centred on at when given; nil without tiles.
func (s *surface) picker(r *http.Request, at *geo.Point) *web.MapView {
	t := s.MapTiles()
	if t == nil {
		return nil
	}
	l := s.Printer(r)
	m := &web.MapView{ID: "picker-map", Kind: "picker", Tiles: t, Label: l.T("budgetpics.map.picker_label"),
		Help: l.T("budgetpics.map.picker_help")}
	if at != nil {
		m.Bounds = web.BoundsOf([]geo.Point{*at})
	}
	return m
}

// readPoint reads the lat and lon fields; a message next to lat when
// they are not a point on Earth.
func readPoint(l *i18n.Printer, f *web.Form) *geo.Point {
	at, ok := web.ParsePoint(f.Values["lat"], f.Values["lon"])
	if !ok {
		f.Errors["lat"] = l.T("budgetpics.error.point")
	}
	return at
}

// pointRefused moves the domain's "point" problem next to the latitude
// field, where the form has it.
func pointRefused(l *i18n.Printer, f *web.Form) {
	if _, ok := f.Errors["point"]; ok {
		delete(f.Errors, "point")
		if _, done := f.Errors["lat"]; !done {
			f.Errors["lat"] = l.T("budgetpics.error.point")
		}
	}
}

// placeSave sets a project's address and map point. A field at fault
// is named and nothing changes.
func (s *surface) placeSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l, f := s.Printer(r), web.NewForm(r)
	in := projects.PlaceInput{Address: f.Values["address"], Point: readPoint(l, f)}
	refused(l, f, in.Problems())
	pointRefused(l, f)
	id := mux.Vars(r)["id"]
	if !f.Invalid() {
		err := s.projects.SetPlace(r.Context(), accounts.As(web.CurrentAccount(r)), id, in)
		if err == nil {
			http.Redirect(w, r, "/budgets/projects/"+id+"#place", http.StatusSeeOther)
			return
		}
		if !s.invalid(l, f, err) {
			s.Fail(w, r, err)
			return
		}
		pointRefused(l, f)
	}
	s.showProject(w, r, http.StatusBadRequest, projectForms{Place: f})
}

// photoSave adds one photo, with its alt text, to a project or one of
// its steps. A refused photo or a missing alt text comes back next to
// its field, and nothing is stored.
func (s *surface) photoSave(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	f, files, err := s.ReadFileForm(r, web.FileForm{Field: "photo", MaxFiles: 1, FieldMax: photoFieldMax,
		TooMany: l.T("budgetpics.error.photo.one"),
		Refuse: func(u *web.Upload, name string) string {
			if u.ContentType != "image/jpeg" && u.ContentType != "image/png" {
				return l.T("budgetpics.error.photo.type", name)
			}
			return ""
		}})
	defer func() {
		for _, u := range files {
			u.Close()
		}
	}()
	if err != nil {
		if web.IsTooLarge(err) {
			w.Header().Set("Connection", "close")
			f.Errors["photo"] = l.T("budgetpics.error.photo.too_large", photoLimit>>20)
			s.showProject(w, r, http.StatusRequestEntityTooLarge, projectForms{Photo: f})
			return
		}
		s.Fail(w, r, err)
		return
	}
	in := projects.PhotoInput{MilestoneID: f.Values["milestone"], Alt: f.Values["alt"]}
	if len(files) == 1 {
		in.File, in.ContentType = files[0].File, files[0].ContentType
	} else if _, refusedFile := f.Errors["photo"]; !refusedFile {
		f.Errors["photo"] = l.T("budgetpics.error.photo.empty")
	}
	refused(l, f, in.Problems()) // a photo already refused keeps its message
	id := mux.Vars(r)["id"]
	if !f.Invalid() {
		_, err := s.projects.AddPhoto(r.Context(), accounts.As(web.CurrentAccount(r)), id, in)
		if err == nil {
			http.Redirect(w, r, "/budgets/projects/"+id+"#photos", http.StatusSeeOther)
			return
		}
		if !s.invalid(l, f, err) {
			s.Fail(w, r, err)
			return
		}
	}
	s.showProject(w, r, http.StatusBadRequest, projectForms{Photo: f})
}

// photoRemove takes a photo off a project.
func (s *surface) photoRemove(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	n, _ := strconv.Atoi(mux.Vars(r)["n"])
	if err := s.projects.RemovePhoto(r.Context(), accounts.As(web.CurrentAccount(r)), id, n); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/budgets/projects/"+id+"#photos", http.StatusSeeOther)
}

// photoServe serves a project's photo n, inline, never sniffed as
// anything else.
func (s *surface) photoServe(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(mux.Vars(r)["n"])
	ph, obj, err := s.projects.OpenPhoto(r.Context(), mux.Vars(r)["id"], n)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	defer obj.Close()
	h := w.Header()
	h.Set("Content-Type", ph.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+ph.BlobKey+`"`)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, obj)
}
