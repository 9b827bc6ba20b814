package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// fakeClient records what the adapter asks of whatsmeow.
type fakeClient struct {
	mu       sync.Mutex
	sent     []sentMessage
	uploads  [][]byte
	read     []types.MessageID
	presence []types.ChatPresence
	sendErr  error
}

type sentMessage struct {
	to  types.JID
	msg *waE2E.Message
}

func (f *fakeClient) SendMessage(_ context.Context, to types.JID, m *waE2E.Message, _ ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return whatsmeow.SendResponse{}, f.sendErr
	}
	f.sent = append(f.sent, sentMessage{to, m})
	return whatsmeow.SendResponse{ID: "3EB0000000000000000" + string(rune('0'+len(f.sent)%10))}, nil
}

func (f *fakeClient) Upload(_ context.Context, data []byte, _ whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.uploads = append(f.uploads, data)
	return whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net/up.enc", DirectPath: "/up.enc", FileLength: uint64(len(data))}, nil
}

func (f *fakeClient) Download(_ context.Context, m whatsmeow.DownloadableMessage) ([]byte, error) {
	return []byte("downloaded " + m.GetDirectPath()), nil
}

func (f *fakeClient) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, _, _ types.JID, _ ...types.ReceiptType) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.read = append(f.read, ids...)
	return nil
}

func (f *fakeClient) SendChatPresence(_ context.Context, _ types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.presence = append(f.presence, state)
	return nil
}

func (f *fakeClient) messages() []sentMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sent)
}

// fakeDispatcher records messages and answers each with err.
type fakeDispatcher struct {
	mu  sync.Mutex
	got []bot.Inbound
	err error
}

func (d *fakeDispatcher) Dispatch(_ context.Context, in bot.Inbound) <-chan error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.got = append(d.got, in)
	done := make(chan error, 1)
	done <- d.err
	return done
}

func (d *fakeDispatcher) last() bot.Inbound {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.got[len(d.got)-1]
}

// fakeLIDs is a LID map.
type fakeLIDs map[types.JID]types.JID

func (m fakeLIDs) GetPNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	return m[lid], nil
}

type alert struct {
	key  string
	args []any
}

// connected returns an adapter as Start leaves it once connected, over fakes.
func connected(t *testing.T, cfg Config) (*Adapter, *fakeClient, *fakeDispatcher, chan alert) {
	t.Helper()
	alerts := make(chan alert, 8)
	cfg.Alert = func(_ context.Context, key string, args ...any) { alerts <- alert{key, args} }
	if cfg.Clock == nil {
		cfg.Clock = newClock()
	}
	a := New(cfg)
	fc, fd := &fakeClient{}, &fakeDispatcher{}
	a.wa, a.d, a.ctx, a.lids = fc, fd, context.Background(), fakeLIDs{}
	a.handle(&events.Connected{})
	return a, fc, fd, alerts
}

func text(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }

var customer = bot.Address{Channel: lapak.WhatsApp, ChatID: "6281234567890"}

func TestSendBeforeStartIsNotConnected(t *testing.T) {
	err := New(Config{}).Send(context.Background(), customer, bot.Reply{Text: "Halo"})
	if !errors.Is(err, ErrNotConnected) {
		t.Errorf("Send = %v, want ErrNotConnected", err)
	}
}

