package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// call posts form values to a method and returns the status and the decoded answer.
func call(t testing.TB, s *Server, token, method string, form url.Values) (int, answer) {
	t.Helper()
	status, a, err := post(s, token, method, form)
	if err != nil {
		t.Fatal(err)
	}
	return status, a
}

// post is call for goroutines other than the test's.
func post(s *Server, token, method string, form url.Values) (int, answer, error) {
	resp, err := http.PostForm(s.URL()+"/bot"+token+"/"+method, form)
	if err != nil {
		return 0, answer{}, err
	}
	defer resp.Body.Close()
	var a answer
	if a.raw, err = io.ReadAll(resp.Body); err == nil {
		err = json.Unmarshal(a.raw, &a)
	}
	return resp.StatusCode, a, err
}

type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
	raw []byte
}

func decode(t testing.TB, resp *http.Response) (int, answer) {
	t.Helper()
	defer resp.Body.Close()
	var a answer
	a.raw, _ = io.ReadAll(resp.Body)
	if err := json.Unmarshal(a.raw, &a); err != nil {
		t.Fatalf("answer %q is not JSON: %v", a.raw, err)
	}
	return resp.StatusCode, a
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestRateLimitAnswerIsTelegrams(t *testing.T) {
	s := New(t)
	s.FailNext("sendMessage", 429, 5)
	status, a := call(t, s, Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"Halo"}})
	want, err := os.ReadFile(filepath.Join("testdata", "telegram_error_429.json"))
	if err != nil {
		t.Fatal(err)
	}
	if status != 429 || string(bytes.TrimSpace(a.raw)) != string(bytes.TrimSpace(want)) {
		t.Errorf("status %d body %s, want 429 %s", status, a.raw, want)
	}
	if _, a := call(t, s, Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"Halo"}}); !a.OK {
		t.Errorf("the failure outlived one call: %s", a.raw)
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	s := New(t)
	status, a := call(t, s, "42:nope", "getMe", nil)
	if status != 401 || string(bytes.TrimSpace(a.raw)) != `{"ok":false,"error_code":401,"description":"Unauthorized"}` {
		t.Errorf("status %d body %s", status, a.raw)
	}
}

func TestGetUpdatesReturnsAsSoonAsAnUpdateArrives(t *testing.T) {
	s := New(t)
	done := make(chan answer, 1)
	go func() {
		_, a, _ := post(s, Token, "getUpdates", url.Values{"timeout": {"30"}})
		done <- a
	}()
	if err := s.Wait(ctx(t), func() bool { return s.Calls("getUpdates") == 1 }); err != nil {
		t.Fatal(err)
	}
	id := s.PushUpdate(`{"message":{"message_id":1,"chat":{"id":5,"type":"private"},"text":"hai"}}`)
	select {
	case a := <-done:
		var updates []struct {
			UpdateID int `json:"update_id"`
		}
		_ = json.Unmarshal(a.Result, &updates)
		if len(updates) != 1 || updates[0].UpdateID != id {
			t.Errorf("got %s, want update %d", a.Result, id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not return when the update arrived")
	}
}

func TestGetUpdatesOffsetConfirms(t *testing.T) {
	s := New(t)
	ids := []int{s.PushUpdate(`{}`), s.PushUpdate(`{}`), s.PushUpdate(`{}`)}
	count := func(offset int) int {
		_, a := call(t, s, Token, "getUpdates", url.Values{"offset": {strconv.Itoa(offset)}})
		var updates []json.RawMessage
		_ = json.Unmarshal(a.Result, &updates)
		return len(updates)
	}
	if n := count(0); n != 3 || len(s.Pending()) != 3 {
		t.Errorf("offset 0 returned %d and left %v pending; want all 3, none confirmed", n, s.Pending())
	}
	if n := count(ids[1]); n != 2 || !reflect.DeepEqual(s.Pending(), ids[1:]) {
		t.Errorf("offset %d returned %d and left %v; want the first confirmed", ids[1], n, s.Pending())
	}
	if n := count(-1); n != 1 || !reflect.DeepEqual(s.Pending(), ids[2:]) {
		t.Errorf("offset -1 returned %d and left %v; want only the last", n, s.Pending())
	}
}

func TestGetUpdatesConflictsWithAWebhook(t *testing.T) {
	s := New(t)
	if _, a := call(t, s, Token, "setWebhook", url.Values{"url": {"https://lapak.example/hook"}, "secret_token": {"abc"}}); !a.OK {
		t.Fatalf("set webhook: %s", a.raw)
	}
	if status, _ := call(t, s, Token, "getUpdates", nil); status != 409 {
		t.Errorf("status %d, want 409 while a webhook is set", status)
	}
	if w := s.Webhook(); w.SecretToken != "abc" {
		t.Errorf("webhook %+v, want the secret recorded", w)
	}
}

func TestSendMessageChecksHTML(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		ok    bool
		plain string
	}{
		{"EscapedIsShownAsTyped", "&lt;b&gt;&amp; &#39;x&#39;", true, "<b>& 'x'"},
		{"SupportedTagsAreStripped", "<b>Kaos</b> <i>polos</i>", true, "Kaos polos"},
		{"UnsupportedTagIsRefused", "<b&>", false, ""},
		{"BareAmpersandIsRefused", "Tom & Jerry", false, ""},
		{"UnknownTagIsRefused", "<div>x</div>", false, ""},
		{"TooLongIsRefused", strings.Repeat("a", 4097), false, ""},
		{"EmptyIsRefused", " ", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			_, a := call(t, s, Token, "sendMessage", url.Values{"chat_id": {"5"}, "text": {tt.text}, "parse_mode": {"HTML"}})
			if a.OK != tt.ok {
				t.Fatalf("ok = %v (%s), want %v", a.OK, a.Description, tt.ok)
			}
			if tt.ok && s.Sent()[0].Plain != tt.plain {
				t.Errorf("user sees %q, want %q", s.Sent()[0].Plain, tt.plain)
			}
			if !tt.ok && len(s.Sent()) != 0 {
				t.Error("a refused message was recorded")
			}
		})
	}
}

