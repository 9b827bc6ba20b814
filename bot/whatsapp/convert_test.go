package whatsapp

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

var (
	customerPN  = types.NewJID("6281234567890", types.DefaultUserServer)
	customerLID = types.NewJID("123456789012345", types.HiddenUserServer)
	storePN     = types.NewJID("6285700001111", types.DefaultUserServer)
)

// dm is a message a customer wrote to the store from pn, as whatsmeow parses a one-to-one chat:
// the sender with its device, the chat without.
func dm(m *waE2E.Message) *events.Message {
	sender := types.NewADJID(customerPN.User, 0, 3)
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: customerPN, Sender: sender, AddressingMode: types.AddressingModePN, SenderAlt: customerLID},
			ID:            "3EB0C431C26A1916E07A",
			Type:          "text",
			PushName:      "Siti Rahayu ",
			Timestamp:     time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC),
			Category:      "",
		},
		Message:    m,
		RawMessage: m,
	}
}

// fromLID is dm as WhatsApp sends it from a customer addressed by LID; alt is the phone number
// the stanza carried (sender_pn), if any.
func fromLID(m *waE2E.Message, alt types.JID) *events.Message {
	evt := dm(m)
	evt.Info.Chat = customerLID
	evt.Info.Sender = types.NewADJID(customerLID.User, 0, 3)
	evt.Info.Sender.Server = types.HiddenUserServer
	evt.Info.SenderAlt = alt
	evt.Info.AddressingMode = types.AddressingModeLID
	return evt
}

func imageMsg(caption string) *waE2E.Message {
	return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
		URL:           proto.String("https://mmg.whatsapp.net/v/t62.7118-24/12345_abc.enc?ccb=11-4"),
		DirectPath:    proto.String("/v/t62.7118-24/12345_abc.enc?ccb=11-4"),
		Mimetype:      proto.String("image/jpeg"),
		Caption:       optional(caption),
		FileSHA256:    bytes.Repeat([]byte{1}, 32),
		FileEncSHA256: bytes.Repeat([]byte{2}, 32),
		MediaKey:      bytes.Repeat([]byte{3}, 32),
		FileLength:    proto.Uint64(48213),
		Height:        proto.Uint32(1280),
		Width:         proto.Uint32(960),
		JPEGThumbnail: bytes.Repeat([]byte{9}, 2048),
	}}
}

