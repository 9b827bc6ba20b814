package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
	"github.com/lapak-id/lapak/bot/wacloud/wacloudtest"
)

// cloudEnv is the environment that turns on the WhatsApp Cloud API against the fake Graph API.
func cloudEnv(graph *wacloudtest.Server) map[string]string {
	return map[string]string{
		"WHATSAPP_TRANSPORT":             "cloud",
		"WHATSAPP_CLOUD_API_URL":         graph.URL(),
		"WHATSAPP_CLOUD_TOKEN":           wacloudtest.Token,
		"WHATSAPP_CLOUD_PHONE_NUMBER_ID": wacloudtest.PhoneNumberID,
		"WHATSAPP_CLOUD_APP_SECRET":      wacloudtest.AppSecret,
		"WHATSAPP_CLOUD_VERIFY_TOKEN":    wacloudtest.VerifyToken,
	}
}

func TestConfigWhatsApp(t *testing.T) {
	cloud := cloudEnv(wacloudtest.New(t))
	with := func(changes map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range cloud {
			env[k] = v
		}
		for k, v := range changes {
			env[k] = v
		}
		return env
	}
	tests := []struct {
		name string
		env  map[string]string
		err  string // part of the error; empty for none
	}{
		{name: "NoneByDefault", env: map[string]string{}},
		{name: "Whatsmeow", env: map[string]string{"WHATSAPP_TRANSPORT": "whatsmeow"}},
		{name: "Cloud", env: cloud},
		{name: "UnknownTransport", env: map[string]string{"WHATSAPP_TRANSPORT": "twilio"}, err: "WHATSAPP_TRANSPORT must be whatsmeow, cloud or none"},
		{name: "CloudWithoutSecrets", env: map[string]string{"WHATSAPP_TRANSPORT": "cloud"},
			err: "WHATSAPP_CLOUD_TOKEN, WHATSAPP_CLOUD_PHONE_NUMBER_ID, WHATSAPP_CLOUD_APP_SECRET, WHATSAPP_CLOUD_VERIFY_TOKEN required"},
		{name: "CloudWithoutAppSecret", env: with(map[string]string{"WHATSAPP_CLOUD_APP_SECRET": ""}), err: "WHATSAPP_CLOUD_APP_SECRET required"},
		{name: "PhoneNumberNotID", env: with(map[string]string{"WHATSAPP_CLOUD_PHONE_NUMBER_ID": "+62 812 3456 7890"}), err: "WHATSAPP_CLOUD_PHONE_NUMBER_ID must be"},
		{name: "APIURLNotURL", env: with(map[string]string{"WHATSAPP_CLOUD_API_URL": "graph.facebook.com"}), err: "WHATSAPP_CLOUD_API_URL must be"},
		{name: "TemplateName", env: with(map[string]string{"WHATSAPP_CLOUD_TEMPLATE": "Order Update"}), err: "WHATSAPP_CLOUD_TEMPLATE must be"},
		{name: "TemplateLang", env: with(map[string]string{"WHATSAPP_CLOUD_TEMPLATE_LANG": "Indonesian"}), err: "WHATSAPP_CLOUD_TEMPLATE_LANG must be"},
		{name: "SecretsIgnoredWithoutCloud", env: map[string]string{"WHATSAPP_CLOUD_PHONE_NUMBER_ID": "not digits"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(func(k string) string { return tt.env[k] })
			if tt.err == "" {
				if err != nil {
					t.Fatalf("err %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err %v, want one saying %q", err, tt.err)
			}
		})
	}
	cfg, _ := loadConfig(func(k string) string { return map[string]string{"WHATSAPP_TRANSPORT": "cloud"}[k] })
	if cfg.WhatsAppCloudAPIURL != "https://graph.facebook.com/v21.0" || cfg.WhatsAppCloudTemplate != "order_update" || cfg.WhatsAppCloudTemplateLang != "id" {
		t.Errorf("defaults %q %q %q", cfg.WhatsAppCloudAPIURL, cfg.WhatsAppCloudTemplate, cfg.WhatsAppCloudTemplateLang)
	}
	if cfg, _ := loadConfig(func(string) string { return "" }); cfg.WhatsAppTransport != "none" {
		t.Errorf("transport %q by default, want none", cfg.WhatsAppTransport)
	}
}

func TestServeWhatsAppWithoutTransportHasNoWebhook(t *testing.T) {
	s := startServe(t, testEnv(t, telegramtest.New(t), nil))
	resp, err := http.Get("http://" + s.addr + "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404 with WHATSAPP_TRANSPORT=none", resp.StatusCode)
	}
}

