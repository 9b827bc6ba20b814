package wacloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/wacloud/wacloudtest"
)

// fixtureSignature is the X-Hub-Signature-256 of wacloud_inbound_text.json under test_app_secret.
func fixtureSignature(t *testing.T) string {
	t.Helper()
	_, sig, _ := strings.Cut(string(readFixture(t, "wacloud_inbound_text.signature.txt")), "X-Hub-Signature-256: ")
	sig, _, _ = strings.Cut(sig, "\n")
	return sig
}

// textFixtureNumber is the phone number ID the text fixture was sent to.
const textFixtureNumber = "409552778964973"

func TestVerifyHandshake(t *testing.T) {
	// The request line of wacloud_webhook_verify_get.txt, with the fixture's token replaced by ours.
	line, _, _ := strings.Cut(string(readFixture(t, "wacloud_webhook_verify_get.txt")), "\n")
	target := strings.Fields(line)[1]
	tests := []struct {
		name   string
		method string
		query  func(url.Values)
		status int
		body   string
	}{
		{name: "Subscribe", status: 200, body: "1903260781"},
		{name: "WrongToken", query: func(q url.Values) { q.Set("hub.verify_token", "my-verify-token") }, status: 403},
		{name: "TokenPrefix", query: func(q url.Values) { q.Set("hub.verify_token", wacloudtest.VerifyToken[:5]) }, status: 403},
		{name: "NoToken", query: func(q url.Values) { q.Del("hub.verify_token") }, status: 403},
		{name: "OtherMode", query: func(q url.Values) { q.Set("hub.mode", "unsubscribe") }, status: 403},
		{name: "Post", method: http.MethodPost, status: 405},
	}
	a, _ := newAdapter(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(target)
			q := u.Query()
			q.Set("hub.verify_token", wacloudtest.VerifyToken)
			if tt.query != nil {
				tt.query(q)
			}
			u.RawQuery = q.Encode()
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			w := httptest.NewRecorder()
			a.VerifyHandler().ServeHTTP(w, httptest.NewRequest(method, u.String(), nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if tt.status == 200 && (w.Body.String() != tt.body || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain")) {
				t.Errorf("answered %q as %s, want the raw challenge %q", w.Body, w.Header().Get("Content-Type"), tt.body)
			}
		})
	}
}

func TestWebhookSignature(t *testing.T) {
	good := fixtureSignature(t)
	body := readFixture(t, "wacloud_inbound_text.json")
	var reencoded bytes.Buffer
	json.Compact(&reencoded, body)
	tests := []struct {
		name string
		sig  string
		body []byte
		ok   bool
	}{
		{"Good", good, body, true},
		{"Missing", "", body, false},
		{"Wrong", "sha256=" + strings.Repeat("0", 64), body, false},
		{"OneDigitOff", good[:len(good)-1] + "0", body, false},
		{"NoPrefix", strings.TrimPrefix(good, "sha256="), body, false},
		{"SHA1Prefix", "sha1=" + strings.TrimPrefix(good, "sha256="), body, false},
		{"NotHex", "sha256=zz", body, false},
		{"BodyChanged", good, bytes.Replace(body, []byte("hi everyone!"), []byte("hi every one"), 1), false},
		{"SameJSONOtherBytes", good, reencoded.Bytes(), false},
		{"OtherSecret", wacloudtest.Sign("other_secret", body), body, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake := newAdapter(t, Config{PhoneNumberID: textFixtureNumber})
			rec := newRecorder(nil)
			w := postWebhook(a.WebhookHandler(rec), tt.sig, tt.body)
			if !tt.ok {
				if w.Code != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", w.Code)
				}
				rec.none(t)
				if last, _ := a.cfg.Window.Last(t.Context(), "1111111111111"); !last.IsZero() || len(fake.Reads()) != 0 {
					t.Error("an unsigned request opened the window or marked a message read")
				}
				return
			}
			if w.Code != http.StatusOK {
				t.Fatalf("status %d, want 200", w.Code)
			}
			if in := rec.next(t); in.Text != "hi everyone!" {
				t.Errorf("dispatched %+v", in)
			}
		})
	}
}

