package lapak

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// ResellerCodes returns candidate reseller codes for a name, most readable first: up to five
// letters of the first name and a number, like ANDI7. Codes use the digits 2–9 only, so nobody
// reads 0 as O or 1 as I. The caller takes the first that is free.
func ResellerCodes(name string, r *rand.Rand) []string {
	base := codeBase(name)
	var out []string
	for _, width := range []int{1, 2, 3, 4} {
		seen := map[string]bool{}
		for range 8 {
			n := ""
			for range width {
				n += strconv.Itoa(2 + r.IntN(8))
			}
			if !seen[n] {
				seen[n] = true
				out = append(out, base+n)
			}
		}
	}
	return out
}

func codeBase(name string) string {
	var b strings.Builder
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	for _, c := range strings.ToUpper(first) {
		if c >= 'A' && c <= 'Z' {
			b.WriteRune(c)
		}
		if b.Len() == 5 {
			break
		}
	}
	if b.Len() < 2 {
		return "LPK"
	}
	return b.String()
}
