package wacloudtest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post calls the fake as the app would, and returns the status and the decoded answer.
func post(t *testing.T, s *Server, path, token, contentType string, body []byte) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatalf("answer %q is not JSON: %v", raw, err)
	}
	return resp.StatusCode, answer
}

func send(t *testing.T, s *Server, body string) (int, map[string]any) {
	t.Helper()
	return post(t, s, "/"+PhoneNumberID+"/messages", Token, "application/json", []byte(body))
}

// keys lists the key paths of a decoded JSON value, array elements under "[]".
func keys(v any, prefix string, out map[string]bool) map[string]bool {
	if out == nil {
		out = map[string]bool{}
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			out[prefix+"."+k] = true
			keys(e, prefix+"."+k, out)
		}
	case []any:
		for _, e := range v {
			keys(e, prefix+"[]", out)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

func TestAcceptsMetasOwnRequests(t *testing.T) {
	var want map[string]any
	json.Unmarshal(fixture(t, "wacloud_send_response.json"), &want)
	for _, name := range []string{
		"wacloud_outbound_text.json", "wacloud_outbound_image.json", "wacloud_outbound_interactive_buttons.json",
		"wacloud_outbound_interactive_list.json", "wacloud_outbound_template.json",
	} {
		t.Run(name, func(t *testing.T) {
			s := New(t)
			status, answer := post(t, s, "/"+PhoneNumberID+"/messages", Token, "application/json", fixture(t, name))
			if status != http.StatusOK {
				t.Fatalf("status %d: %v", status, answer)
			}
			if got, want := sortedKeys(keys(answer, "", nil)), sortedKeys(keys(want, "", nil)); !reflect.DeepEqual(got, want) {
				t.Errorf("answer has keys %v, Meta's has %v", got, want)
			}
			sent := s.Sent()
			if len(sent) != 1 || sent[0].To != "6281234567890" || !strings.HasPrefix(sent[0].ID, "wamid.") {
				t.Fatalf("recorded %+v", sent)
			}
			if !bytes.Equal(sent[0].Raw, fixture(t, name)) {
				t.Error("raw body not recorded as sent")
			}
		})
	}
}

func TestRecordsWhatUsersSee(t *testing.T) {
	s := New(t)
	send(t, s, string(fixture(t, "wacloud_outbound_interactive_list.json")))
	send(t, s, string(fixture(t, "wacloud_outbound_template.json")))
	list, tmpl := s.Sent()[0], s.Sent()[1]
	want := &Interactive{Type: "list", Header: "Katalog", Body: "Pilih produk yang ingin dipesan.", Footer: "Toko Contoh", Button: "Lihat produk", Choices: []Choice{
		{ID: "sku:SKU123", Title: "Kopi Arabika 250g", Description: "Rp85.000", Section: "Kopi"},
		{ID: "sku:SKU124", Title: "Kopi Robusta 250g", Description: "Rp65.000", Section: "Kopi"},
		{ID: "sku:SKU200", Title: "Teh Melati 100g", Description: "Rp30.000", Section: "Teh"},
	}}
	if !reflect.DeepEqual(list.Interactive, want) || list.Text != want.Body {
		t.Errorf("list recorded as %+v", list.Interactive)
	}
	if w := (&Template{Name: "order_update", Language: "id", Policy: "deterministic", Params: []string{"Budi", "ORD-1001"}}); !reflect.DeepEqual(tmpl.Template, w) {
		t.Errorf("template recorded as %+v", tmpl.Template)
	}
}

func TestRefusesWhatMetaRefuses(t *testing.T) {
	button := func(id, title string) string {
		return `{"type":"reply","reply":{"id":"` + id + `","title":"` + title + `"}}`
	}
	buttons := func(bs ...string) string {
		return `{"messaging_product":"whatsapp","to":"628123","type":"interactive","interactive":{"type":"button","body":{"text":"Pilih"},"action":{"buttons":[` + strings.Join(bs, ",") + `]}}}`
	}
	rows := func(n int, title string) string {
		var rs []string
		for i := range n {
			rs = append(rs, `{"id":"r`+string(rune('a'+i))+`","title":"`+title+`"}`)
		}
		return `{"messaging_product":"whatsapp","to":"628123","type":"interactive","interactive":{"type":"list","body":{"text":"Pilih"},"action":{"button":"Lihat","sections":[{"rows":[` + strings.Join(rs, ",") + `]}]}}}`
	}
	tests := []struct {
		name string
		body string
		code int
	}{
		{"NoMessagingProduct", `{"to":"628123","type":"text","text":{"body":"hi"}}`, 100},
		{"NoRecipient", `{"messaging_product":"whatsapp","type":"text","text":{"body":"hi"}}`, 100},
		{"UnknownField", `{"messaging_product":"whatsapp","to":"628123","type":"text","text":{"body":"hi","bold":true}}`, 100},
		{"EmptyText", `{"messaging_product":"whatsapp","to":"628123","type":"text","text":{"body":""}}`, 100},
		{"TextTooLong", `{"messaging_product":"whatsapp","to":"628123","type":"text","text":{"body":"` + strings.Repeat("a", 4097) + `"}}`, 100},
		{"ImageWithIDAndLink", `{"messaging_product":"whatsapp","to":"628123","type":"image","image":{"id":"1","link":"https://x/y.jpg"}}`, 100},
		{"CaptionTooLong", `{"messaging_product":"whatsapp","to":"628123","type":"image","image":{"link":"https://x/y.jpg","caption":"` + strings.Repeat("a", 1025) + `"}}`, 100},
		{"NoButtons", buttons(), 100},
		{"FourButtons", buttons(button("a", "A"), button("b", "B"), button("c", "C"), button("d", "D")), 100},
		{"ButtonTitleTooLong", buttons(button("a", strings.Repeat("x", 21))), 100},
		{"ButtonTitlesAlike", buttons(button("a", "Ya"), button("b", "Ya")), 100},
		{"ButtonIDsAlike", buttons(button("a", "Ya"), button("a", "Tidak")), 100},
		{"ElevenRows", rows(11, "Kaos"), 100},
		{"RowTitleTooLong", rows(1, strings.Repeat("x", 25)), 100},
		{"TemplateWithoutName", `{"messaging_product":"whatsapp","to":"628123","type":"template","template":{"language":{"code":"id"}}}`, 100},
		{"TemplateWithoutLanguage", `{"messaging_product":"whatsapp","to":"628123","type":"template","template":{"name":"order_update"}}`, 100},
		{"TemplateParamWithNewline", `{"messaging_product":"whatsapp","to":"628123","type":"template","template":{"name":"order_update","language":{"code":"id"},"components":[{"type":"body","parameters":[{"type":"text","text":"a\nb"}]}]}}`, 132018},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			status, answer := send(t, s, tt.body)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", status)
			}
			if code := answer["error"].(map[string]any)["code"]; code != float64(tt.code) {
				t.Errorf("error code %v, want %d: %v", code, tt.code, answer)
			}
			if len(s.Sent()) != 0 {
				t.Error("refused message recorded as sent")
			}
		})
	}
}

