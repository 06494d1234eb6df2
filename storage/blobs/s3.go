package blobs

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// s3Config is what an s3:// URL says.
type s3Config struct {
	endpoint       string // host[:port]
	access, secret string
	bucket, prefix string // prefix has no leading or trailing slash
	secure         bool
	region         string
}

// String names the bucket without the keys, for error messages.
func (c s3Config) String() string {
	return "s3://" + path.Join(c.endpoint, c.bucket, c.prefix)
}

// parseS3URL parses "s3://ACCESS:SECRET@HOST[:PORT]/BUCKET[/PREFIX][?secure=false][&region=R]".
//
// The keys are split off by hand at the last '@' rather than by url.Parse:
// S3 secret keys often hold '/' and '+', which url.Parse would misread
// unless percent-encoded, and its errors quote the URL, secret included.
// Percent-encoded keys are decoded.
func parseS3URL(raw string) (s3Config, error) {
	const want = "want s3://ACCESS:SECRET@HOST[:PORT]/BUCKET[/PREFIX][?secure=false][&region=R]"
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || !strings.EqualFold(scheme, "s3") {
		return s3Config{}, fmt.Errorf("s3 blob URL must start with s3:// (%s)", want)
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return s3Config{}, fmt.Errorf("s3 blob URL has no access and secret key (%s)", want)
	}
	userinfo, hostPath := rest[:at], rest[at+1:]
	var c s3Config
	access, secret, ok := strings.Cut(userinfo, ":")
	if !ok || access == "" || secret == "" {
		return s3Config{}, fmt.Errorf("s3 blob URL needs both an access and a secret key (%s)", want)
	}
	var err1, err2 error
	c.access, err1 = url.PathUnescape(access)
	c.secret, err2 = url.PathUnescape(secret)
	if err1 != nil || err2 != nil {
		// Not wrapped: the error would quote part of the key.
		return s3Config{}, errors.New("s3 blob URL: bad percent-encoding in the access or secret key")
	}

	u, err := url.Parse("s3://" + hostPath) // the keys are gone: errors may quote it
	if err != nil {
		return s3Config{}, fmt.Errorf("s3 blob URL: %w", err)
	}
	if u.Host == "" {
		return s3Config{}, fmt.Errorf("s3 blob URL has no host (%s)", want)
	}
	c.endpoint = u.Host
	c.bucket, c.prefix, _ = strings.Cut(strings.Trim(u.Path, "/"), "/")
	c.prefix = strings.Trim(c.prefix, "/")
	if c.bucket == "" {
		return s3Config{}, fmt.Errorf("s3 blob URL has no bucket (%s)", want)
	}
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return s3Config{}, fmt.Errorf("s3 blob URL: %w", err)
	}
	c.secure = true
	for k, v := range query {
		switch k {
		case "secure":
			if c.secure, err = strconv.ParseBool(v[0]); err != nil {
				return s3Config{}, fmt.Errorf("s3 blob URL: secure=%q is not true or false", v[0])
			}
		case "region":
			c.region = v[0]
		default:
			return s3Config{}, fmt.Errorf("s3 blob URL: unknown parameter %q (want secure or region)", k)
		}
	}
	return c, nil
}

// maxSinglePut is the largest object S3 takes in one PUT.
const maxSinglePut = 5 << 30

// s3Store keeps blob <key> as object <prefix>/sha256/<key>.
//
// Put spools to a local file while hashing, then uploads the file under its
// final name. The other way, uploading under a temporary name and then
// copying server-side, writes every blob twice on the server (a copy is a
// full rewrite in S3), needs a multipart copy past 5 GiB, leaves temporary
// objects behind after a crash, and streaming an unknown size makes minio-go
// buffer whole parts in memory. Knowing the hash first lets Put skip the
// upload when the blob already exists, and send the object in one PUT
// signed with its hash, which S3 verifies.
type s3Store struct {
	client   *minio.Client
	cfg      s3Config
	spoolDir string
}

