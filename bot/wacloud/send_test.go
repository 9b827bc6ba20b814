package wacloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/wacloud/wacloudtest"
)

// sendOpen sends r to the customer with their window open, and returns what the fake received.
func sendOpen(t *testing.T, r bot.Reply) []wacloudtest.Message {
	t.Helper()
	a, fake := newAdapter(t, Config{})
	openWindow(t, a, customer)
	if err := a.Send(t.Context(), customerChat, r); err != nil {
		t.Fatalf("send: %v", err)
	}
	return fake.Sent()
}

// withoutKeys removes interactive.header and interactive.footer from a fixture: replies have
// neither.
func withoutKeys(t *testing.T, raw []byte, drop ...string) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	it := v["interactive"].(map[string]any)
	for _, k := range drop {
		delete(it, k)
	}
	out, _ := json.Marshal(v)
	return out
}

func TestSendTextMatchesMeta(t *testing.T) {
	sent := sendOpen(t, bot.Reply{Text: "Halo Budi, pesanan ORD-1001 sudah kami terima. Total Rp170.000."})
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	sameJSON(t, sent[0].Raw, readFixture(t, "wacloud_outbound_text.json"))
}

func TestSendPhotoByLinkMatchesMeta(t *testing.T) {
	sent := sendOpen(t, bot.Reply{Text: "Kopi Arabika 250g - Rp85.000", Photo: &bot.Photo{URL: "https://cdn.example.com/products/SKU123.jpg", FileID: "AgACAgIAAxkBAAIB"}})
	if len(sent) != 1 {
		t.Fatalf("sent %d messages, want the photo with its caption", len(sent))
	}
	sameJSON(t, sent[0].Raw, readFixture(t, "wacloud_outbound_image.json"))
}

func TestSendButtonsMatchMeta(t *testing.T) {
	sent := sendOpen(t, bot.Reply{Text: "2x Kopi Arabika 250g, total Rp170.000. Lanjutkan?", Options: []bot.Option{
		{ID: "confirm:ORD-1001", Label: "Ya, pesan"}, {ID: "edit:ORD-1001", Label: "Ubah"}, {ID: "cancel:ORD-1001", Label: "Batal"},
	}})
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	sameJSON(t, sent[0].Raw, withoutKeys(t, readFixture(t, "wacloud_outbound_interactive_buttons.json"), "header", "footer"))
}

