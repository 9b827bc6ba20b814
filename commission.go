package lapak

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// BasisPoints is a share in hundredths of a percent, so that shares like 2,5 % are exact integers:
// 100 is 1 %, 250 is 2,5 %, 10000 is all of it.
type BasisPoints int

// AllOfIt is 100 %, the largest share a commission can take.
const AllOfIt BasisPoints = 10_000

// String formats b as Indonesians write a percentage: 2,5%, 10%, 0,05%.
func (b BasisPoints) String() string {
	sign, n := "", int(b)
	if n < 0 {
		sign, n = "-", -n
	}
	s := sign + strconv.Itoa(n/100)
	if frac := n % 100; frac != 0 {
		s += "," + strings.TrimRight(strconv.Itoa(100 + frac)[1:], "0")
	}
	return s + "%"
}

// CommissionRule is how much of an item's base price the owner gives the reseller who sold it:
// a percent of the base price, or a fixed amount per item. At most one of the two is set; a zero
// rule pays no commission.
type CommissionRule struct {
	Percent BasisPoints // share of the base price, in basis points: 250 is 2,5 %
	Fixed   Money       // rupiah per item
}

// Validate refuses a rule that sets both fields, a percent outside 0 to 100 %, or a negative or
// absurd fixed amount, with an *Error of KindInvalid and the key commission.invalid.
func (r CommissionRule) Validate() error {
	if r.Percent < 0 || r.Percent > AllOfIt || r.Fixed < 0 || r.Fixed > MaxPrice || r.Percent != 0 && r.Fixed != 0 {
		return Errorf(KindInvalid, "commission.invalid")
	}
	return nil
}

// Level is a reseller tier, such as Bronze, Silver or Gold. A level with a Rule pays that rule
// instead of the product's own; a level without one pays the product's rule.
type Level struct {
	Name string
	Rule *CommissionRule // nil: the product's rule applies
}

// EffectiveRule returns the rule that pays a reseller: the level's override when there is one,
// even a zero rule, and the product's rule otherwise.
func EffectiveRule(product CommissionRule, levelOverride *CommissionRule) CommissionRule {
	if levelOverride != nil {
		return *levelOverride
	}
	return product
}

// How a commission was rounded, as recorded in Earnings.Rounding.
const (
	RoundingExact  = "exact"  // the rule gave whole rupiah: a fixed amount, or a percent with no remainder
	RoundingDown   = "down"   // a percent gave a fraction of a rupiah, which the owner keeps
	RoundingCapped = "capped" // the rule gave more than the base price; the commission is the base price
)

// Commission returns the commission on one item of base price base under rule. A percent is
// rounded down to whole rupiah. The result is never negative and never more than base. A rule
// that sets both fields, which Validate refuses, pays its percent.
func Commission(base Money, rule CommissionRule) Money {
	c, _ := commission(base, rule)
	return c
}

// commission is the one place commissions are computed and rounded. It returns the commission
// and how it was rounded.
func commission(base Money, rule CommissionRule) (Money, string) {
	if base < 0 {
		return 0, RoundingExact
	}
	var c Money
	rounding := RoundingExact
	switch {
	case rule.Percent > AllOfIt:
		return base, RoundingCapped
	case rule.Percent > 0:
		// base·p/10000 without overflow: split base into q·10000 + r.
		q, r := base/Money(AllOfIt), base%Money(AllOfIt)
		p := Money(rule.Percent)
		c = q*p + r*p/Money(AllOfIt)
		if r*p%Money(AllOfIt) != 0 {
			rounding = RoundingDown
		}
	case rule.Fixed > 0:
		c = rule.Fixed
	}
	if c > base {
		return base, RoundingCapped
	}
	return c, rounding
}

// Share is what one item, or a whole order line, pays each party.
type Share struct {
	Customer   Money // what the customer pays: the reseller's price P
	Markup     Money // P − B: the reseller's own margin above the base price
	Commission Money // C: what the owner gives the reseller out of the base price
	Reseller   Money // (P − B) + C
	Owner      Money // B − C
}

// Earnings is how one order line's money divides between reseller and owner, with every fact it
// was computed from, so a reseller can ask "why this amount" and a refund can reverse exactly
// what was credited. Owner + Reseller == Customer, always.
type Earnings struct {
	Base     Money          // B: the owner's base price of one item, the floor
	Price    Money          // P: the reseller's price of one item
	Qty      int            // items on the line
	Rule     CommissionRule // the rule applied, after any level override
	Rounding string         // how the commission on one item was rounded: RoundingExact, RoundingDown or RoundingCapped
	PerItem  Share          // one item; the totals below are these times Qty

	Customer   Money // P × Qty: what the customer pays for the line
	Reseller   Money // ((P − B) + C) × Qty
	Owner      Money // (B − C) × Qty
	Commission Money // C × Qty
}

// Split divides an order line of qty items, sold at the reseller's price against the owner's
// base price under rule, between reseller and owner. Per item the reseller earns
// (price − base) + C and the owner keeps base − C, where C is Commission(base, rule), rounded on
// each item before multiplying; the totals are those times qty.
//
// It refuses, with an *Error of KindInvalid: negative amounts (price.negative), amounts or
// totals above MaxPrice (price.too_large, argument MaxPrice), an invalid rule
// (commission.invalid), qty below 1 (quantity.invalid, argument qty), and a price below the base
// price (price.below_floor, argument the base price).
func Split(base, price Money, rule CommissionRule, qty int) (Earnings, error) {
	if err := checkSplit(base, price, rule, qty); err != nil {
		return Earnings{}, err
	}
	c, rounding := commission(base, rule)
	per := Share{Customer: price, Markup: price - base, Commission: c, Reseller: price - base + c, Owner: base - c}
	customer, ok := timesQty(per.Customer, qty)
	if !ok {
		return Earnings{}, Errorf(KindInvalid, keyPriceTooLarge, MaxPrice)
	}
	// Each per-item amount is at most Customer, so none of these can pass MaxPrice.
	reseller, _ := timesQty(per.Reseller, qty)
	owner, _ := timesQty(per.Owner, qty)
	comm, _ := timesQty(per.Commission, qty)
	return Earnings{
		Base: base, Price: price, Qty: qty, Rule: rule, Rounding: rounding, PerItem: per,
		Customer: customer, Reseller: reseller, Owner: owner, Commission: comm,
	}, nil
}

// checkSplit refuses the inputs Split cannot divide.
func checkSplit(base, price Money, rule CommissionRule, qty int) error {
	switch {
	case base < 0 || price < 0:
		return Errorf(KindInvalid, keyPriceNegative)
	case base > MaxPrice || price > MaxPrice:
		return Errorf(KindInvalid, keyPriceTooLarge, MaxPrice)
	case qty < 1:
		return Errorf(KindInvalid, "quantity.invalid", qty)
	case price < base:
		return Errorf(KindInvalid, "price.below_floor", base)
	}
	return rule.Validate()
}

// timesQty multiplies a non-negative amount by a positive quantity, reporting false when the
// product is above MaxPrice or does not fit in 64 bits.
func timesQty(m Money, qty int) (Money, bool) {
	hi, lo := bits.Mul64(uint64(m), uint64(qty))
	if hi != 0 || lo > math.MaxInt64 || Money(lo) > MaxPrice {
		return 0, false
	}
	return Money(lo), true
}
