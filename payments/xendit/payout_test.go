package xendit_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

// commission is a typical reseller payout.
func commission(account string) xendit.CreatePayoutRequest {
	return xendit.CreatePayoutRequest{
		ReferenceID:       "commission-batch-7",
		ChannelCode:       "ID_BCA",
		ChannelProperties: xendit.ChannelProperties{AccountNumber: account, AccountHolderName: "Andi Wijaya"},
		Amount:            275000,
		Description:       "Komisi Lapak",
	}
}

func TestCreatePayoutRetriedAfterServerErrorMakesOnePayout(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*xendittest.Server)
	}{
		{"ErrorBeforeCreating", func(f *xendittest.Server) { f.FailNext("/v2/payouts", 500, xendit.CodeServerError) }},
		{"ErrorAfterCreating", func(f *xendittest.Server) { f.FailNextAfterHandling("/v2/payouts", 500, xendit.CodeServerError) }},
		{"TwoErrorsAfterCreating", func(f *xendittest.Server) {
			f.FailNextAfterHandling("/v2/payouts", 502, "")
			f.FailNextAfterHandling("/v2/payouts", 500, xendit.CodeServerError)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.inject(e.fake)
			p, err := e.client.CreatePayout(context.Background(), "payout-reseller-12-batch-7", commission("1234567890"))
			if err != nil {
				t.Fatalf("CreatePayout with retries: %v", err)
			}
			if p.Status != xendit.PayoutAccepted || p.Amount != 275000 {
				t.Errorf("payout %+v", p)
			}
			if got := e.fake.Payouts(); len(got) != 1 || got[0].ID != p.ID {
				t.Errorf("the fake holds %d payouts, want exactly the one answered (%s)", len(got), p.ID)
			}
			reqs := e.fake.RequestsTo(http.MethodPost, "/v2/payouts")
			if len(reqs) < 2 {
				t.Fatalf("%d requests, want a retry", len(reqs))
			}
			for _, r := range reqs {
				if k := r.Header.Get("Idempotency-Key"); k != "payout-reseller-12-batch-7" {
					t.Errorf("attempt sent Idempotency-key %q", k)
				}
			}
		})
	}
}

func TestCreatePayoutIdempotency(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first, err := e.client.CreatePayout(ctx, "key-1", commission("1234567890"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("SameKeySameBodyAnswersTheOriginal", func(t *testing.T) {
		again, err := e.client.CreatePayout(ctx, "key-1", commission("1234567890"))
		if err != nil || again.ID != first.ID {
			t.Errorf("got %v %v, want payout %s again", again, err, first.ID)
		}
	})
	t.Run("SameKeyDifferentBodyIsDuplicateError", func(t *testing.T) {
		other := commission("1234567890")
		other.Amount = 300000
		_, err := e.client.CreatePayout(ctx, "key-1", other)
		if !xendit.IsCode(err, xendit.CodeDuplicate) {
			t.Errorf("got %v, want DUPLICATE_ERROR", err)
		}
		if apiErr, _ := xendit.AsError(err); apiErr == nil || apiErr.Temporary() {
			t.Errorf("DUPLICATE_ERROR must not be retried: %v", err)
		}
	})
	t.Run("NewKeyMakesANewPayout", func(t *testing.T) {
		p, err := e.client.CreatePayout(ctx, "key-2", commission("1234567890"))
		if err != nil || p.ID == first.ID {
			t.Errorf("got %v %v, want a second payout", p, err)
		}
	})
	if n := len(e.fake.Payouts()); n != 2 {
		t.Errorf("%d payouts, want 2", n)
	}
}

func TestCreatePayoutNeedsAnIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	for _, key := range []string{"", string(make([]byte, 101))} {
		if _, err := e.client.CreatePayout(context.Background(), key, commission("1234567890")); err == nil {
			t.Errorf("key of %d bytes accepted", len(key))
		}
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("%d requests sent without a valid key", n)
	}
}

func TestPayoutErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	unknown := commission("1234567890")
	unknown.ChannelCode = "ID_NOWHERE"
	small := commission("1234567890")
	small.Amount = 5000
	noAccount := commission("")
	tests := []struct {
		name string
		req  xendit.CreatePayoutRequest
		code string
	}{
		{"UnknownChannel", unknown, xendit.CodeChannelNotSupported},
		{"BelowChannelMinimum", small, xendit.CodeMinimumTransferLimit},
		{"MissingAccountNumber", noAccount, xendit.CodeAPIValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client.CreatePayout(ctx, "key-"+tt.name, tt.req)
			if !xendit.IsCode(err, tt.code) {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}
	if _, err := e.client.GetPayout(ctx, "disb-000000000000000000000000"); !xendit.IsCode(err, xendit.CodeDataNotFound) {
		t.Errorf("get unknown payout: %v, want DATA_NOT_FOUND", err)
	}
}

func TestPayoutGetListCancel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	held, err := e.client.CreatePayout(ctx, "key-held", commission(xendittest.AccountStaysAccepted))
	if err != nil {
		t.Fatal(err)
	}
	sent, err := e.client.CreatePayout(ctx, "key-sent", commission("1234567890"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.fake.SettlePayout(sent.ID); err != nil {
		t.Fatal(err)
	}

	got, err := e.client.GetPayout(ctx, sent.ID)
	if err != nil || got.Status != xendit.PayoutSucceeded {
		t.Errorf("settled payout reads %v %v", got, err)
	}
	list, err := e.client.ListPayoutsByReference(ctx, "commission-batch-7")
	if err != nil || len(list) != 2 || list[0].ID != held.ID || list[1].ID != sent.ID {
		t.Errorf("list %+v %v", list, err)
	}
	if err := e.fake.SettlePayout(held.ID); err != nil {
		t.Fatal(err)
	}
	cancelled, err := e.client.CancelPayout(ctx, held.ID)
	if err != nil || cancelled.Status != xendit.PayoutCancelled {
		t.Errorf("cancel a payout that stays ACCEPTED: %v %v", cancelled, err)
	}
	if _, err := e.client.CancelPayout(ctx, sent.ID); err == nil {
		t.Error("cancelled a payout that already SUCCEEDED")
	}
}

func TestPayoutChannelsListIndonesianBanksAndWallets(t *testing.T) {
	e := newEnv(t)
	channels, err := e.client.PayoutChannels(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range channels {
		codes = append(codes, c.ChannelCode)
		if c.Currency != "IDR" || c.AmountLimits.Minimum <= 0 || c.AmountLimits.MinimumIncrement != 1 {
			t.Errorf("channel %+v", c)
		}
	}
	for _, want := range []string{"ID_BCA", "ID_BNI", "ID_BRI", "ID_MANDIRI", "ID_BSI", "ID_DANA", "ID_OVO", "ID_GOPAY"} {
		if !slices.Contains(codes, want) {
			t.Errorf("no %s in %v", want, codes)
		}
	}
	if !slices.IsSorted(codes) {
		t.Errorf("channels not sorted by code: %v", codes)
	}
	if q := e.fake.Requests()[0].Query.Get("currency"); q != "IDR" {
		t.Errorf("asked for currency %q, want IDR", q)
	}
}