func TestSendListMatchesMeta(t *testing.T) {
	sent := sendOpen(t, bot.Reply{Text: "Pilih produk yang ingin dipesan.", Options: []bot.Option{
		{ID: "sku:SKU123", Label: "Kopi Arabika 250g"}, {ID: "sku:SKU124", Label: "Kopi Robusta 250g"},
		{ID: "sku:SKU200", Label: "Teh Melati 100g"}, {ID: "sku:SKU300", Label: "Gula Aren Cair Botol 500 ml"},
	}})
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	// Meta's example with one untitled section of our rows, and the default list button.
	want := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281234567890","type":"interactive",
		"interactive":{"type":"list","body":{"text":"Pilih produk yang ingin dipesan."},
		"action":{"button":"Lihat pilihan","sections":[{"rows":[
			{"id":"sku:SKU123","title":"Kopi Arabika 250g"},
			{"id":"sku:SKU124","title":"Kopi Robusta 250g"},
			{"id":"sku:SKU200","title":"Teh Melati 100g"},
			{"id":"sku:SKU300","title":"Gula Aren Cair Botol 50…","description":"Gula Aren Cair Botol 500 ml"}]}]}}}`
	sameJSON(t, sent[0].Raw, []byte(want))
	// Every key we send is one Meta's own example has.
	var ours, meta map[string]any
	json.Unmarshal(sent[0].Raw, &ours)
	json.Unmarshal(readFixture(t, "wacloud_outbound_interactive_list.json"), &meta)
	for k := range keyPaths(ours, "", nil) {
		if !keyPaths(meta, "", nil)[k] {
			t.Errorf("sent %s, which Meta's list has not", k)
		}
	}
}

// keyPaths lists the key paths of a decoded JSON value, array elements under "[]".
func keyPaths(v any, prefix string, out map[string]bool) map[string]bool {
	if out == nil {
		out = map[string]bool{}
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			out[prefix+"."+k] = true
			keyPaths(e, prefix+"."+k, out)
		}
	case []any:
		for _, e := range v {
			keyPaths(e, prefix+"[]", out)
		}
	}
	return out
}

func options(labels ...string) []bot.Option {
	opts := make([]bot.Option, len(labels))
	for i, l := range labels {
		opts[i] = bot.Option{ID: fmt.Sprintf("o:%d", i+1), Label: l}
	}
	return opts
}

func numberedLabels(n int) []string {
	var ls []string
	for i := range n {
		ls = append(ls, fmt.Sprintf("Kaos %d", i+1))
	}
	return ls
}

func TestSendRendersOptions(t *testing.T) {
	tests := []struct {
		name    string
		labels  []string
		style   string // button, list or numbered
		choices []wacloudtest.Choice
	}{
		{name: "OneButton", labels: []string{"Bantuan"}, style: "button", choices: []wacloudtest.Choice{{ID: "o:1", Title: "Bantuan"}}},
		{name: "ThreeButtons", labels: []string{"Ya", "Tidak", "Nanti"}, style: "button"},
		{name: "LongTitleShortened", labels: []string{"Tambah ke keranjang belanja", "Batal"}, style: "button",
			choices: []wacloudtest.Choice{{ID: "o:1", Title: "Tambah ke keranjang…"}, {ID: "o:2", Title: "Batal"}}},
		{name: "TitlesAlikeOnceShortenedBecomeAList", labels: []string{"Kaos Polos Hitam Ukuran M", "Kaos Polos Hitam Ukuran L"}, style: "list",
			choices: []wacloudtest.Choice{
				{ID: "o:1", Title: "Kaos Polos Hitam Ukuran M"[:23] + "…", Description: "Kaos Polos Hitam Ukuran M"},
				{ID: "o:2", Title: "Kaos Polos Hitam Ukuran L"[:23] + "…", Description: "Kaos Polos Hitam Ukuran L"},
			}},
		{name: "FourIsAList", labels: numberedLabels(4), style: "list"},
		{name: "TenIsAList", labels: numberedLabels(10), style: "list"},
		{name: "ElevenIsNumbered", labels: numberedLabels(11), style: "numbered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent := sendOpen(t, bot.Reply{Text: "Pilih:", Options: options(tt.labels...)})
			if len(sent) != 1 {
				t.Fatalf("sent %d messages", len(sent))
			}
			m := sent[0]
			if tt.style == "numbered" {
				if m.Type != "text" || !strings.Contains(m.Text, "11. Kaos 11\n") {
					t.Errorf("sent %s %q, want a numbered menu", m.Type, m.Text)
				}
				return
			}
			if m.Interactive == nil || m.Interactive.Type != tt.style || m.Interactive.Body != "Pilih:" {
				t.Fatalf("sent %s %+v, want %s", m.Type, m.Interactive, tt.style)
			}
			if len(m.Interactive.Choices) != len(tt.labels) {
				t.Errorf("%d choices, want %d", len(m.Interactive.Choices), len(tt.labels))
			}
			if tt.choices != nil && fmt.Sprint(m.Interactive.Choices) != fmt.Sprint(tt.choices) {
				t.Errorf("choices %+v\nwant %+v", m.Interactive.Choices, tt.choices)
			}
		})
	}
}

func TestSendNumberedMenu(t *testing.T) {
	labels := append([]string{"Kaos Hitam"}, numberedLabels(11)...)
	sent := sendOpen(t, bot.Reply{Text: "Katalog Toko Andi:", Options: options(labels...)})
	want := "Katalog Toko Andi:\n\n1. Kaos Hitam\n2. Kaos 1\n3. Kaos 2\n4. Kaos 3\n5. Kaos 4\n6. Kaos 5\n7. Kaos 6\n8. Kaos 7\n9. Kaos 8\n10. Kaos 9\n11. Kaos 10\n12. Kaos 11\nBalas dengan angka atau nama pilihan."
	if len(sent) != 1 || sent[0].Type != "text" || sent[0].Text != want {
		t.Errorf("sent %+v, want the text\n%s", sent, want)
	}
}

func TestSendRemembersOptions(t *testing.T) {
	a, _ := newAdapter(t, Config{})
	openWindow(t, a, customer)
	opts := options(numberedLabels(12)...)
	if err := a.Send(t.Context(), customerChat, bot.Reply{Text: "Pilih:", Options: opts}); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.cfg.Menus.Load(t.Context(), customer); fmt.Sprint(got) != fmt.Sprint(opts) {
		t.Errorf("remembered %v", got)
	}
}

func TestSendRefusesBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts []bot.Option
		want error
	}{
		{"EmptyID", []bot.Option{{ID: "", Label: "Ya"}}, ErrOptionID},
		{"IDTooLong", []bot.Option{{ID: strings.Repeat("x", 201), Label: "Ya"}}, ErrOptionID},
		{"SameID", []bot.Option{{ID: "a", Label: "Ya"}, {ID: "a", Label: "Tidak"}}, ErrOptionID},
		{"NoLabel", []bot.Option{{ID: "a", Label: " "}}, ErrOptionLabel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := newAdapter(t, Config{})
			openWindow(t, a, customer)
			err := a.Send(t.Context(), customerChat, bot.Reply{Text: "Pilih:", Options: tt.opts})
			if !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
			if n := len(fake.Sent()); n != 0 {
				t.Errorf("%d messages sent", n)
			}
		})
	}
}

func TestSendOptionsWithoutText(t *testing.T) {
	sent := sendOpen(t, bot.Reply{Options: options("Ya", "Tidak")})
	if len(sent) != 1 || sent[0].Interactive == nil || sent[0].Interactive.Body == "" {
		t.Errorf("sent %+v, want buttons under a body Meta accepts", sent)
	}
}

// lines returns n numbered lines of text, each about 60 characters.
func lines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%03d. Kaos polos katun combed 30s, semua ukuran tersedia.\n", i+1)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestSendSplitsLongText(t *testing.T) {
	text := lines(100) // about 5,800 characters
	sent := sendOpen(t, bot.Reply{Text: text})
	if len(sent) != 2 {
		t.Fatalf("sent %d messages, want 2", len(sent))
	}
	for _, m := range sent {
		if runes(m.Text) > 4096 || strings.HasPrefix(m.Text, "\n") || strings.HasSuffix(m.Text, "\n") {
			t.Errorf("part of %d characters, or cut badly: %q…", runes(m.Text), m.Text[:20])
		}
	}
	if !strings.HasSuffix(sent[0].Text, "tersedia.") || sent[0].Text+"\n"+sent[1].Text != text {
		t.Error("text not split at a line break, or not all sent")
	}
}

func TestSendLongTextBeforeOptions(t *testing.T) {
	text := lines(30) // about 1,750 characters: too long for an interactive body
	sent := sendOpen(t, bot.Reply{Text: text, Options: options("Beli", "Kembali")})
	if len(sent) != 2 || sent[0].Type != "text" || sent[1].Interactive == nil {
		t.Fatalf("sent %+v, want text, then the buttons", sent)
	}
	body := sent[1].Interactive.Body
	if runes(body) > 1024 || !strings.HasPrefix(body, "0") || sent[0].Text+"\n"+body != text {
		t.Errorf("split into %d + %d characters, not at a line break or losing text", runes(sent[0].Text), runes(body))
	}
}

func TestSendPhoto(t *testing.T) {
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 100)...)
	long := lines(20) // about 1,170 characters: too long for a caption
	tests := []struct {
		name  string
		reply bot.Reply
		types []string // of the messages sent, in order
		check func(t *testing.T, sent []wacloudtest.Message, fake *wacloudtest.Server)
	}{
		{name: "LongCaptionFollows", reply: bot.Reply{Text: long, Photo: &bot.Photo{URL: "https://lapak.example/img/1"}}, types: []string{"image", "text"},
			check: func(t *testing.T, sent []wacloudtest.Message, _ *wacloudtest.Server) {
				if sent[0].Image.Caption != "" || sent[1].Text != long {
					t.Errorf("caption %q, text %d characters", sent[0].Image.Caption, runes(sent[1].Text))
				}
			}},
		{name: "BytesUploaded", reply: bot.Reply{Text: "Kaos", Photo: &bot.Photo{Bytes: jpeg}}, types: []string{"image"},
			check: func(t *testing.T, sent []wacloudtest.Message, fake *wacloudtest.Server) {
				img := sent[0].Image
				if img.Upload == nil || !bytes.Equal(img.Upload.Data, jpeg) || img.Upload.MIME != "image/jpeg" || img.Caption != "Kaos" {
					t.Errorf("image %+v, want the uploaded bytes by ID, captioned", img)
				}
			}},
		{name: "WithOptions", reply: bot.Reply{Text: "Kaos Rp50.000", Photo: &bot.Photo{URL: "https://lapak.example/img/1"}, Options: options("Beli", "Kembali")}, types: []string{"image", "interactive"},
			check: func(t *testing.T, sent []wacloudtest.Message, _ *wacloudtest.Server) {
				if sent[0].Image.Caption != "" || sent[1].Interactive.Body != "Kaos Rp50.000" {
					t.Errorf("caption %q, body %q: want the text with the buttons", sent[0].Image.Caption, sent[1].Interactive.Body)
				}
			}},
		{name: "WhatsAppMediaID", reply: bot.Reply{Text: "Kaos", Photo: &bot.Photo{FileID: "8472976218001204"}}, types: []string{"image"},
			check: func(t *testing.T, sent []wacloudtest.Message, _ *wacloudtest.Server) {
				if sent[0].Image.ID != "8472976218001204" {
					t.Errorf("image %+v", sent[0].Image)
				}
			}},
		{name: "TelegramFileIDLeftOut", reply: bot.Reply{Text: "Kaos", Photo: &bot.Photo{FileID: "AgACAgIAAxkBAAIBZ2"}}, types: []string{"text"}},
		{name: "DocumentUploaded", reply: bot.Reply{Text: "Laporan", Document: &bot.Document{Name: "laporan.pdf", Bytes: []byte("%PDF-1.4\n")}}, types: []string{"document"},
			check: func(t *testing.T, sent []wacloudtest.Message, _ *wacloudtest.Server) {
				d := sent[0].Document
				if d.Filename != "laporan.pdf" || d.Caption != "Laporan" || d.Upload == nil || d.Upload.MIME != "application/pdf" {
					t.Errorf("document %+v", d)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := newAdapter(t, Config{})
			openWindow(t, a, customer)
			if err := a.Send(t.Context(), customerChat, tt.reply); err != nil {
				t.Fatalf("send: %v", err)
			}
			sent := fake.Sent()
			var types []string
			for _, m := range sent {
				types = append(types, m.Type)
			}
			if fmt.Sprint(types) != fmt.Sprint(tt.types) {
				t.Fatalf("sent %v, want %v", types, tt.types)
			}
			if tt.check != nil {
				tt.check(t, sent, fake)
			}
		})
	}
}

func TestSendRefusesGIF(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	openWindow(t, a, customer)
	err := a.Send(t.Context(), customerChat, bot.Reply{Text: "x", Photo: &bot.Photo{Bytes: []byte("GIF89a........")}})
	if !errors.Is(err, ErrImageType) || len(fake.Sent())+len(fake.Uploads()) != 0 {
		t.Errorf("err %v, %d sent: want ErrImageType and nothing sent", err, len(fake.Sent()))
	}
}

func TestSendAppendsLinks(t *testing.T) {
	sent := sendOpen(t, bot.Reply{Text: "Kaos Hitam Rp50.000", Links: []bot.Link{{Label: "Pesan via WhatsApp", URL: "https://wa.me/628111?text=KAOS"}, {Label: "Toko", URL: "https://lapak.example/r/ANDI7"}}})
	want := "Kaos Hitam Rp50.000\n\nPesan via WhatsApp: https://wa.me/628111?text=KAOS\nToko: https://lapak.example/r/ANDI7"
	if len(sent) != 1 || sent[0].Text != want || !sent[0].PreviewURL {
		t.Errorf("sent %+v, want the links as URLs with a preview:\n%s", sent, want)
	}
}

func TestSendEmptyReply(t *testing.T) {
	a, _ := newAdapter(t, Config{})
	openWindow(t, a, customer)
	if err := a.Send(t.Context(), customerChat, bot.Reply{Text: " \n"}); !errors.Is(err, ErrEmptyReply) {
		t.Errorf("err %v, want ErrEmptyReply", err)
	}
}

func TestSendToOtherChannels(t *testing.T) {
	a, _ := newAdapter(t, Config{})
	for _, to := range []bot.Address{{Channel: lapak.Telegram, ChatID: "12345"}, {Channel: lapak.WhatsApp, ChatID: "+6281234567890"}, {Channel: lapak.WhatsApp, ChatID: "628111@s.whatsapp.net"}} {
		if err := a.Send(t.Context(), to, bot.Reply{Text: "hi"}); !errors.Is(err, ErrNotWhatsApp) {
			t.Errorf("send to %s: %v, want ErrNotWhatsApp", to, err)
		}
	}
}

func TestCustomerServiceWindow(t *testing.T) {
	tests := []struct {
		name     string
		wrote    time.Duration // how long ago the customer last wrote; 0: never
		template bool
	}{
		{"JustWrote", time.Second, false},
		{"AnHourAgo", time.Hour, false},
		{"AlmostADayAgo", 23*time.Hour + 50*time.Minute, false},
		{"ADayAgo", 24 * time.Hour, true},
		{"TwoDaysAgo", 48 * time.Hour, true},
		{"Never", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock(start)
			a, fake := newAdapter(t, Config{Clock: clock})
			if tt.wrote > 0 {
				a.cfg.Window.Touch(t.Context(), customer, start)
				clock.Add(tt.wrote)
			}
			reply := bot.Reply{Text: "Pesanan ORD-1001 sudah dikirim.\nResi: JNE123", Options: options("Lacak"), Photo: &bot.Photo{URL: "https://lapak.example/img/1"}}
			if err := a.Send(t.Context(), customerChat, reply); err != nil {
				t.Fatalf("send: %v", err)
			}
			sent := fake.Sent()
			if !tt.template {
				if len(sent) != 2 || sent[0].Type != "image" || sent[1].Type != "interactive" {
					t.Errorf("sent %+v, want the free-form reply", sent)
				}
				return
			}
			if len(sent) != 1 || sent[0].Type != "template" {
				t.Fatalf("sent %+v, want only the template", sent)
			}
			want := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"6281234567890","type":"template",
				"template":{"name":"order_update","language":{"policy":"deterministic","code":"id"},
				"components":[{"type":"body","parameters":[{"type":"text","text":"Pesanan ORD-1001 sudah dikirim. · Resi: JNE123"}]}]}}`
			sameJSON(t, sent[0].Raw, []byte(want))
		})
	}
}