func TestToInbound(t *testing.T) {
	const chat = "6281234567890"
	base := bot.Inbound{
		Chat:     bot.Address{Channel: lapak.WhatsApp, ChatID: chat},
		UserID:   "6281234567890",
		UserName: "Siti Rahayu",
		UpdateID: "3EB0C431C26A1916E07A",
	}
	with := func(f func(*bot.Inbound)) bot.Inbound { in := base; f(&in); return in }
	for _, tc := range []struct {
		name string
		evt  *events.Message
		want bot.Inbound
	}{
		{"Conversation", dm(&waE2E.Message{Conversation: proto.String("halo kak, kaos hitam ready?")}),
			with(func(in *bot.Inbound) { in.Kind, in.Text = bot.KindText, "halo kak, kaos hitam ready?" })},
		{"ExtendedText", dm(&waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
			Text:        proto.String("Halo, saya mau pesan KAOS-1 dari reseller ANDI7"),
			ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("3EB0AAAA"), Participant: proto.String(storePN.String())},
		}}), with(func(in *bot.Inbound) {
			in.Kind, in.Text = bot.KindText, "Halo, saya mau pesan KAOS-1 dari reseller ANDI7"
		})},
		{"ImageWithCaption", dm(imageMsg("yang ini ada ukuran L?")), with(func(in *bot.Inbound) {
			in.Kind, in.Text = bot.KindPhoto, "yang ini ada ukuran L?"
			in.Media = &bot.Media{MIME: "image/jpeg", Size: 48213}
		})},
		{"ButtonsResponse", dm(&waE2E.Message{ButtonsResponseMessage: &waE2E.ButtonsResponseMessage{
			SelectedButtonID: proto.String("v:1"),
			Response:         &waE2E.ButtonsResponseMessage_SelectedDisplayText{SelectedDisplayText: "Kaos Putih"},
		}}), with(func(in *bot.Inbound) { in.Kind, in.Option, in.Text = bot.KindOption, "v:1", "Kaos Putih" })},
		{"ListResponse", dm(&waE2E.Message{ListResponseMessage: &waE2E.ListResponseMessage{
			Title:             proto.String("Kopi Gayo 250g"),
			ListType:          waE2E.ListResponseMessage_SINGLE_SELECT.Enum(),
			SingleSelectReply: &waE2E.ListResponseMessage_SingleSelectReply{SelectedRowID: proto.String("p:42")},
		}}), with(func(in *bot.Inbound) { in.Kind, in.Option, in.Text = bot.KindOption, "p:42", "Kopi Gayo 250g" })},
		{"TemplateButtonReply", dm(&waE2E.Message{TemplateButtonReplyMessage: &waE2E.TemplateButtonReplyMessage{
			SelectedID: proto.String("c:checkout"), SelectedDisplayText: proto.String("Bayar"),
		}}), with(func(in *bot.Inbound) { in.Kind, in.Option, in.Text = bot.KindOption, "c:checkout", "Bayar" })},
		{"ButtonWithoutIDIsText", dm(&waE2E.Message{ButtonsResponseMessage: &waE2E.ButtonsResponseMessage{
			Response: &waE2E.ButtonsResponseMessage_SelectedDisplayText{SelectedDisplayText: "Ya"},
		}}), with(func(in *bot.Inbound) { in.Kind, in.Text = bot.KindText, "Ya" })},
		{"Sticker", dm(&waE2E.Message{StickerMessage: &waE2E.StickerMessage{Mimetype: proto.String("image/webp")}}),
			with(func(in *bot.Inbound) { in.Kind = bot.KindOther })},
		{"VoiceNote", dm(&waE2E.Message{AudioMessage: &waE2E.AudioMessage{Mimetype: proto.String("audio/ogg; codecs=opus"), PTT: proto.Bool(true), Seconds: proto.Uint32(7)}}),
			with(func(in *bot.Inbound) { in.Kind = bot.KindOther })},
		{"Location", dm(&waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(-6.2), DegreesLongitude: proto.Float64(106.8)}}),
			with(func(in *bot.Inbound) { in.Kind = bot.KindOther })},
		{"Contact", dm(&waE2E.Message{ContactMessage: &waE2E.ContactMessage{DisplayName: proto.String("Budi"), Vcard: proto.String("BEGIN:VCARD\nEND:VCARD")}}),
			with(func(in *bot.Inbound) { in.Kind = bot.KindOther })},
		{"VideoWithCaption", dm(&waE2E.Message{VideoMessage: &waE2E.VideoMessage{Caption: proto.String("kayak gini"), Mimetype: proto.String("video/mp4")}}),
			with(func(in *bot.Inbound) { in.Kind, in.Text = bot.KindOther, "kayak gini" })},
		{"Document", dm(&waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
			FileName: proto.String("bukti-transfer.pdf"), Mimetype: proto.String("application/pdf"), FileLength: proto.Uint64(1200),
			DirectPath: proto.String("/v/t62.7119-24/1_doc.enc"), MediaKey: bytes.Repeat([]byte{4}, 32),
		}}), with(func(in *bot.Inbound) {
			in.Kind = bot.KindDocument
			in.Media = &bot.Media{Name: "bukti-transfer.pdf", MIME: "application/pdf", Size: 1200}
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ToInbound(tc.evt)
			if !ok {
				t.Fatal("message dropped")
			}
			if got.Media != nil {
				if !strings.HasPrefix(got.Media.FileID, "wa-") {
					t.Errorf("media reference = %q", got.Media.FileID)
				}
				got.Media.FileID = ""
			}
			if !sameInbound(got, tc.want) {
				t.Errorf("got  %+v %+v\nwant %+v %+v", got, got.Media, tc.want, tc.want.Media)
			}
		})
	}
}

func sameInbound(a, b bot.Inbound) bool {
	ma, mb := a.Media, b.Media
	a.Media, b.Media = nil, nil
	if a != b || (ma == nil) != (mb == nil) {
		return false
	}
	return ma == nil || *ma == *mb
}

func TestToInboundIgnores(t *testing.T) {
	text := &waE2E.Message{Conversation: proto.String("halo")}
	for _, tc := range []struct {
		name string
		evt  *events.Message
	}{
		{"FromMe", func() *events.Message { e := dm(text); e.Info.IsFromMe = true; return e }()},
		{"StatusBroadcast", func() *events.Message { e := dm(text); e.Info.Chat = types.StatusBroadcastJID; return e }()},
		{"BroadcastList", func() *events.Message {
			e := dm(text)
			e.Info.Chat, e.Info.IsGroup = types.NewJID("1612345678", types.BroadcastServer), true
			return e
		}()},
		{"Group", func() *events.Message {
			e := dm(text)
			e.Info.Chat, e.Info.IsGroup = types.NewJID("120363025246125888", types.GroupServer), true
			return e
		}()},
		{"Newsletter", func() *events.Message {
			e := dm(text)
			e.Info.Chat = types.NewJID("120363144038483540", types.NewsletterServer)
			return e
		}()},
		{"Edit", func() *events.Message { e := dm(text); e.IsEdit = true; return e }()},
		{"Reaction", dm(&waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}})},
		{"ProtocolMessage", dm(&waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_REVOKE.Enum()}})},
		{"KeyDistributionOnly", dm(&waE2E.Message{SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{GroupID: proto.String("x")}})},
		{"BlankText", dm(&waE2E.Message{Conversation: proto.String("  \n")})},
		{"NoMessage", dm(nil)},
		{"Nil", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if in, ok := ToInbound(tc.evt); ok {
				t.Errorf("handled as %+v", in)
			}
		})
	}
}

