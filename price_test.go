package lapak

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestParsePriceReadsWhatSellersWrite(t *testing.T) {
	tests := []struct {
		in   string
		want Money
	}{
		{"150000", 150_000},
		{"150.000", 150_000},
		{"Rp 150.000", 150_000},
		{"Rp150.000,-", 150_000},
		{"Rp. 150.000", 150_000},
		{"RP150.000.-", 150_000},
		{"IDR 150000", 150_000},
		{"idr150.000", 150_000},
		{"150rb", 150_000},
		{"150 ribu", 150_000},
		{"150k", 150_000},
		{"150K", 150_000},
		{"1,5jt", 1_500_000},
		{"1.5 juta", 1_500_000},
		{"1jt", 1_000_000},
		{"2,25 jt", 2_250_000},
		{"1.250.000", 1_250_000},
		{"1,250,000", 1_250_000},
		{"Rp1.250.000,00", 1_250_000},
		{"1,250,000.00", 1_250_000},
		{"  Rp 1.250.000  ", 1_250_000},
		{"Rp\u00a0150.000", 150_000}, // a no-break space, as some keyboards type it
		{"150rb,-", 150_000},
		{"Rp5", 5},
		{"999", 999},
		{"1.000", 1_000},
		{"0", 0},
		{"Rp0", 0},
		{"0,5jt", 500_000},
		{"1,25rb", 1_250},
		{"1.5k", 1_500},
		{"1,2340rb", 1_234},
		{"1,23456jt", 1_234_560},
		{"1.250,5 jt", 1_250_500_000},
		{"1.500.000rb", 1_500_000_000},
		{"Rp 1.000.000.000.000", MaxPrice},
		{"1000000jt", MaxPrice},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePrice(tt.in)
			if err != nil {
				t.Fatalf("ParsePrice(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParsePrice(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParsePriceRefusesWhatItWouldHaveToGuess(t *testing.T) {
	tests := []struct {
		in, key string
	}{
		{"", "price.empty"},
		{"   ", "price.empty"},
		{"Rp", "price.empty"},
		{"Rp ", "price.empty"},

		{"1.5", "price.ambiguous"},       // 1,5 rupiah, or 1.500 missing two zeros?
		{"1,500", "price.ambiguous"},     // thousands comma, or decimal comma?
		{"150,000", "price.ambiguous"},   // the same
		{"150.00", "price.ambiguous"},    // a decimal without a unit
		{"150000,00", "price.ambiguous"}, // the same
		{"1.500rb", "price.ambiguous"},   // 1,5rb or 1.500rb?
		{"1,500jt", "price.ambiguous"},   // 1,5jt or 1.500jt?
		{"0.500", "price.ambiguous"},     // half a rupiah, or 500?
		{"1.250,000", "price.ambiguous"}, // three digits after a different mark
		{"Rp1.250.000,000", "price.ambiguous"},

		{"1,2345rb", "price.fraction"},     // Rp1.234,5
		{"1.250.000,50", "price.fraction"}, // cents
		{"1,250,000.5", "price.fraction"},
		{"1,23456789jt", "price.fraction"},

		{"-150000", "price.negative"},
		{"-Rp5.000", "price.negative"}, // how Money prints a negative amount
		{"Rp -5.000", "price.negative"},
		{"Rp-5rb", "price.negative"},
		{"−150000", "price.negative"}, // U+2212 minus sign
		{"-0", "price.negative"},
		{"-1,500", "price.negative"},

		{"1.000.000.000.001", "price.too_large"},
		{"1000000000001", "price.too_large"},
		{"1000001jt", "price.too_large"},
		{"1000000,5jt", "price.too_large"},
		{"99999999999999999999999999999999999999", "price.too_large"},

		{"150rbu", "price.invalid"},
		{"12abc", "price.invalid"},
		{"abc", "price.invalid"},
		{"rb", "price.invalid"},
		{"-", "price.invalid"},
		{"Rp -", "price.invalid"},
		{"-abc", "price.invalid"},
		{"+150000", "price.invalid"},
		{"150 000", "price.invalid"},
		{"150.000 rupiah", "price.invalid"},
		{"150rb IDR", "price.invalid"},
		{"150.", "price.invalid"},
		{".5jt", "price.invalid"},
		{"1..000", "price.invalid"},
		{"1.2.3", "price.invalid"},
		{"1.25.000", "price.invalid"},
		{"1250.000.000", "price.invalid"},
		{"012.000", "price.invalid"},
		{"1.250,000,00", "price.invalid"},
		{"150.000-", "price.invalid"},
		{"Rp 150.000" + strings.Repeat(" ", 31), "price.invalid"}, // fine but for its 41 characters
		{"1jt 500rb", "price.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePrice(tt.in)
			if err == nil {
				t.Fatalf("ParsePrice(%q) = %s, want a %s error", tt.in, got, tt.key)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalid || e.Key != tt.key {
				t.Fatalf("ParsePrice(%q) error = %v, want KindInvalid %s", tt.in, err, tt.key)
			}
			if e.Err == nil || e.Err.Error() == "" {
				t.Errorf("ParsePrice(%q) error does not say why: %v", tt.in, err)
			}
		})
	}
}

func TestParsePriceTooLargeNamesTheLimit(t *testing.T) {
	_, err := ParsePrice("2.000.000.000.000")
	var e *Error
	if !errors.As(err, &e) || len(e.Args) != 1 || e.Args[0] != MaxPrice {
		t.Fatalf("error = %#v, want price.too_large with MaxPrice as its argument", err)
	}
}

var priceKeys = map[string]bool{
	"price.empty": true, "price.ambiguous": true, "price.invalid": true,
	"price.negative": true, "price.too_large": true, "price.fraction": true,
}

func FuzzParsePrice(f *testing.F) {
	for _, seed := range []string{
		"150000", "150.000", "Rp 150.000", "Rp150.000,-", "IDR 150000", "150rb", "150 ribu",
		"150k", "1,5jt", "1.5 juta", "2,25 jt", "1.250.000", "Rp1.250.000,00", "1,250,000.00",
		"1.5", "1,500", "150.00", "1,2345rb", "150rbu", "12abc", "-5", "", "Rp", "0,5jt",
		"1.000.000.000.001", "1.250,5 jt", "−1", "Rp. 1.000",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParsePrice(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalid || !priceKeys[e.Key] {
				t.Fatalf("ParsePrice(%q) error = %v, want KindInvalid with a price key", s, err)
			}
			return
		}
		if m < 0 || m > MaxPrice {
			t.Fatalf("ParsePrice(%q) = %d, outside 0 to MaxPrice", s, int64(m))
		}
		for _, again := range []string{m.String(), strconv.FormatInt(int64(m), 10)} {
			if back, err := ParsePrice(again); err != nil || back != m {
				t.Fatalf("ParsePrice(%q) = %d, but ParsePrice(%q) = %d, %v", s, int64(m), again, int64(back), err)
			}
		}
	})
}
