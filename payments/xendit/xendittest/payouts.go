package xendittest

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// payoutTime is the payout API's timestamp format, in UTC without milliseconds.
const payoutTime = "2006-01-02T15:04:05Z"

// payoutETA is BI-FAST's estimated time of arrival.
const payoutETA = 15 * time.Minute

// Payout is a payout as the fake stores and serves it, in Xendit's JSON shape
// (https://docs.xendit.co/apidocs/create-payout).
type Payout struct {
	ID                   string            `json:"id"`
	Amount               int64             `json:"amount"`
	ChannelCode          string            `json:"channel_code"`
	Currency             string            `json:"currency"`
	Status               string            `json:"status"`
	FailureCode          string            `json:"failure_code,omitempty"`
	Description          string            `json:"description,omitempty"`
	ReferenceID          string            `json:"reference_id"`
	Created              string            `json:"created"`
	Updated              string            `json:"updated"`
	EstimatedArrivalTime string            `json:"estimated_arrival_time"`
	BusinessID           string            `json:"business_id"`
	ChannelProperties    ChannelProperties `json:"channel_properties"`
	ReceiptNotification  json.RawMessage   `json:"receipt_notification,omitempty"`
	Metadata             json.RawMessage   `json:"metadata,omitempty"`
}

// ChannelProperties names a payout's destination account.
type ChannelProperties struct {
	AccountNumber     string `json:"account_number"`
	AccountHolderName string `json:"account_holder_name,omitempty"`
	AccountType       string `json:"account_type,omitempty"`
}

// idempotent remembers what one Idempotency-key created.
type idempotent struct {
	body     [32]byte // hash of the canonical request body
	payoutID string
}

// payoutRequest is the body of POST /v2/payouts.
type payoutRequest struct {
	ReferenceID         string             `json:"reference_id"`
	ChannelCode         string             `json:"channel_code"`
	ChannelProperties   *ChannelProperties `json:"channel_properties"`
	Amount              *json.Number       `json:"amount"`
	Currency            string             `json:"currency"`
	Description         string             `json:"description"`
	ReceiptNotification json.RawMessage    `json:"receipt_notification"`
	Metadata            json.RawMessage    `json:"metadata"`
}

// createPayout handles POST /v2/payouts. The same Idempotency-key with the same body answers the
// original payout; with a different body, 400 DUPLICATE_ERROR (the Python SDK documents 409; the
// API reference, 400).
func (s *Server) createPayout(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 100 {
		writeError(w, http.StatusBadRequest, "API_VALIDATION_ERROR", `Should have required header "Idempotency-key" of 1 to 100 characters`,
			fieldError{Path: "Idempotency-key", Message: `Should have required header "Idempotency-key"`})
		return
	}
	body := readBody(r)
	var req payoutRequest
	if !decodeBody(w, body, &req) {
		return
	}
	amount, ok := validatePayout(w, req)
	if !ok {
		return
	}
	p, status, code := s.storePayout(key, canonicalHash(body), req, amount)
	if code != "" {
		writeError(w, status, code, msgDuplicate)
		return
	}
	writeJSON(w, status, p)
}

// storePayout creates the payout for key, or returns the one key already made.
func (s *Server) storePayout(key string, hash [32]byte, req payoutRequest, amount int64) (Payout, int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.idem[key]; ok {
		if prev.body != hash {
			return Payout{}, http.StatusBadRequest, "DUPLICATE_ERROR"
		}
		return *s.payouts[prev.payoutID], http.StatusOK, ""
	}
	p := s.newPayout(req, amount)
	s.payouts[p.ID] = &p
	s.payOrder = append(s.payOrder, p.ID)
	s.idem[key] = idempotent{body: hash, payoutID: p.ID}
	return p, http.StatusOK, ""
}

func (s *Server) newPayout(req payoutRequest, amount int64) Payout {
	now := s.now()
	return Payout{
		ID: "disb-" + newHex(12), Amount: amount, ChannelCode: req.ChannelCode, Currency: req.Currency,
		Status: "ACCEPTED", Description: req.Description, ReferenceID: req.ReferenceID,
		Created: now.Format(payoutTime), Updated: now.Format(payoutTime),
		EstimatedArrivalTime: now.Add(payoutETA).Format(payoutTime), BusinessID: s.cfg.BusinessID,
		ChannelProperties: *req.ChannelProperties, ReceiptNotification: req.ReceiptNotification,
		Metadata: req.Metadata,
	}
}

// canonicalHash hashes the request body with its keys sorted and spacing removed, so the same
// payout sent twice hashes alike however it is formatted.
func canonicalHash(body []byte) [32]byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return sha256.Sum256(body)
	}
	b, _ := json.Marshal(v)
	return sha256.Sum256(b)
}

