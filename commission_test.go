package lapak

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestCommission(t *testing.T) {
	tests := []struct {
		name     string
		base     Money
		rule     CommissionRule
		want     Money
		rounding string
	}{
		{"TenPercent", 150_000, CommissionRule{Percent: 1000}, 15_000, RoundingExact},
		{"TwoAndAHalfPercent", 100_000, CommissionRule{Percent: 250}, 2_500, RoundingExact},
		{"TwoAndAHalfPercentRoundsDown", 99_999, CommissionRule{Percent: 250}, 2_499, RoundingDown}, // 2.499,975
		{"RoundsDownEvenAboveHalf", 39, CommissionRule{Percent: 250}, 0, RoundingDown},              // 0,975
		{"OneBasisPointOfASmallBase", 9_999, CommissionRule{Percent: 1}, 0, RoundingDown},
		{"OneBasisPoint", 10_000, CommissionRule{Percent: 1}, 1, RoundingExact},
		{"AllOfIt", 150_000, CommissionRule{Percent: AllOfIt}, 150_000, RoundingExact},
		{"MoreThanAllOfItIsCapped", 150_000, CommissionRule{Percent: 15_000}, 150_000, RoundingCapped},
		{"Fixed", 150_000, CommissionRule{Fixed: 20_000}, 20_000, RoundingExact},
		{"FixedEqualToBase", 20_000, CommissionRule{Fixed: 20_000}, 20_000, RoundingExact},
		{"FixedAboveBaseIsCapped", 15_000, CommissionRule{Fixed: 20_000}, 15_000, RoundingCapped},
		{"ZeroRule", 150_000, CommissionRule{}, 0, RoundingExact},
		{"ZeroBasePercent", 0, CommissionRule{Percent: 1000}, 0, RoundingExact},
		{"ZeroBaseFixedIsCapped", 0, CommissionRule{Fixed: 5_000}, 0, RoundingCapped},
		{"NegativeBasePaysNothing", -5_000, CommissionRule{Percent: 1000}, 0, RoundingExact},
		{"NegativeFixedPaysNothing", 5_000, CommissionRule{Fixed: -1}, 0, RoundingExact},
		{"NegativePercentPaysNothing", 5_000, CommissionRule{Percent: -100}, 0, RoundingExact},
		{"HugeBaseDoesNotOverflow", math.MaxInt64, CommissionRule{Percent: 9_999}, 9_222_449_699_651_090_329, RoundingDown},
		{"HugeBaseAllOfIt", math.MaxInt64, CommissionRule{Percent: AllOfIt}, math.MaxInt64, RoundingExact},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Commission(tt.base, tt.rule); got != tt.want {
				t.Errorf("Commission(%s, %+v) = %s, want %s", tt.base, tt.rule, got, tt.want)
			}
			if _, rounding := commission(tt.base, tt.rule); rounding != tt.rounding {
				t.Errorf("rounding = %q, want %q", rounding, tt.rounding)
			}
		})
	}
}