func TestConversationWithANumberedMenu(t *testing.T) {
	ctx := context.Background()
	a, fc, fd, _ := connected(t, Config{})

	if !a.handle(dm(text("halo kak"))) {
		t.Fatal("message not acknowledged")
	}
	in := fd.last()
	if in.Kind != bot.KindText || in.Text != "halo kak" || in.Chat != customer || in.UserID != "6281234567890" {
		t.Errorf("dispatched %+v", in)
	}
	if !slices.Equal(fc.read, []types.MessageID{"3EB0C431C26A1916E07A"}) || !slices.Equal(fc.presence, []types.ChatPresence{types.ChatPresenceComposing}) {
		t.Errorf("read %v, presence %v; want the message read and typing shown", fc.read, fc.presence)
	}

	menu := bot.Reply{Text: "Pilih warna:", Options: []bot.Option{{ID: "v:0", Label: "Kaos Hitam"}, {ID: "v:1", Label: "Kaos Putih"}}}
	if err := a.Send(ctx, customer, menu); err != nil {
		t.Fatal(err)
	}
	sent := fc.messages()
	if len(sent) != 1 || sent[0].to != customerPN || sent[0].msg.GetConversation() != "Pilih warna:\n\n1. Kaos Hitam\n2. Kaos Putih\nBalas dengan angka atau nama pilihan." {
		t.Fatalf("sent %+v", sent)
	}

	for _, answer := range []string{"2", "kaos putih"} {
		a.handle(dm(text(answer)))
		if in := fd.last(); in.Kind != bot.KindOption || in.Option != "v:1" || in.Text != "Kaos Putih" {
			t.Errorf("%q dispatched as %+v, want option v:1", answer, in)
		}
	}
	a.handle(dm(text("3")))
	if in := fd.last(); in.Kind != bot.KindText || in.Text != "3" {
		t.Errorf("a number beyond the menu dispatched as %+v, want text", in)
	}

	if err := a.Send(ctx, customer, bot.Reply{Text: "Berapa banyak? Ketik jumlahnya."}); err != nil {
		t.Fatal(err)
	}
	a.handle(dm(text("2")))
	if in := fd.last(); in.Kind != bot.KindText || in.Text != "2" {
		t.Errorf("after a question without options, %q dispatched as %+v, want text", "2", in)
	}
}

func TestEnglishMenuHint(t *testing.T) {
	a, fc, _, _ := connected(t, Config{Lang: func(context.Context, bot.Address) lapak.Lang { return lapak.English }})
	a.handle(dm(text("hi")))
	if err := a.Send(context.Background(), customer, bot.Reply{Text: "Pick:", Options: []bot.Option{{ID: "a", Label: "A"}}}); err != nil {
		t.Fatal(err)
	}
	if got := fc.messages()[0].msg.GetConversation(); got != "Pick:\n\n1. A\nReply with the number or the name of your choice." {
		t.Errorf("sent %q", got)
	}
}

func TestLIDCustomer(t *testing.T) {
	ctx := context.Background()
	a, fc, fd, _ := connected(t, Config{})
	a.lids = fakeLIDs{customerLID: customerPN}

	a.handle(fromLID(text("halo"), types.EmptyJID))
	in := fd.last()
	if in.Chat.ChatID != "123456789012345@lid" || in.UserID != "6281234567890" {
		t.Errorf("dispatched %+v; want the LID's chat and the phone number from the LID map", in)
	}
	if err := a.Send(ctx, in.Chat, bot.Reply{Text: "Halo kak"}); err != nil {
		t.Fatal(err)
	}
	if sent := fc.messages(); len(sent) != 1 || sent[0].to != customerLID {
		t.Errorf("sent %+v, want the reply to the LID the customer wrote from", sent)
	}

	a.lids = fakeLIDs{}
	a.handle(fromLID(text("halo lagi"), types.EmptyJID))
	if in := fd.last(); in.UserID != "123456789012345@lid" {
		t.Errorf("unknown number: user %q, want the LID", in.UserID)
	}
}

func TestFailedHandlingIsDeliveredAgain(t *testing.T) {
	a, _, fd, _ := connected(t, Config{})
	fd.err = errors.New("redis down")
	if a.handle(dm(text("halo"))) {
		t.Error("a message that was not handled was acknowledged")
	}
	fd.err = nil
	if !a.handle(dm(text("halo"))) {
		t.Error("the redelivered message was not acknowledged")
	}
	if !a.handle(dm(&waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}})) {
		t.Error("an ignored message was not acknowledged")
	}
	if len(fd.got) != 2 {
		t.Errorf("dispatched %d messages, want 2", len(fd.got))
	}
}

