package wacloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak/bot"
)

// Graph API error codes Lapak acts on
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
const (
	CodeInvalidParameter = 100    // a field of the request is wrong
	CodeTokenExpired     = 190    // the access token expired or was revoked
	CodeAppRateLimit     = 4      // the app made too many API calls
	CodeAccountRateLimit = 80007  // the WhatsApp Business Account made too many API calls
	CodeThroughput       = 130429 // the number sends more messages a second than it may
	CodeReengagement     = 131047 // more than 24 hours passed since the user last wrote
	CodePairRateLimit    = 131056 // too many messages to the same user in a short time
)

// APIError is an error answer of the Graph API. Meta asks to build logic on Code and Details,
// not on Message.
type APIError struct {
	Status  int    // the HTTP status
	Code    int    // error.code, such as 131047
	Subcode int    // error.error_subcode
	Type    string // error.type, such as OAuthException
	Message string // error.message
	Details string // error.error_data.details
	TraceID string // error.fbtrace_id, for Meta's support
}

// Error tells the status, the code, Meta's message and its details.
func (e *APIError) Error() string {
	s := fmt.Sprintf("graph api status %d: (#%d) %s", e.Status, e.Code, e.Message)
	if e.Details != "" {
		s += ": " + e.Details
	}
	return s
}

// errorEnvelope is how the Graph API answers an error.
type errorEnvelope struct {
	Error struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		Subcode   int    `json:"error_subcode"`
		TraceID   string `json:"fbtrace_id"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"error"`
}

// maxAnswer caps how much of a Graph API answer is read.
const maxAnswer = 1 << 20

// call makes one Graph API request to path (below APIURL) and decodes a successful answer into
// out, when out is not nil. A rate limit comes back as *bot.RetryAfterError wrapping the
// *APIError; the token never appears in what it returns.
func (a *Adapter) call(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, a.cfg.APIURL+path, bytes.NewReader(body))
	if err != nil {
		return a.redact(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.cfg.Token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return a.redact(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return a.redact(fmt.Errorf("read answer: %w", err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return a.apiError(resp, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// postJSON posts v as JSON to path.
func (a *Adapter) postJSON(ctx context.Context, path string, v, out any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	return a.call(ctx, http.MethodPost, path, "application/json", body, out)
}

// sendMessage posts m to the messages endpoint and returns the ID Meta gave it.
func (a *Adapter) sendMessage(ctx context.Context, m outMessage) (string, error) {
	var resp sendResponse
	if err := a.postJSON(ctx, "/"+a.cfg.PhoneNumberID+"/messages", m, &resp); err != nil {
		return "", err
	}
	if len(resp.Messages) == 0 {
		return "", nil
	}
	return resp.Messages[0].ID, nil
}

// upload stores a file with Meta and returns its media ID, valid for 30 days
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#upload-media).
func (a *Adapter) upload(ctx context.Context, name, mimeType string, data []byte) (string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("messaging_product", "whatsapp")
	_ = w.WriteField("type", mimeType)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+quoteEscaper.Replace(name)+`"`)
	h.Set("Content-Type", mimeType)
	part, err := w.CreatePart(h)
	if err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	if _, err := part.Write(data); err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	var resp struct {
		ID string `json:"id"`
	}
	if err := a.call(ctx, http.MethodPost, "/"+a.cfg.PhoneNumberID+"/media", w.FormDataContentType(), buf.Bytes(), &resp); err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	if resp.ID == "" {
		return "", fmt.Errorf("upload %s: answer has no media id", name)
	}
	return resp.ID, nil
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// MarkRead marks a user's message read and shows "typing…" in the chat until the next message
// Lapak sends there, or for 25 seconds.
func (a *Adapter) MarkRead(ctx context.Context, messageID string) error {
	r := readReceipt{MessagingProduct: "whatsapp", Status: "read", MessageID: messageID, TypingIndicator: &typing{Type: "text"}}
	if err := a.postJSON(ctx, "/"+a.cfg.PhoneNumberID+"/messages", r, nil); err != nil {
		return fmt.Errorf("mark %s read: %w", messageID, err)
	}
	return nil
}

// apiError decodes an error answer. Rate limits become *bot.RetryAfterError.
func (a *Adapter) apiError(resp *http.Response, raw []byte) error {
	e := &APIError{Status: resp.StatusCode}
	var env errorEnvelope
	if json.Unmarshal(raw, &env) == nil && (env.Error.Code != 0 || env.Error.Message != "") {
		e.Code, e.Subcode, e.Type, e.TraceID = env.Error.Code, env.Error.Subcode, env.Error.Type, env.Error.TraceID
		e.Message, e.Details = a.hide(env.Error.Message), a.hide(env.Error.ErrorData.Details)
	} else {
		e.Message = http.StatusText(resp.StatusCode)
	}
	if wait, ok := rateLimitWait(e, resp.Header.Get("Retry-After")); ok {
		return &bot.RetryAfterError{After: wait, Err: e}
	}
	return e
}

// rateLimitWait tells whether e is a rate limit, and how long to wait before trying again. Meta
// gives no wait, so it is picked per limit: the pair rate allows about one message every 6
// seconds to the same user; throughput is counted per second; the API call limits are hourly.
func rateLimitWait(e *APIError, retryAfter string) (time.Duration, bool) {
	switch e.Code {
	case CodePairRateLimit:
		return 6 * time.Second, true
	case CodeThroughput:
		return 2 * time.Second, true
	case CodeAppRateLimit, CodeAccountRateLimit:
		return time.Minute, true
	}
	if e.Status != http.StatusTooManyRequests {
		return 0, false
	}
	if s, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && s > 0 {
		return time.Duration(s) * time.Second, true
	}
	return 5 * time.Second, true
}

const redactedToken = "<token>"

// hide removes the token from a text.
func (a *Adapter) hide(s string) string {
	if a.cfg.Token == "" {
		return s
	}
	return strings.ReplaceAll(s, a.cfg.Token, redactedToken)
}

// redact hides the token in err's text, should a transport error ever carry it. The result
// unwraps to the first error of the chain that does not hold it, so errors.Is still finds
// context.Canceled and net errors.
func (a *Adapter) redact(err error) error {
	if a.cfg.Token == "" || !strings.Contains(err.Error(), a.cfg.Token) {
		return err
	}
	cause := errors.Unwrap(err)
	for cause != nil && strings.Contains(cause.Error(), a.cfg.Token) {
		cause = errors.Unwrap(cause)
	}
	return &redactedError{msg: a.hide(err.Error()), cause: cause}
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }
