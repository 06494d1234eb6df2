package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
)

// Multipart reads a multipart form as a stream, part by part, without
// keeping it in memory or on disk. Its errors are the sender's: a body
// over its limit or part headers over the reader's is a 413, a malformed
// body a 400, never a 500.
type Multipart struct{ mr *multipart.Reader }

// ReadMultipart starts reading r's multipart body.
func ReadMultipart(r *http.Request) (*Multipart, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, HTTPError(http.StatusBadRequest, err)
	}
	return &Multipart{mr: mr}, nil
}

// Next is the next part, or io.EOF after the last.
func (m *Multipart) Next() (*multipart.Part, error) {
	p, err := m.mr.NextPart()
	switch {
	case err == nil || err == io.EOF:
		return p, err
	case IsTooLarge(err):
		return nil, HTTPError(http.StatusRequestEntityTooLarge, err)
	}
	return nil, HTTPError(http.StatusBadRequest, err)
}

// IsTooLarge reports whether err is a body, or a part's headers, over
// their limit.
func IsTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge) || errors.Is(err, multipart.ErrMessageTooLarge)
}
