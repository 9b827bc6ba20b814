package xendittest

import (
	"html/template"
	"net/http"

	"github.com/lapak-id/lapak"
)

// checkoutTemplate is the fake's hosted checkout page: the invoice and one button per channel.
var checkoutTemplate = template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{.Inv.MerchantName}}: {{.Inv.ExternalID}}</title></head>
<body>
<h1>{{.Inv.MerchantName}}</h1>
<p>{{.Inv.Description}}</p>
<p><strong>{{.Amount}}</strong> · status {{.Inv.Status}} · berlaku sampai {{.Inv.ExpiryDate}}</p>
{{if eq .Inv.Status "PENDING"}}{{range .Options}}
<form method="post" action="/web/{{$.Inv.ID}}/pay">
<input type="hidden" name="method" value="{{.Method}}"><input type="hidden" name="channel" value="{{.Channel}}">
<button type="submit">Bayar dengan {{.Channel}}{{if .Destination}} ({{.Destination}}){{end}}</button>
</form>{{end}}{{end}}
</body></html>
`))

// checkoutView is what the checkout page shows.
type checkoutView struct {
	Inv     Invoice
	Amount  string // such as Rp50.000
	Options []payOption
}

// payOption is one way to pay shown on the checkout page.
type payOption struct{ Method, Channel, Destination string }

// options lists the ways inv can be paid, with the payment_method each one reports.
func options(inv Invoice) []payOption {
	var out []payOption
	for _, b := range inv.AvailableBanks {
		out = append(out, payOption{"BANK_TRANSFER", b.BankCode, b.BankAccountNumber})
	}
	for _, q := range inv.AvailableQRCodes {
		out = append(out, payOption{"QR_CODE", q.QRCodeType, ""})
	}
	for _, e := range inv.AvailableEwallets {
		out = append(out, payOption{"EWALLET", e.EwalletType, ""})
	}
	for _, o := range inv.AvailableRetailOutlets {
		out = append(out, payOption{"RETAIL_OUTLET", o.RetailOutletName, o.PaymentCode})
	}
	for _, p := range inv.AvailablePaylaters {
		out = append(out, payOption{"PAYLATER", p.PaylaterType, ""})
	}
	if !inv.ShouldExcludeCreditCard {
		out = append(out, payOption{"CREDIT_CARD", creditCard, ""})
	}
	return out
}

// checkoutPage handles GET /web/{id}, the invoice_url a customer opens. It needs no API key.
func (s *Server) checkoutPage(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.invoice(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	checkoutTemplate.Execute(w, checkoutView{Inv: inv, Amount: lapak.Money(inv.Amount).String(), Options: options(inv)})
}

// checkoutPay handles the checkout page's buttons: it pays the invoice as Pay does, then sends
// the browser to success_redirect_url, or back to the page.
func (s *Server) checkoutPay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.Pay(id, r.FormValue("method"), r.FormValue("channel")); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	inv, _ := s.invoice(id)
	next := inv.SuccessRedirectURL
	if next == "" {
		next = "/web/" + id
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// invoice returns a copy of a stored invoice.
func (s *Server) invoice(id string) (Invoice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, ok := s.invoices[id]
	if !ok {
		return Invoice{}, false
	}
	return inv.Invoice, true
}
