package xendit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxBody caps how much of a response is read.
const maxBody = 8 << 20

// request is one API call.
type request struct {
	method string
	path   string     // already escaped, such as "/invoices/579c…/expire!"
	query  url.Values // may be nil
	body   any        // sent as JSON when not nil
	header http.Header
	retry  bool // the call is idempotent, so it may be sent again
}

// transportError is a request that got no HTTP response, or lost it halfway.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// do sends r, retrying as the retry policy allows, and decodes a 2xx body into out (when not nil).
func (c *Client) do(ctx context.Context, r request, out any) error {
	payload, err := marshalBody(r.body)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := c.attempt(ctx, r, payload, out)
		wait, again := c.retryDelay(ctx, r, attempt, err)
		if !again {
			return err
		}
		c.logRetry(ctx, r, attempt, wait, err)
		if serr := c.cfg.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (retry abandoned: %v)", err, serr)
		}
	}
}

// attempt sends r once.
func (c *Client) attempt(ctx context.Context, r request, payload []byte, out any) error {
	req, err := c.newRequest(ctx, r, payload)
	if err != nil {
		return err
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return &transportError{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return &transportError{err: fmt.Errorf("read response: %w", err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeError(resp.StatusCode, resp.Header, body, c.cfg.SecretKey)
	}
	if out == nil {
		return nil
	}
	if err := decodeJSON(body, out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// newRequest builds the HTTP request for r: Basic auth with the secret key as the username and
// an empty password, JSON both ways.
func (c *Client) newRequest(ctx context.Context, r request, payload []byte) (*http.Request, error) {
	u := c.cfg.BaseURL + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	req.SetBasicAuth(c.cfg.SecretKey, "")
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// marshalBody encodes a request body, or returns nil for none.
func marshalBody(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return b, nil
}

// pathf builds a request path, escaping each argument as one path segment.
func pathf(format string, ids ...string) string {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = url.PathEscape(id)
	}
	return fmt.Sprintf(format, args...)
}

// errEmptyID is returned before any request when a call is given an empty ID.
var errEmptyID = errors.New("empty id")
