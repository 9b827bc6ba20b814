package telegram

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

func TestSendEscapesHTML(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	text := `Promo <b>&</b> "Kaos" 'Polos' > Rp85.000`
	if err := a.Send(testContext(t), userChat, bot.Reply{Text: text}); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 1 {
		t.Fatalf("sent %d messages, want 1", len(sent))
	}
	m := sent[0]
	if m.ChatID != 1111111 || m.ParseMode != "HTML" {
		t.Errorf("chat %d parse mode %q, want 1111111 in HTML", m.ChatID, m.ParseMode)
	}
	if m.Plain != text {
		t.Errorf("user sees %q, want %q", m.Plain, text)
	}
	if !strings.Contains(m.Text, "&lt;b&gt;&amp;&lt;/b&gt;") {
		t.Errorf("sent %q, want <b>& escaped", m.Text)
	}
}

func TestSendKeyboardLayout(t *testing.T) {
	opt := func(labels ...string) []bot.Option {
		var out []bot.Option
		for i, l := range labels {
			out = append(out, bot.Option{ID: "opt:" + string(rune('a'+i)), Label: l})
		}
		return out
	}
	labels := func(rows [][]telegramtest.Button) [][]string {
		var out [][]string
		for _, row := range rows {
			var r []string
			for _, b := range row {
				r = append(r, b.Text)
			}
			out = append(out, r)
		}
		return out
	}
	tests := []struct {
		name    string
		options []bot.Option
		links   []bot.Link
		want    [][]string
	}{
		{"ShortLabelsShareARow", opt("Ya", "Tidak"), nil, [][]string{{"Ya", "Tidak"}}},
		{"AtMostThreeToARow", opt("1", "2", "3", "4"), nil, [][]string{{"1", "2", "3"}, {"4"}}},
		{"LongLabelsGetTheirOwnRow", opt("Kaos Polos Hitam XL · Rp85.000", "Kemeja Batik · Rp150.000"), nil,
			[][]string{{"Kaos Polos Hitam XL · Rp85.000"}, {"Kemeja Batik · Rp150.000"}}},
		{"MixedLabelsKeepTheirOrder", opt("Beli 1", "Lihat katalog lengkap", "Batal"), nil,
			[][]string{{"Beli 1"}, {"Lihat katalog lengkap"}, {"Batal"}}},
		{"LinksGoBelowOptions", opt("Sudah bayar"), []bot.Link{{Label: "Bayar sekarang", URL: "https://checkout.xendit.co/web/inv-1"}},
			[][]string{{"Sudah bayar"}, {"Bayar sekarang"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := startAdapter(t, Config{})
			err := a.Send(testContext(t), userChat, bot.Reply{Text: "Pilih:", Options: tt.options, Links: tt.links})
			if err != nil {
				t.Fatal(err)
			}
			got := fake.Sent()[0].Keyboard
			if !reflect.DeepEqual(labels(got), tt.want) {
				t.Errorf("rows %q, want %q", labels(got), tt.want)
			}
			for _, b := range fake.Sent()[0].Buttons() {
				if b.CallbackData == "" && b.URL == "" {
					t.Errorf("button %q does nothing", b.Text)
				}
			}
		})
	}
}

func TestSendButtonsCarryOptionIDsAndURLs(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	r := bot.Reply{Text: "Pesanan #12", Options: []bot.Option{{ID: "order:12:cancel", Label: "Batal"}},
		Links: []bot.Link{{Label: "Bayar", URL: "https://checkout.xendit.co/web/inv-12"}}}
	if err := a.Send(testContext(t), userChat, r); err != nil {
		t.Fatal(err)
	}
	want := []telegramtest.Button{{Text: "Batal", CallbackData: "order:12:cancel"}, {Text: "Bayar", URL: "https://checkout.xendit.co/web/inv-12"}}
	if got := fake.Sent()[0].Buttons(); !reflect.DeepEqual(got, want) {
		t.Errorf("buttons %+v, want %+v", got, want)
	}
}

func TestSendRefusesCallbackDataOver64Bytes(t *testing.T) {
	tests := []struct {
		name string
		id   string
		ok   bool
	}{
		{"Exactly64BytesIsSent", strings.Repeat("a", 64), true},
		{"65BytesIsRefused", strings.Repeat("a", 65), false},
		{"33TwoByteRunesAreRefused", strings.Repeat("é", 33), false},
		{"EmptyIsRefused", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := startAdapter(t, Config{})
			err := a.Send(testContext(t), userChat, bot.Reply{Text: "Pilih", Options: []bot.Option{{ID: tt.id, Label: "Beli"}}})
			if tt.ok {
				if err != nil || len(fake.Sent()) != 1 {
					t.Fatalf("err %v, sent %d; want one message", err, len(fake.Sent()))
				}
				return
			}
			if !errors.Is(err, ErrOptionID) {
				t.Errorf("err = %v, want ErrOptionID", err)
			}
			if n := fake.Calls("sendMessage"); n != 0 {
				t.Errorf("sendMessage called %d times, want nothing sent", n)
			}
		})
	}
}

