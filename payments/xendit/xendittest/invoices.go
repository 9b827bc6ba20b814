package xendittest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Invoice amount limits for IDR, from Xendit's invoice error descriptions.
const (
	minInvoiceAmount       = 10_000
	maxInvoiceAmount       = 1_000_000_000
	defaultInvoiceDuration = 24 * time.Hour
	maxInvoiceDuration     = 365 * 24 * time.Hour
)

// invoiceTime is the invoice API's timestamp format, in UTC with milliseconds.
const invoiceTime = "2006-01-02T15:04:05.000Z"

// Invoice is an invoice as the fake stores and serves it, in Xendit's JSON shape
// (https://docs.xendit.co/apidocs/create-invoice).
type Invoice struct {
	ID                             string          `json:"id"`
	ExternalID                     string          `json:"external_id"`
	UserID                         string          `json:"user_id"`
	Status                         string          `json:"status"`
	MerchantName                   string          `json:"merchant_name"`
	MerchantProfilePictureURL      string          `json:"merchant_profile_picture_url"`
	Amount                         int64           `json:"amount"`
	PaidAmount                     int64           `json:"paid_amount,omitempty"`
	PayerEmail                     string          `json:"payer_email,omitempty"`
	Description                    string          `json:"description,omitempty"`
	InvoiceURL                     string          `json:"invoice_url"`
	ExpiryDate                     string          `json:"expiry_date"`
	AvailableBanks                 []Bank          `json:"available_banks"`
	AvailableRetailOutlets         []RetailOutlet  `json:"available_retail_outlets"`
	AvailableEwallets              []Ewallet       `json:"available_ewallets"`
	AvailableQRCodes               []QRCode        `json:"available_qr_codes"`
	AvailableDirectDebits          []DirectDebit   `json:"available_direct_debits"`
	AvailablePaylaters             []Paylater      `json:"available_paylaters"`
	ShouldExcludeCreditCard        bool            `json:"should_exclude_credit_card"`
	ShouldSendEmail                bool            `json:"should_send_email"`
	Created                        string          `json:"created"`
	Updated                        string          `json:"updated"`
	Currency                       string          `json:"currency"`
	SuccessRedirectURL             string          `json:"success_redirect_url,omitempty"`
	FailureRedirectURL             string          `json:"failure_redirect_url,omitempty"`
	Locale                         string          `json:"locale,omitempty"`
	Customer                       json.RawMessage `json:"customer,omitempty"`
	CustomerNotificationPreference json.RawMessage `json:"customer_notification_preference,omitempty"`
	Items                          json.RawMessage `json:"items,omitempty"`
	Fees                           json.RawMessage `json:"fees,omitempty"`
	Metadata                       json.RawMessage `json:"metadata,omitempty"`
	PaymentMethod                  string          `json:"payment_method,omitempty"`
	PaymentChannel                 string          `json:"payment_channel,omitempty"`
	PaymentDestination             string          `json:"payment_destination,omitempty"`
	BankCode                       string          `json:"bank_code,omitempty"`
	PaidAt                         string          `json:"paid_at,omitempty"`
}

// storedInvoice is an invoice and what the fake needs beside its JSON.
type storedInvoice struct {
	Invoice
	expiry time.Time
}

// invoiceRequest is the body of POST /v2/invoices. Amounts stay json.Numbers to check them.
type invoiceRequest struct {
	ExternalID                     *string         `json:"external_id"`
	Amount                         *json.Number    `json:"amount"`
	PayerEmail                     string          `json:"payer_email"`
	Description                    string          `json:"description"`
	InvoiceDuration                json.RawMessage `json:"invoice_duration"` // a number, or a string before SDK v7
	Customer                       json.RawMessage `json:"customer"`
	CustomerNotificationPreference json.RawMessage `json:"customer_notification_preference"`
	SuccessRedirectURL             string          `json:"success_redirect_url"`
	FailureRedirectURL             string          `json:"failure_redirect_url"`
	PaymentMethods                 []string        `json:"payment_methods"`
	Currency                       string          `json:"currency"`
	Locale                         string          `json:"locale"`
	ShouldSendEmail                bool            `json:"should_send_email"`
	Items                          json.RawMessage `json:"items"`
	Fees                           json.RawMessage `json:"fees"`
	Metadata                       json.RawMessage `json:"metadata"`
}

