package lapak

import (
	"strings"
)

// Phone is a phone number in E.164 form, such as +6281234567890.
type Phone string

// ParsePhone accepts an Indonesian mobile number as people type it (08…, 628…, +62 8…, 8…, with
// spaces, dots, dashes or parentheses) and returns it in E.164. It reports false for anything that
// is not an Indonesian mobile number: Lapak only sends to numbers that can use WhatsApp.
func ParsePhone(s string) (Phone, bool) {
	if len(s) > 40 {
		return "", false
	}
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return "", false
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "620"):
		d = d[3:]
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	}
	// d is now the national significant number: mobiles start with 8 and have 9 to 12 digits.
	if !strings.HasPrefix(d, "8") || len(d) < 9 || len(d) > 12 {
		return "", false
	}
	return Phone("+62" + d), true
}

// Masked shows only the country code and the last three digits, for logs and for people who
// should know a number exists but not what it is: +62*******890.
func (p Phone) Masked() string {
	s := string(p)
	if len(s) <= 6 {
		return strings.Repeat("*", len(s))
	}
	return s[:3] + strings.Repeat("*", len(s)-6) + s[len(s)-3:]
}

// Digits returns the number without the plus sign, as WhatsApp addresses it.
func (p Phone) Digits() string { return strings.TrimPrefix(string(p), "+") }
