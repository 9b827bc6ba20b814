package whatsapp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// ToInbound converts a received message to the one Lapak handles. It returns false for what Lapak
// does not serve: its own messages (sent from the phone or another linked device), status updates,
// groups, broadcast lists, newsletters, edits, reactions and messages with nothing a user wrote
// (protocol messages, key distribution). Those are acknowledged and dropped.
//
// The chat is the one the message came from (ChatID): "6281234567890" for a customer addressed by
// phone number, as the WhatsApp Cloud API and the rest of Lapak name WhatsApp chats, and
// "12345@lid" for one addressed by LID, so replies go where the customer wrote. UserID is the
// customer's phone number in international digits when the message or the LID map tells it, and
// the chat ID otherwise: a customer who writes from a LID keeps working without a phone number.
func ToInbound(evt *events.Message) (bot.Inbound, bool) {
	if evt == nil || evt.Message == nil || !direct(evt.Info.MessageSource) || evt.IsEdit {
		return bot.Inbound{}, false
	}
	chat := ChatID(evt.Info.Chat)
	in := bot.Inbound{
		Chat:     bot.Address{Channel: lapak.WhatsApp, ChatID: chat},
		UserID:   chat,
		UserName: strings.TrimSpace(evt.Info.PushName),
		UpdateID: evt.Info.ID,
	}
	if phone := SenderPhone(evt.Info.MessageSource); phone != "" {
		in.UserID = phone
	}
	if !fillContent(&in, evt.Message) {
		return bot.Inbound{}, false
	}
	return in, true
}

// direct reports whether a message was written to the store by a person, in a one-to-one chat.
func direct(src types.MessageSource) bool {
	if src.IsFromMe || src.IsGroup || src.Chat.IsBroadcastList() || src.Chat == types.StatusBroadcastJID {
		return false
	}
	return userServer(src.Chat.Server) && !src.Chat.IsBot()
}

// userServer reports whether server addresses a person: by phone number or by LID.
func userServer(server string) bool {
	return server == types.DefaultUserServer || server == types.HiddenUserServer
}

// fillContent sets in's kind, text, option and media from m, and reports false when m holds
// nothing a user wrote.
func fillContent(in *bot.Inbound, m *waE2E.Message) bool {
	switch {
	case m.Conversation != nil:
		in.Kind, in.Text = bot.KindText, m.GetConversation()
	case m.ExtendedTextMessage != nil:
		in.Kind, in.Text = bot.KindText, m.GetExtendedTextMessage().GetText()
	case m.ButtonsResponseMessage != nil:
		r := m.GetButtonsResponseMessage()
		in.Kind, in.Option, in.Text = bot.KindOption, r.GetSelectedButtonID(), r.GetSelectedDisplayText()
	case m.ListResponseMessage != nil:
		r := m.GetListResponseMessage()
		in.Kind, in.Option, in.Text = bot.KindOption, r.GetSingleSelectReply().GetSelectedRowID(), r.GetTitle()
	case m.TemplateButtonReplyMessage != nil:
		r := m.GetTemplateButtonReplyMessage()
		in.Kind, in.Option, in.Text = bot.KindOption, r.GetSelectedID(), r.GetSelectedDisplayText()
	case m.ImageMessage != nil:
		img := m.GetImageMessage()
		in.Kind, in.Text, in.Media = bot.KindPhoto, img.GetCaption(), imageMedia(img)
	case m.DocumentMessage != nil:
		doc := m.GetDocumentMessage()
		in.Kind, in.Text, in.Media = bot.KindDocument, doc.GetCaption(), documentMedia(doc)
	case hasOtherContent(m):
		in.Kind, in.Text = bot.KindOther, otherCaption(m)
	default:
		return false
	}
	if in.Kind == bot.KindOption && in.Option == "" {
		in.Kind = bot.KindText // a reply to a button Lapak never sent: read its label as text
	}
	return in.Kind != bot.KindText || strings.TrimSpace(in.Text) != ""
}

// hasOtherContent tells whether m carries something a customer sent that Lapak cannot read.
func hasOtherContent(m *waE2E.Message) bool {
	return m.StickerMessage != nil || m.AudioMessage != nil || m.VideoMessage != nil ||
		m.PtvMessage != nil || m.LocationMessage != nil || m.LiveLocationMessage != nil ||
		m.ContactMessage != nil || m.ContactsArrayMessage != nil || m.PollCreationMessage != nil ||
		m.PollCreationMessageV2 != nil || m.PollCreationMessageV3 != nil || m.EventMessage != nil ||
		m.GroupInviteMessage != nil || m.ProductMessage != nil || m.OrderMessage != nil
}

func otherCaption(m *waE2E.Message) string {
	if v := m.GetVideoMessage(); v != nil {
		return v.GetCaption()
	}
	return ""
}

