package admin

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"agora/frontend/web"

	"agora/instances/accounts"
)

// adminResidencyData is the page of the two bulk ways to verify
// residency: letter codes for a mail merge, and the city's census file.
type adminResidencyData struct {
	Letters     *web.Form
	Census      *web.Form
	CensusLines []string // the line-numbered errors of a refused file
	CensusMore  int      // errors beyond those listed
	Imported    *accounts.CensusImport
}

// Validity bounds, in days, of letter codes and census imports.
const (
	minValidityDays = 1
	maxValidityDays = 730
	// censusFieldMax bounds the small fields of the census form.
	censusFieldMax = 1 << 10
)

func (s *surface) adminResidencyPage(w http.ResponseWriter, r *http.Request) {
	d := adminResidencyData{Letters: web.EmptyForm(), Census: web.EmptyForm()}
	d.Letters.Values["letter_days"] = "90"
	d.Census.Values["census_days"] = "365"
	s.renderAdminResidency(w, r, http.StatusOK, d)
}

func (s *surface) renderAdminResidency(w http.ResponseWriter, r *http.Request, status int, d adminResidencyData) {
	s.HTML(w, r, status, "admin_residency", s.Printer(r).T("admin.residency.title"), d)
}

// intField reads a whole number between lo and hi from f; a wrong one is
// a message next to the field.
func (s *surface) intField(r *http.Request, f *web.Form, field string, lo, hi int) int {
	n, err := strconv.Atoi(f.Values[field])
	if err != nil || n < lo || n > hi {
		f.Errors[field] = s.Printer(r).T("admin.error.between", lo, hi)
		return 0
	}
	return n
}

// adminLetters makes a batch of letter codes and answers them as a CSV
// file for the mail merge. The codes are kept hashed only: this download
// is the one time they exist in clear.
func (s *surface) adminLetters(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	n := s.intField(r, f, "count", 1, accounts.MaxLetterBatch)
	days := s.intField(r, f, "letter_days", minValidityDays, maxValidityDays)
	if f.Invalid() {
		census := web.EmptyForm()
		census.Values["census_days"] = "365"
		s.renderAdminResidency(w, r, http.StatusBadRequest, adminResidencyData{Letters: f, Census: census})
		return
	}
	ttl := time.Duration(days) * 24 * time.Hour
	expires := s.Now().Add(ttl).In(s.Location()).Format(time.DateOnly)
	batch, codes, err := s.accounts.NewLetterBatch(r.Context(), accounts.As(web.CurrentAccount(r)), n, ttl)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", "attachment; filename=agora-letter-codes-"+batch+".csv")
	h.Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.Write([]string{"code", "batch", "expires"})
	for _, c := range codes {
		cw.Write([]string{c, batch, expires})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.Log().ErrorContext(r.Context(), "write letter codes", "batch", batch, "err", err)
	}
}

// adminCensus imports a census file. The form is read as a stream: the
// small fields (salt, validity) come first in the page's form, then the
// file, which goes straight to the import without being held in memory
// or on disk. A file with any bad line is refused whole, with every
// line-numbered error shown.
func (s *surface) adminCensus(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	letters := web.EmptyForm()
	letters.Values["letter_days"] = "90"
	d := adminResidencyData{Letters: letters, Census: web.EmptyForm()}
	f := d.Census
	mr, err := web.ReadMultipart(r)
	if err != nil {
		f.Error = l.T("admin.census.error.form")
		s.renderAdminResidency(w, r, http.StatusBadRequest, d)
		return
	}
	var salt string
	var imported *accounts.CensusImport
	var importErr error
	sawFile := false
	for {
		part, err := mr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.censusReadFailed(w, r, d, err)
			return
		}
		name := part.FormName()
		if name != "file" {
			v, err := smallField(part)
			if err != nil {
				s.censusReadFailed(w, r, d, err)
				return
			}
			if name == "salt" {
				salt = v // never shown back
			} else {
				f.Values[name] = strings.TrimSpace(v)
			}
			continue
		}
		sawFile = true
		if part.FileName() == "" {
			f.Errors["file"] = l.T("admin.census.error.no_file")
		}
		days := s.intField(r, f, "census_days", minValidityDays, maxValidityDays)
		if len(salt) < 16 {
			s.FailForm(r, f, accounts.ErrSalt)
		}
		if !f.Invalid() {
			imported, importErr = s.accounts.ImportCensus(r.Context(), accounts.As(web.CurrentAccount(r)), salt, part,
				time.Duration(days)*24*time.Hour)
		}
		// Read what is left, so the answer reaches the browser whole.
		if _, err := io.Copy(io.Discard, part); err != nil && importErr == nil {
			importErr = err
		}
	}
	if !sawFile {
		f.Errors["file"] = l.T("admin.census.error.no_file")
		s.intField(r, f, "census_days", minValidityDays, maxValidityDays)
		if len(salt) < 16 {
			s.FailForm(r, f, accounts.ErrSalt)
		}
	}
	if importErr != nil {
		var ce *accounts.CensusError
		switch {
		case errors.As(importErr, &ce):
			f.Errors["file"] = l.T("admin.census.error.refused")
			d.CensusLines, d.CensusMore = ce.Lines, ce.More
		case s.AsError(importErr).Status < 500 || web.IsTooLarge(importErr):
			s.censusReadFailed(w, r, d, importErr)
			return
		default:
			s.Fail(w, r, importErr)
			return
		}
	}
	if f.Invalid() {
		s.renderAdminResidency(w, r, http.StatusBadRequest, d)
		return
	}
	d.Imported = imported
	d.Census = web.EmptyForm()
	d.Census.Values["census_days"] = "365"
	s.renderAdminResidency(w, r, http.StatusOK, d)
}

// smallField reads a form field that is not the file, refusing one that
// is too long to be a salt or a number.
func smallField(p *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, censusFieldMax+1))
	if err != nil {
		return "", err
	}
	if len(b) > censusFieldMax {
		return "", web.HTTPError(http.StatusBadRequest, fmt.Errorf("field %q over %d bytes", p.FormName(), censusFieldMax))
	}
	return string(b), nil
}

// censusReadFailed answers a census upload that could not be read: too
// large, or not a well-formed form.
func (s *surface) censusReadFailed(w http.ResponseWriter, r *http.Request, d adminResidencyData, err error) {
	l := s.Printer(r)
	status := http.StatusBadRequest
	d.Census.Error = l.T("admin.census.error.form")
	if web.IsTooLarge(err) {
		status = http.StatusRequestEntityTooLarge
		d.Census.Error = l.T("admin.census.error.too_large", censusUploadLimit>>20)
		w.Header().Set("Connection", "close")
	}
	s.Log().DebugContext(r.Context(), "census upload refused", "err", err)
	s.renderAdminResidency(w, r, status, d)
}