func TestSendMessageRecordsKeyboard(t *testing.T) {
	s := New(t)
	markup := `{"inline_keyboard":[[{"text":"Beli","callback_data":"buy:1"},{"text":"Bayar","url":"https://pay.example/1"}]]}`
	if _, a := call(t, s, Token, "sendMessage", url.Values{"chat_id": {"5"}, "text": {"Pilih"}, "reply_markup": {markup}}); !a.OK {
		t.Fatal(a.Description)
	}
	want := [][]Button{{{Text: "Beli", CallbackData: "buy:1"}, {Text: "Bayar", URL: "https://pay.example/1"}}}
	if got := s.Sent()[0].Keyboard; !reflect.DeepEqual(got, want) {
		t.Errorf("keyboard %+v, want %+v", got, want)
	}
	long := `{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("a", 65) + `"}]]}`
	if _, a := call(t, s, Token, "sendMessage", url.Values{"chat_id": {"5"}, "text": {"x"}, "reply_markup": {long}}); a.OK || !strings.Contains(a.Description, "BUTTON_DATA_INVALID") {
		t.Errorf("65-byte callback data: %s, want BUTTON_DATA_INVALID", a.raw)
	}
}

func TestJSONRequestsWork(t *testing.T) {
	s := New(t)
	body := `{"chat_id":5,"text":"Halo","reply_markup":{"inline_keyboard":[[{"text":"Ya","callback_data":"y"}]]}}`
	resp, err := http.Post(s.URL()+"/bot"+Token+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if _, a := decode(t, resp); !a.OK {
		t.Fatal(a.Description)
	}
	if m := s.Sent()[0]; m.ChatID != 5 || m.Text != "Halo" || len(m.Buttons()) != 1 {
		t.Errorf("recorded %+v", m)
	}
}

func TestUploadsAreRecordedAndDownloadable(t *testing.T) {
	s := New(t)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("chat_id", "5")
	_ = w.WriteField("caption", "Laporan")
	part, _ := w.CreateFormFile("document", "laporan.csv")
	_, _ = part.Write([]byte("a,b\n1,2\n"))
	_ = w.Close()
	resp, err := http.Post(s.URL()+"/bot"+Token+"/sendDocument", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	if _, a := decode(t, resp); !a.OK {
		t.Fatal(a.Description)
	}
	doc := s.Sent()[0].Document
	if doc == nil || doc.Name != "laporan.csv" || string(doc.Data) != "a,b\n1,2\n" {
		t.Fatalf("document %+v", doc)
	}
	_, a := call(t, s, Token, "getFile", url.Values{"file_id": {doc.FileID}})
	var f struct {
		FilePath string `json:"file_path"`
	}
	_ = json.Unmarshal(a.Result, &f)
	got, err := http.Get(s.URL() + "/file/bot" + Token + "/" + f.FilePath)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	if data, _ := io.ReadAll(got.Body); string(data) != "a,b\n1,2\n" {
		t.Errorf("downloaded %q", data)
	}
}

func TestEditAndAnswerBehaveLikeTelegram(t *testing.T) {
	s := New(t)
	call(t, s, Token, "sendMessage", url.Values{"chat_id": {"5"}, "text": {"Stok 3"}})
	id := strconv.Itoa(s.Sent()[0].MessageID)
	if _, a := call(t, s, Token, "editMessageText", url.Values{"chat_id": {"5"}, "message_id": {id}, "text": {"Stok 3"}}); a.OK || !strings.Contains(a.Description, "message is not modified") {
		t.Errorf("same text: %s, want message is not modified", a.raw)
	}
	if _, a := call(t, s, Token, "editMessageText", url.Values{"chat_id": {"5"}, "message_id": {id}, "text": {"Stok 2"}}); !a.OK {
		t.Errorf("edit: %s", a.raw)
	}
	if _, a := call(t, s, Token, "answerCallbackQuery", url.Values{"callback_query_id": {"q1"}}); !a.OK {
		t.Errorf("answer: %s", a.raw)
	}
	if _, a := call(t, s, Token, "answerCallbackQuery", url.Values{"callback_query_id": {"q1"}}); a.OK {
		t.Error("a callback query was answered twice")
	}
	if got := s.Answers(); len(got) != 1 || got[0].CallbackQueryID != "q1" {
		t.Errorf("answers %+v", got)
	}
}

func TestWaitSentWakesOnTheMessage(t *testing.T) {
	s := New(t)
	go post(s, Token, "sendMessage", url.Values{"chat_id": {"7"}, "text": {"Pesanan dibayar"}})
	m, err := s.WaitSent(ctx(t), func(m Message) bool { return m.ChatID == 7 })
	if err != nil || m.Text != "Pesanan dibayar" {
		t.Errorf("waited: %+v, %v", m, err)
	}
	short, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, err := s.WaitSent(short, func(m Message) bool { return m.ChatID == 8 }); err == nil {
		t.Error("wait for a message never sent returned no error")
	}
}

func BenchmarkSendMessage(b *testing.B) {
	s := New(b)
	form := url.Values{"chat_id": {"5"}, "text": {"Pesanan <b>#12</b> dibayar"}, "parse_mode": {"HTML"}}.Encode()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(s.URL()+"/bot"+Token+"/sendMessage", "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
