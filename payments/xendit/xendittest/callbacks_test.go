package xendittest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

// shape maps each key of a JSON object to the JSON type of its value, nested objects included.
func shape(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, val := range m {
			switch val := val.(type) {
			case map[string]any:
				out[prefix+k] = "object"
				walk(prefix+k+".", val)
			default:
				out[prefix+k] = reflect.TypeOf(val).String()
			}
		}
	}
	walk("", v)
	return out
}

// keyOrder lists the top-level keys of a JSON object in the order they appear.
func keyOrder(t *testing.T, body []byte) []string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(body))
	d.Token()
	var keys []string
	for d.More() {
		k, _ := d.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		d.Decode(&skip)
	}
	return keys
}

func TestCallbackBodiesHaveTheFixtureShapes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	req := xendit.CreateInvoiceRequest{Amount: 50000, PayerEmail: "pembeli@example.com", Description: "Kaos"}
	req.ExternalID = "paid"
	paid, err := e.client.CreateInvoice(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	req.ExternalID = "expired"
	expired, err := e.client.CreateInvoice(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	succeeded, err := e.client.CreatePayout(ctx, "k-1", payout("000000000099"))
	if err != nil {
		t.Fatal(err)
	}
	failed, err := e.client.CreatePayout(ctx, "k-2", payout(xendittest.AccountInvalidDestination))
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { return e.fake.Pay(paid.ID, "BANK_TRANSFER", "PERMATA") },
		func() error { return e.fake.Expire(expired.ID) },
		func() error { return e.fake.SettlePayout(succeeded.ID) },
		func() error { return e.fake.SettlePayout(failed.ID) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	bodies := e.inbox.Bodies()
	files := []string{"invoice_callback_paid.json", "invoice_callback_expired.json", "payout_callback_succeeded.json", "payout_callback_failed.json"}
	if len(bodies) != len(files) {
		t.Fatalf("%d callbacks, want %d", len(bodies), len(files))
	}
	for i, file := range files {
		t.Run(file, func(t *testing.T) {
			want := fixture(t, file)
			if got, want := shape(t, bodies[i]), shape(t, want); !reflect.DeepEqual(got, want) {
				t.Errorf("shape\n%v\nwant\n%v", got, want)
			}
			if got, want := keyOrder(t, bodies[i]), keyOrder(t, want); !reflect.DeepEqual(got, want) {
				t.Errorf("key order %v, want %v", got, want)
			}
		})
	}
	for i, tok := range e.inbox.Tokens() {
		if tok != e.fake.CallbackToken() {
			t.Errorf("callback %d carried token %q", i, tok)
		}
	}
}

func TestOneEventDeliveredManyTimesAtOnce(t *testing.T) {
	e := newEnv(t)
	const copies = 50
	e.inbox.gate = newGate(copies)
	e.fake.SetCallbackCopies(copies)
	inv, err := e.client.CreateInvoice(context.Background(), xendit.CreateInvoiceRequest{ExternalID: "o", Amount: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.Pay(inv.ID, "QR_CODE", "QRIS"); err != nil {
		t.Fatal(err)
	}
	d := e.fake.Deliveries()
	if len(d) != copies {
		t.Fatalf("%d deliveries, want %d", len(d), copies)
	}
	for _, one := range d {
		if !one.OK() || one.Seq != d[0].Seq || !bytes.Equal(one.Body, d[0].Body) {
			t.Fatalf("delivery %+v: the copies were not all delivered together (each waits for the other %d)", one, copies-1)
		}
	}
}

func TestHeldCallbacksArriveOutOfOrder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.fake.HoldCallbacks()
	p, err := e.client.CreatePayout(ctx, "k", payout(xendittest.AccountReversed))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.SettlePayout(p.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.Deliveries()); n != 0 {
		t.Fatalf("%d deliveries while holding", n)
	}
	e.fake.ReleaseCallbacks(xendittest.NewestFirst)
	var events []string
	for _, body := range e.inbox.Bodies() {
		ev, err := xendit.ParsePayoutCallback(body)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev.Event+" "+string(ev.Data.Status))
	}
	want := []string{"payout.reversed REVERSED", "payout.succeeded SUCCEEDED"}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("arrived %v, want %v", events, want)
	}
}

func TestFailedDeliveriesAreRecordedAndRedelivered(t *testing.T) {
	e := newEnv(t)
	e.inbox.fails = 1
	inv, err := e.client.CreateInvoice(context.Background(), xendit.CreateInvoiceRequest{ExternalID: "o", Amount: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.Expire(inv.ID); err != nil {
		t.Fatal(err)
	}
	if d := e.fake.Deliveries(); len(d) != 1 || d[0].Status != 500 || d[0].OK() {
		t.Fatalf("deliveries %+v, want one 500", d)
	}
	if n := e.fake.RedeliverFailed(); n != 1 {
		t.Errorf("redelivered %d, want 1", n)
	}
	d := e.fake.Deliveries()
	if len(d) != 2 || d[1].Status != 200 || d[1].Seq != d[0].Seq || d[1].Event != "EXPIRED" {
		t.Errorf("deliveries %+v, want the same event answered 200", d)
	}
	if n := e.fake.RedeliverFailed(); n != 0 {
		t.Errorf("redelivered %d delivered events", n)
	}
}

func TestCallbacksWithoutURLWaitForOne(t *testing.T) {
	f := xendittest.New(xendittest.Config{})
	t.Cleanup(f.Close)
	c := xendit.New(xendit.Config{BaseURL: f.URL(), SecretKey: f.SecretKey()})
	inv, err := c.CreateInvoice(context.Background(), xendit.CreateInvoiceRequest{ExternalID: "o", Amount: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Pay(inv.ID, "BANK_TRANSFER", "BCA"); err != nil {
		t.Fatal(err)
	}
	if d := f.Deliveries(); len(d) != 1 || d[0].Err == "" {
		t.Fatalf("deliveries %+v, want one failed for lack of a URL", d)
	}
	in := &inbox{status: 200}
	srv := httptest.NewServer(in)
	t.Cleanup(srv.Close)
	f.SetCallbackURLs(srv.URL, srv.URL)
	if f.RedeliverFailed() != 1 || len(in.Bodies()) != 1 {
		t.Errorf("the held-back callback did not arrive once a URL was set")
	}
}

func TestFailNextIsUsedOnceAndIgnoresTrailingSlash(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext("/v2/invoices/", http.StatusInternalServerError, "SERVER_ERROR")
	status, body := call(t, e.fake, "POST", "/v2/invoices", e.fake.SecretKey(), nil, `{"external_id":"o","amount":10000}`)
	if status != 500 || body["error_code"] != "SERVER_ERROR" || len(e.fake.Invoices()) != 0 {
		t.Errorf("injected failure: %d %v, %d invoices", status, body, len(e.fake.Invoices()))
	}
	status, _ = call(t, e.fake, "POST", "/v2/invoices", e.fake.SecretKey(), nil, `{"external_id":"o","amount":10000}`)
	if status != 200 {
		t.Errorf("the failure was used twice: %d", status)
	}
}

func TestRateLimitHeadersCountTheLastMinute(t *testing.T) {
	e := newEnv(t)
	remaining := func() string {
		req, _ := http.NewRequest("GET", e.fake.URL()+"/v2/payouts?reference_id=r", nil)
		req.SetBasicAuth(e.fake.SecretKey(), "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Rate-Limit-Limit") != "60" || resp.Header.Get("Rate-Limit-Reset") == "" {
			t.Errorf("headers %v", resp.Header)
		}
		return resp.Header.Get("Rate-Limit-Remaining")
	}
	got := []string{remaining(), remaining()}
	e.clock.Advance(61 * time.Second)
	got = append(got, remaining())
	if want := []string{"59", "58", "59"}; !reflect.DeepEqual(got, want) {
		t.Errorf("remaining %v, want %v", got, want)
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	e := newEnv(t)
	if _, err := e.client.CreatePayout(context.Background(), "key-9", payout("1234567890")); err != nil {
		t.Fatal(err)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/v2/payouts" || r.Header.Get("Idempotency-Key") != "key-9" || !r.At.Equal(t0) {
		t.Errorf("request %+v", r)
	}
	if r.Header.Get("Authorization") != "" || bytes.Contains(r.Body, []byte(e.fake.SecretKey())) {
		t.Error("the record keeps the secret key")
	}
	if !bytes.Contains(r.Body, []byte(`"reference_id":"batch-1"`)) {
		t.Errorf("body %s", r.Body)
	}
}
