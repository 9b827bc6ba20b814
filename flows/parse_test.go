package flows

import (
	"testing"

	"github.com/lapak-id/lapak"
)

func TestParseCommission(t *testing.T) {
	tests := []struct {
		in   string
		want lapak.CommissionRule
		ok   bool
	}{
		{"10%", lapak.CommissionRule{Percent: 1000}, true},
		{"2,5 %", lapak.CommissionRule{Percent: 250}, true},
		{"2.25%", lapak.CommissionRule{Percent: 225}, true},
		{"5rb", lapak.CommissionRule{Fixed: 5000}, true},
		{"Rp 5.000", lapak.CommissionRule{Fixed: 5000}, true},
		{"0", lapak.CommissionRule{}, true},
		{"150%", lapak.CommissionRule{Percent: 15000}, false},
		{"2,555%", lapak.CommissionRule{}, false},
		{"sepuluh persen", lapak.CommissionRule{}, false},
		{"-5%", lapak.CommissionRule{}, false},
	}
	for _, tt := range tests {
		got, ok := parseCommission(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseCommission(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseWeightAndCount(t *testing.T) {
	for in, want := range map[string]int{"250": 250, "250 g": 250, "250gr": 250, "1 kg": 1000, "1,5kg": 1500, "0": 0} {
		if got, ok := parseWeight(in); !ok || got != want {
			t.Errorf("parseWeight(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "berat", "-1", "9999999 kg"} {
		if _, ok := parseWeight(bad); ok {
			t.Errorf("parseWeight(%q) accepted", bad)
		}
	}
	for in, want := range map[string]int{"10": 10, " 0 ": 0, "1.000": 1000} {
		if got, ok := parseCount(in); !ok || got != want {
			t.Errorf("parseCount(%q) = %d, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"-1", "dua", "9999999", "1,5"} {
		if _, ok := parseCount(bad); ok {
			t.Errorf("parseCount(%q) accepted", bad)
		}
	}
}

func TestParseVariants(t *testing.T) {
	v, ok := parseVariants("S:10, M , Merah Marun:0")
	if !ok || len(v) != 3 || v[0].Name != "S" || *v[0].Stock != 10 || v[1].Stock != nil || v[2].Name != "Merah Marun" || *v[2].Stock != 0 {
		t.Fatalf("parseVariants = %+v, %v", v, ok)
	}
	for _, bad := range []string{"", ",,", "S, s", "S:-1", "S:banyak"} {
		if _, ok := parseVariants(bad); ok {
			t.Errorf("parseVariants(%q) accepted", bad)
		}
	}
}
