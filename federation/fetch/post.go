package fetch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Post delivers an activity to an inbox, signed by s. It returns nil for a
// 2xx; otherwise Permanent(err) tells whether a retry makes sense, and a
// *StatusError carries the status and Retry-After. Redirects are not
// followed.
func (c *Client) Post(ctx context.Context, inbox string, body []byte, s Signer) error {
	u, err := c.parseURL(inbox)
	if err != nil {
		return fmt.Errorf("fetch: POST %w", err)
	}
	if s == nil {
		return fmt.Errorf("fetch: POST %s: %w", u.Redacted(), ErrNoSigner)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("fetch: POST %s: %w", u.Redacted(), err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Accept", acceptAS2)
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if err := sign(req, s, body); err != nil {
		return fmt.Errorf("fetch: POST %s: %w", u.Redacted(), err)
	}
	resp, err := c.post.Do(req)
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	defer resp.Body.Close()
	// Nobody reads an inbox's answer; a little is drained so a short reply
	// leaves the connection reusable, and a long one cannot hold us.
	io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	return fmt.Errorf("fetch: POST %s: %w", u.Redacted(), statusError(resp, time.Now()))
}