// SenderPhone returns the phone number, in international digits, of a message's sender, when the
// message tells it: the sender's own JID, or its alternative when the sender wrote from a LID.
func SenderPhone(src types.MessageSource) string {
	switch {
	case src.Sender.Server == types.DefaultUserServer:
		return src.Sender.User
	case src.SenderAlt.Server == types.DefaultUserServer:
		return src.SenderAlt.User
	}
	return ""
}

// ChatID is the chat ID Lapak keeps for a WhatsApp user: the phone number in international
// digits for a phone-number JID ("6281234567890"), and the JID without its device for a LID
// ("12345@lid"), whose digits are not a phone number.
func ChatID(jid types.JID) string {
	if jid.Server == types.DefaultUserServer {
		return jid.User
	}
	return jid.ToNonAD().String()
}

// ErrNotWhatsApp is returned for an address Lapak cannot send to on WhatsApp.
var ErrNotWhatsApp = errors.New("not a whatsapp chat")

// ChatJID returns the JID to send to for a chat ID: a phone number in international digits
// ("6281234567890", a leading + allowed) or a JID ("6281234567890@s.whatsapp.net", "12345@lid").
func ChatJID(chatID string) (types.JID, error) {
	if !strings.Contains(chatID, "@") {
		digits := strings.TrimPrefix(chatID, "+")
		if len(digits) < 7 || strings.Trim(digits, "0123456789") != "" || digits[0] == '0' {
			return types.JID{}, fmt.Errorf("%w: chat id is neither a JID nor an international phone number", ErrNotWhatsApp)
		}
		return types.NewJID(digits, types.DefaultUserServer), nil
	}
	jid, err := types.ParseJID(chatID)
	if err != nil || !userServer(jid.Server) || jid.User == "" {
		return types.JID{}, fmt.Errorf("%w: %s is not a person's JID", ErrNotWhatsApp, maskJID(chatID))
	}
	return jid.ToNonAD(), nil
}

// Media references: what a customer sent, kept in bot.Media.FileID so it can be downloaded later.
// The reference is the message's media fields (no thumbnails) as protobuf, in URL-safe base64,
// after a prefix saying which message type it is.
const (
	imageRef    = "wa-image:"
	documentRef = "wa-document:"
)

func imageMedia(img *waE2E.ImageMessage) *bot.Media {
	ref := &waE2E.ImageMessage{
		URL: img.URL, DirectPath: img.DirectPath, MediaKey: img.MediaKey, Mimetype: img.Mimetype,
		FileSHA256: img.FileSHA256, FileEncSHA256: img.FileEncSHA256, FileLength: img.FileLength,
	}
	return &bot.Media{FileID: encodeRef(imageRef, ref), MIME: img.GetMimetype(), Size: int64(img.GetFileLength())}
}

func documentMedia(doc *waE2E.DocumentMessage) *bot.Media {
	ref := &waE2E.DocumentMessage{
		URL: doc.URL, DirectPath: doc.DirectPath, MediaKey: doc.MediaKey, Mimetype: doc.Mimetype,
		FileSHA256: doc.FileSHA256, FileEncSHA256: doc.FileEncSHA256, FileLength: doc.FileLength,
	}
	return &bot.Media{FileID: encodeRef(documentRef, ref), Name: doc.GetFileName(), MIME: doc.GetMimetype(), Size: int64(doc.GetFileLength())}
}

func encodeRef(prefix string, m proto.Message) string {
	raw, err := proto.Marshal(m)
	if err != nil { // only a message with invalid UTF-8 in a string field fails; it cannot be downloaded
		return ""
	}
	return prefix + base64.RawURLEncoding.EncodeToString(raw)
}

// decodeRef returns the downloadable message a media reference stands for.
func decodeRef(fileID string) (whatsmeow.DownloadableMessage, error) {
	var m interface {
		proto.Message
		whatsmeow.DownloadableMessage
	}
	var raw string
	switch {
	case strings.HasPrefix(fileID, imageRef):
		m, raw = &waE2E.ImageMessage{}, fileID[len(imageRef):]
	case strings.HasPrefix(fileID, documentRef):
		m, raw = &waE2E.DocumentMessage{}, fileID[len(documentRef):]
	default:
		return nil, errors.New("not a whatsapp media reference")
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err == nil {
		err = proto.Unmarshal(b, m)
	}
	if err != nil {
		return nil, fmt.Errorf("read whatsapp media reference: %w", err)
	}
	return m, nil
}

// maskJID hides most of a JID's user part for logs: 62*******890@s.whatsapp.net.
func maskJID(s string) string {
	user, server, found := strings.Cut(s, "@")
	if len(user) > 6 {
		user = user[:2] + strings.Repeat("*", len(user)-5) + user[len(user)-3:]
	} else {
		user = strings.Repeat("*", len(user))
	}
	if found {
		return user + "@" + server
	}
	return user
}
