package xendit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/lapak-id/lapak"
)

// InvoiceStatus is where an invoice stands: PENDING, then PAID (and later SETTLED) or EXPIRED.
type InvoiceStatus string

// Invoice statuses, from https://docs.xendit.co/apidocs/create-invoice.
const (
	InvoicePending InvoiceStatus = "PENDING"
	InvoicePaid    InvoiceStatus = "PAID"
	InvoiceSettled InvoiceStatus = "SETTLED"
	InvoiceExpired InvoiceStatus = "EXPIRED"
)

// Paid reports whether the customer has paid: PAID, or SETTLED once the funds reach the balance.
func (s InvoiceStatus) Paid() bool { return s == InvoicePaid || s == InvoiceSettled }

// Notification channels for CustomerNotificationPreference.
const (
	NotifyEmail    = "email"
	NotifySMS      = "sms"
	NotifyWhatsApp = "whatsapp"
)

// CreateInvoiceRequest is the body of POST /v2/invoices
// (https://docs.xendit.co/apidocs/create-invoice).
type CreateInvoiceRequest struct {
	ExternalID                     string                  `json:"external_id"` // Lapak's order reference; Xendit does not enforce it unique
	Amount                         lapak.Money             `json:"amount"`      // at least Rp10.000
	PayerEmail                     string                  `json:"payer_email,omitempty"`
	Description                    string                  `json:"description,omitempty"`
	InvoiceDuration                time.Duration           `json:"-"` // sent in whole seconds; Xendit's default is 24 h
	Customer                       *Customer               `json:"customer,omitempty"`
	CustomerNotificationPreference *NotificationPreference `json:"customer_notification_preference,omitempty"`
	SuccessRedirectURL             string                  `json:"success_redirect_url,omitempty"`
	FailureRedirectURL             string                  `json:"failure_redirect_url,omitempty"`
	PaymentMethods                 []string                `json:"payment_methods,omitempty"` // such as BCA, QRIS, OVO; empty offers all
	Currency                       string                  `json:"currency,omitempty"`        // default IDR
	Locale                         string                  `json:"locale,omitempty"`          // "id" or "en"
	Items                          []Item                  `json:"items,omitempty"`
	Fees                           []Fee                   `json:"fees,omitempty"`
	Metadata                       map[string]string       `json:"metadata,omitempty"`
}

// MarshalJSON writes the request as Xendit reads it, with invoice_duration in seconds.
func (r CreateInvoiceRequest) MarshalJSON() ([]byte, error) {
	type plain CreateInvoiceRequest
	return json.Marshal(struct {
		plain
		InvoiceDuration int64 `json:"invoice_duration,omitempty"`
	}{plain(r), int64(r.InvoiceDuration / time.Second)})
}

// Customer is the payer as shown on the checkout page.
type Customer struct {
	GivenNames   string    `json:"given_names,omitempty"`
	Surname      string    `json:"surname,omitempty"`
	Email        string    `json:"email,omitempty"`
	MobileNumber string    `json:"mobile_number,omitempty"` // E.164, such as +6287774441111
	Addresses    []Address `json:"addresses,omitempty"`
}