// createInvoice handles POST /v2/invoices: validate, store as PENDING, answer the invoice.
func (s *Server) createInvoice(w http.ResponseWriter, r *http.Request) {
	var req invoiceRequest
	if !decodeBody(w, readBody(r), &req) {
		return
	}
	amount, duration, ok := validateInvoice(w, req)
	if !ok {
		return
	}
	inv := s.newInvoice(req, amount, duration)
	s.mu.Lock()
	s.invoices[inv.ID] = inv
	s.invOrder = append(s.invOrder, inv.ID)
	out := inv.Invoice
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// validateInvoice checks a create-invoice body as Xendit does and answers the error if any.
func validateInvoice(w http.ResponseWriter, req invoiceRequest) (amount int64, duration time.Duration, ok bool) {
	var missing []any
	if req.ExternalID == nil || *req.ExternalID == "" {
		missing = append(missing, `"external_id" is required`)
	}
	if req.Amount == nil {
		missing = append(missing, `"amount" is required`)
	}
	if len(missing) > 0 {
		writeError(w, http.StatusBadRequest, "API_VALIDATION_ERROR", msgValidation, missing...)
		return 0, 0, false
	}
	amount, whole := wholeRupiah(*req.Amount)
	duration, durOK := parseDuration(req.InvoiceDuration)
	switch {
	case !whole || amount < 0:
		writeError(w, http.StatusBadRequest, "API_VALIDATION_ERROR", msgValidation, `"amount" must be a whole number of rupiah`)
	case !durOK:
		writeError(w, http.StatusBadRequest, "API_VALIDATION_ERROR", msgValidation, `"invoice_duration" must be between 1 second and 1 year`)
	case req.Currency != "" && req.Currency != "IDR":
		writeError(w, http.StatusBadRequest, "UNSUPPORTED_CURRENCY", "The fake only takes IDR")
	case amount < minInvoiceAmount:
		writeError(w, http.StatusBadRequest, "MINIMAL_TRANSFER_AMOUNT_ERROR", msgMinimalAmount)
	case amount > maxInvoiceAmount:
		writeError(w, http.StatusBadRequest, "MAXIMUM_TRANSFER_AMOUNT_ERROR", msgMaximumAmount)
	case !knownMethods(req.PaymentMethods):
		writeError(w, http.StatusBadRequest, "UNAVAILABLE_PAYMENT_METHOD_ERROR", "The payment method choices did not match with the available one on this business.")
	default:
		return amount, duration, true
	}
	return 0, 0, false
}

// wholeRupiah reads an amount that must be a whole number, such as 10000 or 10000.0.
func wholeRupiah(n json.Number) (int64, bool) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// parseDuration reads invoice_duration in seconds, as a number or a string; absent is 24 h.
func parseDuration(raw json.RawMessage) (time.Duration, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return defaultInvoiceDuration, true
	}
	secs, err := strconv.ParseFloat(strings.Trim(string(raw), `"`), 64)
	d := time.Duration(secs * float64(time.Second))
	return d, err == nil && d >= time.Second && d <= maxInvoiceDuration
}

// newInvoice builds a PENDING invoice from a valid request.
func (s *Server) newInvoice(req invoiceRequest, amount int64, duration time.Duration) *storedInvoice {
	now := s.now()
	id := newHex(12)
	currency := req.Currency
	if currency == "" {
		currency = "IDR"
	}
	inv := Invoice{
		ID:                             id,
		ExternalID:                     *req.ExternalID,
		UserID:                         s.cfg.BusinessID,
		Status:                         "PENDING",
		MerchantName:                   s.cfg.MerchantName,
		MerchantProfilePictureURL:      s.URL() + "/static/merchant.png",
		Amount:                         amount,
		PayerEmail:                     req.PayerEmail,
		Description:                    req.Description,
		InvoiceURL:                     s.URL() + "/web/" + id,
		ExpiryDate:                     now.Add(duration).Format(invoiceTime),
		ShouldSendEmail:                req.ShouldSendEmail,
		Created:                        now.Format(invoiceTime),
		Updated:                        now.Format(invoiceTime),
		Currency:                       currency,
		SuccessRedirectURL:             req.SuccessRedirectURL,
		FailureRedirectURL:             req.FailureRedirectURL,
		Locale:                         req.Locale,
		Customer:                       req.Customer,
		CustomerNotificationPreference: req.CustomerNotificationPreference,
		Items:                          req.Items,
		Fees:                           req.Fees,
		Metadata:                       req.Metadata,
	}
	offerMethods(&inv, req.PaymentMethods, s.cfg.MerchantName)
	return &storedInvoice{Invoice: inv, expiry: now.Add(duration)}
}

// getInvoice handles GET /v2/invoices/{id}.
func (s *Server) getInvoice(w http.ResponseWriter, r *http.Request) {
	out, ok := s.invoice(r.PathValue("id"))
	if !ok {
		writeInvoiceNotFound(w, r.PathValue("id"))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// listInvoices handles GET /v2/invoices?external_id=…&statuses=…: a JSON array, oldest first.
// statuses may repeat (statuses=PAID&statuses=SETTLED) or be indexed (statuses[0]=PAID).
func (s *Server) listInvoices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	external, statuses := q.Get("external_id"), listParam(q, "statuses")
	s.mu.Lock()
	out := []Invoice{}
	for _, id := range s.invOrder {
		inv := s.invoices[id].Invoice
		if (external == "" || inv.ExternalID == external) && (len(statuses) == 0 || statuses[inv.Status]) {
			out = append(out, inv)
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// listParam collects a multi-valued query parameter sent as name=a&name=b or name[0]=a.
func listParam(q map[string][]string, name string) map[string]bool {
	set := map[string]bool{}
	for k, vs := range q {
		if k == name || strings.HasPrefix(k, name+"[") {
			for _, v := range vs {
				set[v] = true
			}
		}
	}
	return set
}

// expireInvoice handles POST /invoices/{id}/expire!. Expiring an EXPIRED invoice answers it
// again, so a retried call succeeds. Xendit does not document expiring a paid invoice; the
// fake answers it unchanged, still PAID, so the caller must read the status it gets back.
func (s *Server) expireInvoice(w http.ResponseWriter, r *http.Request) {
	inv, err := s.expire(r.PathValue("id"))
	if err != nil {
		writeInvoiceNotFound(w, r.PathValue("id"))
		return
	}
	writeJSON(w, http.StatusOK, inv)
}

func writeInvoiceNotFound(w http.ResponseWriter, id string) {
	writeError(w, http.StatusNotFound, "INVOICE_NOT_FOUND_ERROR", fmt.Sprintf("Invoice %s not found", id))
}
