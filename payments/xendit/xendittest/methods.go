package xendittest

import (
	"fmt"
	"slices"
)

// Bank is a virtual account offered on an invoice.
type Bank struct {
	BankCode          string `json:"bank_code"`
	CollectionType    string `json:"collection_type"`
	BankBranch        string `json:"bank_branch"`
	BankAccountNumber string `json:"bank_account_number"`
	AccountHolderName string `json:"account_holder_name"`
	TransferAmount    int64  `json:"transfer_amount"`
	IdentityAmount    int64  `json:"identity_amount"`
}

// RetailOutlet is a shop counter offered on an invoice.
type RetailOutlet struct {
	RetailOutletName string `json:"retail_outlet_name"`
	PaymentCode      string `json:"payment_code"`
	TransferAmount   int64  `json:"transfer_amount"`
	MerchantName     string `json:"merchant_name"`
}

// Ewallet is an e-wallet offered on an invoice.
type Ewallet struct {
	EwalletType string `json:"ewallet_type"`
}

// QRCode is a QR scheme offered on an invoice.
type QRCode struct {
	QRCodeType string `json:"qr_code_type"`
}

// DirectDebit is a direct debit offered on an invoice. The fake offers none.
type DirectDebit struct {
	DirectDebitType string `json:"direct_debit_type"`
}

// Paylater is a pay-later provider offered on an invoice.
type Paylater struct {
	PaylaterType string `json:"paylater_type"`
}

// What the fake account offers on invoices, per kind, with each bank's VA prefix (made up).
var (
	vaBanks = []struct{ code, prefix string }{
		{"BCA", "10766"}, {"BNI", "88089"}, {"BRI", "26215"}, {"MANDIRI", "88608"},
		{"PERMATA", "82150"}, {"BSI", "93137"}, {"CIMB", "59339"},
	}
	retailOutlets = []string{"ALFAMART", "INDOMARET"}
	ewallets      = []string{"OVO", "DANA", "SHOPEEPAY", "LINKAJA", "ASTRAPAY"}
	qrCodes       = []string{"QRIS"}
	paylaters     = []string{"KREDIVO", "AKULAKU"}
)

// creditCard is the payment_methods value for cards.
const creditCard = "CREDIT_CARD"

// knownMethods reports whether every requested payment method is one the fake account offers.
func knownMethods(methods []string) bool {
	for _, m := range methods {
		if !slices.Contains(allChannels(), m) {
			return false
		}
	}
	return true
}

// allChannels lists every payment_methods value the fake account accepts.
func allChannels() []string {
	out := []string{creditCard}
	for _, b := range vaBanks {
		out = append(out, b.code)
	}
	return slices.Concat(out, retailOutlets, ewallets, qrCodes, paylaters)
}

// offerMethods fills the available_* lists of inv with the requested methods, or all of them.
func offerMethods(inv *Invoice, methods []string, merchant string) {
	offered := func(code string) bool { return len(methods) == 0 || slices.Contains(methods, code) }
	inv.AvailableBanks = []Bank{}
	for _, b := range vaBanks {
		if offered(b.code) {
			inv.AvailableBanks = append(inv.AvailableBanks, Bank{
				BankCode: b.code, CollectionType: "POOL", BankBranch: "Virtual Account",
				BankAccountNumber: b.prefix + digits(11), AccountHolderName: merchant,
				TransferAmount: inv.Amount,
			})
		}
	}
	inv.AvailableRetailOutlets = []RetailOutlet{}
	for _, name := range retailOutlets {
		if offered(name) {
			inv.AvailableRetailOutlets = append(inv.AvailableRetailOutlets, RetailOutlet{
				RetailOutletName: name, PaymentCode: "TEST" + digits(6), TransferAmount: inv.Amount, MerchantName: merchant,
			})
		}
	}
	inv.AvailableEwallets = collect(ewallets, offered, func(c string) Ewallet { return Ewallet{c} })
	inv.AvailableQRCodes = collect(qrCodes, offered, func(c string) QRCode { return QRCode{c} })
	inv.AvailablePaylaters = collect(paylaters, offered, func(c string) Paylater { return Paylater{c} })
	inv.AvailableDirectDebits = []DirectDebit{}
	inv.ShouldExcludeCreditCard = !offered(creditCard)
}

// collect builds the entries for the offered codes.
func collect[T any](codes []string, offered func(string) bool, entry func(string) T) []T {
	out := []T{}
	for _, c := range codes {
		if offered(c) {
			out = append(out, entry(c))
		}
	}
	return out
}

// offers reports whether channel can pay inv, and the VA number or payment code it pays to.
func (inv *Invoice) offers(channel string) (destination string, ok bool) {
	for _, b := range inv.AvailableBanks {
		if b.BankCode == channel {
			return b.BankAccountNumber, true
		}
	}
	for _, o := range inv.AvailableRetailOutlets {
		if o.RetailOutletName == channel {
			return o.PaymentCode, true
		}
	}
	for _, e := range inv.AvailableEwallets {
		if e.EwalletType == channel {
			return "", true
		}
	}
	for _, q := range inv.AvailableQRCodes {
		if q.QRCodeType == channel {
			return "", true
		}
	}
	for _, p := range inv.AvailablePaylaters {
		if p.PaylaterType == channel {
			return "", true
		}
	}
	return "", channel == creditCard && !inv.ShouldExcludeCreditCard
}

// digits returns n random decimal digits.
func digits(n int) string {
	h := newHex(n)
	out := make([]byte, n)
	for i := range out {
		out[i] = '0' + h[i]%10
	}
	return string(out)
}

// paymentMethods are the payment_method values Xendit reports on a paid invoice.
var paymentMethods = []string{
	"POOL", "CALLBACK_VIRTUAL_ACCOUNT", "CREDIT_CARD", "RETAIL_OUTLET", "QR_CODE", "QRIS",
	"EWALLET", "DIRECT_DEBIT", "BANK_TRANSFER", "PAYLATER", "CRYPTOCURRENCY",
}

// checkPayment says why method and channel cannot pay inv, or nil.
func checkPayment(inv *Invoice, method, channel string) error {
	if !slices.Contains(paymentMethods, method) {
		return fmt.Errorf("unknown payment method %q", method)
	}
	if _, ok := inv.offers(channel); !ok {
		return fmt.Errorf("channel %q is not offered on invoice %s", channel, inv.ID)
	}
	return nil
}
