package lapak

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPrice is the largest amount Lapak accepts as a price or computes as an order line:
// Rp1.000.000.000.000. Anything above it is a typo, not a sale, and keeping every amount far
// below the int64 limit means sums of them cannot overflow either.
const MaxPrice Money = 1_000_000_000_000

// maxPriceChars is the longest price text ParsePrice reads.
const maxPriceChars = 40

// Message keys of the errors ParsePrice returns.
const (
	keyPriceEmpty     = "price.empty"
	keyPriceAmbiguous = "price.ambiguous"
	keyPriceInvalid   = "price.invalid"
	keyPriceNegative  = "price.negative"
	keyPriceTooLarge  = "price.too_large"
	keyPriceFraction  = "price.fraction"
)

// priceUnits maps the units sellers write after a number to their value in rupiah.
var priceUnits = map[string]Money{
	"":     1,
	"k":    1_000,
	"rb":   1_000,
	"ribu": 1_000,
	"jt":   1_000_000,
	"juta": 1_000_000,
}

// ParsePrice reads a price the way Indonesian sellers write it and returns it in whole rupiah.
// It never guesses: text that could mean two amounts is refused. Zero is accepted; whether a
// price may be zero is the caller's decision.
//
// The rules, in order:
//
//   - At most 40 characters. Surrounding spaces and letter case are ignored.
//   - An optional currency comes first: "Rp", "Rp." or "IDR", with or without a space.
//   - An optional unit follows the number, with or without a space: "rb", "ribu" and "k" mean
//     thousand; "jt" and "juta" mean million. Any other word is refused.
//   - An optional ",-" or ".-" at the very end says "whole rupiah" and changes nothing.
//   - The number is digits with "." and "," marks and no spaces. A mark groups thousands only when
//     every group after it has exactly three digits and the first group has one to three digits
//     and does not start with 0: 150.000, 1.250.000, 1,250,000.
//   - The same mark used more than once always groups thousands (1.500.000rb is
//     Rp1.500.000.000). A single "." followed by exactly three digits groups thousands
//     (150.000), and 0.500 is refused as ambiguous. A single ","
//     followed by exactly three digits is refused as ambiguous (1,500: thousands, or 1,5 with a
//     decimal comma?), and so is either mark followed by three digits before a unit (1.500rb).
//   - A mark followed by any other number of digits is a decimal mark. A decimal is accepted only
//     with a unit (1,5jt, 1.5 juta, 2,25 jt), and the result must be whole rupiah (1,2345rb is
//     Rp1.234,5 and is refused). Without a unit a decimal is refused as ambiguous (1.5, 150.00),
//     except zero cents after a number grouped with the other mark: Rp1.250.000,00.
//   - When both marks appear, the last one is the decimal mark: it may appear only once and may
//     not be followed by exactly three digits (1.250,000 is refused as ambiguous).
//   - A minus sign, before or after the currency, is refused as negative.
//   - Amounts above MaxPrice are refused.
//
// Errors are *Error of KindInvalid with one of the keys price.empty, price.ambiguous,
// price.invalid, price.negative, price.too_large (argument: MaxPrice) or price.fraction; the
// cause says exactly why, for logs.
func ParsePrice(s string) (Money, error) {
	if utf8.RuneCountInString(s) > maxPriceChars {
		return 0, priceError(keyPriceInvalid, "longer than %d characters", maxPriceChars)
	}
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return 0, priceError(keyPriceEmpty, "no price given")
	}
	neg, t := cutSign(t)
	t = cutCurrency(t)
	if !neg {
		neg, t = cutSign(t)
	}
	if t == "" && !neg {
		return 0, priceError(keyPriceEmpty, "a currency without a number")
	}
	m, err := parseAmount(t)
	if !neg {
		return m, err
	}
	var e *Error
	if errors.As(err, &e) && (e.Key == keyPriceInvalid || e.Key == keyPriceEmpty) {
		return 0, priceError(keyPriceInvalid, "a minus sign without a price")
	}
	return 0, priceError(keyPriceNegative, "a price cannot be negative")
}

// priceError returns a KindInvalid error with a user message key and, as its cause, why it was
// refused.
func priceError(key, format string, args ...any) *Error {
	e := &Error{Kind: KindInvalid, Key: key, Err: fmt.Errorf(format, args...)}
	if key == keyPriceTooLarge {
		e.Args = []any{MaxPrice}
	}
	return e
}

// cutSign removes a leading minus sign (ASCII or U+2212) and the spaces after it.
func cutSign(t string) (bool, string) {
	for _, minus := range []string{"-", "\u2212"} {
		if rest, ok := strings.CutPrefix(t, minus); ok {
			return true, strings.TrimLeftFunc(rest, unicode.IsSpace)
		}
	}
	return false, t
}

// cutCurrency removes a leading Rp, Rp. or IDR and the spaces after it.
func cutCurrency(t string) string {
	for _, cur := range []string{"idr", "rp.", "rp"} {
		if rest, ok := strings.CutPrefix(t, cur); ok {
			return strings.TrimLeftFunc(rest, unicode.IsSpace)
		}
	}
	return t
}

