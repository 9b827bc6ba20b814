package xendit_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments/xendit"
)

func TestInvoiceCallbackFixturesDecode(t *testing.T) {
	tests := []struct {
		file        string
		id          string
		status      xendit.InvoiceStatus
		amount      lapak.Money
		paid        lapak.Money
		paidAt      string
		created     string
		method      string
		channel     string
		destination string
	}{
		{"invoice_callback_paid.json", "579c8d61f23fa4ca35e52da4", xendit.InvoicePaid, 50000, 50000,
			"2016-10-12T08:15:03.404Z", "2016-10-10T08:15:03.404Z", "BANK_TRANSFER", "PERMATA", "888888888888"},
		{"invoice_callback_paid_va_sdk.json", "593f4ed1c3d3bb7f39733d83", xendit.InvoicePaid, 2000000, 2000000,
			"2020-01-14T02:32:50.912Z", "2020-01-13T02:32:49.827Z", "BANK_TRANSFER", "TEST", "8458478548758748"},
		{"invoice_callback_paid_qris_sdk.json", "12345", xendit.InvoicePaid, 1000, 1000,
			"2023-05-14T07:35:14Z", "2023-05-14T07:32:42.646Z", "QR_CODE", "QRIS", ""},
		{"invoice_callback_expired.json", "579c8d61f23fa4ca35e52da4", xendit.InvoiceExpired, 50000, 0,
			"", "2016-10-10T08:15:03.404Z", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			inv, err := xendit.ParseInvoiceCallback(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if inv.ID != tt.id || inv.Status != tt.status || inv.Amount != tt.amount || inv.PaidAmount != tt.paid {
				t.Errorf("got id %s status %s amount %d paid %d, want %s %s %d %d",
					inv.ID, inv.Status, inv.Amount, inv.PaidAmount, tt.id, tt.status, tt.amount, tt.paid)
			}
			if inv.PaymentMethod != tt.method || inv.PaymentChannel != tt.channel || inv.PaymentDestination != tt.destination {
				t.Errorf("paid by %s/%s to %q, want %s/%s to %q",
					inv.PaymentMethod, inv.PaymentChannel, inv.PaymentDestination, tt.method, tt.channel, tt.destination)
			}
			if !inv.Created.Equal(mustTime(t, tt.created)) {
				t.Errorf("created %s, want %s", inv.Created, tt.created)
			}
			if tt.paidAt == "" && !inv.PaidAt.IsZero() || tt.paidAt != "" && !inv.PaidAt.Equal(mustTime(t, tt.paidAt)) {
				t.Errorf("paid at %s, want %q", inv.PaidAt, tt.paidAt)
			}
			if inv.Status.Paid() != (tt.paid > 0) {
				t.Errorf("Paid() = %v for status %s", inv.Status.Paid(), inv.Status)
			}
		})
	}
}

