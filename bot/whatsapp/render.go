package whatsapp

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/lapak-id/lapak/bot"
)

// maxCaption is the longest caption, in characters, Lapak puts under an image or a document;
// a longer text follows the attachment as a message of its own.
const maxCaption = 1024

// render writes a reply as WhatsApp text: the text, the options as a numbered menu followed by
// hint (buttons and lists do not show on linked devices), then one line per link with its URL.
func render(r bot.Reply, hint string) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(r.Text))
	if len(r.Options) > 0 {
		paragraph(&b)
		for i, o := range r.Options {
			fmt.Fprintf(&b, "%d. %s\n", i+1, o.Label)
		}
		b.WriteString(hint)
	}
	if len(r.Links) > 0 {
		paragraph(&b)
		for i, l := range r.Links {
			if i > 0 {
				b.WriteByte('\n')
			}
			if l.Label != "" {
				b.WriteString(l.Label + ": ")
			}
			b.WriteString(l.URL)
		}
	}
	return b.String()
}

func paragraph(b *strings.Builder) {
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
}

// part is one WhatsApp message of a reply: an image, a document or a text. The attachments' bytes
// are uploaded when the part is sent.
type part struct {
	text  string // the text, or the attachment's caption
	photo *bot.Photo
	doc   *bot.Document
}

// plan splits a reply into the messages that deliver it, in order: the image, the document, then
// the rendered text, unless it fits as the last attachment's caption.
func plan(r bot.Reply, hint string) ([]part, error) {
	var parts []part
	if r.Photo != nil {
		parts = append(parts, part{photo: r.Photo})
	}
	if r.Document != nil {
		if len(r.Document.Bytes) == 0 {
			return nil, fmt.Errorf("document %q is empty", r.Document.Name)
		}
		parts = append(parts, part{doc: r.Document})
	}
	text := render(r, hint)
	if n := len(parts); n > 0 && utf8.RuneCountInString(text) <= maxCaption {
		parts[n-1].text, text = text, ""
	}
	if text != "" {
		parts = append(parts, part{text: text})
	}
	if len(parts) == 0 {
		return nil, errors.New("reply has no text, photo or document")
	}
	return parts, nil
}

// textMessage is a plain text message.
func textMessage(text string) *waE2E.Message {
	return &waE2E.Message{Conversation: proto.String(text)}
}

// imageMessage is an image uploaded as up, with an optional caption.
func imageMessage(up whatsmeow.UploadResponse, mime, caption string) *waE2E.Message {
	return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
		Caption:       optional(caption),
		Mimetype:      proto.String(mime),
		URL:           proto.String(up.URL),
		DirectPath:    proto.String(up.DirectPath),
		MediaKey:      up.MediaKey,
		FileEncSHA256: up.FileEncSHA256,
		FileSHA256:    up.FileSHA256,
		FileLength:    proto.Uint64(up.FileLength),
	}}
}

// documentMessage is a file uploaded as up, shown with its name and an optional caption.
func documentMessage(up whatsmeow.UploadResponse, mime, name, caption string) *waE2E.Message {
	if name == "" {
		name = "document"
	}
	return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
		Caption:       optional(caption),
		FileName:      proto.String(name),
		Title:         proto.String(name),
		Mimetype:      proto.String(mime),
		URL:           proto.String(up.URL),
		DirectPath:    proto.String(up.DirectPath),
		MediaKey:      up.MediaKey,
		FileEncSHA256: up.FileEncSHA256,
		FileSHA256:    up.FileSHA256,
		FileLength:    proto.Uint64(up.FileLength),
	}}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return proto.String(s)
}