func TestSendRefusesChatsThatNeverWrote(t *testing.T) {
	a, fc, _, _ := connected(t, Config{})
	err := a.Send(context.Background(), customer, bot.Reply{Text: "Promo!"})
	if !errors.Is(err, ErrUnsolicited) || len(fc.messages()) != 0 {
		t.Errorf("Send = %v, sent %d; want ErrUnsolicited and nothing sent", err, len(fc.messages()))
	}
	err = a.Send(context.Background(), bot.Address{Channel: lapak.Telegram, ChatID: "12345"}, bot.Reply{Text: "x"})
	if !errors.Is(err, ErrNotWhatsApp) {
		t.Errorf("Send to telegram = %v", err)
	}
}

func TestSendReachesChatsKeptAsJIDs(t *testing.T) {
	a, fc, _, _ := connected(t, Config{})
	a.handle(dm(text("halo")))
	if err := a.Send(context.Background(), bot.Address{Channel: lapak.WhatsApp, ChatID: "6281234567890@s.whatsapp.net"}, bot.Reply{Text: "Halo"}); err != nil {
		t.Fatal(err)
	}
	if sent := fc.messages(); len(sent) != 1 || sent[0].to != customerPN {
		t.Errorf("sent %+v", sent)
	}
}

func TestStops(t *testing.T) {
	for _, tc := range []struct {
		name string
		evt  any
		key  string
		args []any
	}{
		{"LoggedOut", &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut}, "whatsapp.alert.logged_out", nil},
		{"ClientOutdated", &events.ClientOutdated{}, "whatsapp.alert.outdated", nil},
		{"TemporaryBan", &events.TemporaryBan{Code: events.TempBanSentTooManySameMessage, Expire: 23*time.Hour + 30*time.Minute}, "whatsapp.alert.banned_for", []any{104, 24}},
		{"TemporaryBanWithoutExpiry", &events.TemporaryBan{Code: events.TempBanSentToTooManyPeople}, "whatsapp.alert.banned", []any{101}},
		{"ConnectFailure", &events.ConnectFailure{Reason: events.ConnectFailureBadUserAgent}, "whatsapp.alert.failed", []any{"409: client user agent was rejected"}},
		{"StreamReplaced", &events.StreamReplaced{}, "whatsapp.alert.replaced", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			a, fc, _, alerts := connected(t, Config{})
			a.handle(dm(text("halo")))
			a.handle(tc.evt)
			a.handle(&events.Disconnected{})

			err := a.Send(ctx, customer, bot.Reply{Text: "Halo"})
			var stopped *StoppedError
			if !errors.As(err, &stopped) || len(fc.messages()) != 0 {
				t.Fatalf("Send = %v, sent %d; want a StoppedError and nothing sent", err, len(fc.messages()))
			}
			got := receive(t, alerts)
			if got.key != tc.key || !slices.Equal(got.args, tc.args) {
				t.Errorf("alert %s %v, want %s %v", got.key, got.args, tc.key, tc.args)
			}

			a.handle(&events.Connected{})
			if err := a.Send(ctx, customer, bot.Reply{Text: "Halo"}); err != nil {
				t.Errorf("after reconnecting: %v", err)
			}
			if back := receive(t, alerts); back.key != "whatsapp.alert.back" {
				t.Errorf("alert %s, want whatsapp.alert.back", back.key)
			}
		})
	}
}