func TestSendSplitsLongText(t *testing.T) {
	var lines []string
	for i := range 100 {
		lines = append(lines, strings.Repeat("x", 45)+" baris "+string(rune('A'+i%26))) // 100 lines of 53
	}
	tests := []struct {
		name  string
		text  string
		parts int
	}{
		{"5000CharactersInLines", strings.Join(lines, "\n")[:5000], 2},
		{"EmojiCountTwice", strings.Repeat("🛍", 3000), 2}, // 6000 UTF-16 units
		{"Exactly4096StaysOne", strings.Repeat("a", 4096), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := startAdapter(t, Config{})
			r := bot.Reply{Text: tt.text, Options: []bot.Option{{ID: "menu", Label: "Menu"}}}
			if err := a.Send(testContext(t), userChat, r); err != nil {
				t.Fatal(err)
			}
			sent := fake.Sent()
			if len(sent) != tt.parts {
				t.Fatalf("sent %d messages, want %d", len(sent), tt.parts)
			}
			var joined strings.Builder
			for i, m := range sent {
				if (m.Keyboard != nil) != (i == len(sent)-1) {
					t.Errorf("message %d has keyboard %v; want it on the last message only", i, m.Keyboard)
				}
				joined.WriteString(m.Plain)
			}
			if strings.ReplaceAll(joined.String(), "\n", "") != strings.ReplaceAll(tt.text, "\n", "") {
				t.Error("the parts do not add up to the text")
			}
		})
	}
}

func TestSendPhoto(t *testing.T) {
	long := strings.Repeat("Detail produk. ", 100) // 1500 characters: too long for a caption
	tests := []struct {
		name     string
		photo    bot.Photo
		text     string
		methods  []string
		wantFile telegramtest.File
	}{
		{"ByFileIDWithCaption", bot.Photo{FileID: "AgACAgIAAxkBAAIB"}, "Kaos <polos>", []string{"sendPhoto"},
			telegramtest.File{FileID: "AgACAgIAAxkBAAIB"}},
		{"ByURLWithCaption", bot.Photo{URL: "https://cdn.lapak.id/p/1.jpg"}, "Kaos", []string{"sendPhoto"},
			telegramtest.File{URL: "https://cdn.lapak.id/p/1.jpg"}},
		{"UploadedWithCaption", bot.Photo{Bytes: []byte("\xff\xd8jpeg")}, "Kaos", []string{"sendPhoto"},
			telegramtest.File{Name: "photo.jpg", Data: []byte("\xff\xd8jpeg")}},
		{"LongTextFollowsThePhoto", bot.Photo{FileID: "AgACAgIAAxkBAAIB"}, long, []string{"sendPhoto", "sendMessage"},
			telegramtest.File{FileID: "AgACAgIAAxkBAAIB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := startAdapter(t, Config{})
			photo := tt.photo
			r := bot.Reply{Text: tt.text, Photo: &photo, Options: []bot.Option{{ID: "buy:1", Label: "Beli"}}}
			if err := a.Send(testContext(t), userChat, r); err != nil {
				t.Fatal(err)
			}
			sent := fake.Sent()
			if got := methodsOf(sent); !reflect.DeepEqual(got, tt.methods) {
				t.Fatalf("calls %v, want %v", got, tt.methods)
			}
			p := *sent[0].Photo
			if tt.wantFile.Data != nil {
				tt.wantFile.FileID = p.FileID // a new upload gets a new file ID
			}
			if !reflect.DeepEqual(p, tt.wantFile) {
				t.Errorf("photo %+v, want %+v", p, tt.wantFile)
			}
			last := sent[len(sent)-1]
			if last.Plain != tt.text || last.Keyboard == nil {
				t.Errorf("last message shows %.40q with keyboard %v; want the text and the keyboard", last.Plain, last.Keyboard)
			}
			if len(sent) > 1 && (sent[0].Plain != "" || sent[0].Keyboard != nil) {
				t.Errorf("photo before long text has caption %.40q and keyboard %v, want neither", sent[0].Plain, sent[0].Keyboard)
			}
		})
	}
}

func methodsOf(sent []telegramtest.Message) []string {
	var out []string
	for _, m := range sent {
		out = append(out, m.Method)
	}
	return out
}

