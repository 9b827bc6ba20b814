package xendit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Error codes Lapak branches on. Xendit asks clients to branch on the code, never on the HTTP
// status alone. See https://docs.xendit.co/apidocs/create-invoice and
// https://docs.xendit.co/apidocs/create-payout (errors).
const (
	CodeAPIValidation         = "API_VALIDATION_ERROR"
	CodeInvalidJSON           = "INVALID_JSON_FORMAT"
	CodeInvalidAPIKey         = "INVALID_API_KEY"
	CodeRequestForbidden      = "REQUEST_FORBIDDEN_ERROR"
	CodeRateLimitExceeded     = "RATE_LIMIT_EXCEEDED"
	CodeServerError           = "SERVER_ERROR"
	CodeMinimalTransferAmount = "MINIMAL_TRANSFER_AMOUNT_ERROR"
	CodeMaximumTransferAmount = "MAXIMUM_TRANSFER_AMOUNT_ERROR"
	CodeUnavailablePayment    = "UNAVAILABLE_PAYMENT_METHOD_ERROR"
	CodeInvoiceNotFound       = "INVOICE_NOT_FOUND_ERROR"
	CodeDuplicate             = "DUPLICATE_ERROR"
	CodeDataNotFound          = "DATA_NOT_FOUND"
	CodeChannelNotSupported   = "CHANNEL_CODE_NOT_SUPPORTED"
	CodeMinimumTransferLimit  = "MINIMUM_TRANSFER_LIMIT_ERROR"
	CodeMaximumTransferLimit  = "MAXIMUM_TRANSFER_LIMIT_ERROR"
)

// Error is a non-2xx answer from Xendit, decoded from the error body described in
// https://docs.xendit.co/apidocs/create-payout (errors). Code is empty when the body was not
// Xendit's JSON (a proxy's HTML page, say); Status is always set.
type Error struct {
	Status     int               // HTTP status
	Code       string            // error_code, such as DUPLICATE_ERROR
	Message    string            // message or error_message
	Errors     []json.RawMessage // details: strings on some APIs, {path, message} objects on payouts
	RetryAfter time.Duration     // on a 429 or 503, the wait the server asked for; 0 when it gave none
}

// Error returns the status, the code and the message.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "xendit: %d", e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Temporary reports whether the same request may succeed later: rate limiting and server errors.
func (e *Error) Temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// IsCode reports whether err is, or wraps, an *Error with the given error_code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// OutcomeUnknown reports whether a failed call may still have taken effect at Xendit: no answer
// came (a timeout, a dropped connection) or Xendit answered 5xx. After a CreateInvoice that fails
// this way, look the invoice up by external_id before creating another. A 4xx, including a 429,
// means the request was refused and nothing was created.
func OutcomeUnknown(err error) bool {
	var netErr *transportError
	if errors.As(err, &netErr) {
		return true
	}
	e, ok := AsError(err)
	return ok && e.Status >= 500
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// decodeError turns a non-2xx response into an *Error. Like Xendit's own SDK it takes the code
// from error_code, errorCode or error, and the text from message, error_message or errorMessage.
// Any trace of secret in the body is masked.
func decodeError(status int, h http.Header, body []byte, secret string) *Error {
	e := &Error{Status: status, RetryAfter: retryAfter(status, h)}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		e.Message = plainMessage(status, body)
	} else {
		e.Code = firstString(fields, "error_code", "errorCode", "error")
		e.Message = firstString(fields, "message", "error_message", "errorMessage")
		e.Errors = rawList(fields["errors"])
	}
	return e.redact(secret)
}

// firstString returns the first of keys whose value is a JSON string.
func firstString(fields map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		var s string
		if json.Unmarshal(fields[k], &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

// rawList splits a JSON array into its elements; any other value becomes a list of one.
func rawList(raw json.RawMessage) []json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	return []json.RawMessage{raw}
}

// plainMessage is the text of a body that is not JSON: its first line, cut short, or the status
// text when the body is empty or binary.
func plainMessage(status int, body []byte) string {
	line, _, _ := bytes.Cut(bytes.TrimSpace(body), []byte("\n"))
	if len(line) == 0 || !utf8.Valid(line) {
		return http.StatusText(status)
	}
	const max = 200
	if len(line) > max {
		line = append(line[:max:max], "…"...)
	}
	return string(line)
}

// redact masks secret in the message and the details.
func (e *Error) redact(secret string) *Error {
	if secret == "" {
		return e
	}
	e.Message = strings.ReplaceAll(e.Message, secret, "[redacted]")
	for i, raw := range e.Errors {
		e.Errors[i] = bytes.ReplaceAll(raw, []byte(secret), []byte("[redacted]"))
	}
	return e
}