func TestDisconnectedUntilReconnected(t *testing.T) {
	a, _, _, alerts := connected(t, Config{})
	a.handle(dm(text("halo")))
	a.handle(&events.Disconnected{})
	if err := a.Send(context.Background(), customer, bot.Reply{Text: "Halo"}); !errors.Is(err, ErrNotConnected) {
		t.Errorf("Send = %v, want ErrNotConnected", err)
	}
	a.handle(&events.Connected{})
	if err := a.Send(context.Background(), customer, bot.Reply{Text: "Halo"}); err != nil {
		t.Errorf("after reconnecting: %v", err)
	}
	select {
	case got := <-alerts:
		t.Errorf("a reconnect after a network drop alerted %s", got.key)
	default:
	}
}

func receive(t *testing.T, alerts chan alert) alert {
	t.Helper()
	select {
	case a := <-alerts:
		return a
	case <-time.After(5 * time.Second):
		t.Fatal("no alert")
		return alert{}
	}
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.Black)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSendPhoto(t *testing.T) {
	photo := pngBytes(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/img/kaos.png" {
			http.NotFound(w, r)
			return
		}
		w.Write(photo)
	}))
	defer srv.Close()
	ctx := context.Background()

	t.Run("ByURLWithCaption", func(t *testing.T) {
		a, fc, _, _ := connected(t, Config{HTTPClient: srv.Client()})
		a.handle(dm(text("halo")))
		err := a.Send(ctx, customer, bot.Reply{Text: "Kaos Hitam Rp75.000", Photo: &bot.Photo{URL: srv.URL + "/img/kaos.png"}})
		if err != nil {
			t.Fatal(err)
		}
		sent := fc.messages()
		if len(sent) != 1 || len(fc.uploads) != 1 || !bytes.Equal(fc.uploads[0], photo) {
			t.Fatalf("sent %d, uploaded %d", len(sent), len(fc.uploads))
		}
		img := sent[0].msg.GetImageMessage()
		if img.GetCaption() != "Kaos Hitam Rp75.000" || img.GetMimetype() != "image/png" || img.GetDirectPath() != "/up.enc" {
			t.Errorf("image %v", img)
		}
	})
	t.Run("MissingPhotoSendsTheText", func(t *testing.T) {
		a, fc, _, _ := connected(t, Config{HTTPClient: srv.Client()})
		a.handle(dm(text("halo")))
		err := a.Send(ctx, customer, bot.Reply{Text: "Kaos Hitam", Photo: &bot.Photo{URL: srv.URL + "/img/hilang.jpg"}})
		if sent := fc.messages(); err != nil || len(sent) != 1 || sent[0].msg.GetConversation() != "Kaos Hitam" {
			t.Errorf("Send = %v, sent %+v; want the text alone", err, sent)
		}
	})
	t.Run("TelegramFileIDOnly", func(t *testing.T) {
		a, fc, _, _ := connected(t, Config{})
		a.handle(dm(text("halo")))
		err := a.Send(ctx, customer, bot.Reply{Text: "Kaos Hitam", Photo: &bot.Photo{FileID: "AgACAgUAAxkBAAIBR2"}})
		if sent := fc.messages(); err != nil || len(sent) != 1 || sent[0].msg.GetConversation() != "Kaos Hitam" {
			t.Errorf("Send = %v, sent %+v; want the text alone", err, sent)
		}
	})
}

func TestSendFailureIsReturned(t *testing.T) {
	a, fc, _, _ := connected(t, Config{})
	a.handle(dm(text("halo")))
	fc.sendErr = whatsmeow.ErrNotConnected
	if err := a.Send(context.Background(), customer, bot.Reply{Text: "Halo"}); !errors.Is(err, whatsmeow.ErrNotConnected) {
		t.Errorf("Send = %v", err)
	}
}

func TestDownload(t *testing.T) {
	a, _, fd, _ := connected(t, Config{})
	a.handle(dm(imageMsg("bukti transfer")))
	in := fd.last()
	data, err := a.Download(context.Background(), in.Media.FileID)
	if err != nil || string(data) != "downloaded /v/t62.7118-24/12345_abc.enc?ccb=11-4" {
		t.Errorf("Download = %q, %v", data, err)
	}
}
