package wacloud

import (
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"Bantuan", 20, "Bantuan"},
		{"Tambah ke keranjang belanja", 20, "Tambah ke keranjang…"},
		{"Kaos 👕 hitam polos premium", 8, "Kaos 👕…"},
		{"12345678901234567890", 20, "12345678901234567890"},
		{"123456789012345678901", 20, "1234567890123456789…"},
	}
	for _, tt := range tests {
		if got := clip(tt.in, tt.limit); got != tt.want || runes(got) > tt.limit {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"Fits", "satu\ndua", 10, []string{"satu\ndua"}},
		{"AtLineBreak", "satu dua\ntiga empat", 12, []string{"satu dua", "tiga empat"}},
		{"AtSpace", "satu dua tiga empat", 10, []string{"satu dua", "tiga empat"}},
		{"InAWord", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"Emoji", "👕👕👕👕👕", 2, []string{"👕👕", "👕👕", "👕"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitText(tt.in, tt.limit); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("split into %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSplitTail(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		limit      int
		head, tail string
	}{
		{"Fits", "Pilih ukuran:", 20, "", "Pilih ukuran:"},
		{"AtLineBreak", "Kaos hitam\nBahan katun\nPilih ukuran:", 30, "Kaos hitam", "Bahan katun\nPilih ukuran:"},
		{"AtSpace", "satu dua tiga empat lima", 12, "satu dua tiga", "empat lima"},
		{"TrailingBreakIgnored", "satu\ndua tiga empat\n", 12, "satu\ndua", "tiga empat\n"},
		{"NoBreak", "abcdefghij", 4, "abcdef", "ghij"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head, tail := splitTail(tt.in, tt.limit)
			if head != tt.head || tail != tt.tail || runes(tail) > tt.limit {
				t.Errorf("split into %q + %q, want %q + %q", head, tail, tt.head, tt.tail)
			}
		})
	}
}

func TestFlatten(t *testing.T) {
	in := "Pesanan ORD-1 dikirim.\n\nResi:\tJNE 123     456\n  \nTerima kasih "
	if got, want := flatten(in), "Pesanan ORD-1 dikirim. · Resi: JNE 123 456 · Terima kasih"; got != want {
		t.Errorf("flatten = %q, want %q", got, want)
	}
}
