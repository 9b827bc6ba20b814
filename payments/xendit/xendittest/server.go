// Package xendittest is a fake Xendit on loopback for tests and the playground. It speaks Xendit's
// wire format for the Invoice API v2 and the Payouts API v2, records every request, posts
// callbacks shaped like Xendit's own, and has hooks to pay, expire and settle, to fail calls on
// purpose, and to deliver callbacks twice or out of order.
//
// It follows https://docs.xendit.co/apidocs (create-invoice, create-payout, get-all-payouts,
// get-payout-channels, payout-webhook-notification, webhook-behavior, rate-limits) and the
// test-mode payout magic numbers of https://docs.xendit.co/docs/test-scenarios-payouts.
//
// The fake sends a callback before it answers the call or returns from the hook that caused it,
// so a test sees the delivery as soon as the call returns. It is safe for concurrent use.
package xendittest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Defaults the fake uses when Config leaves a field empty.
const (
	DefaultSecretKey     = "xnd_development_lapakfake0000000000000000000000000000000000"
	DefaultCallbackToken = "lapak-fake-callback-token"
	DefaultBusinessID    = "5f27a14a9bf05c73dd040bc8"
	DefaultMerchantName  = "Toko Lapak"
)

// Config configures the fake. The zero value works.
type Config struct {
	// SecretKey is the only API key the fake accepts. Default DefaultSecretKey.
	SecretKey string

	// CallbackToken is sent as x-callback-token on every callback. Default DefaultCallbackToken.
	CallbackToken string

	// InvoiceCallbackURL receives invoice callbacks (PAID, EXPIRED). Default none: deliveries
	// are recorded as failed until SetCallbackURLs names one.
	InvoiceCallbackURL string

	// PayoutCallbackURL receives payout callbacks. Default none, as for invoices.
	PayoutCallbackURL string

	// BusinessID is the account's Business ID, used as user_id and business_id. Default
	// DefaultBusinessID.
	BusinessID string

	// MerchantName is shown on invoices. Default DefaultMerchantName.
	MerchantName string

	// Now is the fake's clock: timestamps, expiry dates and rate-limit windows. Default time.Now.
	Now func() time.Time

	// HTTPClient posts callbacks. Default: a client with Xendit's 30 s callback timeout.
	HTTPClient *http.Client
}

func (c Config) withDefaults() Config {
	if c.SecretKey == "" {
		c.SecretKey = DefaultSecretKey
	}
	if c.CallbackToken == "" {
		c.CallbackToken = DefaultCallbackToken
	}
	if c.BusinessID == "" {
		c.BusinessID = DefaultBusinessID
	}
	if c.MerchantName == "" {
		c.MerchantName = DefaultMerchantName
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	return c
}

// Server is a running fake Xendit.
type Server struct {
	cfg  Config
	http *httptest.Server

	mu        sync.Mutex
	invoices  map[string]*storedInvoice
	invOrder  []string
	payouts   map[string]*Payout
	payOrder  []string
	idem      map[string]idempotent
	requests  []Request
	failures  []failure
	callbacks outbox
}

// New starts a fake Xendit on a loopback port. Close it when done.
func New(cfg Config) *Server {
	s := &Server{
		cfg:      cfg.withDefaults(),
		invoices: map[string]*storedInvoice{},
		payouts:  map[string]*Payout{},
		idem:     map[string]idempotent{},
	}
	s.callbacks.invoiceURL = s.cfg.InvoiceCallbackURL
	s.callbacks.payoutURL = s.cfg.PayoutCallbackURL
	s.callbacks.copies = 1
	s.http = httptest.NewServer(s.handler())
	return s
}

// URL is the fake's base URL, for xendit.Config.BaseURL.
func (s *Server) URL() string { return s.http.URL }

// SecretKey is the API key the fake accepts.
func (s *Server) SecretKey() string { return s.cfg.SecretKey }

// CallbackToken is the x-callback-token the fake sends.
func (s *Server) CallbackToken() string { return s.cfg.CallbackToken }

// Close stops the fake and waits for calls in flight.
func (s *Server) Close() { s.http.Close() }

// handler routes every endpoint, behind request recording, auth and failure injection.
func (s *Server) handler() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("POST /v2/invoices", s.createInvoice)
	api.HandleFunc("POST /v2/invoices/{$}", s.createInvoice)
	api.HandleFunc("GET /v2/invoices", s.listInvoices)
	api.HandleFunc("GET /v2/invoices/{id}", s.getInvoice)
	api.HandleFunc("POST /invoices/{id}/expire!", s.expireInvoice)
	api.HandleFunc("POST /v2/payouts", s.createPayout)
	api.HandleFunc("GET /v2/payouts", s.listPayouts)
	api.HandleFunc("GET /v2/payouts/{id}", s.getPayout)
	api.HandleFunc("POST /v2/payouts/{id}/cancel", s.cancelPayout)
	api.HandleFunc("GET /payouts_channels", s.listChannels)
	api.HandleFunc("/", notFound)

	root := http.NewServeMux()
	root.HandleFunc("GET /web/{id}", s.checkoutPage)
	root.HandleFunc("POST /web/{id}/pay", s.checkoutPay)
	root.Handle("/", s.authenticate(s.injectFailures(api)))
	return s.record(s.rateLimitHeaders(root))
}

// now reads the injected clock in UTC.
func (s *Server) now() time.Time { return s.cfg.Now().UTC() }

// newHex returns n random bytes in hex, for IDs and account numbers.
func newHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
