package lapak

import "testing"

func TestOrderTextRoundTrips(t *testing.T) {
	text := OrderText("Kaos Polos Hitam (L)", "KAOS-HTM-L", "ANDI7")
	sku, code, ok := ParseOrderText(text)
	if !ok || sku != "KAOS-HTM-L" || code != "ANDI7" {
		t.Fatalf("ParseOrderText(%q) = %q, %q, %v", text, sku, code, ok)
	}
	for _, edited := range []string{
		"halo kak, saya mau pesan [kaos-htm-l] via andi7 ya, 2 pcs",
		"Pesan [KAOS-HTM-L]   via   ANDI7",
	} {
		if sku, code, ok := ParseOrderText(edited); !ok || sku != "KAOS-HTM-L" || code != "ANDI7" {
			t.Errorf("ParseOrderText(%q) = %q, %q, %v", edited, sku, code, ok)
		}
	}
	for _, none := range []string{"", "halo", "[KAOS] via", "via ANDI7", "[KAOS] via ANDI0"} {
		if _, _, ok := ParseOrderText(none); ok {
			t.Errorf("ParseOrderText(%q) found codes", none)
		}
	}
}

func TestWhatsAppLink(t *testing.T) {
	got := WhatsAppLink("+6281234567890", "Halo, saya mau pesan Kaos [K1] via ANDI7")
	want := "https://wa.me/6281234567890?text=Halo%2C+saya+mau+pesan+Kaos+%5BK1%5D+via+ANDI7"
	if got != want {
		t.Errorf("WhatsAppLink = %q, want %q", got, want)
	}
}
