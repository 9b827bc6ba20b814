package lapak

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// OrderText is the message a customer's WhatsApp is prefilled with when they tap a reseller's
// order link. It names the product and carries the product and reseller codes, which the store
// reads back with ParseOrderText to open the product and credit the reseller.
func OrderText(productName, sku, resellerCode string) string {
	return fmt.Sprintf("Halo, saya mau pesan %s [%s] via %s", productName, sku, resellerCode)
}

var orderTextRE = regexp.MustCompile(`\[([A-Za-z0-9][A-Za-z0-9-]{0,39})\]\s*via\s+([A-Za-z]{2,5}[2-9]{1,4})\b`)

// ParseOrderText finds the product and reseller codes in a message made by OrderText, even when
// the customer edited the words around them.
func ParseOrderText(text string) (sku, resellerCode string, ok bool) {
	m := orderTextRE.FindStringSubmatch(text)
	if m == nil {
		return "", "", false
	}
	return strings.ToUpper(m[1]), strings.ToUpper(m[2]), true
}

// WhatsAppLink opens a chat with number with text typed in, as https://wa.me/<digits>?text=….
func WhatsAppLink(number Phone, text string) string {
	u := "https://wa.me/" + number.Digits()
	if text != "" {
		u += "?text=" + url.QueryEscape(text)
	}
	return u
}