func TestTemplateMatchesMetasShape(t *testing.T) {
	a, fake := newAdapter(t, Config{Template: "order_update", TemplateLang: "id"})
	if err := a.Send(t.Context(), customerChat, bot.Reply{Text: "Budi"}); err != nil {
		t.Fatal(err)
	}
	// Meta's example has two parameters; ours one, the text.
	var meta map[string]any
	json.Unmarshal(readFixture(t, "wacloud_outbound_template.json"), &meta)
	comps := meta["template"].(map[string]any)["components"].([]any)
	body := comps[0].(map[string]any)
	body["parameters"] = body["parameters"].([]any)[:1]
	want, _ := json.Marshal(meta)
	sameJSON(t, fake.Sent()[0].Raw, want)
}

func TestTemplateParameterFitsMetasRules(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	text := "Halo\tBudi,     pesanan\n\n" + lines(40) + "\n\nPesan lagi: https://lapak.example/r/ANDI7"
	if err := a.Send(t.Context(), customerChat, bot.Reply{Text: text, Links: []bot.Link{{Label: "Toko", URL: "https://lapak.example/r/ANDI7"}}}); err != nil {
		t.Fatalf("send: %v (the fake refuses what Meta refuses)", err)
	}
	p := fake.Sent()[0].Template.Params[0]
	if runes(p) > maxTemplateParam || !strings.HasSuffix(p, "…") || !strings.HasPrefix(p, "Halo Budi, pesanan · 001.") {
		t.Errorf("parameter of %d characters: %q…%q", runes(p), p[:40], p[len(p)-20:])
	}
}