// openS3 connects and checks the bucket exists. It never creates it: in
// production a missing bucket is a configuration mistake to report.
func openS3(ctx context.Context, cfg s3Config, spoolDir string) (*s3Store, error) {
	client, err := minio.New(cfg.endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.access, cfg.secret, ""),
		Secure:       cfg.secure,
		Region:       cfg.region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("open blob store %s: %w", cfg, err)
	}
	ok, err := client.BucketExists(ctx, cfg.bucket)
	if err != nil {
		return nil, fmt.Errorf("open blob store %s: %w", cfg, err)
	}
	if !ok {
		return nil, fmt.Errorf("open blob store %s: bucket %q does not exist (create it first)", cfg, cfg.bucket)
	}
	if err := os.MkdirAll(spoolDir, 0o700); err != nil {
		return nil, fmt.Errorf("open blob store %s: spool directory: %w", cfg, err)
	}
	if err := checkWritable(spoolDir); err != nil {
		return nil, fmt.Errorf("open blob store %s: spool directory: %w", cfg, err)
	}
	sweepTemp(spoolDir)
	return &s3Store{client: client, cfg: cfg, spoolDir: spoolDir}, nil
}

// object returns the object name of a key, or of any name under the prefix.
func (s *s3Store) object(elem ...string) string {
	return path.Join(append([]string{s.cfg.prefix}, elem...)...)
}

func (s *s3Store) Put(ctx context.Context, r io.Reader) (Info, error) {
	f, info, err := spool(ctx, s.spoolDir, r, false) // read back soon, then deleted: no need to reach the disk
	if err != nil {
		return Info{}, fmt.Errorf("put blob: %w", err)
	}
	defer discard(f)
	name := s.object("sha256", info.Key)
	// S3 writes are atomic, so an object of the right size is the blob.
	oi, err := s.client.StatObject(ctx, s.cfg.bucket, name, minio.StatObjectOptions{})
	switch {
	case err == nil && oi.Size == info.Size:
		return info, nil
	case err != nil && !isNotFound(err):
		return Info{}, fmt.Errorf("put blob %s: %w", info.Key, err)
	}
	body := io.NewSectionReader(f, 0, info.Size)
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	if info.Size <= maxSinglePut {
		// The key is the content's SHA-256: sent as the signed payload
		// hash, it makes S3 check the bytes it stores against it, and
		// spares hashing the file a second time for minio-go's streaming
		// signature (used on plain http).
		opts.DisableContentSha256 = true
		_, err = minio.Core{Client: s.client}.PutObject(ctx, s.cfg.bucket, name, body, info.Size, "", info.Key, opts)
	} else {
		// Past S3's limit for one PUT: a multipart upload. The
		// SectionReader keeps the ReaderAt that minio-go needs to read
		// parts in parallel without buffering them; PartSize 0 lets it
		// choose (16 MiB or more, so any size fits in 10,000 parts).
		_, err = s.client.PutObject(ctx, s.cfg.bucket, name, body, info.Size, opts)
	}
	if err != nil {
		return Info{}, fmt.Errorf("put blob %s: %w", info.Key, err)
	}
	return info, nil
}

func (s *s3Store) Stat(ctx context.Context, key string) (Info, error) {
	if err := checkKey(key); err != nil {
		return Info{}, fmt.Errorf("stat blob: %w", err)
	}
	oi, err := s.client.StatObject(ctx, s.cfg.bucket, s.object("sha256", key), minio.StatObjectOptions{})
	if isNotFound(err) {
		return Info{}, fmt.Errorf("stat blob %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return Info{}, fmt.Errorf("stat blob %s: %w", key, err)
	}
	return Info{Key: key, Size: oi.Size}, nil
}

// Open stats the object, so that a missing blob fails here rather than at
// the first Read, and returns a reader that fetches lazily.
func (s *s3Store) Open(ctx context.Context, key string) (Object, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return &s3Object{ctx: ctx, core: minio.Core{Client: s.client}, bucket: s.cfg.bucket,
		name: s.object("sha256", key), info: info}, nil
}

func (s *s3Store) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("delete blob: %w", err)
	}
	// S3 reports success for an absent object, which matches our contract.
	if err := s.client.RemoveObject(ctx, s.cfg.bucket, s.object("sha256", key), minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}