// validatePayout checks a create-payout body and answers the error if any.
func validatePayout(w http.ResponseWriter, req payoutRequest) (int64, bool) {
	if errs := missingPayoutFields(req); len(errs) > 0 {
		writeError(w, http.StatusBadRequest, "API_VALIDATION_ERROR", errs[0].(fieldError).Message, errs...)
		return 0, false
	}
	ch, known := channelByCode(req.ChannelCode)
	amount, whole := wholeRupiah(*req.Amount)
	switch {
	case !known || req.Currency != ch.Currency:
		writeError(w, http.StatusBadRequest, "CHANNEL_CODE_NOT_SUPPORTED", fmt.Sprintf("Channel code %s is not supported for %s", req.ChannelCode, req.Currency))
	case !whole:
		writeError(w, http.StatusBadRequest, "API_VALIDATION_ERROR", `"amount" should be integer for IDR currency`,
			fieldError{Path: "amount", Message: `"amount" should be integer for IDR currency`})
	case amount < ch.AmountLimits.Minimum:
		writeError(w, http.StatusBadRequest, "MINIMUM_TRANSFER_LIMIT_ERROR", fmt.Sprintf("Amount is below the minimum of %d for %s", ch.AmountLimits.Minimum, ch.ChannelCode))
	case amount > ch.AmountLimits.Maximum:
		writeError(w, http.StatusBadRequest, "MAXIMUM_TRANSFER_LIMIT_ERROR", fmt.Sprintf("Amount is above the maximum of %d for %s", ch.AmountLimits.Maximum, ch.ChannelCode))
	case amount%ch.AmountLimits.MinimumIncrement != 0:
		writeError(w, http.StatusBadRequest, "AMOUNT_INCREMENT_NOT_SUPPORTED", fmt.Sprintf("Amount must be a multiple of %d", ch.AmountLimits.MinimumIncrement))
	default:
		return amount, true
	}
	return 0, false
}

// missingPayoutFields lists the required fields a create-payout body lacks.
func missingPayoutFields(req payoutRequest) []any {
	var errs []any
	need := func(ok bool, path string) {
		if !ok {
			errs = append(errs, fieldError{Path: path, Message: fmt.Sprintf("Should have required property %q", path)})
		}
	}
	need(req.ReferenceID != "", "reference_id")
	need(req.ChannelCode != "", "channel_code")
	need(req.ChannelProperties != nil && req.ChannelProperties.AccountNumber != "", "channel_properties.account_number")
	need(req.Amount != nil, "amount")
	need(req.Currency != "", "currency")
	if len(req.Description) > 100 {
		errs = append(errs, fieldError{Path: "description", Message: `"description" should have at most 100 characters`})
	}
	return errs
}

// getPayout handles GET /v2/payouts/{id}.
func (s *Server) getPayout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.payouts[r.PathValue("id")]
	var out Payout
	if ok {
		out = *p
	}
	s.mu.Unlock()
	if !ok {
		writePayoutNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// listPayouts handles GET /v2/payouts?reference_id=: a JSON array, oldest first, as the API
// reference documents (the SDK's {data: […]} page is not served).
func (s *Server) listPayouts(w http.ResponseWriter, r *http.Request) {
	ref := r.URL.Query().Get("reference_id")
	if ref == "" {
		writeError(w, http.StatusBadRequest, "API_VALIDATION_ERROR", `Should have required property "reference_id"`,
			fieldError{Path: "reference_id", Message: `Should have required property "reference_id"`})
		return
	}
	s.mu.Lock()
	out := []Payout{}
	for _, id := range s.payOrder {
		if p := s.payouts[id]; p.ReferenceID == ref {
			out = append(out, *p)
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// cancelPayout handles POST /v2/payouts/{id}/cancel, allowed only while ACCEPTED. Cancelling a
// CANCELLED payout answers it again. Xendit documents the refusal as 400 "Unable to Cancel"
// without a code; PAYOUT_NOT_CANCELLABLE is the fake's.
func (s *Server) cancelPayout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.payouts[r.PathValue("id")]
	var out Payout
	if ok && p.Status == "ACCEPTED" {
		p.Status, p.Updated = "CANCELLED", s.now().Format(payoutTime)
	}
	if ok {
		out = *p
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writePayoutNotFound(w)
	case out.Status != "CANCELLED":
		writeError(w, http.StatusBadRequest, "PAYOUT_NOT_CANCELLABLE", "Unable to cancel a payout that is "+out.Status)
	default:
		writeJSON(w, http.StatusOK, out)
	}
}

func writePayoutNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, "DATA_NOT_FOUND", "Could not find payout with the corresponding ID. Please try again with a valid Id")
}
