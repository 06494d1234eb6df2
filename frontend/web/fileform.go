package web

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// FileForm says how ReadFileForm reads a form with files.
type FileForm struct {
	Field    string // the file field's name
	MaxFiles int
	FieldMax int    // bytes of one text field; more is a 400
	TooMany  string // the message when more than MaxFiles are sent
	// Refuse, when set, refuses a file ReadUpload accepted, with its
	// message ("" keeps it).
	Refuse func(u *Upload, name string) string
}

// ReadFileForm reads a form whose files come in spec.Field, up to
// spec.MaxFiles. A multipart form is read as a stream: each file is
// checked as it arrives (ReadUpload: images decoded and encoded again)
// and kept in a temporary file; a file refused for what it is gets its
// message next to the field and the rest is still read. A form without
// files may come url-encoded. The caller closes the files.
func (k *Kit) ReadFileForm(r *http.Request, spec FileForm) (*Form, []*Upload, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return EmptyForm(), nil, HTTPError(http.StatusBadRequest, err)
		}
		return NewForm(r), nil, nil
	}
	l := k.Printer(r)
	f := EmptyForm()
	mr, err := ReadMultipart(r)
	if err != nil {
		return f, nil, err
	}
	var files []*Upload
	var refused []string
	tooMany := false
	for {
		part, err := mr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, files, err
		}
		if part.FormName() != spec.Field {
			v, err := textPart(part, spec.FieldMax)
			if err != nil {
				return f, files, err
			}
			f.Values[part.FormName()] = strings.TrimSpace(v)
			continue
		}
		if part.FileName() == "" || len(files)+len(refused) >= spec.MaxFiles { // left empty, or one too many
			if _, err := io.Copy(io.Discard, part); err != nil {
				return f, files, err
			}
			if part.FileName() != "" && !tooMany {
				refused = append(refused, spec.TooMany)
				tooMany = true
			}
			continue
		}
		u, err := k.ReadUpload(r.Context(), part, part.FileName())
		if msg, ok := Refused(err, l); ok {
			refused = append(refused, msg)
			continue
		}
		if err != nil {
			return f, files, err
		}
		if spec.Refuse != nil {
			if msg := spec.Refuse(u, part.FileName()); msg != "" {
				u.Close()
				refused = append(refused, msg)
				continue
			}
		}
		files = append(files, u)
	}
	if len(refused) > 0 {
		f.Errors[spec.Field] = strings.Join(refused, " ")
	}
	return f, files, nil
}

// textPart reads a text field of a multipart form, up to max bytes.
func textPart(p *multipart.Part, max int) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, int64(max)+1))
	if err != nil {
		return "", err
	}
	if len(b) > max {
		return "", HTTPError(http.StatusBadRequest, fmt.Errorf("field %q over %d bytes", p.FormName(), max))
	}
	return string(b), nil
}