func TestErrorsHaveMetasEnvelope(t *testing.T) {
	var meta map[string]any
	json.Unmarshal(fixture(t, "wacloud_error_response.json"), &meta)
	metaKeys := keys(meta, "", nil)
	s := New(t)
	tests := []struct {
		name   string
		path   string
		token  string
		status int
		code   float64
	}{
		{"WrongToken", "/" + PhoneNumberID + "/messages", "EAAwrong", 401, 190},
		{"NoToken", "/" + PhoneNumberID + "/messages", "", 401, 190},
		{"OtherPhoneNumber", "/454545/messages", Token, 400, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, answer := post(t, s, tt.path, tt.token, "application/json", fixture(t, "wacloud_outbound_text.json"))
			if status != tt.status || answer["error"].(map[string]any)["code"] != tt.code {
				t.Fatalf("answered %d %v, want %d with code %v", status, answer, tt.status, tt.code)
			}
			for k := range metaKeys {
				if k == ".error.error_subcode" && tt.code != 100 {
					continue // Meta sends a subcode only with some errors
				}
				if !keys(answer, "", nil)[k] {
					t.Errorf("answer lacks %s, which Meta's error has", k)
				}
			}
		})
	}
	if len(s.Sent()) != 0 {
		t.Error("refused messages recorded as sent")
	}
}

func TestFailNextFailsOneCall(t *testing.T) {
	s := New(t)
	s.FailNext(http.StatusTooManyRequests, 131056)
	body := string(fixture(t, "wacloud_outbound_text.json"))
	status, answer := send(t, s, body)
	e := answer["error"].(map[string]any)
	if status != 429 || e["code"] != float64(131056) || e["error_data"].(map[string]any)["details"] == "" {
		t.Fatalf("first call answered %d %v", status, answer)
	}
	if status, _ := send(t, s, body); status != 200 {
		t.Errorf("second call answered %d, want 200", status)
	}
	if n := len(s.Sent()); n != 1 {
		t.Errorf("%d messages recorded, want the one that passed", n)
	}
}

