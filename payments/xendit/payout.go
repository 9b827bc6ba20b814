package xendit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/lapak-id/lapak"
)

// PayoutStatus is where a payout stands (https://docs.xendit.co/docs/payout-status-lifecycle).
// Creation always answers ACCEPTED; the final status arrives by callback.
type PayoutStatus string

// Payout statuses. SUCCEEDED may later turn into REVERSED.
const (
	PayoutAccepted  PayoutStatus = "ACCEPTED"  // not yet sent to the bank; cancellable
	PayoutRequested PayoutStatus = "REQUESTED" // sent to the bank
	PayoutSucceeded PayoutStatus = "SUCCEEDED"
	PayoutFailed    PayoutStatus = "FAILED" // see Payout.FailureCode
	PayoutCancelled PayoutStatus = "CANCELLED"
	PayoutReversed  PayoutStatus = "REVERSED" // bounced after success; the money is back in the balance
)

// Payout failure codes (Payout.FailureCode), from https://docs.xendit.co/apidocs/create-payout.
// A payout retried after FAILED needs a new Idempotency-key.
const (
	FailureInsufficientBalance     = "INSUFFICIENT_BALANCE"       // retry after a top-up
	FailureInvalidDestination      = "INVALID_DESTINATION"        // do not retry; check the account
	FailureRejectedByChannel       = "REJECTED_BY_CHANNEL"        // retry after checking the account
	FailureTemporaryTransferError  = "TEMPORARY_TRANSFER_ERROR"   // retry in 1 to 3 hours
	FailureTransferError           = "TRANSFER_ERROR"             // do not retry
	FailureUnknownBankNetworkError = "UNKNOWN_BANK_NETWORK_ERROR" // the bank did not say
	FailureDestinationMaximumLimit = "DESTINATION_MAXIMUM_LIMIT"  // do not retry
	FailureAccountNameMismatch     = "ACCOUNT_NAME_MISMATCH"      // do not retry
)

// CreatePayoutRequest is the body of POST /v2/payouts (https://docs.xendit.co/apidocs/create-payout).
type CreatePayoutRequest struct {
	ReferenceID         string               `json:"reference_id"` // Lapak's reference; need not be unique
	ChannelCode         string               `json:"channel_code"` // such as ID_BCA or ID_DANA; see PayoutChannels
	ChannelProperties   ChannelProperties    `json:"channel_properties"`
	Amount              lapak.Money          `json:"amount"`
	Currency            string               `json:"currency"`              // default IDR
	Description         string               `json:"description,omitempty"` // on the bank statement; BCA shows 15 characters
	ReceiptNotification *ReceiptNotification `json:"receipt_notification,omitempty"`
	Metadata            map[string]string    `json:"metadata,omitempty"`
}

// ChannelProperties names the destination account.
type ChannelProperties struct {
	AccountNumber     string `json:"account_number"`                // bank account, or 08… mobile number for an e-wallet
	AccountHolderName string `json:"account_holder_name,omitempty"` // must match the bank's record exactly
	AccountType       string `json:"account_type,omitempty"`        // unused for IDR
}

// ReceiptNotification lists who gets an email receipt, up to three addresses each.
type ReceiptNotification struct {
	EmailTo  []string `json:"email_to,omitempty"`
	EmailCC  []string `json:"email_cc,omitempty"`
	EmailBCC []string `json:"email_bcc,omitempty"`
}

// Payout is Xendit's payout as returned by create, get, list and cancel, and as the data of a
// payout callback. Unknown fields are ignored.
type Payout struct {
	ID                   string            `json:"id"` // disb-…
	ReferenceID          string            `json:"reference_id"`
	BusinessID           string            `json:"business_id"`
	ChannelCode          string            `json:"channel_code"`
	ChannelProperties    ChannelProperties `json:"channel_properties"`
	Amount               lapak.Money       `json:"amount"`
	Currency             string            `json:"currency"`
	Description          string            `json:"description"`
	Status               PayoutStatus      `json:"status"`
	FailureCode          string            `json:"failure_code"`
	EstimatedArrivalTime time.Time         `json:"estimated_arrival_time"`
	Created              time.Time         `json:"created"`
	Updated              time.Time         `json:"updated"`
	Metadata             json.RawMessage   `json:"metadata"`
}