func TestOutsideWindowWithNoText(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	err := a.Send(t.Context(), customerChat, bot.Reply{Photo: &bot.Photo{URL: "https://lapak.example/img/1"}})
	if !errors.Is(err, ErrWindowClosed) || len(fake.Sent()) != 0 {
		t.Errorf("err %v, %d sent; want ErrWindowClosed and nothing sent", err, len(fake.Sent()))
	}
}

func TestSendRateLimited(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   int
		wait   time.Duration
	}{
		{"Throughput", 400, CodeThroughput, 2 * time.Second},
		{"ThroughputAs429", 429, CodeThroughput, 2 * time.Second},
		{"PairRate", 400, CodePairRateLimit, 6 * time.Second},
		{"AppCalls", 400, CodeAppRateLimit, time.Minute},
		{"AccountCalls", 400, CodeAccountRateLimit, time.Minute},
		{"Plain429", 429, 1, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := newAdapter(t, Config{})
			openWindow(t, a, customer)
			fake.FailNext(tt.status, tt.code)
			err := a.Send(t.Context(), customerChat, bot.Reply{Text: "halo"})
			var ra *bot.RetryAfterError
			if !errors.As(err, &ra) || ra.After != tt.wait {
				t.Fatalf("err %v, want RetryAfterError after %v", err, tt.wait)
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.Code != tt.code {
				t.Errorf("err %v does not carry the Graph error", err)
			}
			if len(fake.Sent()) != 0 {
				t.Error("message recorded as sent")
			}
		})
	}
}