func TestSendDocumentUploadsBytesWithCaption(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	csv := []byte("tanggal,omzet\n2026-05-01,1500000\n")
	r := bot.Reply{Text: "Laporan Mei & Juni", Document: &bot.Document{Name: "laporan-mei.csv", Bytes: csv}}
	if err := a.Send(testContext(t), userChat, r); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].Method != "sendDocument" {
		t.Fatalf("calls %v, want one sendDocument", methodsOf(sent))
	}
	d := sent[0].Document
	if d.Name != "laporan-mei.csv" || !bytes.Equal(d.Data, csv) {
		t.Errorf("document %q with %q, want laporan-mei.csv with the CSV", d.Name, d.Data)
	}
	if sent[0].Plain != "Laporan Mei & Juni" {
		t.Errorf("caption %q", sent[0].Plain)
	}
}

func TestSendRefusesEmptyReply(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	if err := a.Send(testContext(t), userChat, bot.Reply{Text: "  ", Options: []bot.Option{{ID: "x", Label: "X"}}}); err == nil {
		t.Error("an empty reply was accepted")
	}
	if len(fake.Sent()) != 0 {
		t.Error("an empty reply was sent")
	}
}

func TestSendRateLimitedReturnsRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		method string
		reply  bot.Reply
	}{
		{"Message", "sendMessage", bot.Reply{Text: "Halo"}},
		{"UploadedPhotoLosesTheCode", "sendPhoto", bot.Reply{Text: "Halo", Photo: &bot.Photo{Bytes: []byte("jpeg")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := startAdapter(t, Config{})
			fake.FailNext(tt.method, 429, 5)
			err := a.Send(testContext(t), userChat, tt.reply)
			var ra *bot.RetryAfterError
			if !errors.As(err, &ra) {
				t.Fatalf("err = %v, want *bot.RetryAfterError", err)
			}
			if ra.After != 5*time.Second {
				t.Errorf("retry after %s, want 5s", ra.After)
			}
		})
	}
}

func TestSendNeverLeaksTheToken(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	fake.Close() // the endpoint is now unreachable
	err := a.Send(testContext(t), userChat, bot.Reply{Text: "Halo"})
	if err == nil {
		t.Fatal("send to an unreachable endpoint succeeded")
	}
	assertNoToken(t, err)
	if !strings.Contains(err.Error(), redactedToken) {
		t.Errorf("error %q does not show where the token was", err)
	}
}

// assertNoToken checks err and every error it wraps.
func assertNoToken(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), telegramtest.Token) {
			t.Fatalf("error leaks the bot token: %q", e)
		}
	}
}

func TestSendAddressChecks(t *testing.T) {
	a, _ := startAdapter(t, Config{})
	for _, to := range []bot.Address{{Channel: lapak.WhatsApp, ChatID: "1111111"}, {Channel: lapak.Telegram, ChatID: "@channel"}} {
		if err := a.Send(testContext(t), to, bot.Reply{Text: "Halo"}); err == nil {
			t.Errorf("send to %s succeeded", to)
		}
	}
	if err := New(Config{Token: "x"}).Send(testContext(t), userChat, bot.Reply{Text: "Halo"}); !errors.Is(err, ErrNotStarted) {
		t.Errorf("send before start: %v, want ErrNotStarted", err)
	}
}

func TestEdit(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	ctx := testContext(t)
	r := bot.Reply{Text: "Stok: 3", Options: []bot.Option{{ID: "buy", Label: "Beli"}}}
	if err := a.Send(ctx, userChat, r); err != nil {
		t.Fatal(err)
	}
	id := fake.Sent()[0].MessageID
	if err := a.Edit(ctx, userChat, id, r); err != nil {
		t.Errorf("edit to the same content: %v, want no error", err)
	}
	r.Text = "Stok: 2"
	if err := a.Edit(ctx, userChat, id, r); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if last := sent[len(sent)-1]; last.Method != "editMessageText" || last.Plain != "Stok: 2" || last.MessageID != id {
		t.Errorf("last call %s of message %d shows %q; want message %d edited to Stok: 2", last.Method, last.MessageID, last.Plain, id)
	}
}

func TestTypingShowsChatAction(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	if err := a.Typing(testContext(t), userChat); err != nil {
		t.Fatal(err)
	}
	want := []telegramtest.ChatAction{{ChatID: 1111111, Action: "typing"}}
	if got := fake.Actions(); !reflect.DeepEqual(got, want) {
		t.Errorf("actions %+v, want %+v", got, want)
	}
}

func TestDownloadFetchesWhatAUserSent(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	fake.AddFile("AwADBAADbXXXXXXXXXXXGBdhD2l6_XX", []byte("%PDF-1.4 katalog"))
	got, err := a.Download(testContext(t), "AwADBAADbXXXXXXXXXXXGBdhD2l6_XX")
	if err != nil || string(got) != "%PDF-1.4 katalog" {
		t.Errorf("download = %q, %v; want the PDF", got, err)
	}
	if _, err := a.Download(testContext(t), "unknown"); err == nil {
		t.Error("download of an unknown file succeeded")
	}
}