func TestToInboundFromLID(t *testing.T) {
	text := &waE2E.Message{Conversation: proto.String("1")}
	t.Run("WithPhoneNumber", func(t *testing.T) {
		in, ok := ToInbound(fromLID(text, customerPN))
		if !ok || in.Chat.ChatID != "123456789012345@lid" || in.UserID != "6281234567890" {
			t.Errorf("got %+v, %v; want the chat of the LID and the user by phone number", in, ok)
		}
	})
	t.Run("WithoutPhoneNumber", func(t *testing.T) {
		in, ok := ToInbound(fromLID(text, types.EmptyJID))
		if !ok || in.Chat.ChatID != "123456789012345@lid" || in.UserID != "123456789012345@lid" {
			t.Errorf("got %+v, %v; want chat and user by LID", in, ok)
		}
	})
}

func TestChatJID(t *testing.T) {
	for _, tc := range []struct {
		chatID string
		want   types.JID
	}{
		{"6281234567890@s.whatsapp.net", customerPN},
		{"6281234567890:12@s.whatsapp.net", customerPN},
		{"123456789012345@lid", customerLID},
		{"6281234567890", customerPN},
		{"+6281234567890", customerPN},
	} {
		got, err := ChatJID(tc.chatID)
		if err != nil || got != tc.want {
			t.Errorf("ChatJID(%q) = %v, %v; want %v", tc.chatID, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "081234567890", "12345", "62812abc", "120363025246125888@g.us", "status@broadcast", "@s.whatsapp.net", "kaos"} {
		if got, err := ChatJID(bad); !errors.Is(err, ErrNotWhatsApp) {
			t.Errorf("ChatJID(%q) = %v, %v; want ErrNotWhatsApp", bad, got, err)
		}
	}
}

func TestChatID(t *testing.T) {
	lidDevice := types.NewADJID(customerLID.User, 0, 7)
	lidDevice.Server = types.HiddenUserServer
	for _, tc := range []struct {
		jid  types.JID
		want string
	}{
		{customerPN, "6281234567890"},
		{types.NewADJID(customerPN.User, 0, 12), "6281234567890"},
		{customerLID, "123456789012345@lid"},
		{lidDevice, "123456789012345@lid"},
	} {
		got := ChatID(tc.jid)
		if got != tc.want {
			t.Errorf("ChatID(%v) = %q, want %q", tc.jid, got, tc.want)
		}
		if back, err := ChatJID(got); err != nil || back != tc.jid.ToNonAD() {
			t.Errorf("ChatJID(%q) = %v, %v; want %v", got, back, err, tc.jid.ToNonAD())
		}
	}
}

func TestMediaReferenceDownloadsWhatWasSent(t *testing.T) {
	evt := dm(imageMsg("caption"))
	in, _ := ToInbound(evt)
	m, err := decodeRef(in.Media.FileID)
	if err != nil {
		t.Fatal(err)
	}
	img, ok := m.(*waE2E.ImageMessage)
	sent := evt.Message.GetImageMessage()
	if !ok || img.GetDirectPath() != sent.GetDirectPath() || !bytes.Equal(img.GetMediaKey(), sent.GetMediaKey()) ||
		!bytes.Equal(img.GetFileSHA256(), sent.GetFileSHA256()) || !bytes.Equal(img.GetFileEncSHA256(), sent.GetFileEncSHA256()) {
		t.Errorf("decoded %+v, want the sent image's media fields", m)
	}
	if len(img.GetJPEGThumbnail()) != 0 || len(in.Media.FileID) > 600 {
		t.Errorf("reference carries more than the media fields: %d characters", len(in.Media.FileID))
	}
	for _, bad := range []string{"AgACAgIAAxkBAAIB", "wa-image:!!!", ""} {
		if _, err := decodeRef(bad); err == nil {
			t.Errorf("decodeRef(%q) succeeded", bad)
		}
	}
}

func TestMaskJID(t *testing.T) {
	for in, want := range map[string]string{
		"6281234567890@s.whatsapp.net": "62********890@s.whatsapp.net",
		"123456789012345@lid":          "12**********345@lid",
		"6281234567890":                "62********890",
		"12345@lid":                    "*****@lid",
	} {
		if got := maskJID(in); got != want {
			t.Errorf("maskJID(%q) = %q, want %q", in, got, want)
		}
	}
}
