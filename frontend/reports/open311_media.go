package reports

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"agora/frontend/web"
	"agora/instances/reports"
	"agora/storage/ratelimit"
)

// What an Open311 client posts: a form, url-encoded or multipart, and in
// a multipart one the photo of a request in "media" (docs/OPEN311.md).
// The photo is kept as sent until the key and the rate limit allowed the
// request, and only then goes through the photo pipeline of the report
// form (decoded, encoded again, no metadata).

// Limits of an Open311 form.
const (
	o311FieldMax = 64 << 10 // bytes of one field
	o311Fields   = 200      // fields of one form
	// o311BodyMax is the body limit of the POST routes: one photo and room
	// for the fields.
	o311BodyMax = web.UploadMaxBytes + 1<<20
)

// Open311Form is a posted form: its fields, and the "media" file as sent
// (nil without one). Close removes the file.
type Open311Form struct {
	Values    url.Values
	Media     *os.File
	MediaName string
}

// Close removes the media's temporary file, if any.
func (f *Open311Form) Close() {
	if f != nil && f.Media != nil {
		f.Media.Close()
		os.Remove(f.Media.Name())
		f.Media = nil
	}
}

// ReadOpen311Form reads a POST of Open311: an url-encoded form, or a
// multipart one whose text fields (at most 200, each up to 64 KiB) are
// read as values and whose file in "media" (one: a second is a 400; an
// empty one is no file) is kept as sent in a temporary file, up to
// web.UploadMaxBytes. Files in other fields are read and dropped.
func ReadOpen311Form(r *http.Request) (*Open311Form, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			if web.IsTooLarge(err) {
				return nil, web.HTTPError(http.StatusRequestEntityTooLarge, err)
			}
			return nil, errParam("form")
		}
		return &Open311Form{Values: r.PostForm}, nil
	}
	mr, err := web.ReadMultipart(r)
	if err != nil {
		return nil, errParam("form")
	}
	f := &Open311Form{Values: url.Values{}}
	fields := 0
	for {
		part, err := mr.Next()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			f.Close()
			return nil, err
		}
		name := part.FormName()
		if part.FileName() == "" {
			if fields++; fields > o311Fields {
				f.Close()
				return nil, errParam("form")
			}
			b, err := io.ReadAll(io.LimitReader(part, o311FieldMax+1))
			if err != nil || len(b) > o311FieldMax {
				f.Close()
				return nil, readFailed(err, name)
			}
			f.Values.Add(name, string(b))
			continue
		}
		if name != "media" {
			if _, err := io.Copy(io.Discard, part); err != nil {
				f.Close()
				return nil, readFailed(err, name)
			}
			continue
		}
		if err := f.keepMedia(part, part.FileName()); err != nil {
			f.Close()
			return nil, err
		}
	}
}

// keepMedia keeps the media file as sent, in a temporary file.
func (f *Open311Form) keepMedia(part io.Reader, filename string) error {
	tmp, err := os.CreateTemp("", "agora-open311-*")
	if err != nil {
		return fmt.Errorf("open311 media: %w", err)
	}
	n, err := io.Copy(tmp, io.LimitReader(part, web.UploadMaxBytes+1))
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	switch {
	case err != nil:
		tmp.Close()
		os.Remove(tmp.Name())
		return readFailed(err, "media")
	case n == 0: // an empty file field: no photo
		tmp.Close()
		os.Remove(tmp.Name())
		return nil
	case n > web.UploadMaxBytes:
		tmp.Close()
		os.Remove(tmp.Name())
		return &web.Error{Status: http.StatusRequestEntityTooLarge, Key: "attachment.error.size",
			Args: []any{displayName(filename), web.UploadMaxBytes >> 20}}
	case f.Media != nil:
		tmp.Close()
		os.Remove(tmp.Name())
		return &web.Error{Status: http.StatusBadRequest, Key: "reportsmore.open311.media_many"}
	}
	f.Media, f.MediaName = tmp, filename
	return nil
}

// readFailed is a field that could not be read: over its limit, or a
// body cut short.
func readFailed(err error, name string) error {
	if err != nil && web.IsTooLarge(err) {
		return web.HTTPError(http.StatusRequestEntityTooLarge, err)
	}
	return errParam(name)
}

// o311Photo checks the request's media as the report form checks a
// photo (JPEG or PNG, decoded within the pixel and memory limits,
// encoded again without metadata) and stores it. A refused file is a 400
// saying why, and nothing is stored.
func (s *surface) o311Photo(r *http.Request, f *Open311Form) ([]reports.Photo, error) {
	if f.Media == nil {
		return nil, nil
	}
	l := s.Printer(r)
	name := f.MediaName
	u, err := s.ReadUpload(r.Context(), f.Media, name)
	if msg, ok := web.Refused(err, l); ok {
		return nil, &web.Error{Status: http.StatusBadRequest, Key: "reportsmore.open311.media", Args: []any{msg}}
	}
	if err != nil {
		return nil, err
	}
	defer u.Close()
	if u.ContentType != "image/jpeg" && u.ContentType != "image/png" {
		return nil, &web.Error{Status: http.StatusBadRequest, Key: "reportsmore.open311.media",
			Args: []any{l.T("street.error.photo_type", displayName(name))}}
	}
	return s.storePhotos(r, []*web.Upload{u})
}

func displayName(name string) string {
	if name = strings.TrimSpace(name); name == "" || len(name) > 80 {
		return "media"
	}
	return name
}

// DefaultOpen311Limits are how many requests and updates one API key
// creates: 60 a minute and 1,000 an hour, both counted.
var DefaultOpen311Limits = []ratelimit.Rule{{Max: 60, Window: time.Minute}, {Max: 1000, Window: time.Hour}}

// o311Allow counts one creation (a request or an update) for the key
// under each limit; over one, the answer is a 429 with Retry-After and
// Open311's error document, and false.
func (s *surface) o311Allow(w http.ResponseWriter, r *http.Request, keyID string) bool {
	for _, rule := range s.o311Limits {
		ok, wait, err := s.Limit(r.Context(), "open311|"+keyID+"|"+rule.Window.String(), rule)
		if err != nil {
			s.o311Fail(w, r, err)
			return false
		}
		if !ok {
			secs := int((wait + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			s.o311Fail(w, r, &web.Error{Status: http.StatusTooManyRequests, Key: "reportsmore.open311.too_many", Args: []any{secs}})
			return false
		}
	}
	return true
}
