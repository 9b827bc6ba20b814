package whatsapp

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestWhatsmeowLogsHidePhoneNumbers(t *testing.T) {
	var out bytes.Buffer
	log := waLogger(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo})), "client").Sub("Recv")
	log.Warnf("Error unmarshaling decrypted message from %s: %v", "6281234567890@s.whatsapp.net", "bad wire type")
	log.Infof("Got LID mapping %s -> %s", "123456789012345@lid", "6281234567890@s.whatsapp.net")
	log.Debugf("dropped below the level %s", "6281234567890")
	got := out.String()
	if strings.Contains(got, "6281234567890") || strings.Contains(got, "123456789012345") || strings.Contains(got, "dropped") {
		t.Errorf("log shows numbers or debug lines:\n%s", got)
	}
	for _, want := range []string{"62********890@s.whatsapp.net", "12**********345@lid", "module=client/Recv", "level=WARN", "bad wire type"} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
}
