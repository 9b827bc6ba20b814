package xendittest

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNotFound is returned by a hook given an unknown invoice or payout ID.
var ErrNotFound = errors.New("not found")

// invoiceCallback is the body of an invoice callback, with the fields and order of Xendit's
// example (invoice_callback_paid.json); an EXPIRED one drops the payment fields.
type invoiceCallback struct {
	ID                     string `json:"id"`
	ExternalID             string `json:"external_id"`
	UserID                 string `json:"user_id"`
	IsHigh                 bool   `json:"is_high"`
	PaymentMethod          string `json:"payment_method,omitempty"`
	Status                 string `json:"status"`
	MerchantName           string `json:"merchant_name"`
	Amount                 int64  `json:"amount"`
	PaidAmount             *int64 `json:"paid_amount,omitempty"`
	BankCode               string `json:"bank_code,omitempty"`
	PaidAt                 string `json:"paid_at,omitempty"`
	PayerEmail             string `json:"payer_email,omitempty"`
	Description            string `json:"description,omitempty"`
	AdjustedReceivedAmount *int64 `json:"adjusted_received_amount,omitempty"`
	FeesPaidAmount         *int64 `json:"fees_paid_amount,omitempty"`
	Updated                string `json:"updated"`
	Created                string `json:"created"`
	Currency               string `json:"currency"`
	PaymentChannel         string `json:"payment_channel,omitempty"`
	PaymentDestination     string `json:"payment_destination,omitempty"`
}

// callbackOf builds the callback body for inv in its current state.
func callbackOf(inv Invoice) []byte {
	cb := invoiceCallback{
		ID: inv.ID, ExternalID: inv.ExternalID, UserID: inv.UserID, Status: inv.Status,
		MerchantName: inv.MerchantName, Amount: inv.Amount, PayerEmail: inv.PayerEmail,
		Description: inv.Description, Updated: inv.Updated, Created: inv.Created, Currency: inv.Currency,
	}
	if inv.PaidAt != "" {
		paid, fees := inv.PaidAmount, int64(0)
		cb.PaymentMethod, cb.PaymentChannel, cb.PaymentDestination = inv.PaymentMethod, inv.PaymentChannel, inv.PaymentDestination
		cb.BankCode, cb.PaidAt = inv.BankCode, inv.PaidAt
		cb.PaidAmount, cb.AdjustedReceivedAmount, cb.FeesPaidAmount = &paid, &paid, &fees
	}
	body, _ := json.Marshal(cb)
	return body
}

// Pay marks a PENDING invoice PAID through method (BANK_TRANSFER, QR_CODE, EWALLET,
// RETAIL_OUTLET, CREDIT_CARD…) and channel (BCA, QRIS, OVO, ALFAMART…), as a customer paying in
// full, and sends the PAID callback. The channel must be one the invoice offers; a bank pays
// into its VA number, which becomes payment_destination. An invoice past its expiry date cannot
// be paid: call Expire.
func (s *Server) Pay(invoiceID, method, channel string) error {
	s.mu.Lock()
	inv, err := s.payLocked(invoiceID, method, channel)
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("pay invoice %s: %w", invoiceID, err)
	}
	s.publish(event{kind: invoiceEvent, name: inv.Status, id: inv.ID, body: callbackOf(inv)})
	return nil
}

func (s *Server) payLocked(id, method, channel string) (Invoice, error) {
	inv, ok := s.invoices[id]
	switch {
	case !ok:
		return Invoice{}, ErrNotFound
	case inv.Status != "PENDING":
		return Invoice{}, fmt.Errorf("invoice is %s", inv.Status)
	case !s.now().Before(inv.expiry):
		return Invoice{}, fmt.Errorf("invoice expired at %s", inv.ExpiryDate)
	}
	if err := checkPayment(&inv.Invoice, method, channel); err != nil {
		return Invoice{}, err
	}
	now := s.now().Format(invoiceTime)
	inv.Status, inv.PaidAmount, inv.PaidAt, inv.Updated = "PAID", inv.Amount, now, now
	inv.PaymentMethod, inv.PaymentChannel = method, channel
	inv.PaymentDestination, _ = inv.offers(channel)
	if method == "BANK_TRANSFER" || method == "POOL" || method == "CALLBACK_VIRTUAL_ACCOUNT" {
		inv.BankCode = channel
	}
	return inv.Invoice, nil
}

// Expire expires a PENDING invoice, as when its invoice_duration runs out, and sends the
// EXPIRED callback. Expiring an EXPIRED invoice does nothing; a paid one is left as it is.
func (s *Server) Expire(invoiceID string) error {
	if _, err := s.expire(invoiceID); err != nil {
		return fmt.Errorf("expire invoice %s: %w", invoiceID, err)
	}
	return nil
}

// expire moves a PENDING invoice to EXPIRED, sends the callback, and returns the invoice.
func (s *Server) expire(id string) (Invoice, error) {
	s.mu.Lock()
	inv, ok := s.invoices[id]
	if !ok {
		s.mu.Unlock()
		return Invoice{}, ErrNotFound
	}
	changed := inv.Status == "PENDING"
	if changed {
		now := s.now().Format(invoiceTime)
		inv.Status, inv.Updated = "EXPIRED", now
	}
	out := inv.Invoice
	s.mu.Unlock()
	if changed {
		s.publish(event{kind: invoiceEvent, name: out.Status, id: out.ID, body: callbackOf(out)})
	}
	return out, nil
}

// SettleInvoice moves a PAID invoice to SETTLED, as when the funds reach the balance. Xendit
// sends no callback for it; GetInvoice shows it.
func (s *Server) SettleInvoice(invoiceID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invoices[invoiceID]
	switch {
	case !ok:
		return fmt.Errorf("settle invoice %s: %w", invoiceID, ErrNotFound)
	case inv.Status != "PAID":
		return fmt.Errorf("settle invoice %s: invoice is %s", invoiceID, inv.Status)
	}
	inv.Status, inv.Updated = "SETTLED", s.now().Format(invoiceTime)
	return nil
}

// Invoices returns every invoice, oldest first.
func (s *Server) Invoices() []Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Invoice, 0, len(s.invOrder))
	for _, id := range s.invOrder {
		out = append(out, s.invoices[id].Invoice)
	}
	return out
}