func TestReadReceipt(t *testing.T) {
	s := New(t)
	status, answer := send(t, s, string(fixture(t, "wacloud_outbound_mark_read_typing.json")))
	if status != 200 || answer["success"] != true {
		t.Fatalf("answered %d %v", status, answer)
	}
	want := []Read{{MessageID: "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBQjFCMkU4RjQ0QjU0QkI1QkRGAA==", Typing: true}}
	if !reflect.DeepEqual(s.Reads(), want) || len(s.Sent()) != 0 {
		t.Errorf("reads %+v, sent %d", s.Reads(), len(s.Sent()))
	}
}

func TestUploadThenSendByID(t *testing.T) {
	s := New(t)
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 64)...)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("messaging_product", "whatsapp")
	w.WriteField("type", "image/jpeg")
	fw, _ := w.CreateFormFile("file", "photo.jpg")
	fw.Write(jpeg)
	w.Close()
	status, answer := post(t, s, "/"+PhoneNumberID+"/media", Token, w.FormDataContentType(), buf.Bytes())
	id, _ := answer["id"].(string)
	if status != 200 || id == "" {
		t.Fatalf("upload answered %d %v", status, answer)
	}
	send(t, s, `{"messaging_product":"whatsapp","to":"628123","type":"image","image":{"id":"`+id+`"}}`)
	m := s.Sent()[0]
	if m.Image == nil || m.Image.Upload == nil || !bytes.Equal(m.Image.Upload.Data, jpeg) || m.Image.Upload.MIME != "image/jpeg" {
		t.Errorf("sent %+v, want the uploaded photo", m.Image)
	}
}

func TestUploadRefusesUnsupportedType(t *testing.T) {
	s := New(t)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("messaging_product", "whatsapp")
	w.WriteField("type", "image/gif")
	fw, _ := w.CreateFormFile("file", "a.gif")
	fw.Write([]byte("GIF89a"))
	w.Close()
	status, answer := post(t, s, "/"+PhoneNumberID+"/media", Token, w.FormDataContentType(), buf.Bytes())
	if status != 400 || answer["error"].(map[string]any)["code"] != float64(131053) {
		t.Errorf("answered %d %v, want 400 with 131053", status, answer)
	}
}

func TestSignMatchesMeta(t *testing.T) {
	sig := string(fixture(t, "wacloud_inbound_text.signature.txt"))
	_, want, _ := strings.Cut(sig, "X-Hub-Signature-256: ")
	want, _, _ = strings.Cut(want, "\n")
	if got := Sign(AppSecret, fixture(t, "wacloud_inbound_text.json")); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestNotificationHasMetasShape(t *testing.T) {
	var meta, ours map[string]any
	json.Unmarshal(fixture(t, "wacloud_inbound_text.json"), &meta)
	json.Unmarshal(Notification(Text("6281234567890", "halo")), &ours)
	if got, want := sortedKeys(keys(ours, "", nil)), sortedKeys(keys(meta, "", nil)); !reflect.DeepEqual(got, want) {
		t.Errorf("notification keys %v, Meta's %v", got, want)
	}
}

func TestDeliverSignsAndPosts(t *testing.T) {
	var got []byte
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		if r.Header.Get("X-Hub-Signature-256") != Sign(AppSecret, got) {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer app.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs := []Inbound{Text("628111", "halo"), ButtonReply("628111", "m:help", "Bantuan"), ListReply("628222", "sku:1", "Kaos"), Image("628222", "123", "image/jpeg", "ini")}
	status, err := Deliver(ctx, app.URL, msgs...)
	if err != nil || status != http.StatusOK {
		t.Fatalf("Deliver = %d, %v", status, err)
	}
	var n notification
	json.Unmarshal(got, &n)
	v := n.Entry[0].Changes[0].Value
	if len(v.Messages) != 4 || len(v.Contacts) != 2 || v.Metadata.PhoneNumberID != PhoneNumberID {
		t.Fatalf("delivered %s", got)
	}
	if m := v.Messages[1]; m.ID != msgs[1].ID || m.Interactive.ButtonReply.ID != "m:help" {
		t.Errorf("button reply delivered as %+v", m)
	}
	if m := v.Messages[2]; m.Interactive.ListReply == nil || m.Interactive.ListReply.Title != "Kaos" {
		t.Errorf("list reply delivered as %+v", m)
	}
	if m := v.Messages[3]; m.Image == nil || m.Image.ID != "123" || m.Image.Caption != "ini" {
		t.Errorf("image delivered as %+v", m)
	}
}

func TestWaitSent(t *testing.T) {
	s := New(t)
	body := fixture(t, "wacloud_outbound_text.json")
	go func() {
		req, _ := http.NewRequest(http.MethodPost, s.URL()+"/"+PhoneNumberID+"/messages", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+Token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := s.WaitSent(ctx, func(m Message) bool { return strings.Contains(m.Text, "ORD-1001") })
	if err != nil || m.Type != "text" {
		t.Fatalf("WaitSent = %+v, %v", m, err)
	}
}