// Ping writes, reads back and removes a small object under <prefix>/ping/,
// named at random so that processes sharing the bucket do not interfere,
// and checks the spool directory Put needs is writable.
func (s *s3Store) Ping(ctx context.Context) error {
	if err := checkWritable(s.spoolDir); err != nil {
		return fmt.Errorf("ping blob store %s: %w", s.cfg, err)
	}
	name := s.object("ping", rand.Text())
	want := []byte("ping")
	if _, err := s.client.PutObject(ctx, s.cfg.bucket, name, bytes.NewReader(want), int64(len(want)),
		minio.PutObjectOptions{}); err != nil {
		return fmt.Errorf("ping blob store %s: write: %w", s.cfg, err)
	}
	defer s.client.RemoveObject(context.WithoutCancel(ctx), s.cfg.bucket, name, minio.RemoveObjectOptions{})
	body, _, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.cfg.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return fmt.Errorf("ping blob store %s: read: %w", s.cfg, err)
	}
	defer body.Close()
	got, err := io.ReadAll(io.LimitReader(body, 64))
	if err != nil {
		return fmt.Errorf("ping blob store %s: read: %w", s.cfg, err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("ping blob store %s: read back %q, wrote %q", s.cfg, got, want)
	}
	return nil
}

// isNotFound reports whether err is S3's "no such key".
func isNotFound(err error) bool {
	var e minio.ErrorResponse
	return errors.As(err, &e) && e.Code == minio.NoSuchKey
}

// s3Object reads a blob with ranged GETs. It keeps its own offset rather
// than return a *minio.Object: the blob's size is already known, so Seek
// (which http.ServeContent calls first, to the end) needs no request, where
// *minio.Object would send another HEAD; and reads go straight to the HTTP
// body instead of through minio-go's per-object goroutine.
type s3Object struct {
	ctx          context.Context
	core         minio.Core
	bucket, name string
	info         Info
	off          int64
	body         io.ReadCloser // response from off onwards; nil until the next Read
}

func (o *s3Object) Info() Info { return o.info }

func (o *s3Object) Read(p []byte) (int, error) {
	if o.off >= o.info.Size {
		return 0, io.EOF
	}
	if o.body == nil {
		var opts minio.GetObjectOptions
		if o.off > 0 {
			opts.SetRange(o.off, 0) // "bytes=off-": the rest of the blob
		}
		body, _, _, err := o.core.GetObject(o.ctx, o.bucket, o.name, opts)
		if isNotFound(err) {
			return 0, fmt.Errorf("read blob %s: %w", o.info.Key, ErrNotFound)
		}
		if err != nil {
			return 0, fmt.Errorf("read blob %s: %w", o.info.Key, err)
		}
		o.body = body
	}
	n, err := o.body.Read(p)
	o.off += int64(n)
	if err == io.EOF && o.off < o.info.Size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("read blob %s: %w", o.info.Key, err)
	}
	return n, err
}

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.off
	case io.SeekEnd:
		offset += o.info.Size
	default:
		return 0, fmt.Errorf("seek blob %s: invalid whence %d", o.info.Key, whence)
	}
	if offset < 0 {
		return 0, fmt.Errorf("seek blob %s: negative position %d", o.info.Key, offset)
	}
	if offset != o.off && o.body != nil {
		// The open response streams from the old offset: drop it, the next
		// Read asks for a new range.
		o.body.Close()
		o.body = nil
	}
	o.off = offset
	return offset, nil
}

func (o *s3Object) Close() error {
	if o.body == nil {
		return nil
	}
	err := o.body.Close()
	o.body = nil
	return err
}
