package fetch

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"
)

const acceptAS2 = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

var jsonTypes = map[string]bool{
	"application/activity+json": true,
	"application/ld+json":       true,
	"application/json":          true,
	"application/jrd+json":      true, // WebFinger
}

// Document GETs an ActivityStreams document, signed by s when s is not nil
// (authorized fetch). It returns the body and the URL it came from after
// redirects. Refusals wrap ErrBadURL, ErrPrivateAddress, ErrTooManyRedirects,
// ErrNotJSON, ErrTooLarge or a *StatusError.
func (c *Client) Document(ctx context.Context, rawURL string, s Signer) ([]byte, *url.URL, error) {
	u, err := c.parseURL(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch: GET %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel() // after the body is read: the deadline covers it too

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch: GET %s: %w", u.Redacted(), err)
	}
	req.Header.Set("Accept", acceptAS2)
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if s != nil {
		if err := sign(req, s, nil); err != nil {
			return nil, nil, fmt.Errorf("fetch: GET %s: %w", u.Redacted(), err)
		}
	}
	// A client per call: the redirect policy needs this call's signer.
	hc := &http.Client{Transport: c.transport, CheckRedirect: c.redirect(s)}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch: %w", err) // *url.Error names the method and URL
	}
	defer resp.Body.Close()
	final := resp.Request.URL

	body, err := c.readDocument(resp)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch: GET %s: %w", final.Redacted(), err)
	}
	return body, final, nil
}

// redirect limits the hops, applies the URL rules to each target and
// re-signs for the new host.
func (c *Client) redirect(s Signer) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > c.cfg.MaxRedirects {
			return fmt.Errorf("%w (more than %d)", ErrTooManyRedirects, max(c.cfg.MaxRedirects, 0))
		}
		if err := c.checkURL(req.URL); err != nil {
			return err
		}
		if s == nil {
			return nil
		}
		return sign(req, s, nil)
	}
}

// readDocument checks status and type before reading, then reads at most
// MaxBody bytes: a larger document is an error, never a truncated one.
func (c *Client) readDocument(resp *http.Response) ([]byte, error) {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
		return nil, statusError(resp, time.Now())
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || !jsonTypes[mt] {
		return nil, fmt.Errorf("%w: Content-Type %q", ErrNotJSON, ct)
	}
	limit := c.cfg.MaxBody
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes declared, limit %d", ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, limit)
	}
	return body, nil
}
