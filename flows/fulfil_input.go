package flows

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lapak-id/lapak"
)

// Limits of what an owner types when shipping and refunding, as the schema holds them.
const (
	maxCourier      = 40
	maxResi         = 60
	maxRefundReason = 300
	maxRefundRef    = 100
)

// commonCouriers are offered to owners as options when they ship, in this order.
var commonCouriers = []string{"JNE", "J&T", "SiCepat", "AnterAja", "POS Indonesia"}

// courierSpelling is the usual spelling of the couriers Indonesian shops use, by how owners type
// them.
var courierSpelling = map[string]string{
	"jne": "JNE", "j&t": "J&T", "jnt": "J&T", "j&t express": "J&T", "j & t": "J&T", "sicepat": "SiCepat",
	"si cepat": "SiCepat", "anteraja": "AnterAja", "anter aja": "AnterAja", "pos": "POS Indonesia",
	"pos indonesia": "POS Indonesia", "ninja": "Ninja Xpress", "ninja xpress": "Ninja Xpress", "tiki": "TIKI",
	"lion parcel": "Lion Parcel", "id express": "ID Express", "idexpress": "ID Express", "gosend": "GoSend",
	"grabexpress": "GrabExpress", "grab express": "GrabExpress", "wahana": "Wahana", "sap": "SAP Express",
}

// resiRE is a tracking number once its spaces are gone and its letters upper case.
var resiRE = regexp.MustCompile(`^[A-Z0-9-]{5,60}$`)

// orderRefRE is an order reference as people write it: LPK-7F3K2Q, lpk 7f3k2q or just 7F3K2Q.
var orderRefRE = regexp.MustCompile(`^(?:LPK[- ]?)?([2-9A-HJ-NP-Z]{6})$`)

// ParseCourier tidies a courier's name as an owner typed it: a known courier gets its usual
// spelling; any other one-line name of 2 to 40 characters with two letters is kept as written.
// Others give a KindInvalid error with the key ful.bad_courier.
func ParseCourier(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if known, ok := courierSpelling[strings.ToLower(s)]; ok {
		return known, nil
	}
	if n := utf8.RuneCountInString(s); n < 2 || n > maxCourier || countLetters(s) < 2 || strings.HasPrefix(s, "/") {
		return "", lapak.Errorf(lapak.KindInvalid, "ful.bad_courier", maxCourier)
	}
	return s, nil
}

// ParseResi tidies a tracking number (resi): spaces go and letters go upper case, as couriers'
// sites read it. It must then be 5 to 60 letters, digits or dashes, else a KindInvalid error with
// the key ful.bad_resi.
func ParseResi(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if !resiRE.MatchString(s) {
		return "", lapak.Errorf(lapak.KindInvalid, "ful.bad_resi", maxResi)
	}
	return s, nil
}

// ParseRefundReason tidies why an owner cancels an order: one line of 3 to 300 characters with
// two letters, else a KindInvalid error with the key ful.bad_reason.
func ParseRefundReason(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if n := utf8.RuneCountInString(s); n < 3 || n > maxRefundReason || countLetters(s) < 2 || strings.HasPrefix(s, "/") {
		return "", lapak.Errorf(lapak.KindInvalid, "ful.bad_reason", maxRefundReason)
	}
	return s, nil
}

// ParseRefundRef tidies the reference of the owner's refund transfer, as their bank shows it:
// one line of 3 to 100 characters with a digit or letter, else a KindInvalid error with the key
// ful.bad_refund_ref.
func ParseRefundRef(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	alnum := strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
	if n := utf8.RuneCountInString(s); n < 3 || n > maxRefundRef || !alnum || strings.HasPrefix(s, "/") {
		return "", lapak.Errorf(lapak.KindInvalid, "ful.bad_refund_ref", maxRefundRef)
	}
	return s, nil
}

// ParseOrderRef reads an order reference as people write it and returns it as orders keep it,
// LPK-7F3K2Q, and false when it cannot be one.
func ParseOrderRef(s string) (string, bool) {
	if len(s) > 20 {
		return "", false
	}
	m := orderRefRE.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil {
		return "", false
	}
	return "LPK-" + m[1], true
}

// countLetters counts the letters of s, and gives -1 when s has a control character.
func countLetters(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return -1
		case unicode.IsLetter(r):
			n++
		}
	}
	return n
}
