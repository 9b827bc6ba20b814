package xendittest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		key    string
		status int
		code   any
	}{
		{"NoKey", "", 401, "INVALID_API_KEY"},
		{"WrongKey", "xnd_development_wrong", 401, "INVALID_API_KEY"},
		{"RightKey", e.fake.SecretKey(), 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, e.fake, "GET", "/v2/payouts?reference_id=x", tt.key, nil, "")
			if status != tt.status || body["error_code"] != tt.code {
				t.Errorf("got %d %v, want %d %v", status, body, tt.status, tt.code)
			}
		})
	}
	for _, r := range e.fake.Requests() {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("request record keeps the Authorization header: %v", r.Header)
		}
	}
}

func TestCreateInvoiceValidation(t *testing.T) {
	e := newEnv(t)
	key := e.fake.SecretKey()
	tests := []struct {
		name   string
		path   string
		body   string
		status int
		code   string
	}{
		{"Valid", "/v2/invoices", `{"external_id":"o-1","amount":10000}`, 200, ""},
		{"ValidWithTrailingSlash", "/v2/invoices/", `{"external_id":"o-2","amount":10000.0}`, 200, ""},
		{"DurationAsString", "/v2/invoices", `{"external_id":"o-3","amount":20000,"invoice_duration":"3600"}`, 200, ""},
		{"NotJSON", "/v2/invoices", `{"external_id":`, 400, "INVALID_JSON_FORMAT"},
		{"MissingExternalID", "/v2/invoices", `{"amount":10000}`, 400, "API_VALIDATION_ERROR"},
		{"MissingAmount", "/v2/invoices", `{"external_id":"o-4"}`, 400, "API_VALIDATION_ERROR"},
		{"FractionalAmount", "/v2/invoices", `{"external_id":"o-5","amount":10000.5}`, 400, "API_VALIDATION_ERROR"},
		{"BelowMinimum", "/v2/invoices", `{"external_id":"o-6","amount":9999}`, 400, "MINIMAL_TRANSFER_AMOUNT_ERROR"},
		{"AboveMaximum", "/v2/invoices", `{"external_id":"o-7","amount":1000000001}`, 400, "MAXIMUM_TRANSFER_AMOUNT_ERROR"},
		{"OtherCurrency", "/v2/invoices", `{"external_id":"o-8","amount":10000,"currency":"USD"}`, 400, "UNSUPPORTED_CURRENCY"},
		{"DurationOverAYear", "/v2/invoices", `{"external_id":"o-9","amount":10000,"invoice_duration":31536001}`, 400, "API_VALIDATION_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, e.fake, "POST", tt.path, key, nil, tt.body)
			code, _ := body["error_code"].(string)
			if status != tt.status || code != tt.code {
				t.Errorf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if tt.code == "API_VALIDATION_ERROR" && body["errors"] == nil {
				t.Errorf("validation error without details: %v", body)
			}
		})
	}
	if n := len(e.fake.Invoices()); n != 3 {
		t.Errorf("%d invoices stored, want the 3 valid ones", n)
	}
}

func TestCreatedInvoiceIsCompleteAndExpiresInADay(t *testing.T) {
	e := newEnv(t)
	status, body := call(t, e.fake, "POST", "/v2/invoices", e.fake.SecretKey(), nil,
		`{"external_id":"o-1","amount":50000,"payment_methods":["BCA","QRIS"],"metadata":{"order_id":"1"}}`)
	if status != 200 {
		t.Fatalf("status %d %v", status, body)
	}
	for _, field := range []string{"id", "external_id", "user_id", "status", "merchant_name", "merchant_profile_picture_url",
		"amount", "expiry_date", "invoice_url", "available_banks", "available_retail_outlets", "available_ewallets",
		"available_qr_codes", "available_direct_debits", "available_paylaters", "should_send_email", "created", "updated"} {
		if _, ok := body[field]; !ok {
			t.Errorf("no %s, which Xendit's schema requires", field)
		}
	}
	if body["expiry_date"] != "2026-03-02T03:00:00.000Z" || body["created"] != "2026-03-01T03:00:00.000Z" {
		t.Errorf("created %v expiry %v, want a day apart", body["created"], body["expiry_date"])
	}
	if body["invoice_url"] != e.fake.URL()+"/web/"+body["id"].(string) || body["status"] != "PENDING" {
		t.Errorf("url %v status %v", body["invoice_url"], body["status"])
	}
	banks := body["available_banks"].([]any)
	if len(banks) != 1 || banks[0].(map[string]any)["bank_code"] != "BCA" || banks[0].(map[string]any)["transfer_amount"] != 50000.0 {
		t.Errorf("banks %v, want only BCA for 50000", banks)
	}
	if len(body["available_ewallets"].([]any)) != 0 || len(body["available_qr_codes"].([]any)) != 1 || body["should_exclude_credit_card"] != true {
		t.Errorf("offered more than BCA and QRIS: %v", body)
	}
}