// parseAmount reads a number, an optional unit and an optional ",-", with the currency and sign
// already removed.
func parseAmount(t string) (Money, error) {
	for _, dash := range []string{",-", ".-"} {
		t = strings.TrimSuffix(t, dash)
	}
	end := strings.IndexFunc(t, func(r rune) bool { return !isDigit(r) && r != '.' && r != ',' })
	if end < 0 {
		end = len(t)
	}
	num, word := t[:end], strings.TrimLeftFunc(t[end:], unicode.IsSpace)
	if num == "" {
		return 0, priceError(keyPriceInvalid, "no number in %q", t)
	}
	unit, ok := priceUnits[word]
	if !ok {
		return 0, priceError(keyPriceInvalid, "unknown unit %q", word)
	}
	n, err := readNumber(num, word != "")
	if err != nil {
		return 0, err
	}
	return n.value(unit)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// number is a price's digits read from its marks: the whole part and the decimal part.
type number struct {
	whole   string // digits of the whole part, without marks
	frac    string // digits after the decimal mark; empty when there is none
	grouped bool   // the whole part was grouped in thousands with the other mark
}

// readNumber applies the mark rules of ParsePrice to digits with "." and "," marks.
func readNumber(num string, hasUnit bool) (number, error) {
	groups, marks := splitMarks(num)
	for _, g := range groups {
		if g == "" {
			return number{}, priceError(keyPriceInvalid, "a mark without digits on both sides in %q", num)
		}
	}
	switch {
	case len(marks) == 0:
		return number{whole: num}, nil
	case mixedMarks(marks):
		return readDecimalAfterGroups(num, groups, marks)
	case len(marks) > 1:
		whole, err := joinGroups(groups, num)
		return number{whole: whole}, err
	case len(groups[1]) != 3:
		return number{whole: groups[0], frac: groups[1]}, nil
	case hasUnit:
		return number{}, priceError(keyPriceAmbiguous, "%q before a unit: thousands or a decimal?", num)
	case marks[0] == ',':
		return number{}, priceError(keyPriceAmbiguous, "%q: a thousands comma or a decimal comma?", num)
	}
	whole, err := joinGroups(groups, num)
	return number{whole: whole}, err
}

// readDecimalAfterGroups reads a number that uses both marks: the last mark, used once, is the
// decimal mark and the other one groups thousands.
func readDecimalAfterGroups(num string, groups []string, marks []byte) (number, error) {
	last := len(groups) - 1
	if strings.Count(string(marks), string(marks[last-1])) > 1 {
		return number{}, priceError(keyPriceInvalid, "%q: with both marks, the last is the decimal mark and comes once", num)
	}
	if len(groups[last]) == 3 {
		return number{}, priceError(keyPriceAmbiguous, "%q ends in three digits after a different mark", num)
	}
	whole, err := joinGroups(groups[:last], num)
	return number{whole: whole, frac: groups[last], grouped: true}, err
}

// mixedMarks reports whether marks holds both "." and ",".
func mixedMarks(marks []byte) bool {
	return strings.Contains(string(marks), ".") && strings.Contains(string(marks), ",")
}

// splitMarks cuts num at every "." and ",", returning the digit groups and the marks between them.
func splitMarks(num string) (groups []string, marks []byte) {
	start := 0
	for i := range len(num) {
		if num[i] == '.' || num[i] == ',' {
			groups = append(groups, num[start:i])
			marks = append(marks, num[i])
			start = i + 1
		}
	}
	return append(groups, num[start:]), marks
}

// joinGroups checks that groups are thousands groups and returns their digits.
func joinGroups(groups []string, num string) (string, error) {
	first := groups[0]
	switch {
	case first == "0":
		return "", priceError(keyPriceAmbiguous, "%q starts with 0 and a mark: a decimal?", num)
	case len(first) > 3 || first[0] == '0':
		return "", priceError(keyPriceInvalid, "%q: the first thousands group must be 1 to 3 digits", num)
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", priceError(keyPriceInvalid, "%q: a thousands group of %d digits", num, len(g))
		}
	}
	return strings.Join(groups, ""), nil
}

// value returns n times unit in whole rupiah, refusing fractions and amounts above MaxPrice.
func (n number) value(unit Money) (Money, error) {
	whole, err := digitsValue(n.whole)
	if err != nil {
		return 0, err
	}
	if n.frac == "" {
		return capPrice(whole * unit) // whole ≤ MaxPrice and unit ≤ 10⁶: no overflow
	}
	frac := strings.TrimRight(n.frac, "0")
	if unit == 1 {
		if !n.grouped {
			return 0, priceError(keyPriceAmbiguous, "a decimal without a unit: add rb or jt, or write all the digits")
		}
		if frac != "" {
			return 0, priceError(keyPriceFraction, "cents in a price: %s,%s", n.whole, n.frac)
		}
		return capPrice(whole)
	}
	scale := Money(1)
	for range frac {
		scale *= 10
		if scale > unit {
			return 0, priceError(keyPriceFraction, "%s,%s times %d is not whole rupiah", n.whole, n.frac, unit)
		}
	}
	f, _ := digitsValue(frac) // at most six digits
	return capPrice(whole*unit + f*(unit/scale))
}

// digitsValue reads plain decimal digits, refusing values above MaxPrice before they can overflow.
func digitsValue(digits string) (Money, error) {
	var v Money
	for i := range len(digits) {
		v = v*10 + Money(digits[i]-'0')
		if v > MaxPrice {
			return 0, priceError(keyPriceTooLarge, "above %d", int64(MaxPrice))
		}
	}
	return v, nil
}

// capPrice refuses m when it is above MaxPrice.
func capPrice(m Money) (Money, error) {
	if m > MaxPrice {
		return 0, priceError(keyPriceTooLarge, "%d is above %d", int64(m), int64(MaxPrice))
	}
	return m, nil
}