func TestInvoiceCallbackDetailsDecode(t *testing.T) {
	paid, err := xendit.ParseInvoiceCallback(fixture(t, "invoice_callback_paid.json"))
	if err != nil {
		t.Fatal(err)
	}
	if paid.AdjustedReceivedAmount != 47500 || paid.BankCode != "PERMATA" || !paid.IsHigh || paid.Currency != "IDR" {
		t.Errorf("adjusted %d bank %s high %v currency %s", paid.AdjustedReceivedAmount, paid.BankCode, paid.IsHigh, paid.Currency)
	}
	qris, err := xendit.ParseInvoiceCallback(fixture(t, "invoice_callback_paid_qris_sdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	wantFees := []xendit.Fee{{Type: "example fee", Value: 100}}
	if !reflect.DeepEqual(qris.Fees, wantFees) || qris.PaymentDetails == nil || qris.PaymentDetails.Source != "Ovo" || qris.PaymentID != "qrpy_example" {
		t.Errorf("fees %+v details %+v payment id %s", qris.Fees, qris.PaymentDetails, qris.PaymentID)
	}
}

func TestPayoutCallbackFixturesDecode(t *testing.T) {
	tests := []struct {
		file    string
		event   string
		status  xendit.PayoutStatus
		failure string
		account string
		updated string
	}{
		{"payout_callback_succeeded.json", xendit.EventPayoutSucceeded, xendit.PayoutSucceeded, "", "000000000099", "2024-12-31T23:53:59Z"},
		{"payout_callback_failed.json", xendit.EventPayoutFailed, xendit.PayoutFailed, xendit.FailureInvalidDestination, "121212", "2025-01-01T23:55:59Z"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ev, err := xendit.ParsePayoutCallback(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p := ev.Data
			if ev.Event != tt.event || p.Status != tt.status || p.FailureCode != tt.failure {
				t.Errorf("got %s %s %q, want %s %s %q", ev.Event, p.Status, p.FailureCode, tt.event, tt.status, tt.failure)
			}
			if p.ID != "disb-571f3644d2b4edf0745e9703" || p.Amount != 10000 || p.ChannelCode != "ID_BCA" || p.ReferenceID != "myref-1482928194" {
				t.Errorf("payout %+v", p)
			}
			if p.ChannelProperties.AccountNumber != tt.account || p.ChannelProperties.AccountHolderName != "Michael Chen" {
				t.Errorf("channel properties %+v", p.ChannelProperties)
			}
			if ev.BusinessID != "5f27a14a9bf05c73dd040bc8" || !ev.Created.Equal(mustTime(t, "2025-01-01T23:55:59Z")) {
				t.Errorf("envelope business %s created %s", ev.BusinessID, ev.Created)
			}
			if !p.Updated.Equal(mustTime(t, tt.updated)) || !p.EstimatedArrivalTime.Equal(mustTime(t, "2024-12-31T23:59:59Z")) {
				t.Errorf("updated %s eta %s", p.Updated, p.EstimatedArrivalTime)
			}
		})
	}
}

func TestParseCallbackRefusesOtherShapes(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte) error
		body  string
	}{
		{"v3 payout event", parsePayout, `{"event":"v3_payout.succeeded","data":{"payout_id":"x","status":"SUCCEEDED"}}`},
		{"payout without data", parsePayout, `{"event":"payout.succeeded"}`},
		{"invoice without id", parseInvoice, `{"status":"PAID","amount":10000}`},
		{"not json", parseInvoice, `<html>`},
		{"fractional rupiah", parseInvoice, `{"id":"a","status":"PAID","amount":150.45}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.parse([]byte(tt.body)); err == nil {
				t.Errorf("parsed %s without error", tt.body)
			}
		})
	}
}

func parsePayout(b []byte) error  { _, err := xendit.ParsePayoutCallback(b); return err }
func parseInvoice(b []byte) error { _, err := xendit.ParseInvoiceCallback(b); return err }

func TestAmountsAndTimesDecodeTolerantly(t *testing.T) {
	body := `{"id":"a","status":"PAID","amount":10000.0,"paid_amount":1e4,"fees":[{"type":"ADMIN","value":2500.00}],
		"paid_at":"","created":"2024-12-31T23:53:59Z","updated":"2020-01-13T02:32:49.827Z","expiry_date":null,"unknown":{"x":[1.5]}}`
	inv, err := xendit.ParseInvoiceCallback([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if inv.Amount != 10000 || inv.PaidAmount != 10000 || inv.Fees[0].Value != 2500 {
		t.Errorf("amount %d paid %d fee %d, want 10000 10000 2500", inv.Amount, inv.PaidAmount, inv.Fees[0].Value)
	}
	if !inv.PaidAt.IsZero() || !inv.ExpiryDate.IsZero() {
		t.Errorf("empty times decoded as %s and %s", inv.PaidAt, inv.ExpiryDate)
	}
	if inv.Created.Nanosecond() != 0 || inv.Updated.Nanosecond() != 827_000_000 {
		t.Errorf("created %s updated %s", inv.Created, inv.Updated)
	}
}

func TestInvoiceResponseFixtureDecodes(t *testing.T) {
	c := replay(t, http.StatusOK, fixture(t, "invoice_create_response.json"))
	inv, err := c.GetInvoice(context.Background(), "579c8d61f23fa4ca35e52da4")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != xendit.InvoicePending || inv.Amount != 220000 || inv.ExternalID != "demo_1475801962607" {
		t.Errorf("status %s amount %d external %s", inv.Status, inv.Amount, inv.ExternalID)
	}
	if !inv.ExpiryDate.Equal(mustTime(t, "2020-08-01T11:20:01.017Z")) || inv.InvoiceURL == "" {
		t.Errorf("expiry %s url %q", inv.ExpiryDate, inv.InvoiceURL)
	}
	if len(inv.AvailableBanks) != 3 || inv.AvailableBanks[0].BankCode != "MANDIRI" || inv.AvailableBanks[0].TransferAmount != 50000 {
		t.Errorf("banks %+v", inv.AvailableBanks)
	}
	if inv.Customer == nil || inv.Customer.MobileNumber != "+6287774441111" || inv.Items[0].Price != 200000 || inv.Fees[0].Value != 20000 {
		t.Errorf("customer %+v items %+v fees %+v", inv.Customer, inv.Items, inv.Fees)
	}
}

func TestPayoutResponseFixturesDecode(t *testing.T) {
	ctx := context.Background()
	p, err := replay(t, http.StatusOK, fixture(t, "payout_create_response.json")).GetPayout(ctx, "disb-571f3644d2b4edf0745e9703")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != xendit.PayoutAccepted || p.Amount != 10000 || !p.Created.Equal(mustTime(t, "2024-12-31T23:53:59Z")) {
		t.Errorf("payout %+v", p)
	}
	list := fixture(t, "payout_list_by_reference_response.json")
	page, _ := json.Marshal(map[string]json.RawMessage{"data": list, "has_more": json.RawMessage("false")})
	for name, body := range map[string][]byte{"bare array": list, "sdk page": page} {
		t.Run(name, func(t *testing.T) {
			got, err := replay(t, http.StatusOK, body).ListPayoutsByReference(ctx, "myref-1482928194")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].ID != "disb-571f3644d2b4edf0745e9703" || got[0].Currency != "IDR" {
				t.Errorf("list %+v", got)
			}
		})
	}
}

// TestRequestsMatchFixtures sends the documented example requests through the client and checks
// that the fake received the same JSON.
func TestRequestsMatchFixtures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.client.CreateInvoice(ctx, xendit.CreateInvoiceRequest{
		ExternalID: "test1234", Amount: 10000, PayerEmail: "customer@domain.com", Description: "Test Invoice",
		InvoiceDuration: 48 * time.Hour, Currency: "IDR",
		Customer: &xendit.Customer{GivenNames: "John", Surname: "Doe", Email: "johndoe@example.com", MobileNumber: "+6287774441111",
			Addresses: []xendit.Address{{City: "Jakarta Selatan", Country: "Indonesia", PostalCode: "12345",
				State: "Daerah Khusus Ibukota Jakarta", StreetLine1: "Jalan Makan", StreetLine2: "Kecamatan Kebayoran Baru"}}},
		CustomerNotificationPreference: &xendit.NotificationPreference{
			InvoiceCreated:  []string{xendit.NotifyWhatsApp, xendit.NotifyEmail},
			InvoiceReminder: []string{xendit.NotifyWhatsApp, xendit.NotifyEmail},
			InvoicePaid:     []string{xendit.NotifyWhatsApp, xendit.NotifyEmail},
		},
		SuccessRedirectURL: "https://yourcompany.com/example_item/10/success_page",
		FailureRedirectURL: "https://yourcompany.com/example_item/10/failed_checkout",
		PaymentMethods:     []string{"BCA", "BNI", "BRI", "MANDIRI", "PERMATA", "OVO", "DANA", "SHOPEEPAY", "QRIS", "CREDIT_CARD"},
		Items:              []xendit.Item{{Name: "Emba Classic Appardo Two", Quantity: 1, Price: 200000, Category: "Fashion", URL: "https://yourcompany.com/example_item"}},
		Fees:               []xendit.Fee{{Type: "ADMIN", Value: 20000}},
		Metadata:           map[string]string{"store_branch": "Jakarta"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.CreatePayout(ctx, "DISB-1234", xendit.CreatePayoutRequest{
		ReferenceID: "myref-1482928194", ChannelCode: "ID_BCA", Amount: 10000, Description: "July payout", Currency: "IDR",
		ChannelProperties: xendit.ChannelProperties{AccountNumber: "000000000099", AccountHolderName: "Michael Chen"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, file string
		skip       string // a fixture field the client does not send
	}{
		{"/v2/invoices", "invoice_create_request.json", "reminder_time"},
		{"/v2/payouts", "payout_create_request.json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			reqs := e.fake.RequestsTo(http.MethodPost, tt.path)
			if len(reqs) != 1 {
				t.Fatalf("%d requests to %s", len(reqs), tt.path)
			}
			var got, want map[string]any
			if err := json.Unmarshal(reqs[0].Body, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(fixture(t, tt.file), &want); err != nil {
				t.Fatal(err)
			}
			delete(want, tt.skip)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("sent\n%s\nwant the fixture\n%s", reqs[0].Body, fixture(t, tt.file))
			}
		})
	}
}
