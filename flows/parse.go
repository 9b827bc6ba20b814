package flows

import (
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
)

// parseCommission reads a commission as an owner writes it: "10%", "2,5 %" or an amount such as
// "5rb" or "5.000". "0" means none.
func parseCommission(s string) (lapak.CommissionRule, bool) {
	s = strings.TrimSpace(s)
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		bp, ok := parsePercent(pct)
		return lapak.CommissionRule{Percent: bp}, ok && bp <= lapak.AllOfIt
	}
	m, err := lapak.ParsePrice(s)
	return lapak.CommissionRule{Fixed: m}, err == nil
}

// parsePercent reads "10", "2,5" or "2.5" as basis points, at most two decimals.
func parsePercent(s string) (lapak.BasisPoints, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err1 := strconv.Atoi(orZero(whole))
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || f < 0 || w > 1000 {
		return 0, false
	}
	return lapak.BasisPoints(w*100 + f), true
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// parseCount reads a whole number of items, 0 to 1,000,000.
func parseCount(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s, ".", "")))
	return n, err == nil && n >= 0 && n <= 1_000_000
}

// parseWeight reads a weight as "250", "250 g", "250gr", "1 kg" or "1,5kg", in grams.
func parseWeight(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"kg", 1000}, {"gram", 1}, {"gr", 1}, {"g", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	g := int(f*mult + 0.5)
	return g, err == nil && f >= 0 && g <= 1_000_000
}

// variantSpec is one variant as an owner types it: "M" or "M:10".
type variantSpec struct {
	Name  string `json:"name"`
	Stock *int   `json:"stock,omitempty"`
}

// parseVariants reads "S, M, L" or "S:10, M:5, Merah:0": names up to 30 characters, a stock
// optional after a colon, no name twice, at most 30 variants.
func parseVariants(s string) ([]variantSpec, bool) {
	var out []variantSpec
	seen := map[string]bool{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		name, count, hasCount := strings.Cut(part, ":")
		name = strings.Join(strings.Fields(name), " ")
		if name == "" || len([]rune(name)) > 30 || seen[strings.ToLower(name)] {
			return nil, false
		}
		seen[strings.ToLower(name)] = true
		v := variantSpec{Name: name}
		if hasCount {
			n, ok := parseCount(count)
			if !ok {
				return nil, false
			}
			v.Stock = &n
		}
		out = append(out, v)
	}
	return out, len(out) > 0 && len(out) <= 30
}

// isSkip reports whether an owner means "skip": a dash, or the words for none.
func isSkip(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "-", "lewati", "skip", "tidak ada", "tidak", "none", "no":
		return true
	}
	return false
}
