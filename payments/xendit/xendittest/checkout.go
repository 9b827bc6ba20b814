package xendittest

import (
	"html/template"
	"net/http"
	"time"

	"github.com/lapak-id/lapak"
)

// checkoutTemplate is the fake's hosted checkout page: the invoice, the ways to pay it grouped as
// Xendit's page groups them (virtual account, QRIS, card, then the others), one chosen, and a
// Bayar button that pays with it.
var checkoutTemplate = template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Inv.MerchantName}}: {{.Inv.ExternalID}}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f3f5f9;margin:0;color:#1d2433}
main{max-width:420px;margin:24px auto;background:#fff;border-radius:12px;padding:20px 24px;box-shadow:0 2px 8px #0002}
.sandbox{background:#fff4d6;border-radius:6px;padding:6px 10px;font-size:13px}
.amount{font-size:28px;font-weight:700;margin:8px 0}
fieldset{border:1px solid #dde2ec;border-radius:8px;margin:10px 0;padding:6px 12px}
legend{font-weight:600;padding:0 4px}
label{display:block;padding:6px 0;cursor:pointer}
small{color:#667}
button{width:100%;padding:12px;font-size:17px;font-weight:600;border:0;border-radius:8px;background:#1a5cff;color:#fff;cursor:pointer}
.done{font-size:18px}
</style></head>
<body><main>
<p class="sandbox">Sandbox Xendit: tidak ada uang sungguhan yang berpindah.</p>
<h1>{{.Inv.MerchantName}}</h1>
<p>{{.Inv.Description}}</p>
<p class="amount" data-testid="amount">{{.Amount}}</p>
{{- if eq .Inv.Status "PENDING"}}
<p>Bayar sebelum {{.Expiry}}</p>
<form method="post" action="/web/{{.Inv.ID}}/pay">
<h2>Pilih cara bayar</h2>
{{- range $g, $group := .Groups}}
<fieldset><legend>{{$group.Title}}</legend>
{{- range $i, $o := $group.Options}}
<label><input type="radio" name="channel" value="{{$o.Channel}}" data-testid="option-{{$o.Channel}}"{{if and (eq $g 0) (eq $i 0)}} checked{{end}}> {{$o.Label}}{{if $o.Destination}} <small>{{$o.Destination}}</small>{{end}}</label>
{{- end}}
</fieldset>
{{- end}}
<button type="submit" data-testid="pay">Bayar {{.Amount}}</button>
</form>
{{- else if or (eq .Inv.Status "PAID") (eq .Inv.Status "SETTLED")}}
<p class="done" data-testid="status">✅ Pembayaran berhasil lewat {{.Inv.PaymentChannel}}. Kembali ke chat untuk melihat tanda terimanya.</p>
{{- else}}
<p data-testid="status">Invoice ini sudah {{.Inv.Status}} dan tidak bisa dibayar lagi.</p>
{{- end}}
</main></body></html>
`))

// checkoutView is what the checkout page shows.
type checkoutView struct {
	Inv    Invoice
	Amount string // such as Rp50.000
	Expiry string // in WIB, such as 14/03 17.30 WIB
	Groups []payGroup
}

// payGroup is a kind of payment on the checkout page and its channels.
type payGroup struct {
	Title   string
	Options []payOption
}

// payOption is one way to pay shown on the checkout page.
type payOption struct{ Method, Channel, Label, Destination string }

// options lists the ways inv can be paid, grouped, with the payment_method each one reports.
func options(inv Invoice) []payGroup {
	var va, qr, card, ewallet, retail, later payGroup
	va.Title, qr.Title, card.Title = "Transfer bank (Virtual Account)", "QRIS", "Kartu kredit/debit"
	ewallet.Title, retail.Title, later.Title = "E-wallet", "Gerai retail", "Paylater"
	for _, b := range inv.AvailableBanks {
		va.Options = append(va.Options, payOption{"BANK_TRANSFER", b.BankCode, "VA " + b.BankCode, b.BankAccountNumber})
	}
	for _, q := range inv.AvailableQRCodes {
		qr.Options = append(qr.Options, payOption{"QR_CODE", q.QRCodeType, q.QRCodeType, ""})
	}
	if !inv.ShouldExcludeCreditCard {
		card.Options = append(card.Options, payOption{"CREDIT_CARD", creditCard, "Kartu kredit/debit", ""})
	}
	for _, e := range inv.AvailableEwallets {
		ewallet.Options = append(ewallet.Options, payOption{"EWALLET", e.EwalletType, e.EwalletType, ""})
	}
	for _, o := range inv.AvailableRetailOutlets {
		retail.Options = append(retail.Options, payOption{"RETAIL_OUTLET", o.RetailOutletName, o.RetailOutletName, o.PaymentCode})
	}
	for _, p := range inv.AvailablePaylaters {
		later.Options = append(later.Options, payOption{"PAYLATER", p.PaylaterType, p.PaylaterType, ""})
	}
	var out []payGroup
	for _, g := range []payGroup{va, qr, card, ewallet, retail, later} {
		if len(g.Options) > 0 {
			out = append(out, g)
		}
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
	view := checkoutView{Inv: inv, Amount: lapak.Money(inv.Amount).String(), Expiry: inv.ExpiryDate, Groups: options(inv)}
	if t, err := time.Parse(time.RFC3339, inv.ExpiryDate); err == nil {
		view.Expiry = t.In(wib).Format("02/01 15.04 MST")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	checkoutTemplate.Execute(w, view)
}

// wib is Western Indonesia Time, or a fixed UTC+7 when the zone database is missing.
var wib = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
		return loc
	}
	return time.FixedZone("WIB", 7*60*60)
}()

// checkoutPay handles the checkout page's Bayar button: it pays the invoice with the chosen
// channel (and the payment_method that channel reports, unless method names one), as Pay does,
// then sends the browser to success_redirect_url, or back to the page.
func (s *Server) checkoutPay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	inv, ok := s.invoice(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	method, channel := r.FormValue("method"), r.FormValue("channel")
	if method == "" {
		method = methodOf(inv, channel)
	}
	if method == "" || channel == "" {
		http.Error(w, "Pilih cara bayar dulu.", http.StatusBadRequest)
		return
	}
	if err := s.Pay(id, method, channel); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	next := inv.SuccessRedirectURL
	if next == "" {
		next = "/web/" + id
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// methodOf is the payment_method a payment through channel reports, or "" when inv does not offer
// channel.
func methodOf(inv Invoice, channel string) string {
	for _, g := range options(inv) {
		for _, o := range g.Options {
			if o.Channel == channel {
				return o.Method
			}
		}
	}
	return ""
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
