package lapak

import "testing"

func TestMoneyString(t *testing.T) {
	tests := []struct {
		in   Money
		want string
	}{
		{0, "Rp0"},
		{5, "Rp5"},
		{999, "Rp999"},
		{1000, "Rp1.000"},
		{150000, "Rp150.000"},
		{1500000, "Rp1.500.000"},
		{-5000, "-Rp5.000"},
		{1234567890123, "Rp1.234.567.890.123"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}
