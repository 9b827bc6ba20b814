package bot

import (
	"testing"

	"github.com/lapak-id/lapak"
)

func TestAddressMaskedHidesPhoneNumbers(t *testing.T) {
	for _, tt := range []struct {
		a    Address
		want string
	}{
		{Address{lapak.WhatsApp, "6281234567890"}, "whatsapp:***890"},
		{Address{lapak.Telegram, "123456789"}, "telegram:123456789"},
		{Address{lapak.WhatsApp, "12"}, "whatsapp:12"},
	} {
		if got := tt.a.Masked(); got != tt.want {
			t.Errorf("%v.Masked() = %q, want %q", tt.a, got, tt.want)
		}
	}
}