// signed posts body to h signed as Meta would.
func signed(h http.Handler, body []byte) *httptest.ResponseRecorder {
	return postWebhook(h, wacloudtest.Sign(wacloudtest.AppSecret, body), body)
}

func TestWebhookStatus(t *testing.T) {
	failing := func(bot.Inbound) error { return errors.New("postgres down") }
	tests := []struct {
		name       string
		method     string // default POST
		fixture    string // the body, from testdata
		raw        string // or this body
		number     string // the adapter's phone number ID; default the fake's
		handle     func(bot.Inbound) error
		status     int
		dispatched int
	}{
		{name: "ButtonReplyHandled", fixture: "wacloud_inbound_button_reply.json", status: 200, dispatched: 1},
		{name: "ImageHandled", fixture: "wacloud_inbound_image.json", number: "409552778964973", status: 200, dispatched: 1},
		{name: "FailedIsRetried", fixture: "wacloud_inbound_list_reply.json", handle: failing, status: 500, dispatched: 1},
		{name: "OtherNumberIgnored", fixture: "wacloud_inbound_button_reply.json", number: "999", status: 200},
		{name: "StatusAcknowledged", fixture: "wacloud_status_failed_131047.json", number: "109999999999999", status: 200},
		{name: "OtherFieldAcknowledged", raw: `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]}`, status: 200},
		{name: "NotJSON", raw: `hub=1`, status: 400},
		{name: "TooLarge", raw: `{"object":"` + strings.Repeat("a", 1<<20) + `"}`, status: 413},
		{name: "GetNotAllowed", method: http.MethodGet, status: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := newAdapter(t, Config{PhoneNumberID: tt.number})
			rec := newRecorder(tt.handle)
			body := []byte(tt.raw)
			if tt.fixture != "" {
				body = readFixture(t, tt.fixture)
			}
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/webhooks/whatsapp", bytes.NewReader(body))
			req.Header.Set(SignatureHeader, wacloudtest.Sign(wacloudtest.AppSecret, body))
			w := httptest.NewRecorder()
			a.WebhookHandler(rec).ServeHTTP(w, req)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			for range tt.dispatched {
				rec.next(t)
			}
			rec.none(t)
		})
	}
}

func TestWebhookDispatchesEveryMessageAndWaits(t *testing.T) {
	a, _ := newAdapter(t, Config{Clock: lapak.SystemClock{}})
	var handled atomic.Int32
	rec := newRecorder(func(bot.Inbound) error {
		time.Sleep(10 * time.Millisecond) // a slow handler: the answer must wait for it
		handled.Add(1)
		return nil
	})
	body := wacloudtest.Notification(wacloudtest.Text("628111", "halo"), wacloudtest.Text("628222", "hai"), wacloudtest.Text("628111", "kaos"))
	if w := signed(a.WebhookHandler(rec), body); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if n := handled.Load(); n != 3 {
		t.Errorf("answered after %d of 3 messages were handled", n)
	}
	var texts []string
	for range 3 {
		texts = append(texts, rec.next(t).Text)
	}
	if !strings.Contains(strings.Join(texts, ","), "halo") || !strings.Contains(strings.Join(texts, ","), "kaos") {
		t.Errorf("dispatched %v", texts)
	}
}

func TestWebhookOneFailedMessageFailsTheDelivery(t *testing.T) {
	a, _ := newAdapter(t, Config{Clock: lapak.SystemClock{}})
	rec := newRecorder(func(in bot.Inbound) error {
		if in.Text == "rusak" {
			return errors.New("redis down")
		}
		return nil
	})
	body := wacloudtest.Notification(wacloudtest.Text("628111", "halo"), wacloudtest.Text("628222", "rusak"))
	if w := signed(a.WebhookHandler(rec), body); w.Code != 500 {
		t.Errorf("status %d, want 500 so that Meta delivers again", w.Code)
	}
}