func TestServeWhatsAppCloud(t *testing.T) {
	graph := wacloudtest.New(t)
	s := startServe(t, testEnv(t, telegramtest.New(t), cloudEnv(graph)))
	webhook := "http://" + s.addr + "/webhooks/whatsapp"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const customer = "6281234567890"

	t.Run("VerificationHandshake", func(t *testing.T) {
		for token, want := range map[string]int{wacloudtest.VerifyToken: 200, "guess": 403} {
			q := url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {"1903260781"}, "hub.verify_token": {token}}
			resp, err := http.Get(webhook + "?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want || want == 200 && string(body) != "1903260781" {
				t.Errorf("token %q: %d %q, want %d", token, resp.StatusCode, body, want)
			}
		}
	})

	t.Run("UnsignedIsRefused", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, webhook, strings.NewReader(string(wacloudtest.Notification(wacloudtest.Text(customer, "halo")))))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || len(graph.Sent()) != 0 {
			t.Errorf("status %d, %d sent; want 401 and nothing", resp.StatusCode, len(graph.Sent()))
		}
	})

	hello := wacloudtest.Text(customer, "halo")
	if status, err := wacloudtest.Deliver(ctx, webhook, hello); err != nil || status != 200 {
		t.Fatalf("deliver: %d, %v", status, err)
	}
	// The webhook answers once the message was handled and its replies sent.
	menu, err := graph.WaitSent(ctx, func(m wacloudtest.Message) bool { return m.To == customer && m.Interactive != nil })
	if err != nil {
		t.Fatalf("no menu with buttons sent; sent %+v", graph.Sent())
	}
	if reads := graph.Reads(); len(reads) != 1 || reads[0].MessageID != hello.ID || !reads[0].Typing {
		t.Errorf("read receipts %+v, want the message marked read with typing", reads)
	}

	t.Run("DeliveredAgainIsHandledOnce", func(t *testing.T) {
		before := len(graph.Sent())
		if status, _ := wacloudtest.Deliver(ctx, webhook, hello); status != 200 {
			t.Fatalf("status %d", status)
		}
		if after := len(graph.Sent()); after != before {
			t.Errorf("%d more messages sent for a message delivered twice", after-before)
		}
	})

	last := menu.Interactive.Choices[len(menu.Interactive.Choices)-1]
	t.Run("TapAndTypedLabelChooseAlike", func(t *testing.T) {
		answer := func(in wacloudtest.Inbound) []string {
			graph.Reset()
			if status, err := wacloudtest.Deliver(ctx, webhook, in); err != nil || status != 200 {
				t.Fatalf("deliver: %d, %v", status, err)
			}
			var texts []string
			for _, m := range graph.SentTo(customer) {
				texts = append(texts, m.Text)
			}
			return texts
		}
		// Typed first: the answer offers new options, which a typed label is then matched against.
		typed := answer(wacloudtest.Text(customer, strings.ToUpper(last.Title)))
		tapped := answer(wacloudtest.ButtonReply(customer, last.ID, last.Title))
		if len(tapped) == 0 || strings.Join(tapped, "|") != strings.Join(typed, "|") {
			t.Errorf("tapping %q answered %q; typing it answered %q", last.Title, tapped, typed)
		}
	})
}