// Address is a customer's address.
type Address struct {
	Country     string `json:"country,omitempty"`
	StreetLine1 string `json:"street_line1,omitempty"`
	StreetLine2 string `json:"street_line2,omitempty"`
	City        string `json:"city,omitempty"`
	Province    string `json:"province,omitempty"`
	State       string `json:"state,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
}

// NotificationPreference says how Xendit tells the customer about the invoice, per event, as a
// list of NotifyEmail, NotifySMS, NotifyWhatsApp.
type NotificationPreference struct {
	InvoiceCreated  []string `json:"invoice_created,omitempty"`
	InvoiceReminder []string `json:"invoice_reminder,omitempty"`
	InvoicePaid     []string `json:"invoice_paid,omitempty"`
}

// Item is a line shown on the checkout page.
type Item struct {
	Name        string      `json:"name"`
	Quantity    int         `json:"quantity"`
	Price       lapak.Money `json:"price"`
	ReferenceID string      `json:"reference_id,omitempty"`
	Category    string      `json:"category,omitempty"`
	URL         string      `json:"url,omitempty"`
}

// Fee is an extra charge added to the invoice, such as {ADMIN, 5000}.
type Fee struct {
	Type  string      `json:"type"`
	Value lapak.Money `json:"value"`
}

// Invoice is Xendit's invoice as returned by create, get, expire and list, and as posted to the
// invoice callback (https://docs.xendit.co/apidocs/create-invoice and the invoice callback).
// Payment fields are set once it is paid. Unknown fields are ignored.
type Invoice struct {
	ID                     string          `json:"id"`
	ExternalID             string          `json:"external_id"`
	UserID                 string          `json:"user_id"` // Xendit Business ID
	Status                 InvoiceStatus   `json:"status"`
	MerchantName           string          `json:"merchant_name"`
	Amount                 lapak.Money     `json:"amount"`
	PaidAmount             lapak.Money     `json:"paid_amount"`
	AdjustedReceivedAmount lapak.Money     `json:"adjusted_received_amount"`
	FeesPaidAmount         lapak.Money     `json:"fees_paid_amount"`
	Currency               string          `json:"currency"`
	PayerEmail             string          `json:"payer_email"`
	Description            string          `json:"description"`
	InvoiceURL             string          `json:"invoice_url"` // hosted checkout page
	ExpiryDate             time.Time       `json:"expiry_date"`
	AvailableBanks         []AvailableBank `json:"available_banks"`
	AvailableRetailOutlets []RetailOutlet  `json:"available_retail_outlets"`
	AvailableEwallets      []Ewallet       `json:"available_ewallets"`
	AvailableQRCodes       []QRCode        `json:"available_qr_codes"`
	AvailablePaylaters     []Paylater      `json:"available_paylaters"`
	PaymentMethod          string          `json:"payment_method"`      // BANK_TRANSFER, QR_CODE, EWALLET, CREDIT_CARD, RETAIL_OUTLET…
	PaymentChannel         string          `json:"payment_channel"`     // BCA, PERMATA, QRIS, OVO, ALFAMART…
	PaymentDestination     string          `json:"payment_destination"` // VA number or payment code
	PaymentID              string          `json:"payment_id"`
	PaymentMethodID        string          `json:"payment_method_id"`
	PaymentDetails         *PaymentDetails `json:"payment_details"`
	BankCode               string          `json:"bank_code"`
	EwalletType            string          `json:"ewallet_type"`
	IsHigh                 bool            `json:"is_high"`
	PaidAt                 time.Time       `json:"paid_at"`
	Created                time.Time       `json:"created"`
	Updated                time.Time       `json:"updated"`
	SuccessRedirectURL     string          `json:"success_redirect_url"`
	FailureRedirectURL     string          `json:"failure_redirect_url"`
	Locale                 string          `json:"locale"`
	Customer               *Customer       `json:"customer"`
	Items                  []Item          `json:"items"`
	Fees                   []Fee           `json:"fees"`
	Metadata               json.RawMessage `json:"metadata"`
}

// AvailableBank is a virtual account the customer can pay into.
type AvailableBank struct {
	BankCode          string      `json:"bank_code"`
	CollectionType    string      `json:"collection_type"` // POOL
	BankBranch        string      `json:"bank_branch"`
	BankAccountNumber string      `json:"bank_account_number"`
	AccountHolderName string      `json:"account_holder_name"`
	TransferAmount    lapak.Money `json:"transfer_amount"`
}

// RetailOutlet is a shop counter the customer can pay at.
type RetailOutlet struct {
	RetailOutletName string      `json:"retail_outlet_name"`
	PaymentCode      string      `json:"payment_code"`
	TransferAmount   lapak.Money `json:"transfer_amount"`
}

// Ewallet is an e-wallet the customer can pay with.
type Ewallet struct {
	EwalletType string `json:"ewallet_type"`
}

// QRCode is a QR scheme the customer can pay with, such as QRIS.
type QRCode struct {
	QRCodeType string `json:"qr_code_type"`
}

// Paylater is a buy-now-pay-later provider the customer can pay with.
type Paylater struct {
	PaylaterType string `json:"paylater_type"`
}

// PaymentDetails says where a QR or e-wallet payment came from.
type PaymentDetails struct {
	ReceiptID string `json:"receipt_id"`
	Source    string `json:"source"`
}

// CreateInvoice creates a payment link (POST /v2/invoices,
// https://docs.xendit.co/apidocs/create-invoice). Currency defaults to IDR.
//
// It is never retried: Xendit does not deduplicate invoices, so a second attempt after a lost
// response could create a second payable invoice for the same order. When CreateInvoice fails
// with a timeout, a network error or a 5xx (OutcomeUnknown reports it), the invoice may or may
// not exist: the caller must look it up with ListInvoices(ctx, req.ExternalID) before creating
// another.
func (c *Client) CreateInvoice(ctx context.Context, req CreateInvoiceRequest) (*Invoice, error) {
	if req.Currency == "" {
		req.Currency = "IDR"
	}
	var inv Invoice
	r := request{method: http.MethodPost, path: "/v2/invoices", body: req}
	if err := c.do(ctx, r, &inv); err != nil {
		return nil, fmt.Errorf("create invoice %s: %w", req.ExternalID, err)
	}
	return &inv, nil
}

// GetInvoice fetches an invoice by Xendit's ID (GET /v2/invoices/{id}). A callback handler should
// trust the fetched status and amount rather than the callback body.
func (c *Client) GetInvoice(ctx context.Context, id string) (*Invoice, error) {
	return c.invoiceCall(ctx, "get invoice", http.MethodGet, "/v2/invoices/%s", id)
}

// ExpireInvoice expires an unpaid invoice at once (POST /invoices/{id}/expire!, without /v2 and
// with a literal "!"), so it can no longer be paid, and returns it. Check the returned status:
// an invoice paid in the meantime is not EXPIRED.
func (c *Client) ExpireInvoice(ctx context.Context, id string) (*Invoice, error) {
	return c.invoiceCall(ctx, "expire invoice", http.MethodPost, "/invoices/%s/expire!", id)
}

// invoiceCall runs a retryable call on one invoice.
func (c *Client) invoiceCall(ctx context.Context, op, method, format, id string) (*Invoice, error) {
	if id == "" {
		return nil, fmt.Errorf("%s: %w", op, errEmptyID)
	}
	var inv Invoice
	r := request{method: method, path: pathf(format, id), retry: true}
	if err := c.do(ctx, r, &inv); err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, id, err)
	}
	return &inv, nil
}

// ListInvoices returns every invoice created with externalID (GET /v2/invoices?external_id=), in
// the order Xendit lists them; none is an empty list, not an error. It is how a caller finds out whether a failed
// CreateInvoice made an invoice after all.
func (c *Client) ListInvoices(ctx context.Context, externalID string) ([]Invoice, error) {
	var list []Invoice
	r := request{
		method: http.MethodGet,
		path:   "/v2/invoices",
		query:  url.Values{"external_id": {externalID}},
		retry:  true,
	}
	if err := c.do(ctx, r, &list); err != nil {
		return nil, fmt.Errorf("list invoices %s: %w", externalID, err)
	}
	return list, nil
}
