package xendit

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CallbackTokenHeader carries the account's webhook verification token on every callback
// (https://docs.xendit.co/apidocs/webhook-behavior).
const CallbackTokenHeader = "x-callback-token"

// Payout callback events (https://docs.xendit.co/apidocs/payout-webhook-notification).
const (
	EventPayoutSucceeded = "payout.succeeded"
	EventPayoutFailed    = "payout.failed"
	EventPayoutReversed  = "payout.reversed"
)

// PayoutEvent is the body of a payout callback.
type PayoutEvent struct {
	Event      string    `json:"event"`       // EventPayoutSucceeded, EventPayoutFailed or EventPayoutReversed
	BusinessID string    `json:"business_id"` // the account the payout belongs to
	Created    time.Time `json:"created"`
	Data       Payout    `json:"data"`
}

// VerifyCallbackToken reports whether got, the x-callback-token header of a callback, equals
// want, the verification token from Xendit's dashboard. It compares in constant time and
// refuses everything when want is empty, so a missing setting cannot open the endpoint.
func VerifyCallbackToken(got, want string) bool {
	if want == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// ParseInvoiceCallback decodes an invoice callback body (sent when an invoice is paid or
// expires). Callbacks may repeat and arrive out of order; Xendit advises fetching the invoice
// with GetInvoice and trusting that over the body.
func ParseInvoiceCallback(body []byte) (*Invoice, error) {
	var inv Invoice
	if err := decodeJSON(body, &inv); err != nil {
		return nil, fmt.Errorf("parse invoice callback: %w", err)
	}
	if inv.ID == "" || inv.Status == "" {
		return nil, errors.New("parse invoice callback: no id or status")
	}
	return &inv, nil
}

// ParsePayoutCallback decodes a Payouts v2 callback envelope. It refuses other events, such as
// the v3_payout.* events of the newer Payouts API, whose data has another shape.
func ParsePayoutCallback(body []byte) (*PayoutEvent, error) {
	var ev PayoutEvent
	if err := decodeJSON(body, &ev); err != nil {
		return nil, fmt.Errorf("parse payout callback: %w", err)
	}
	if !strings.HasPrefix(ev.Event, "payout.") {
		return nil, fmt.Errorf("parse payout callback: unexpected event %q", ev.Event)
	}
	if ev.Data.ID == "" || ev.Data.Status == "" {
		return nil, errors.New("parse payout callback: no payout id or status")
	}
	return &ev, nil
}
