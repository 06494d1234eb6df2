package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"agora/frontend/i18n"

	"golang.org/x/sync/semaphore"
)

// Limits of a file sent with a form.
const (
	UploadMaxBytes  = 10 << 20   // each file as sent
	UploadMaxPixels = 40_000_000 // each image, checked before it is decoded
)

// Memory for images. A small file can hold a big image (a 300 KB PNG of
// 6300×6300 16-bit pixels decodes to 300 MiB), so what an image will take
// once decoded, and turned, is reckoned from its header before it is:
// one over imageMemoryMax is refused, and a process decodes at most
// imageMemoryBudget worth at once (Kit.images), the others waiting.
const (
	imageMemoryMax    = 192 << 20
	imageMemoryBudget = 2 * imageMemoryMax
)

func newImageBudget() *semaphore.Weighted { return semaphore.NewWeighted(imageMemoryBudget) }

// imageMemory is what decoding an image of cfg takes, in bytes, and
// turning it (orient makes two RGBA copies) when it must be turned.
func imageMemory(cfg image.Config, turn bool) int64 {
	pixels := int64(cfg.Width) * int64(cfg.Height)
	bpp := int64(8) // 16-bit RGBA, and anything unknown
	switch cfg.ColorModel {
	case color.GrayModel, color.AlphaModel:
		bpp = 1
	case color.Gray16Model, color.Alpha16Model:
		bpp = 2
	case color.YCbCrModel:
		bpp = 3 // 4:4:4 at most
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		bpp = 4
	}
	if _, ok := cfg.ColorModel.(color.Palette); ok {
		bpp = 1
	}
	n := pixels * bpp
	if turn {
		n += 2 * pixels * 4
	}
	return n
}

// Upload is a file of a form, checked and ready to store: an image decoded
// and encoded again, so that EXIF (GPS position, device) and every other
// piece of metadata is gone; a PDF as sent. It lives in a temporary file
// until the form is saved or refused.
type Upload struct {
	Name, ContentType string
	Size              int64
	File              *os.File // read from its start
}

// Close removes the upload's temporary file.
func (u *Upload) Close() {
	u.File.Close()
	os.Remove(u.File.Name())
}

// refusedFile is why a file is refused, to show next to the field.
type refusedFile struct {
	key  string
	args []any
}

func (e *refusedFile) Error() string { return fmt.Sprintf("file refused: %s %v", e.key, e.args) }

func (e *refusedFile) message(l *i18n.Printer) string { return l.T(e.key, e.args...) }

// ReadUpload reads one file of a form, up to UploadMaxBytes, and
// checks what it is by its content (not its name, nor the type the
// browser gave). A file refused for what it is comes back as a
// refusal (see Refused), once the rest of it is read; any other error means the
// request itself failed.
func (k *Kit) ReadUpload(ctx context.Context, part io.Reader, filename string) (*Upload, error) {
	shown := displayName(filename)
	raw, err := os.CreateTemp("", "agora-upload-*")
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			raw.Close()
			os.Remove(raw.Name())
		}
	}()
	n, err := io.Copy(raw, io.LimitReader(part, UploadMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if n > UploadMaxBytes {
		if _, err := io.Copy(io.Discard, part); err != nil {
			return nil, fmt.Errorf("read upload: %w", err)
		}
		return nil, &refusedFile{"attachment.error.size", []any{shown, UploadMaxBytes >> 20}}
	}
	if n == 0 {
		return nil, &refusedFile{"attachment.error.empty", []any{shown}}
	}
	head := make([]byte, 512)
	m, err := raw.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	ct := http.DetectContentType(head[:m])
	switch ct {
	case "application/pdf":
		if _, err := raw.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read upload: %w", err)
		}
		keep = true
		return &Upload{Name: storedName(filename, ct), ContentType: ct, Size: n, File: raw}, nil
	case "image/jpeg", "image/png":
		u, err := k.cleanImage(ctx, raw, ct, shown)
		if err != nil {
			return nil, err
		}
		u.Name = storedName(filename, ct)
		return u, nil
	}
	return nil, &refusedFile{"attachment.error.type", []any{shown}}
}

// cleanImage decodes an image and encodes it again into a new temporary
// file, turned the way its EXIF orientation says, with no metadata.
func (k *Kit) cleanImage(ctx context.Context, raw *os.File, ct, shown string) (*Upload, error) {
	decodeConfig, decode := jpeg.DecodeConfig, jpeg.Decode
	if ct == "image/png" {
		decodeConfig, decode = png.DecodeConfig, png.Decode
	}
	if _, err := raw.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	cfg, err := decodeConfig(bufio.NewReader(raw))
	if err != nil {
		return nil, &refusedFile{"attachment.error.broken", []any{shown}}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > UploadMaxPixels {
		return nil, &refusedFile{"attachment.error.pixels", []any{shown, UploadMaxPixels / 1_000_000}}
	}
	orientation := 1
	if ct == "image/jpeg" {
		orientation = exifOrientation(raw)
	}
	need := imageMemory(cfg, orientation > 1)
	if need > imageMemoryMax {
		return nil, &refusedFile{"attachment.error.memory", []any{shown}}
	}
	if err := k.images.Acquire(ctx, need); err != nil {
		return nil, err
	}
	defer k.images.Release(need)
	if _, err := raw.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	img, err := decode(bufio.NewReader(raw))
	if err != nil {
		return nil, &refusedFile{"attachment.error.broken", []any{shown}}
	}
	img = orient(img, orientation)
	out, err := os.CreateTemp("", "agora-upload-*")
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	u := &Upload{ContentType: ct, File: out}
	bw := bufio.NewWriter(out)
	if ct == "image/jpeg" {
		err = jpeg.Encode(bw, img, &jpeg.Options{Quality: 90})
	} else {
		err = png.Encode(bw, img)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		u.Size, err = out.Seek(0, io.SeekCurrent)
	}
	if err == nil {
		_, err = out.Seek(0, io.SeekStart)
	}
	if err != nil {
		u.Close()
		return nil, fmt.Errorf("encode image: %w", err)
	}
	return u, nil
}

// displayName is a file's name as sent, fit to quote in a message.
func displayName(filename string) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, path.Base(strings.ReplaceAll(filename, `\`, "/")))
	if utf8.RuneCountInString(name) > 80 {
		name = string([]rune(name)[:80]) + "…"
	}
	if name == "" || name == "." || name == "/" {
		return "?"
	}
	return strings.TrimSpace(name)
}

// storedName is the name a file is served with: its name as sent, with
// the extension of what it really is.
func storedName(filename, ct string) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[ct]
	base := displayName(filename)
	base = strings.TrimSuffix(base, "…")
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.Trim(base, ". ")
	if base == "" || base == "?" {
		base = "file"
	}
	return base + ext
}

// Refused reports whether err is a refused file, and its message.
func Refused(err error, l *i18n.Printer) (string, bool) {
	var rf *refusedFile
	if errors.As(err, &rf) {
		return rf.message(l), true
	}
	return "", false
}
