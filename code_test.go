package lapak

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

func TestResellerCodes(t *testing.T) {
	readable := regexp.MustCompile(`^[A-Z]{2,5}[2-9]{1,4}$`)
	tests := []struct{ name, prefix string }{
		{"Andi Saputra", "ANDI"},
		{"siti", "SITI"},
		{"Muhammad Rizky", "MUHAM"},
		{"  Dewi  ", "DEWI"},
		{"Ö", "LPK"},
		{"😀😀", "LPK"},
		{"", "LPK"},
		{"J. Budi", "LPK"},
	}
	for _, tt := range tests {
		codes := ResellerCodes(tt.name, rand.New(rand.NewPCG(1, 2)))
		if len(codes) < 20 {
			t.Errorf("%q: only %d candidates", tt.name, len(codes))
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if !readable.MatchString(c) || c[:len(tt.prefix)] != tt.prefix {
				t.Errorf("%q: unreadable code %q", tt.name, c)
			}
			if seen[c] {
				t.Errorf("%q: duplicate candidate %q", tt.name, c)
			}
			seen[c] = true
		}
		if len(codes[0]) != len(tt.prefix)+1 {
			t.Errorf("%q: first candidate %q is not the shortest", tt.name, codes[0])
		}
	}
}