// maxIdempotencyKey is the longest Idempotency-key Xendit accepts.
const maxIdempotencyKey = 100

// CreatePayout sends money to a bank account or e-wallet (POST /v2/payouts,
// https://docs.xendit.co/apidocs/create-payout). The answer is always ACCEPTED; the result comes
// by callback.
//
// idempotencyKey (1 to 100 characters) should be derived from the business fact, such as the
// commission payout's ID. Xendit answers the same key and body with the original payout, so the
// call is retried after a timeout or a 5xx; the same key with a different body fails with
// DUPLICATE_ERROR. A payout retried after it FAILED needs a new key. Currency defaults to IDR.
func (c *Client) CreatePayout(ctx context.Context, idempotencyKey string, req CreatePayoutRequest) (*Payout, error) {
	if idempotencyKey == "" || len(idempotencyKey) > maxIdempotencyKey {
		return nil, fmt.Errorf("create payout %s: idempotency key must be 1 to %d characters", req.ReferenceID, maxIdempotencyKey)
	}
	if req.Currency == "" {
		req.Currency = "IDR"
	}
	r := request{
		method: http.MethodPost,
		path:   "/v2/payouts",
		body:   req,
		header: http.Header{"Idempotency-Key": {idempotencyKey}},
		retry:  true,
	}
	var p Payout
	if err := c.do(ctx, r, &p); err != nil {
		return nil, fmt.Errorf("create payout %s: %w", req.ReferenceID, err)
	}
	return &p, nil
}

// GetPayout fetches a payout by Xendit's ID (GET /v2/payouts/{id}).
func (c *Client) GetPayout(ctx context.Context, id string) (*Payout, error) {
	return c.payoutCall(ctx, "get payout", http.MethodGet, "/v2/payouts/%s", id)
}

// CancelPayout cancels a payout that is still ACCEPTED (POST /v2/payouts/{id}/cancel) and returns
// it, now CANCELLED.
func (c *Client) CancelPayout(ctx context.Context, id string) (*Payout, error) {
	return c.payoutCall(ctx, "cancel payout", http.MethodPost, "/v2/payouts/%s/cancel", id)
}

// payoutCall runs a retryable call on one payout.
func (c *Client) payoutCall(ctx context.Context, op, method, format, id string) (*Payout, error) {
	if id == "" {
		return nil, fmt.Errorf("%s: %w", op, errEmptyID)
	}
	var p Payout
	r := request{method: method, path: pathf(format, id), retry: true}
	if err := c.do(ctx, r, &p); err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, id, err)
	}
	return &p, nil
}

// ListPayoutsByReference returns the payouts made with referenceID
// (GET /v2/payouts?reference_id=, https://docs.xendit.co/apidocs/get-all-payouts). It reads both
// the documented bare array and the SDK's {"data": […]} page; it reads the first page only.
func (c *Client) ListPayoutsByReference(ctx context.Context, referenceID string) ([]Payout, error) {
	var list payoutList
	r := request{
		method: http.MethodGet,
		path:   "/v2/payouts",
		query:  url.Values{"reference_id": {referenceID}},
		retry:  true,
	}
	if err := c.do(ctx, r, &list); err != nil {
		return nil, fmt.Errorf("list payouts %s: %w", referenceID, err)
	}
	return list, nil
}

// payoutList reads either a JSON array of payouts or an object holding one under "data".
type payoutList []Payout

// UnmarshalJSON reads both list forms.
func (l *payoutList) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, (*[]Payout)(l))
	}
	var page struct {
		Data *[]Payout `json:"data"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		return err
	}
	if page.Data == nil {
		return errors.New("payout list: neither an array nor an object with data")
	}
	*l = *page.Data
	return nil
}
