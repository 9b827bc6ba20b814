package xendit_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

func TestVerifyCallbackToken(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
		ok        bool
	}{
		{"Match", "tok-123", "tok-123", true},
		{"Mismatch", "tok-124", "tok-123", false},
		{"Prefix", "tok-12", "tok-123", false},
		{"Missing header", "", "tok-123", false},
		{"Token not configured", "", "", false},
		{"Token not configured, header sent", "anything", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xendit.VerifyCallbackToken(tt.got, tt.want); got != tt.ok {
				t.Errorf("VerifyCallbackToken(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.ok)
			}
		})
	}
}

// receiver is a webhook endpoint written the way Xendit advises: check the token, parse, and
// trust a re-fetched invoice over the body.
type receiver struct {
	client *xendit.Client
	token  string

	mu       sync.Mutex
	rejected int
	invoices []*xendit.Invoice
	payouts  []*xendit.PayoutEvent
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !xendit.VerifyCallbackToken(r.Header.Get(xendit.CallbackTokenHeader), rc.token) {
		rc.mu.Lock()
		rc.rejected++
		rc.mu.Unlock()
		http.Error(w, "bad token", http.StatusUnauthorized)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch r.URL.Path {
	case "/invoice":
		rc.invoice(w, r.Context(), body)
	case "/payout":
		ev, err := xendit.ParsePayoutCallback(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.payouts = append(rc.payouts, ev)
		rc.mu.Unlock()
	}
}

// seen returns what the receiver accepted and how many it rejected.
func (rc *receiver) seen() (invoices []*xendit.Invoice, payouts []*xendit.PayoutEvent, rejected int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.invoices, rc.payouts, rc.rejected
}

func (rc *receiver) invoice(w http.ResponseWriter, ctx context.Context, body []byte) {
	cb, err := xendit.ParseInvoiceCallback(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	inv, err := rc.client.GetInvoice(ctx, cb.ID)
	if err != nil || inv.Status != cb.Status || inv.Amount != cb.Amount {
		http.Error(w, "callback does not match the invoice", http.StatusConflict)
		return
	}
	rc.mu.Lock()
	rc.invoices = append(rc.invoices, cb)
	rc.mu.Unlock()
}

func TestCallbacksReachAVerifyingReceiver(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rc := &receiver{client: e.client, token: e.fake.CallbackToken()}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	e.fake.SetCallbackURLs(srv.URL+"/invoice", srv.URL+"/payout")

	inv, err := e.client.CreateInvoice(ctx, order("order-77"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.Pay(inv.ID, "QR_CODE", "QRIS"); err != nil {
		t.Fatal(err)
	}
	p, err := e.client.CreatePayout(ctx, "key-77", commission(xendittest.AccountInvalidDestination))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.SettlePayout(p.ID); err != nil {
		t.Fatal(err)
	}

	for _, d := range e.fake.Deliveries() {
		if !d.OK() {
			t.Errorf("delivery %s %s answered %d %s", d.Kind, d.Event, d.Status, d.Err)
		}
	}
	invoices, payouts, _ := rc.seen()
	if len(invoices) != 1 || invoices[0].Status != xendit.InvoicePaid || invoices[0].PaidAmount != 150000 || invoices[0].PaymentChannel != "QRIS" {
		t.Errorf("invoice callbacks %+v", invoices)
	}
	if len(payouts) != 1 || payouts[0].Event != xendit.EventPayoutFailed || payouts[0].Data.FailureCode != xendit.FailureInvalidDestination {
		t.Errorf("payout callbacks %+v", payouts)
	}
}

func TestCallbackWithWrongTokenIsRejected(t *testing.T) {
	e := newEnv(t)
	rc := &receiver{client: e.client, token: "the-real-token"}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	e.fake.SetCallbackURLs(srv.URL+"/invoice", srv.URL+"/payout")
	inv, err := e.client.CreateInvoice(context.Background(), order("order-78"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.Expire(inv.ID); err != nil {
		t.Fatal(err)
	}
	d := e.fake.Deliveries()
	invoices, _, rejected := rc.seen()
	if rejected != 1 || len(invoices) != 0 || len(d) != 1 || d[0].Status != http.StatusUnauthorized {
		t.Errorf("rejected %d, accepted %d, deliveries %+v", rejected, len(invoices), d)
	}
}
