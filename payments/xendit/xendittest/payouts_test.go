package xendittest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

func payout(account string) xendit.CreatePayoutRequest {
	return xendit.CreatePayoutRequest{
		ReferenceID: "batch-1", ChannelCode: "ID_BCA", Amount: 100000, Description: "Komisi",
		ChannelProperties: xendit.ChannelProperties{AccountNumber: account, AccountHolderName: "Siti Rahayu"},
	}
}

func TestCreatePayoutValidation(t *testing.T) {
	e := newEnv(t)
	key := e.fake.SecretKey()
	withKey := http.Header{"Idempotency-Key": {"k-1"}}
	valid := `{"reference_id":"r","channel_code":"ID_BCA","channel_properties":{"account_number":"1234567890","account_holder_name":"A"},"amount":10000,"currency":"IDR"}`
	tests := []struct {
		name   string
		header http.Header
		body   string
		status int
		code   string
	}{
		{"NoIdempotencyKey", nil, valid, 400, "API_VALIDATION_ERROR"},
		{"Valid", withKey, valid, 200, ""},
		{"UnknownChannel", http.Header{"Idempotency-Key": {"k-2"}},
			`{"reference_id":"r","channel_code":"ID_XXX","channel_properties":{"account_number":"1"},"amount":10000,"currency":"IDR"}`, 400, "CHANNEL_CODE_NOT_SUPPORTED"},
		{"FractionalAmount", http.Header{"Idempotency-Key": {"k-3"}},
			`{"reference_id":"r","channel_code":"ID_BCA","channel_properties":{"account_number":"1"},"amount":10000.5,"currency":"IDR"}`, 400, "API_VALIDATION_ERROR"},
		{"AboveEwalletLimit", http.Header{"Idempotency-Key": {"k-4"}},
			`{"reference_id":"r","channel_code":"ID_OVO","channel_properties":{"account_number":"081234567890"},"amount":25000000,"currency":"IDR"}`, 400, "MAXIMUM_TRANSFER_LIMIT_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, e.fake, "POST", "/v2/payouts", key, tt.header, tt.body)
			code, _ := body["error_code"].(string)
			if status != tt.status || code != tt.code {
				t.Errorf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
		})
	}
}

func TestMissingPayoutFieldAnswersLikeTheFixture(t *testing.T) {
	e := newEnv(t)
	status, body := call(t, e.fake, "POST", "/v2/payouts", e.fake.SecretKey(), http.Header{"Idempotency-Key": {"k"}},
		`{"reference_id":"r","channel_properties":{"account_number":"1234567890"},"amount":10000,"currency":"IDR"}`)
	var want map[string]any
	json.Unmarshal(fixture(t, "error_validation_payout.json"), &want)
	if status != 400 || !reflect.DeepEqual(body, want) {
		t.Errorf("got %d %v\nwant %v", status, body, want)
	}
}

func TestSameKeySameBodyIgnoresFormatting(t *testing.T) {
	e := newEnv(t)
	key, header := e.fake.SecretKey(), http.Header{"Idempotency-Key": {"k"}}
	_, first := call(t, e.fake, "POST", "/v2/payouts", key, header,
		`{"reference_id":"r","channel_code":"ID_BCA","channel_properties":{"account_number":"1234567890"},"amount":10000,"currency":"IDR"}`)
	_, again := call(t, e.fake, "POST", "/v2/payouts", key, header,
		`{ "currency": "IDR", "amount": 10000, "channel_properties": { "account_number": "1234567890" }, "channel_code": "ID_BCA", "reference_id": "r" }`)
	if first["id"] == nil || first["id"] != again["id"] || len(e.fake.Payouts()) != 1 {
		t.Errorf("first %v, again %v, %d payouts", first["id"], again["id"], len(e.fake.Payouts()))
	}
}

func TestConcurrentCreatesWithOneKeyMakeOnePayout(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	ids := make([]string, 20)
	for i := range ids {
		wg.Go(func() {
			p, err := e.client.CreatePayout(context.Background(), "same-key", payout("1234567890"))
			if err == nil {
				ids[i] = p.ID
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("answers %v, want one payout ID twenty times", ids)
		}
	}
	if n := len(e.fake.Payouts()); n != 1 {
		t.Errorf("%d payouts", n)
	}
}

func TestSettlePayoutAppliesTestModeAccountNumbers(t *testing.T) {
	tests := []struct {
		account string
		status  string
		failure string
		events  []string
	}{
		{"1234567890", "SUCCEEDED", "", []string{"payout.succeeded"}},
		{xendittest.AccountInvalidDestination, "FAILED", "INVALID_DESTINATION", []string{"payout.failed"}},
		{xendittest.AccountTemporaryError, "FAILED", "TEMPORARY_TRANSFER_ERROR", []string{"payout.failed"}},
		{xendittest.AccountRejectedByChannel, "FAILED", "REJECTED_BY_CHANNEL", []string{"payout.failed"}},
		{xendittest.AccountReversed, "REVERSED", "", []string{"payout.succeeded", "payout.reversed"}},
		{xendittest.AccountStaysAccepted, "ACCEPTED", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.account, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			p, err := e.client.CreatePayout(ctx, "k", payout(tt.account))
			if err != nil {
				t.Fatal(err)
			}
			if err := e.fake.SettlePayout(p.ID); err != nil {
				t.Fatal(err)
			}
			got, err := e.client.GetPayout(ctx, p.ID)
			if err != nil || string(got.Status) != tt.status || got.FailureCode != tt.failure {
				t.Errorf("payout ends %s %q (%v), want %s %q", got.Status, got.FailureCode, err, tt.status, tt.failure)
			}
			var events []string
			for _, body := range e.inbox.Bodies() {
				ev, err := xendit.ParsePayoutCallback(body)
				if err != nil {
					t.Fatal(err)
				}
				events = append(events, ev.Event)
			}
			if !reflect.DeepEqual(events, tt.events) {
				t.Errorf("callbacks %v, want %v", events, tt.events)
			}
			if err := e.fake.SettlePayout(p.ID); (err == nil) != (tt.status == "ACCEPTED") {
				t.Errorf("settling again: %v", err)
			}
		})
	}
}

func TestCancelOnlyWhileAccepted(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.client.CreatePayout(ctx, "k", payout("1234567890"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.SettlePayout(p.ID); err != nil {
		t.Fatal(err)
	}
	status, body := call(t, e.fake, "POST", "/v2/payouts/"+p.ID+"/cancel", e.fake.SecretKey(), nil, "")
	if status != 400 || body["error_code"] != "PAYOUT_NOT_CANCELLABLE" {
		t.Errorf("cancel a SUCCEEDED payout: %d %v", status, body)
	}
	status, body = call(t, e.fake, "POST", "/v2/payouts/disb-nope/cancel", e.fake.SecretKey(), nil, "")
	if status != 404 || body["error_code"] != "DATA_NOT_FOUND" {
		t.Errorf("cancel an unknown payout: %d %v", status, body)
	}
}

func TestPayoutChannelFilters(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		query string
		want  int
	}{
		{"currency=IDR&channel_category=EWALLET", 5},
		{"currency=IDR&channel_code=ID_BCA,ID_BRI", 2},
		{"currency=PHP", 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			req, _ := http.NewRequest("GET", e.fake.URL()+"/payouts_channels?"+tt.query, nil)
			req.SetBasicAuth(e.fake.SecretKey(), "")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var list []xendittest.PayoutChannel
			if err := jsonDecode(resp, &list); err != nil || len(list) != tt.want {
				t.Errorf("got %d channels (%v), want %d", len(list), err, tt.want)
			}
		})
	}
}