// memDedupe is a bot.Deduper in memory.
type memDedupe struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (d *memDedupe) Claim(_ context.Context, key string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen[key] {
		return false, nil
	}
	d.seen[key] = true
	return true, nil
}
func (d *memDedupe) Done(context.Context, string) error { return nil }
func (d *memDedupe) Release(_ context.Context, key string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.seen, key)
	return nil
}

func TestWebhookDeliveredTwiceIsHandledOnce(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	var mu sync.Mutex
	var handled []bot.Inbound
	d := bot.NewDispatcher(bot.DispatcherConfig{
		Handler: bot.HandlerFunc(func(_ context.Context, in bot.Inbound) ([]bot.Outbound, error) {
			mu.Lock()
			defer mu.Unlock()
			handled = append(handled, in)
			return nil, nil
		}),
		Senders: map[lapak.Channel]bot.Sender{lapak.WhatsApp: a},
		Dedupe:  &memDedupe{seen: map[string]bool{}},
	})
	defer d.Close()
	body := readFixture(t, "wacloud_inbound_button_reply.json")
	for i := range 2 {
		if w := signed(a.WebhookHandler(d), body); w.Code != 200 {
			t.Fatalf("delivery %d: status %d", i+1, w.Code)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(handled) != 1 || handled[0].UpdateID != "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBQjFCMkU4RjQ0QjU0QkI1QkRGAA==" {
		t.Errorf("handled %+v, want the message once, by its wamid", handled)
	}
	if n := len(fake.Reads()); n != 2 {
		t.Errorf("%d read receipts, want one per delivery", n)
	}
}

func TestWebhookMarksReadAndOpensWindow(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	rec := newRecorder(nil)
	if w := signed(a.WebhookHandler(rec), readFixture(t, "wacloud_inbound_button_reply.json")); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	rec.next(t)
	reads := fake.Reads()
	if len(reads) != 1 || reads[0] != (wacloudtest.Read{MessageID: "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBQjFCMkU4RjQ0QjU0QkI1QkRGAA==", Typing: true}) {
		t.Errorf("read receipts %+v, want the message marked read with typing", reads)
	}
	if last, _ := a.cfg.Window.Last(t.Context(), customer); !last.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("window opened at %v, want the message's time", last)
	}
}

func TestWebhookReadReceiptIsSentBeforeDispatch(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	rec := newRecorder(func(bot.Inbound) error {
		if len(fake.Reads()) == 0 {
			return errors.New("handled before the read receipt: the typing indicator would outlive the reply")
		}
		return nil
	})
	if w := signed(a.WebhookHandler(rec), readFixture(t, "wacloud_inbound_button_reply.json")); w.Code != 200 {
		t.Errorf("status %d", w.Code)
	}
}

func TestWebhookReadReceiptFailureStillHandles(t *testing.T) {
	a, fake := newAdapter(t, Config{})
	fake.FailNext(http.StatusInternalServerError, 1)
	rec := newRecorder(nil)
	if w := signed(a.WebhookHandler(rec), readFixture(t, "wacloud_inbound_button_reply.json")); w.Code != 200 {
		t.Fatalf("status %d, want 200: a read receipt is best effort", w.Code)
	}
	if in := rec.next(t); in.Option != "confirm:ORD-1001" {
		t.Errorf("dispatched %+v", in)
	}
}

// failures records failed statuses.
type failures struct {
	mu  sync.Mutex
	got []Failure
}

func (f *failures) RecordFailure(_ context.Context, chatID, messageID string, code int, title string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, Failure{ChatID: chatID, MessageID: messageID, Code: code, Title: title})
	return nil
}