func TestListInvoicesFilters(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var ids []string
	for range 3 {
		inv, err := e.client.CreateInvoice(ctx, xendit.CreateInvoiceRequest{ExternalID: "order-1", Amount: 10000})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inv.ID)
	}
	if err := e.fake.Pay(ids[1], "EWALLET", "OVO"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  int
	}{
		{"external_id=order-1", 3},
		{"external_id=order-2", 0},
		{"external_id=order-1&statuses=PAID", 1},
		{"external_id=order-1&statuses=PAID&statuses=PENDING", 3},
		{"external_id=order-1&statuses[0]=PENDING", 2},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			req, _ := http.NewRequest("GET", e.fake.URL()+"/v2/invoices?"+tt.query, nil)
			req.SetBasicAuth(e.fake.SecretKey(), "")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var list []xendittest.Invoice
			if err := jsonDecode(resp, &list); err != nil || len(list) != tt.want {
				t.Errorf("got %d invoices (%v), want %d", len(list), err, tt.want)
			}
		})
	}
}

func TestExpireAcceptsTheBangEscaped(t *testing.T) {
	e := newEnv(t)
	inv, err := e.client.CreateInvoice(context.Background(), xendit.CreateInvoiceRequest{ExternalID: "o", Amount: 10000})
	if err != nil {
		t.Fatal(err)
	}
	status, body := call(t, e.fake, "POST", "/invoices/"+inv.ID+"/expire%21", e.fake.SecretKey(), nil, "")
	if status != 200 || body["status"] != "EXPIRED" {
		t.Errorf("got %d %v", status, body)
	}
	status, body = call(t, e.fake, "POST", "/invoices/"+inv.ID+"/expire!", e.fake.SecretKey(), nil, "")
	if status != 200 || body["status"] != "EXPIRED" || len(e.inbox.Bodies()) != 1 {
		t.Errorf("expiring again: %d %v, %d callbacks, want 200 EXPIRED and one callback", status, body, len(e.inbox.Bodies()))
	}
}

func TestPayRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inv, err := e.client.CreateInvoice(ctx, xendit.CreateInvoiceRequest{
		ExternalID: "o", Amount: 10000, PaymentMethods: []string{"BCA"}, InvoiceDuration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	late, err := e.client.CreateInvoice(ctx, xendit.CreateInvoiceRequest{ExternalID: "late", Amount: 10000, InvoiceDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Minute)
	if err := e.fake.Pay("nope", "BANK_TRANSFER", "BCA"); !errors.Is(err, xendittest.ErrNotFound) {
		t.Errorf("unknown invoice: %v", err)
	}
	if err := e.fake.Pay(inv.ID, "BANK_TRANSFER", "BNI"); err == nil {
		t.Error("paid through a bank the invoice does not offer")
	}
	if err := e.fake.Pay(inv.ID, "TELEPATHY", "BCA"); err == nil {
		t.Error("paid with an unknown payment method")
	}
	if err := e.fake.Pay(late.ID, "BANK_TRANSFER", "BCA"); err == nil {
		t.Error("paid an invoice past its expiry date")
	}
	if err := e.fake.Pay(inv.ID, "BANK_TRANSFER", "BCA"); err != nil {
		t.Fatal(err)
	}
	if err := e.fake.Pay(inv.ID, "BANK_TRANSFER", "BCA"); err == nil {
		t.Error("paid twice")
	}
	if err := e.fake.Expire(inv.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.client.GetInvoice(ctx, inv.ID); got.Status != xendit.InvoicePaid {
		t.Errorf("expiring a paid invoice made it %s", got.Status)
	}
}

func TestOneInvoicePaidConcurrentlyIsPaidOnce(t *testing.T) {
	e := newEnv(t)
	inv, err := e.client.CreateInvoice(context.Background(), xendit.CreateInvoiceRequest{ExternalID: "o", Amount: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	paid := 0
	for _, ch := range []string{"BCA", "BNI", "BRI", "MANDIRI", "PERMATA", "BSI", "CIMB", "ALFAMART", "INDOMARET", "OVO"} {
		wg.Go(func() {
			method := "BANK_TRANSFER"
			if ch == "ALFAMART" || ch == "INDOMARET" {
				method = "RETAIL_OUTLET"
			} else if ch == "OVO" {
				method = "EWALLET"
			}
			if e.fake.Pay(inv.ID, method, ch) == nil {
				mu.Lock()
				paid++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if paid != 1 || len(e.inbox.Bodies()) != 1 {
		t.Errorf("%d payments succeeded and %d callbacks sent, want one of each", paid, len(e.inbox.Bodies()))
	}
}

func TestCheckoutPagePaysTheInvoice(t *testing.T) {
	e := newEnv(t)
	inv, err := e.client.CreateInvoice(context.Background(), xendit.CreateInvoiceRequest{
		ExternalID: "o", Amount: 150000, Description: "Kaos", SuccessRedirectURL: "https://toko.example/terima-kasih"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := http.Get(inv.InvoiceURL)
	if err != nil {
		t.Fatal(err)
	}
	html := readAll(page)
	if page.StatusCode != 200 || !strings.Contains(html, "Rp150.000") || !strings.Contains(html, `value="BCA"`) {
		t.Errorf("checkout page %d:\n%s", page.StatusCode, html)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(inv.InvoiceURL+"/pay", map[string][]string{"method": {"BANK_TRANSFER"}, "channel": {"BCA"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "https://toko.example/terima-kasih" {
		t.Errorf("after paying: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	got, _ := e.client.GetInvoice(context.Background(), inv.ID)
	if got.Status != xendit.InvoicePaid || got.PaymentChannel != "BCA" || len(e.inbox.Bodies()) != 1 {
		t.Errorf("invoice %s via %s, %d callbacks", got.Status, got.PaymentChannel, len(e.inbox.Bodies()))
	}
}
