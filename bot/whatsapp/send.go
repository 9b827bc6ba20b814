package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
)

// maxPhoto caps a photo fetched by URL.
const maxPhoto = 10 << 20

// Send delivers r to a chat that wrote to the store first: the photo or document first, with the
// text as its caption when it fits, options as a numbered menu and links as URLs. It refuses what
// the ban-risk rules forbid (ErrUnsolicited, ErrBulk), returns ErrNotConnected while another
// instance owns the connection or WhatsApp reconnects, and *StoppedError once WhatsApp ended the
// session. A photo it cannot fetch is left out with a warning, and the text goes alone. When a
// later part fails, the earlier ones stay sent. The options become the chat's menu.
func (a *Adapter) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	if to.Channel != lapak.WhatsApp {
		return fmt.Errorf("send to %s: %w", to.Channel, ErrNotWhatsApp)
	}
	jid, err := ChatJID(to.ChatID)
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	chat := bot.Address{Channel: lapak.WhatsApp, ChatID: ChatID(jid)}
	masked := maskJID(chat.ChatID)
	wa, err := a.sender()
	if err != nil {
		return fmt.Errorf("send to %s: %w", masked, err)
	}
	parts, err := plan(r, i18n.T(a.cfg.Lang(ctx, chat), "whatsapp.menu_hint"))
	if err != nil {
		return fmt.Errorf("send to %s: %w", masked, err)
	}
	if err := a.guard.allow(ctx, chat.ChatID, fingerprint(parts)); err != nil {
		return fmt.Errorf("send to %s: %w", masked, err)
	}
	for _, p := range parts {
		msg, err := a.message(ctx, wa, p)
		if err == nil && msg != nil {
			_, err = wa.SendMessage(ctx, jid, msg)
		}
		if err != nil {
			return fmt.Errorf("send to %s: %w", masked, err)
		}
	}
	if err := a.cfg.Menus.Save(ctx, chat.ChatID, r.Options); err != nil {
		a.cfg.Logger.Warn("remember the chat's menu", "chat", masked, "err", err)
	}
	return nil
}

// fingerprint is what makes two replies the same for the bulk rule: their texts and photos.
func fingerprint(parts []part) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.text)
		if p.photo != nil {
			fmt.Fprintf(&b, "\x00photo:%s:%s:%d", p.photo.URL, p.photo.FileID, len(p.photo.Bytes))
		}
		if p.doc != nil {
			fmt.Fprintf(&b, "\x00doc:%s:%d", p.doc.Name, len(p.doc.Bytes))
		}
		b.WriteByte(0)
	}
	return b.String()
}

// message builds a part's WhatsApp message, uploading its attachment first. It returns nil for a
// photo that cannot be had and has no caption to send instead.
func (a *Adapter) message(ctx context.Context, wa client, p part) (*waE2E.Message, error) {
	switch {
	case p.photo != nil:
		data, err := a.photoBytes(ctx, p.photo)
		if err != nil {
			a.cfg.Logger.Warn("leave a photo out", "err", err)
			if p.text == "" {
				return nil, nil
			}
			return textMessage(p.text), nil
		}
		up, err := wa.Upload(ctx, data, whatsmeow.MediaImage)
		if err != nil {
			return nil, fmt.Errorf("upload photo: %w", err)
		}
		return imageMessage(up, http.DetectContentType(data), p.text), nil
	case p.doc != nil:
		up, err := wa.Upload(ctx, p.doc.Bytes, whatsmeow.MediaDocument)
		if err != nil {
			return nil, fmt.Errorf("upload document: %w", err)
		}
		return documentMessage(up, http.DetectContentType(p.doc.Bytes), p.doc.Name, p.text), nil
	}
	return textMessage(p.text), nil
}

// photoBytes returns a photo's image: its bytes, or what its URL serves. A photo known only by
// another channel's file ID cannot be sent on WhatsApp.
func (a *Adapter) photoBytes(ctx context.Context, p *bot.Photo) ([]byte, error) {
	data := p.Bytes
	if len(data) == 0 {
		if p.URL == "" {
			return nil, errors.New("photo has no bytes or URL")
		}
		var err error
		if data, err = a.fetch(ctx, p.URL); err != nil {
			return nil, fmt.Errorf("fetch photo %s: %w", p.URL, err)
		}
	}
	if mime := http.DetectContentType(data); !strings.HasPrefix(mime, "image/") {
		return nil, fmt.Errorf("photo is %s, not an image", mime)
	}
	return data, nil
}

func (a *Adapter) fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPhoto+1))
	if err == nil && len(data) > maxPhoto {
		err = fmt.Errorf("photo is over %d bytes", maxPhoto)
	}
	return data, err
}

// Download fetches a photo or document a customer sent, by its bot.Media.FileID.
func (a *Adapter) Download(ctx context.Context, fileID string) ([]byte, error) {
	m, err := decodeRef(fileID)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	wa := a.wa
	a.mu.Unlock()
	if wa == nil {
		return nil, ErrNotConnected
	}
	data, err := wa.Download(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("download whatsapp media: %w", err)
	}
	return data, nil
}
