package payments_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments"
)

func TestCreateInvoice(t *testing.T) {
	t.Parallel()
	t.Run("MakesOneLinkWithTheOrdersDetails", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o, inv := h.linked("k1", 2)
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil { // the job, run again
			t.Fatal(err)
		}
		made := h.fake.Invoices()
		if len(made) != 1 {
			t.Fatalf("%d invoices at Xendit, want 1", len(made))
		}
		x := made[0]
		if x.ID != inv.XenditID || x.ExternalID != o.Ref || x.Amount != 150_000 || x.InvoiceURL != inv.URL ||
			x.Locale != "id" || !strings.Contains(x.Description, o.Ref) || !strings.Contains(x.Description, "Toko Rina") {
			t.Errorf("invoice at Xendit: %+v", x)
		}
		var items []struct {
			Name     string `json:"name"`
			Quantity int    `json:"quantity"`
			Price    int64  `json:"price"`
		}
		var customer struct {
			GivenNames   string `json:"given_names"`
			MobileNumber string `json:"mobile_number"`
		}
		if json.Unmarshal(x.Items, &items) != nil || len(items) != 1 || items[0].Name != "Kaos Polos" || items[0].Quantity != 2 || items[0].Price != 75_000 {
			t.Errorf("items %s", x.Items)
		}
		if json.Unmarshal(x.Customer, &customer) != nil || customer.GivenNames != "Siti Aminah" || customer.MobileNumber != "+6281234567890" {
			t.Errorf("customer %s", x.Customer)
		}
		if expiry, _ := time.Parse(time.RFC3339, x.ExpiryDate); !expiry.Equal(o.ExpiresAt) {
			t.Errorf("invoice expires %s, the reservation %s", x.ExpiryDate, o.ExpiresAt)
		}

		links := h.said(h.customer, "Link pembayaran pesanan "+o.Ref)
		if len(links) != 1 {
			t.Fatalf("%d link messages, want 1: %+v", len(links), h.messages(h.customer))
		}
		m := links[0]
		id := strconv.FormatInt(o.ID, 10)
		wib := o.ExpiresAt.In(jakarta()).Format("02/01 15.04") + " WIB"
		if !strings.Contains(m.Text, "Rp150.000") || !strings.Contains(m.Text, wib) {
			t.Errorf("link message %q, want the amount and %s", m.Text, wib)
		}
		if len(m.Links) != 1 || m.Links[0].URL != inv.URL || !strings.Contains(m.Links[0].Label, "Bayar") {
			t.Errorf("link button %+v, want one to %s", m.Links, inv.URL)
		}
		if len(m.Options) != 2 || m.Options[0].ID != "pay:check:"+id || m.Options[0].Label != "Cek pembayaran" || m.Options[1].ID != "pay:cancel:"+id {
			t.Errorf("options %+v", m.Options)
		}
		if n := h.count("SELECT count(*) FROM river_job WHERE kind = 'invoice_reminder' AND scheduled_at = $1", o.ExpiresAt.Add(-3*time.Hour)); n != 1 {
			t.Errorf("%d reminders 3 hours before expiry, want 1", n)
		}
	})

	t.Run("ALostAnswerMakesNoSecondInvoice", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o := h.order("k1", 1)
		h.fake.FailNextAfterHandling("/v2/invoices", http.StatusGatewayTimeout, "SERVER_ERROR")
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err == nil {
			t.Fatal("a lost answer was taken for a success")
		}
		if inv := h.invoice(o.ID); inv.Status != payments.InvoiceCreating || inv.Attempts != 1 {
			t.Fatalf("after the lost answer: %+v", inv)
		}
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil { // River's retry
			t.Fatal(err)
		}
		made := h.fake.Invoices()
		if len(made) != 1 || len(h.fake.RequestsTo("POST", "/v2/invoices")) != 1 {
			t.Fatalf("%d invoices at Xendit after %d creations, want 1", len(made), len(h.fake.RequestsTo("POST", "/v2/invoices")))
		}
		if inv := h.invoice(o.ID); inv.XenditID != made[0].ID || inv.Status != payments.InvoicePending || inv.Attempts != 2 {
			t.Errorf("the retry did not adopt the invoice made: %+v", inv)
		}
		if n := len(h.said(h.customer, "Link pembayaran")); n != 1 {
			t.Errorf("%d link messages, want 1", n)
		}
	})

	t.Run("AFailureBeforeXenditActedIsRetried", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o := h.order("k1", 1)
		h.fake.FailNext("/v2/invoices", http.StatusServiceUnavailable, "SERVER_ERROR")
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err == nil {
			t.Fatal("a failure was taken for a success")
		}
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil {
			t.Fatal(err)
		}
		if made := h.fake.Invoices(); len(made) != 1 || h.invoice(o.ID).XenditID != made[0].ID {
			t.Errorf("%d invoices at Xendit, want the retry's one saved", len(made))
		}
	})

	t.Run("AnOrderBelowXenditsMinimumIsCancelled", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		stock := 10
		cheap, err := h.store.SaveProduct(h.ctx, lapak.Product{SupplierID: h.kaos.SupplierID, SKU: "STIKER-1", Name: "Stiker",
			BasePrice: 5_000, RetailPrice: 8_000, Stock: &stock, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		o, err := h.store.PlaceOrder(h.ctx, lapak.NewOrder{Key: "small", CustomerUserID: h.customer.ID, Items: []lapak.CartItem{{ProductID: cheap.ID, Qty: 1}},
			Name: "Siti", Phone: "+6281234567890", Address: lapak.Address{Street: "Jl. Merdeka 10"}, ExpiresAt: h.clock.Now().Add(time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil {
				t.Fatalf("a refusal is retried: %v", err)
			}
		}
		if len(h.fake.Invoices()) != 0 || len(h.fake.RequestsTo("POST", "/v2/invoices")) != 1 {
			t.Errorf("asked Xendit %d times", len(h.fake.RequestsTo("POST", "/v2/invoices")))
		}
		got := h.invoice(o.ID)
		if got.Order.Status != lapak.OrderCancelled || h.count("SELECT stock FROM products WHERE id = $1", cheap.ID) != 10 {
			t.Errorf("order %s, stock %d; want cancelled with its stock back", got.Order.Status, h.count("SELECT stock FROM products WHERE id = $1", cheap.ID))
		}
		told := h.said(h.customer, "di bawah minimal pembayaran online Rp10.000")
		if len(told) != 1 || len(told[0].Options) != 1 || told[0].Options[0].ID != "pay:again:"+strconv.FormatInt(o.ID, 10) {
			t.Errorf("customer told %+v", h.messages(h.customer))
		}
		if len(h.said(h.owner, "MINIMAL_TRANSFER_AMOUNT_ERROR")) != 1 {
			t.Errorf("owners told %+v", h.messages(h.owner))
		}
	})

	t.Run("NoLinkForAReservationAboutToEnd", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		o := h.order("k1", 1)
		h.clock.Advance(24*time.Hour - 30*time.Second)
		if err := h.svc.CreateInvoice(h.ctx, o.ID); err != nil {
			t.Fatal(err)
		}
		if len(h.fake.Requests()) != 0 || h.invoice(o.ID).Attempts != 0 {
			t.Errorf("asked Xendit for a link that would live 30 s")
		}
	})
}

func jakarta() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*60*60)
	}
	return loc
}
