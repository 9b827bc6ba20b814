package wacloud

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// inboundsOf converts every message of a notification, as the webhook does.
func inboundsOf(t *testing.T, body []byte) []bot.Inbound {
	t.Helper()
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		t.Fatal(err)
	}
	var ins []bot.Inbound
	for _, e := range n.Entry {
		for _, c := range e.Changes {
			for _, m := range c.Value.Messages {
				if in, ok := toInbound(m, profileName(c.Value.Contacts, m.From)); ok {
					ins = append(ins, in)
				}
			}
		}
	}
	return ins
}

func waChat(id string) bot.Address { return bot.Address{Channel: lapak.WhatsApp, ChatID: id} }

func TestFixturesConvert(t *testing.T) {
	tests := []struct {
		fixture string
		want    []bot.Inbound
	}{
		{"wacloud_inbound_text.json", []bot.Inbound{{
			Chat: waChat("1111111111111"), UserID: "1111111111111", UserName: "Mauricio Binda",
			UpdateID: "wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==",
			Kind:     bot.KindText, Text: "hi everyone!",
		}}},
		{"wacloud_inbound_image.json", []bot.Inbound{{
			Chat: waChat("1111111111111"), UserID: "1111111111111", UserName: "Mauricio Binda",
			UpdateID: "wamid.HBgODE0NDQwANNTTBGRjkUyNzkzNhUCABIYFDNF5NzAzMDkQjBEQ3NjdBA==",
			Kind:     bot.KindPhoto, Media: &bot.Media{FileID: "8472976218001204", MIME: "image/jpeg"},
		}}},
		{"wacloud_inbound_button_reply.json", []bot.Inbound{{
			Chat: waChat(customer), UserID: customer, UserName: "Budi",
			UpdateID: "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBQjFCMkU4RjQ0QjU0QkI1QkRGAA==",
			Kind:     bot.KindOption, Option: "confirm:ORD-1001", Text: "Ya, pesan",
		}}},
		{"wacloud_inbound_list_reply.json", []bot.Inbound{{
			Chat: waChat(customer), UserID: customer, UserName: "Budi",
			UpdateID: "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBQjFCMkU4RjQ0QjU0QkI1QkRHAA==",
			Kind:     bot.KindOption, Option: "sku:SKU123", Text: "Kopi Arabika 250g",
		}}},
		{"wacloud_status_failed_131047.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			if got := inboundsOf(t, readFixture(t, tt.fixture)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("converted to\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestMessageKinds(t *testing.T) {
	tests := []struct {
		name    string
		message string // the message object, from and id added
		kind    bot.InboundKind
		text    string
		option  string
		media   *bot.Media
		dropped bool
	}{
		{name: "Text", message: `"type":"text","text":{"body":"/start"}`, kind: bot.KindText, text: "/start"},
		{name: "ImageWithCaption", message: `"type":"image","image":{"id":"1","mime_type":"image/png","caption":"foto kaos"}`, kind: bot.KindPhoto, text: "foto kaos", media: &bot.Media{FileID: "1", MIME: "image/png"}},
		{name: "TemplateQuickReply", message: `"type":"button","button":{"text":"Lacak","payload":"track:ORD-1"}`, kind: bot.KindOption, text: "Lacak", option: "track:ORD-1"},
		{name: "TemplateQuickReplyWithoutPayload", message: `"type":"button","button":{"text":"Lacak"}`, kind: bot.KindText, text: "Lacak"},
		{name: "PhotoAsDocument", message: `"type":"document","document":{"id":"2","mime_type":"image/jpeg","filename":"kaos.jpg","caption":"baru"}`, kind: bot.KindDocument, text: "baru", media: &bot.Media{FileID: "2", Name: "kaos.jpg", MIME: "image/jpeg"}},
		{name: "PDFDocument", message: `"type":"document","document":{"id":"3","mime_type":"application/pdf","filename":"a.pdf"}`, kind: bot.KindOther},
		{name: "Sticker", message: `"type":"sticker","sticker":{"id":"4","mime_type":"image/webp","animated":false}`, kind: bot.KindOther},
		{name: "Audio", message: `"type":"audio","audio":{"id":"5","mime_type":"audio/mpeg"}`, kind: bot.KindOther},
		{name: "Voice", message: `"type":"audio","audio":{"id":"6","mime_type":"audio/ogg; codecs=opus","voice":true}`, kind: bot.KindOther},
		{name: "Video", message: `"type":"video","video":{"id":"7","mime_type":"video/mp4","caption":"lihat"}`, kind: bot.KindOther, text: "lihat"},
		{name: "Location", message: `"type":"location","location":{"latitude":-6.2,"longitude":106.8,"name":"Monas"}`, kind: bot.KindOther},
		{name: "Contacts", message: `"type":"contacts","contacts":[{"name":{"formatted_name":"Ani"},"phones":[{"phone":"+62811"}]}]`, kind: bot.KindOther},
		{name: "Reaction", message: `"type":"reaction","reaction":{"message_id":"wamid.X","emoji":"👍"}`, kind: bot.KindOther},
		{name: "ReactionTakenBack", message: `"type":"reaction","reaction":{"message_id":"wamid.X"}`, dropped: true},
		{name: "Unsupported", message: `"type":"unknown","errors":[{"code":131051,"title":"Message type unknown"}]`, kind: bot.KindOther},
		{name: "FlowReply", message: `"type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"response_json":"{}"}}`, kind: bot.KindOther},
		{name: "ButtonReplyWithoutID", message: `"type":"interactive","interactive":{"type":"button_reply","button_reply":{"title":"Ya"}}`, kind: bot.KindOther, text: "Ya"},
		{name: "System", message: `"type":"system","system":{"body":"User changed number","type":"user_changed_number"}`, dropped: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m message
			if err := json.Unmarshal([]byte(`{"from":"628111","id":"wamid.T","timestamp":"1700000000",`+tt.message+`}`), &m); err != nil {
				t.Fatal(err)
			}
			in, ok := toInbound(m, "Ani")
			if ok == tt.dropped {
				t.Fatalf("converted: %v, want %v", ok, !tt.dropped)
			}
			if tt.dropped {
				return
			}
			want := bot.Inbound{Chat: waChat("628111"), UserID: "628111", UserName: "Ani", UpdateID: "wamid.T", Kind: tt.kind, Text: tt.text, Option: tt.option, Media: tt.media}
			if !reflect.DeepEqual(in, want) {
				t.Errorf("converted to %+v\nwant %+v", in, want)
			}
		})
	}
}

func TestMessageWithoutSenderIsDropped(t *testing.T) {
	for _, from := range []string{"", "BR.1502576394655843"} {
		if in, ok := toInbound(message{From: from, ID: "wamid.T", Type: "text", Text: &textIn{Body: "hi"}}, ""); ok {
			t.Errorf("from %q converted to %+v, want dropped: Lapak cannot answer it", from, in)
		}
	}
}

func TestSentAt(t *testing.T) {
	now := time.Unix(1700000600, 0)
	tests := []struct {
		timestamp string
		want      time.Time
	}{
		{"1700000000", time.Unix(1700000000, 0)},
		{"1700009999", now}, // a sender's clock ahead of ours
		{"", now},
		{"soon", now},
	}
	for _, tt := range tests {
		if got := sentAt(message{Timestamp: tt.timestamp}, now); !got.Equal(tt.want) {
			t.Errorf("sentAt(%q) = %v, want %v", tt.timestamp, got, tt.want)
		}
	}
}