func TestEffectiveRule(t *testing.T) {
	product := CommissionRule{Percent: 1000}
	gold := Level{Name: "Gold", Rule: &CommissionRule{Percent: 1500}}
	silver := Level{Name: "Silver", Rule: &CommissionRule{Fixed: 12_500}}
	bronze := Level{Name: "Bronze"}
	trial := Level{Name: "Trial", Rule: &CommissionRule{}}
	tests := []struct {
		level Level
		want  CommissionRule
	}{
		{gold, CommissionRule{Percent: 1500}},
		{silver, CommissionRule{Fixed: 12_500}},
		{bronze, product},
		{trial, CommissionRule{}}, // a zero override pays nothing; it does not fall back
	}
	for _, tt := range tests {
		t.Run(tt.level.Name, func(t *testing.T) {
			if got := EffectiveRule(product, tt.level.Rule); got != tt.want {
				t.Errorf("EffectiveRule = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSplitLevelOverridePaysTheResellerMore(t *testing.T) {
	product := CommissionRule{Percent: 1000}
	gold := &CommissionRule{Percent: 1500}
	bronze, err := Split(100_000, 120_000, EffectiveRule(product, nil), 2)
	if err != nil {
		t.Fatal(err)
	}
	golden, err := Split(100_000, 120_000, EffectiveRule(product, gold), 2)
	if err != nil {
		t.Fatal(err)
	}
	if bronze.Reseller != 60_000 || golden.Reseller != 70_000 {
		t.Errorf("reseller earns %s at Bronze and %s at Gold, want Rp60.000 and Rp70.000", bronze.Reseller, golden.Reseller)
	}
	if golden.Rule != *gold {
		t.Errorf("earnings record rule %+v, want the Gold override %+v", golden.Rule, *gold)
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name        string
		base, price Money
		rule        CommissionRule
		qty         int
		per         Share
		want        Earnings // totals only
		rounding    string
	}{
		{
			name: "PercentWithMarkup", base: 100_000, price: 125_000, rule: CommissionRule{Percent: 1000}, qty: 3,
			per:  Share{Customer: 125_000, Markup: 25_000, Commission: 10_000, Reseller: 35_000, Owner: 90_000},
			want: Earnings{Customer: 375_000, Reseller: 105_000, Owner: 270_000, Commission: 30_000}, rounding: RoundingExact,
		},
		{
			name: "TwoAndAHalfPercentRoundsDownPerItem", base: 99_999, price: 110_000, rule: CommissionRule{Percent: 250}, qty: 4,
			per:  Share{Customer: 110_000, Markup: 10_001, Commission: 2_499, Reseller: 12_500, Owner: 97_500},
			want: Earnings{Customer: 440_000, Reseller: 50_000, Owner: 390_000, Commission: 9_996}, rounding: RoundingDown,
		},
		{
			name: "Fixed", base: 80_000, price: 95_000, rule: CommissionRule{Fixed: 7_500}, qty: 2,
			per:  Share{Customer: 95_000, Markup: 15_000, Commission: 7_500, Reseller: 22_500, Owner: 72_500},
			want: Earnings{Customer: 190_000, Reseller: 45_000, Owner: 145_000, Commission: 15_000}, rounding: RoundingExact,
		},
		{
			name: "SoldAtTheFloor", base: 50_000, price: 50_000, rule: CommissionRule{Percent: 500}, qty: 1,
			per:  Share{Customer: 50_000, Markup: 0, Commission: 2_500, Reseller: 2_500, Owner: 47_500},
			want: Earnings{Customer: 50_000, Reseller: 2_500, Owner: 47_500, Commission: 2_500}, rounding: RoundingExact,
		},
		{
			name: "ZeroCommission", base: 50_000, price: 60_000, rule: CommissionRule{}, qty: 2,
			per:  Share{Customer: 60_000, Markup: 10_000, Commission: 0, Reseller: 10_000, Owner: 50_000},
			want: Earnings{Customer: 120_000, Reseller: 20_000, Owner: 100_000}, rounding: RoundingExact,
		},
		{
			name: "ZeroBase", base: 0, price: 10_000, rule: CommissionRule{Fixed: 5_000}, qty: 1,
			per:  Share{Customer: 10_000, Markup: 10_000, Commission: 0, Reseller: 10_000, Owner: 0},
			want: Earnings{Customer: 10_000, Reseller: 10_000, Owner: 0}, rounding: RoundingCapped,
		},
		{
			name: "Free", base: 0, price: 0, rule: CommissionRule{Percent: 1000}, qty: 5,
			want: Earnings{}, rounding: RoundingExact,
		},
		{
			name: "FixedAboveBaseIsCapped", base: 10_000, price: 12_000, rule: CommissionRule{Fixed: 15_000}, qty: 2,
			per:  Share{Customer: 12_000, Markup: 2_000, Commission: 10_000, Reseller: 12_000, Owner: 0},
			want: Earnings{Customer: 24_000, Reseller: 24_000, Owner: 0, Commission: 20_000}, rounding: RoundingCapped,
		},
		{
			name: "AtTheLimit", base: 400_000_000_000, price: 500_000_000_000, rule: CommissionRule{Percent: 1}, qty: 2,
			per:  Share{Customer: 500_000_000_000, Markup: 100_000_000_000, Commission: 40_000_000, Reseller: 100_040_000_000, Owner: 399_960_000_000},
			want: Earnings{Customer: MaxPrice, Reseller: 200_080_000_000, Owner: 799_920_000_000, Commission: 80_000_000}, rounding: RoundingExact,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Split(tt.base, tt.price, tt.rule, tt.qty)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if e.Base != tt.base || e.Price != tt.price || e.Rule != tt.rule || e.Qty != tt.qty || e.Rounding != tt.rounding {
				t.Errorf("recorded base %s, price %s, rule %+v, qty %d, rounding %q; want %s, %s, %+v, %d, %q",
					e.Base, e.Price, e.Rule, e.Qty, e.Rounding, tt.base, tt.price, tt.rule, tt.qty, tt.rounding)
			}
			if e.PerItem != tt.per {
				t.Errorf("per item = %+v, want %+v", e.PerItem, tt.per)
			}
			if e.Customer != tt.want.Customer || e.Reseller != tt.want.Reseller || e.Owner != tt.want.Owner || e.Commission != tt.want.Commission {
				t.Errorf("totals: customer %s, reseller %s, owner %s, commission %s; want %s, %s, %s, %s",
					e.Customer, e.Reseller, e.Owner, e.Commission, tt.want.Customer, tt.want.Reseller, tt.want.Owner, tt.want.Commission)
			}
		})
	}
}

func TestSplitRefuses(t *testing.T) {
	tests := []struct {
		name        string
		base, price Money
		rule        CommissionRule
		qty         int
		key         string
		args        []any
	}{
		{"PriceBelowFloor", 100_000, 99_999, CommissionRule{Percent: 1000}, 1, "price.below_floor", []any{Money(100_000)}},
		{"ZeroQty", 100_000, 120_000, CommissionRule{}, 0, "quantity.invalid", []any{0}},
		{"NegativeQty", 100_000, 120_000, CommissionRule{}, -3, "quantity.invalid", []any{-3}},
		{"NegativeBase", -1, 120_000, CommissionRule{}, 1, "price.negative", nil},
		{"NegativePrice", 0, -1, CommissionRule{}, 1, "price.negative", nil},
		{"BaseAboveMax", MaxPrice + 1, MaxPrice + 1, CommissionRule{}, 1, "price.too_large", []any{MaxPrice}},
		{"PriceAboveMax", 1, math.MaxInt64, CommissionRule{}, 1, "price.too_large", []any{MaxPrice}},
		{"TotalAboveMax", 400_000_000_000, 500_000_000_001, CommissionRule{}, 2, "price.too_large", []any{MaxPrice}},
		{"TotalWouldOverflow", MaxPrice, MaxPrice, CommissionRule{}, math.MaxInt, "price.too_large", []any{MaxPrice}},
		{"TotalWouldWrapToSmall", 1 << 32, 1 << 32, CommissionRule{}, 1 << 32, "price.too_large", []any{MaxPrice}},
		{"BothPercentAndFixed", 100_000, 120_000, CommissionRule{Percent: 100, Fixed: 1_000}, 1, "commission.invalid", nil},
		{"PercentAboveAll", 100_000, 120_000, CommissionRule{Percent: AllOfIt + 1}, 1, "commission.invalid", nil},
		{"NegativePercent", 100_000, 120_000, CommissionRule{Percent: -1}, 1, "commission.invalid", nil},
		{"NegativeFixed", 100_000, 120_000, CommissionRule{Fixed: -1}, 1, "commission.invalid", nil},
		{"AbsurdFixed", 100_000, 120_000, CommissionRule{Fixed: MaxPrice + 1}, 1, "commission.invalid", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Split(tt.base, tt.price, tt.rule, tt.qty)
			if err == nil {
				t.Fatalf("Split accepted and returned %+v", e)
			}
			var de *Error
			if !errors.As(err, &de) || de.Kind != KindInvalid || de.Key != tt.key {
				t.Fatalf("error = %v, want KindInvalid %s", err, tt.key)
			}
			if len(de.Args) != len(tt.args) || len(tt.args) > 0 && de.Args[0] != tt.args[0] {
				t.Errorf("args = %v, want %v", de.Args, tt.args)
			}
			if e != (Earnings{}) {
				t.Errorf("refused, yet returned %+v", e)
			}
		})
	}
}

// TestSplitAlwaysAddsUp checks on many random lines, small and huge, that every accepted split
// pays out exactly what the customer pays, with a commission between zero and the base price.
func TestSplitAlwaysAddsUp(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 17))
	amount := func() Money {
		// Mix magnitudes: up to a random power of ten, from Rp1 to MaxPrice.
		limit := int64(1)
		for range r.IntN(13) {
			limit *= 10
		}
		return Money(r.Int64N(limit + 1))
	}
	accepted, refused := 0, 0
	for range 20_000 {
		base := amount()
		price := base + amount()/Money(1+r.IntN(10))
		var rule CommissionRule
		switch r.IntN(3) {
		case 0:
			rule.Percent = BasisPoints(r.IntN(int(AllOfIt) + 1))
		case 1:
			rule.Fixed = Money(r.Int64N(int64(base)*2 + 1))
		}
		qty := 1 + r.IntN(1000)
		if r.IntN(50) == 0 {
			qty = r.IntN(math.MaxInt)
		}
		e, err := Split(base, price, rule, qty)
		if err != nil {
			total := new(big.Int).Mul(big.NewInt(int64(price)), big.NewInt(int64(qty)))
			if KindOf(err) != KindInvalid || price <= MaxPrice && total.Cmp(big.NewInt(int64(MaxPrice))) <= 0 {
				t.Fatalf("Split(%d, %d, %+v, %d) refused a valid line: %v", base, price, rule, qty, err)
			}
			refused++
			continue
		}
		accepted++
		c := e.PerItem.Commission
		switch {
		case c < 0 || c > base:
			t.Fatalf("Split(%d, %d, %+v, %d): commission %d outside 0 to base", base, price, rule, qty, c)
		case e.PerItem.Owner+e.PerItem.Reseller != price:
			t.Fatalf("Split(%d, %d, %+v, %d): per item owner %d + reseller %d != price", base, price, rule, qty, e.PerItem.Owner, e.PerItem.Reseller)
		case e.Owner+e.Reseller != e.Customer || e.Customer != price*Money(qty):
			t.Fatalf("Split(%d, %d, %+v, %d): owner %d + reseller %d != customer %d", base, price, rule, qty, e.Owner, e.Reseller, e.Customer)
		case e.Owner < 0 || e.Reseller < 0 || e.Customer > MaxPrice:
			t.Fatalf("Split(%d, %d, %+v, %d): out of range: %+v", base, price, rule, qty, e)
		}
	}
	if accepted < 10_000 || refused < 100 {
		t.Fatalf("%d random lines accepted and %d refused; the generator tests too little of one side", accepted, refused)
	}
	t.Logf("%d random lines accepted, %d refused as too large", accepted, refused)
}

func TestBasisPointsString(t *testing.T) {
	tests := []struct {
		in   BasisPoints
		want string
	}{
		{0, "0%"}, {250, "2,5%"}, {1000, "10%"}, {5, "0,05%"}, {1234, "12,34%"}, {AllOfIt, "100%"}, {-250, "-2,5%"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("BasisPoints(%d).String() = %q, want %q", int(tt.in), got, tt.want)
		}
	}
}
