package xendittest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lapak-id/lapak/payments/xendit"
)

// TestCheckoutPageChooseThenBayar is the page a customer sees: the ways to pay grouped as virtual
// accounts, QRIS and cards first, one chosen, and a Bayar button that pays with the choice.
func TestCheckoutPageChooseThenBayar(t *testing.T) {
	e := newEnv(t)
	inv, err := e.client.CreateInvoice(context.Background(), xendit.CreateInvoiceRequest{
		ExternalID: "LPK-7F3K2Q", Amount: 85_000, Description: "Pesanan LPK-7F3K2Q", PaymentMethods: []string{"BCA", "QRIS", "CREDIT_CARD", "OVO"}})
	if err != nil {
		t.Fatal(err)
	}
	page, err := http.Get(inv.InvoiceURL)
	if err != nil {
		t.Fatal(err)
	}
	html := readAll(page)
	order := []string{"Transfer bank (Virtual Account)", `value="BCA"`, "QRIS", `value="QRIS"`, "Kartu kredit/debit", `value="CREDIT_CARD"`, "E-wallet", `value="OVO"`, "Bayar Rp85.000"}
	at := 0
	for _, want := range order {
		i := strings.Index(html[at:], want)
		if i < 0 {
			t.Fatalf("checkout page lacks %q after what came before:\n%s", want, html)
		}
		at += i
	}
	if strings.Count(html, " checked") != 1 || !strings.Contains(html, `value="BCA" data-testid="option-BCA" checked`) {
		t.Errorf("the first way to pay is not the one chosen:\n%s", html)
	}

	resp, err := http.PostForm(inv.InvoiceURL+"/pay", nil)
	if err != nil {
		t.Fatal(err)
	}
	if readAll(resp); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("Bayar without a choice: %d", resp.StatusCode)
	}
	resp, err = http.PostForm(inv.InvoiceURL+"/pay", map[string][]string{"channel": {"QRIS"}})
	if err != nil {
		t.Fatal(err)
	}
	if done := readAll(resp); resp.StatusCode != http.StatusOK || !strings.Contains(done, "Pembayaran berhasil lewat QRIS") {
		t.Errorf("after Bayar: %d\n%s", resp.StatusCode, done)
	}
	got, _ := e.client.GetInvoice(context.Background(), inv.ID)
	if got.Status != xendit.InvoicePaid || got.PaymentMethod != "QR_CODE" || got.PaymentChannel != "QRIS" || len(e.inbox.Bodies()) != 1 {
		t.Errorf("invoice %s by %s/%s, %d callbacks", got.Status, got.PaymentMethod, got.PaymentChannel, len(e.inbox.Bodies()))
	}
}