func TestPacedSenderRetriesAfterRateLimit(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	openWindow(t, a, customer)
	fake.FailNext(400, CodePairRateLimit)
	p := &bot.PacedSender{Sender: a, Limiter: noLimit{}, Channel: "whatsapp"}
	if err := p.Send(t.Context(), customerChat, bot.Reply{Text: "halo"}); err != nil {
		t.Fatalf("send: %v", err)
	}
	if len(fake.Sent()) != 1 {
		t.Errorf("sent %d, want the message once after the retry", len(fake.Sent()))
	}
}

// noLimit is a bot.Limiter that never makes anyone wait.
type noLimit struct{}

func (noLimit) Reserve(context.Context, string, time.Duration, int) (time.Duration, error) {
	return 0, nil
}
func (noLimit) Block(context.Context, string, time.Duration) error { return nil }

// failSecond answers the second request to …/messages with a pair-rate error, and passes the
// others to the fake.
type failSecond struct {
	mu    sync.Mutex
	calls int
	next  http.RoundTripper
}

func (f *failSecond) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.calls++
	n := f.calls
	f.mu.Unlock()
	if n != 2 {
		return f.next.RoundTrip(r)
	}
	body := `{"error":{"message":"(#131056) (Business Account, Consumer Account) pair rate limit hit","type":"OAuthException","code":131056,"fbtrace_id":"A1"}}`
	return &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func TestSendLaterPartRateLimitedWaitsHere(t *testing.T) {
	var waited []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waited = append(waited, d); return nil }
	a, fake := newAdapter(t, Config{HTTPClient: &http.Client{Transport: &failSecond{next: http.DefaultTransport}}, Sleep: sleep})
	openWindow(t, a, customer)
	if err := a.Send(t.Context(), customerChat, bot.Reply{Text: lines(100)}); err != nil {
		t.Fatalf("send: %v", err)
	}
	if n := len(fake.Sent()); n != 2 {
		t.Errorf("sent %d messages, want each part once", n)
	}
	if fmt.Sprint(waited) != "[6s]" {
		t.Errorf("waited %v, want the pair rate's 6s", waited)
	}
}

