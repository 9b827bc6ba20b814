package telegram

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

func TestStartInWebhookModeRegistersTheSecret(t *testing.T) {
	a, fake := startAdapter(t, Config{WebhookURL: "https://lapak.example/webhooks/telegram", WebhookSecret: "s3cret_-X"})
	got := fake.Webhook()
	want := telegramtest.WebhookInfo{URL: "https://lapak.example/webhooks/telegram", SecretToken: "s3cret_-X",
		AllowedUpdates: []string{"message", "callback_query", "inline_query"}, MaxConnections: 40}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("webhook %+v, want %+v", got, want)
	}
	if a.Username() != telegramtest.Username {
		t.Errorf("username %q, want %q", a.Username(), telegramtest.Username)
	}
}

func TestStartInPollingModeDeletesTheWebhook(t *testing.T) {
	fake := telegramtest.New(t)
	cfg := Config{Token: telegramtest.Token, Endpoint: fake.Endpoint(), WebhookURL: "https://lapak.example/hook", WebhookSecret: "abc"}
	if err := New(cfg).Start(testContext(t)); err != nil {
		t.Fatal(err)
	}
	cfg.WebhookURL, cfg.WebhookSecret = "", ""
	if err := New(cfg).Start(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if url := fake.Webhook().URL; url != "" {
		t.Errorf("webhook still set to %q", url)
	}
}

func TestStartRefusesBadConfig(t *testing.T) {
	fake := telegramtest.New(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"WrongToken", Config{Token: "987:wrong", Endpoint: fake.Endpoint()}, "Unauthorized"},
		{"NoToken", Config{Endpoint: fake.Endpoint()}, "token is empty"},
		{"EndpointWithoutVerbs", Config{Token: telegramtest.Token, Endpoint: fake.URL()}, "two %s"},
		{"WebhookWithoutSecret", Config{Token: telegramtest.Token, Endpoint: fake.Endpoint(), WebhookURL: "https://lapak.example/hook"}, "secret"},
		{"SecretWithBadCharacters", Config{Token: telegramtest.Token, Endpoint: fake.Endpoint(), WebhookURL: "https://lapak.example/hook", WebhookSecret: "a b"}, "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := New(tt.cfg).Start(testContext(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one about %q", err, tt.want)
			}
		})
	}
}

func TestStartWithUnreachableEndpointHidesTheToken(t *testing.T) {
	fake := telegramtest.New(t)
	endpoint := fake.Endpoint()
	fake.Close()
	err := New(Config{Token: telegramtest.Token, Endpoint: endpoint}).Start(testContext(t))
	if err == nil {
		t.Fatal("start against a closed endpoint succeeded")
	}
	assertNoToken(t, err)
}

func TestDeepLink(t *testing.T) {
	a, _ := startAdapter(t, Config{})
	got, err := a.DeepLink("ref_R123-abc")
	if want := "https://t.me/" + telegramtest.Username + "?start=ref_R123-abc"; err != nil || got != want {
		t.Errorf("deep link %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"", "a b", strings.Repeat("x", 65), "kode/1"} {
		if _, err := a.DeepLink(bad); err == nil {
			t.Errorf("payload %q accepted", bad)
		}
	}
}
