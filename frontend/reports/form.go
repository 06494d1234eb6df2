package reports

import (
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/reports"
)

// fieldMax bounds a text field of the report forms.
const fieldMax = 64 << 10

// readForm reads a report form, taking up to maxFiles photos from the
// "photos" field. A multipart form is read as a stream: each photo is
// checked as it arrives (a JPEG or a PNG, decoded and encoded again so
// no EXIF or GPS position is kept) and kept in a temporary file; a file
// refused for what it is gets its message next to the field and the rest
// is still read. A form without files may come url-encoded.
func (s *surface) readForm(r *http.Request, maxFiles int) (*web.Form, []*web.Upload, error) {
	l := s.Printer(r)
	return s.ReadFileForm(r, web.FileForm{Field: "photos", MaxFiles: maxFiles, FieldMax: fieldMax,
		TooMany: l.T("street.error.photo_count", maxFiles),
		Refuse: func(u *web.Upload, name string) string {
			if u.ContentType != "image/jpeg" && u.ContentType != "image/png" {
				return l.T("street.error.photo_type", name)
			}
			return ""
		}})
}

// storePhotos puts checked photos in the blob store.
func (s *surface) storePhotos(r *http.Request, files []*web.Upload) ([]reports.Photo, error) {
	out := make([]reports.Photo, 0, len(files))
	for _, u := range files {
		info, err := s.blobs.Put(r.Context(), u.File)
		if err != nil {
			return nil, fmt.Errorf("store photo: %w", err)
		}
		out = append(out, reports.Photo{BlobKey: info.Key, ContentType: u.ContentType, Size: info.Size})
	}
	return out, nil
}

func closeAll(files []*web.Upload) {
	for _, u := range files {
		u.Close()
	}
}