func TestSendGraphError(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	openWindow(t, a, customer)
	fake.FailNext(400, 131026)
	err := a.Send(t.Context(), customerChat, bot.Reply{Text: "halo"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != 131026 || ae.Details == "" || ae.TraceID == "" {
		t.Fatalf("err %#v, want the decoded Graph error", err)
	}
	var ra *bot.RetryAfterError
	if errors.As(err, &ra) {
		t.Error("an undeliverable message is not a rate limit")
	}
	if strings.Contains(err.Error(), customer) {
		t.Errorf("error %q shows the whole number", err)
	}
}

func TestTokenNeverShows(t *testing.T) {
	const token = "EAAGsecretTokenThatMustNeverLeak123"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":{"message":"bad token %s","code":190,"error_data":{"details":"%s"}}}`, r.Header.Get("Authorization"), r.Header.Get("Authorization"))
	}))
	defer echo.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	fake := wacloudtest.New(t)
	for name, apiURL := range map[string]string{"WrongToken": fake.URL(), "Echoed": echo.URL + "/v21.0", "Unreachable": closed.URL + "/v21.0/" + token} {
		t.Run(name, func(t *testing.T) {
			var logged bytes.Buffer
			a, err := New(Config{APIURL: apiURL, Token: token, PhoneNumberID: wacloudtest.PhoneNumberID, AppSecret: "s", VerifyToken: "v", Logger: slogTo(&logged)})
			if err != nil {
				t.Fatal(err)
			}
			openWindow(t, a, customer)
			errs := []error{
				a.Send(t.Context(), customerChat, bot.Reply{Text: "halo"}),
				a.Send(t.Context(), customerChat, bot.Reply{Text: "halo", Photo: &bot.Photo{Bytes: []byte{0xFF, 0xD8, 0xFF, 0xE0}}}),
				a.MarkRead(t.Context(), "wamid.X"),
			}
			signed(a.WebhookHandler(newRecorder(nil)), wacloudtest.Notification(wacloudtest.Text("628111", "halo")))
			for _, err := range errs {
				if err == nil {
					t.Fatal("call succeeded")
				}
				if strings.Contains(err.Error(), token) || strings.Contains(fmt.Sprintf("%#v", err), token) {
					t.Errorf("error shows the token: %v", err)
				}
			}
			if strings.Contains(logged.String(), token) {
				t.Errorf("log shows the token:\n%s", logged.String())
			}
		})
	}
}