func TestWebhookRecordsFailedStatuses(t *testing.T) {
	rec := &failures{}
	a, _ := newAdapter(t, Config{PhoneNumberID: "109999999999999", Statuses: rec})
	d := newRecorder(nil)
	if w := signed(a.WebhookHandler(d), readFixture(t, "wacloud_status_failed_131047.json")); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	d.none(t)
	want := []Failure{{ChatID: "5511111111111", MessageID: "wamid.HBgNN5NzAzMDkTUyNzkzNhUEjA1MjUwNCAUIyNEYUQ0OTVGNTY0MwA=", Code: CodeReengagement, Title: "Re-engagement message"}}
	if len(rec.got) != 1 || rec.got[0] != want[0] {
		t.Errorf("recorded %+v, want %+v", rec.got, want)
	}
}

func TestStatusLogKeepsTheLatest(t *testing.T) {
	var logged bytes.Buffer
	l := NewStatusLog(slogTo(&logged), 2)
	for i, code := range []int{131047, 131026, 131056} {
		l.RecordFailure(t.Context(), "6281234567890", "wamid."+string(rune('A'+i)), code, "x")
	}
	got := l.Failures()
	if len(got) != 2 || got[0].Code != 131026 || got[1].Code != 131056 {
		t.Errorf("kept %+v, want the last two, oldest first", got)
	}
	if strings.Contains(logged.String(), "6281234567890") || !strings.Contains(logged.String(), "131047") {
		t.Errorf("log %q: want every failure, the number masked", logged.String())
	}
}

func TestWebhookMapsTypedChoices(t *testing.T) {
	opts := make([]bot.Option, 12)
	for i := range opts {
		opts[i] = bot.Option{ID: "sku:" + string(rune('A'+i)), Label: "Produk " + string(rune('A'+i))}
	}
	tests := []struct {
		name   string
		opts   []bot.Option
		text   string
		kind   bot.InboundKind
		option string
		label  string
	}{
		{"NumberOfNumberedMenu", opts, "12", bot.KindOption, "sku:L", "Produk L"},
		{"LabelOfNumberedMenu", opts, "produk c", bot.KindOption, "sku:C", "Produk C"},
		{"LabelOfButtons", opts[:2], " Produk B ", bot.KindOption, "sku:B", "Produk B"},
		{"NumberOfList", opts[:5], "5", bot.KindOption, "sku:E", "Produk E"},
		{"OtherText", opts, "berapa ongkirnya?", bot.KindText, "", "berapa ongkirnya?"},
		{"NumberOutOfRange", opts[:3], "7", bot.KindText, "", "7"},
		{"NoMenu", nil, "1", bot.KindText, "", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := newAdapter(t, Config{Clock: lapak.SystemClock{}})
			openWindow(t, a, "628111")
			if err := a.Send(t.Context(), waChat("628111"), bot.Reply{Text: "Pilih produk:", Options: tt.opts}); err != nil {
				t.Fatal(err)
			}
			rec := newRecorder(nil)
			if w := signed(a.WebhookHandler(rec), wacloudtest.Notification(wacloudtest.Text("628111", tt.text))); w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			in := rec.next(t)
			if in.Kind != tt.kind || in.Option != tt.option || in.Text != tt.label {
				t.Errorf("dispatched %s %q %q, want %s %q %q", in.Kind, in.Option, in.Text, tt.kind, tt.option, tt.label)
			}
		})
	}
}

func TestWebhookForgetsMenuAfterAReplyWithoutOptions(t *testing.T) {
	a, _ := newAdapter(t, Config{Clock: lapak.SystemClock{}})
	openWindow(t, a, "628111")
	ctx := t.Context()
	a.Send(ctx, waChat("628111"), bot.Reply{Text: "Ukuran?", Options: []bot.Option{{ID: "s", Label: "S"}, {ID: "m", Label: "M"}}})
	a.Send(ctx, waChat("628111"), bot.Reply{Text: "Berapa banyak?"})
	rec := newRecorder(nil)
	signed(a.WebhookHandler(rec), wacloudtest.Notification(wacloudtest.Text("628111", "2")))
	if in := rec.next(t); in.Kind != bot.KindText || in.Text != "2" {
		t.Errorf("dispatched %s %q: a quantity typed after the question was taken for an old menu's option", in.Kind, in.Option)
	}
}
