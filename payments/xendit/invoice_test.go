package xendit_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

// order is a typical Lapak invoice.
func order(externalID string) xendit.CreateInvoiceRequest {
	return xendit.CreateInvoiceRequest{
		ExternalID:      externalID,
		Amount:          150000,
		Description:     "Kaos Polos Hitam L ×2",
		InvoiceDuration: 2 * time.Hour,
		Metadata:        map[string]string{"order_id": "42"},
	}
}

func TestInvoiceLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	created, err := e.client.CreateInvoice(ctx, order("order-42"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("CreateAnswersPendingInvoice", func(t *testing.T) {
		if created.ID == "" || created.Status != xendit.InvoicePending || created.Amount != 150000 || created.Currency != "IDR" {
			t.Errorf("created %+v", created)
		}
		if !created.ExpiryDate.Equal(t0.Add(2*time.Hour)) || !created.Created.Equal(t0) {
			t.Errorf("expiry %s created %s, want two hours after %s", created.ExpiryDate, created.Created, t0)
		}
		if !strings.HasPrefix(created.InvoiceURL, e.fake.URL()+"/web/") {
			t.Errorf("invoice url %s", created.InvoiceURL)
		}
		if len(created.AvailableBanks) == 0 || created.AvailableBanks[0].TransferAmount != 150000 || created.AvailableBanks[0].BankAccountNumber == "" {
			t.Errorf("banks %+v", created.AvailableBanks)
		}
		if string(created.Metadata) != `{"order_id":"42"}` {
			t.Errorf("metadata %s", created.Metadata)
		}
	})
	t.Run("GetReturnsTheSameInvoice", func(t *testing.T) {
		got, err := e.client.GetInvoice(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, created) {
			t.Errorf("got %+v\nwant %+v", got, created)
		}
	})
	t.Run("ListFindsItByExternalID", func(t *testing.T) {
		if _, err := e.client.CreateInvoice(ctx, order("order-43")); err != nil {
			t.Fatal(err)
		}
		list, err := e.client.ListInvoices(ctx, "order-42")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != created.ID {
			t.Errorf("list %+v", list)
		}
		none, err := e.client.ListInvoices(ctx, "order-none")
		if err != nil || none == nil || len(none) != 0 {
			t.Errorf("list of none: %v %v", none, err)
		}
	})
	t.Run("ExpireEndsIt", func(t *testing.T) {
		e.clock.Advance(time.Minute)
		expired, err := e.client.ExpireInvoice(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.client.GetInvoice(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if expired.Status != xendit.InvoiceExpired || got.Status != xendit.InvoiceExpired || !got.Updated.Equal(t0.Add(time.Minute)) {
			t.Errorf("after expire: answered %s, stored %s updated %s", expired.Status, got.Status, got.Updated)
		}
		if err := e.fake.Pay(created.ID, "BANK_TRANSFER", "BCA"); err == nil {
			t.Error("an expired invoice was paid")
		}
	})
	t.Run("ExpireUsesTheLegacyPathWithBang", func(t *testing.T) {
		reqs := e.fake.RequestsTo(http.MethodPost, "/invoices/"+created.ID+"/expire!")
		if len(reqs) != 1 || reqs[0].Path != "/invoices/"+created.ID+"/expire!" {
			t.Errorf("expire requests %+v", reqs)
		}
	})
}

func TestPaidInvoiceReadsPaid(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inv, err := e.client.CreateInvoice(ctx, order("order-7"))
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * time.Minute)
	if err := e.fake.Pay(inv.ID, "BANK_TRANSFER", "BRI"); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.GetInvoice(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Status.Paid() || got.PaidAmount != 150000 || !got.PaidAt.Equal(t0.Add(10*time.Minute)) || got.PaymentChannel != "BRI" {
		t.Errorf("paid invoice %+v", got)
	}
	if got.PaymentDestination != bankAccount(got.AvailableBanks, "BRI") || got.PaymentDestination == "" {
		t.Errorf("paid into %q, not the BRI virtual account", got.PaymentDestination)
	}
	if err := e.fake.SettleInvoice(inv.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.client.GetInvoice(ctx, inv.ID); got.Status != xendit.InvoiceSettled || !got.Status.Paid() {
		t.Errorf("settled invoice reads %s", got.Status)
	}
}

func bankAccount(banks []xendit.AvailableBank, code string) string {
	for _, b := range banks {
		if b.BankCode == code {
			return b.BankAccountNumber
		}
	}
	return ""
}

func TestInvoiceErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"AmountBelowRp10000", func() error {
			_, err := e.client.CreateInvoice(ctx, xendit.CreateInvoiceRequest{ExternalID: "o-1", Amount: 9999})
			return err
		}, 400, xendit.CodeMinimalTransferAmount},
		{"MissingExternalID", func() error {
			_, err := e.client.CreateInvoice(ctx, xendit.CreateInvoiceRequest{Amount: 50000})
			return err
		}, 400, xendit.CodeAPIValidation},
		{"UnknownPaymentMethod", func() error {
			_, err := e.client.CreateInvoice(ctx, xendit.CreateInvoiceRequest{ExternalID: "o-2", Amount: 50000, PaymentMethods: []string{"BITCOIN"}})
			return err
		}, 400, xendit.CodeUnavailablePayment},
		{"GetUnknownInvoice", func() error {
			_, err := e.client.GetInvoice(ctx, "000000000000000000000000")
			return err
		}, 404, xendit.CodeInvoiceNotFound},
		{"ExpireUnknownInvoice", func() error {
			_, err := e.client.ExpireInvoice(ctx, "000000000000000000000000")
			return err
		}, 404, xendit.CodeInvoiceNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			apiErr, ok := xendit.AsError(err)
			if !ok || apiErr.Status != tt.status || apiErr.Code != tt.code {
				t.Errorf("got %v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
	if len(e.sleep.Waits()) != 0 {
		t.Errorf("client errors were retried: %v", e.sleep.Waits())
	}
}

func TestEmptyIDIsRefusedWithoutACall(t *testing.T) {
	e := newEnv(t)
	if _, err := e.client.GetInvoice(context.Background(), ""); err == nil {
		t.Error("GetInvoice(\"\") succeeded")
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestCreateInvoiceIsNeverRetried(t *testing.T) {
	tests := []struct {
		name         string
		inject       func(*xendittest.Server)
		wantInvoices int
		status       int
		unknown      bool // OutcomeUnknown: the invoice may exist
	}{
		{"ServerErrorBeforeCreating", func(f *xendittest.Server) { f.FailNext("/v2/invoices", 500, xendit.CodeServerError) }, 0, 500, true},
		{"ServerErrorAfterCreating", func(f *xendittest.Server) { f.FailNextAfterHandling("/v2/invoices", 500, xendit.CodeServerError) }, 1, 500, true},
		{"RateLimited", func(f *xendittest.Server) { f.FailNext("/v2/invoices", 429, xendit.CodeRateLimitExceeded) }, 0, 429, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			tt.inject(e.fake)
			_, err := e.client.CreateInvoice(ctx, order("order-9"))
			if apiErr, ok := xendit.AsError(err); !ok || apiErr.Status != tt.status {
				t.Fatalf("got %v, want status %d", err, tt.status)
			}
			if xendit.OutcomeUnknown(err) != tt.unknown {
				t.Errorf("OutcomeUnknown(%v) = %v, want %v", err, !tt.unknown, tt.unknown)
			}
			if n := len(e.fake.RequestsTo(http.MethodPost, "/v2/invoices")); n != 1 {
				t.Errorf("%d create requests, want exactly 1", n)
			}
			if len(e.sleep.Waits()) != 0 {
				t.Errorf("waited to retry: %v", e.sleep.Waits())
			}
			// The documented recovery: look the invoice up by external_id before making another.
			found, err := e.client.ListInvoices(ctx, "order-9")
			if err != nil || len(found) != tt.wantInvoices {
				t.Errorf("lookup after failure found %d invoices (%v), want %d", len(found), err, tt.wantInvoices)
			}
		})
	}
}

func TestCreateInvoiceNetworkErrorIsNotRetried(t *testing.T) {
	sleep := &sleeper{}
	var calls atomic.Int32
	url := replayFunc(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close() // drop the connection without an answer
	})
	c := xendit.New(xendit.Config{BaseURL: url, SecretKey: "xnd_development_x", Sleep: sleep.Sleep})
	_, err := c.CreateInvoice(context.Background(), order("order-10"))
	if !xendit.OutcomeUnknown(err) {
		t.Fatalf("a dropped connection gave %v, want an error whose outcome is unknown", err)
	}
	if n := calls.Load(); n != 1 || len(sleep.Waits()) != 0 {
		t.Errorf("%d calls and waits %v, want one call and no wait", n, sleep.Waits())
	}
	if _, err := c.GetInvoice(context.Background(), "x"); err == nil || calls.Load() != 5 {
		t.Errorf("GetInvoice over a dropped connection: %v after %d calls, want an error after 1+4 more", err, calls.Load())
	}
}

func TestGetInvoiceRetriesAfterRateLimit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inv, err := e.client.CreateInvoice(ctx, order("order-11"))
	if err != nil {
		t.Fatal(err)
	}
	e.fake.FailNext("/v2/invoices/"+inv.ID, http.StatusTooManyRequests, xendit.CodeRateLimitExceeded)
	got, err := e.client.GetInvoice(ctx, inv.ID)
	if err != nil {
		t.Fatalf("GetInvoice after one 429: %v", err)
	}
	if got.ID != inv.ID {
		t.Errorf("got invoice %s", got.ID)
	}
	if n := len(e.fake.RequestsTo(http.MethodGet, "/v2/invoices/"+inv.ID)); n != 2 {
		t.Errorf("%d GET requests, want 2", n)
	}
	if w := e.sleep.Waits(); len(w) != 1 || w[0] != xendittest.InjectedRateLimitReset {
		t.Errorf("waits %v, want the Rate-Limit-Reset of %s", w, xendittest.InjectedRateLimitReset)
	}
}

func TestRetriesBackOffExponentiallyThenGiveUp(t *testing.T) {
	e := newEnv(t, func(c *xendit.Config) { c.Backoff = 100 * time.Millisecond })
	for range 4 {
		e.fake.FailNext("/v2/invoices/abc", http.StatusServiceUnavailable, xendit.CodeServerError)
	}
	_, err := e.client.GetInvoice(context.Background(), "abc")
	if !xendit.IsCode(err, xendit.CodeServerError) {
		t.Fatalf("got %v, want the last SERVER_ERROR", err)
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond}
	if got := e.sleep.Waits(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if n := len(e.fake.Requests()); n != 4 {
		t.Errorf("%d requests, want 1 + 3 retries", n)
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e.fake.FailNext("/v2/invoices/abc", http.StatusInternalServerError, xendit.CodeServerError)
	if _, err := e.client.GetInvoice(ctx, "abc"); err == nil {
		t.Fatal("no error with a cancelled context")
	}
	if len(e.sleep.Waits()) != 0 {
		t.Errorf("waited %v after the context ended", e.sleep.Waits())
	}
}
