package lapak

import "testing"

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in   string
		want Phone
		ok   bool
	}{
		{"081234567890", "+6281234567890", true},
		{"0812-3456-7890", "+6281234567890", true},
		{"+62 812-3456-7890", "+6281234567890", true},
		{"6281234567890", "+6281234567890", true},
		{"+6281234567890", "+6281234567890", true},
		{"62081234567890", "+6281234567890", true},
		{"81234567890", "+6281234567890", true},
		{"(0811) 1234 567", "+628111234567", true},
		{"0811.1234.567", "+628111234567", true},
		{"08123", "", false},
		{"0215551234", "", false},
		{"+1 650 555 1234", "", false},
		{"0812345678901234", "", false},
		{"nomor saya 0812", "", false},
		{"", "", false},
		{"0812+34567890", "", false},
	}
	for _, tt := range tests {
		got, ok := ParsePhone(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPhoneMasked(t *testing.T) {
	if got := Phone("+6281234567890").Masked(); got != "+62********890" {
		t.Errorf("Masked() = %q", got)
	}
}
