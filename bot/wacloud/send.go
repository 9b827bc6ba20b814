package wacloud

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/lapak-id/lapak/bot"
)

// Send delivers r to a WhatsApp user.
//
// Within the customer-service window: a photo goes first, by its http(s) URL or uploaded from its
// bytes (a Telegram file ID means nothing to WhatsApp, so a photo with neither is left out); a
// document is uploaded and sent next. The text is the caption of the last of them when there are
// no options and it fits in 1024 characters, else it follows as text messages of at most 4096
// characters, split at line breaks, with the reply's links appended as URLs. Options are rendered
// as reply buttons (1 to 3), a list (4 to 10) or a numbered menu (more), and remembered for the
// chat, so that a typed number or label chooses one.
//
// Outside the window it sends the configured template with the text, links included, as its body
// parameter; the photo and the options are left out.
//
// A rate limit comes back as *bot.RetryAfterError when nothing was sent yet; a later part of the
// reply waits and is tried again here, so that retrying never sends the first parts twice.
func (a *Adapter) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	chat, err := recipient(to)
	if err != nil {
		return err
	}
	open, err := a.windowOpen(ctx, chat)
	if err != nil {
		return err
	}
	if !open {
		return a.sendTemplate(ctx, chat, r)
	}
	msgs, err := a.plan(ctx, chat, r)
	if err != nil {
		return fmt.Errorf("send to %s: %w", masked(chat), err)
	}
	for i, m := range msgs {
		if err := a.sendPart(ctx, m, i > 0); err != nil {
			return fmt.Errorf("send %s %d of %d to %s: %w", m.Type, i+1, len(msgs), masked(chat), err)
		}
	}
	a.rememberMenu(ctx, chat, r.Options)
	return nil
}

// Errors of Send that no retry mends. Nothing is sent.
var (
	ErrEmptyReply   = errors.New("reply has no text, photo or document")
	ErrOptionID     = errors.New("option id must be 1 to 200 characters, unique in the reply")
	ErrOptionLabel  = errors.New("option has no label")
	ErrImageType    = errors.New("photo must be a JPEG or PNG image")
	ErrWindowClosed = errors.New("customer service window closed and the reply has no text for the template")
)

// plan turns r into the messages that deliver it, in order, uploading its files on the way.
func (a *Adapter) plan(ctx context.Context, chat string, r bot.Reply) ([]outMessage, error) {
	if err := checkOptions(r.Options); err != nil {
		return nil, err
	}
	msgs, err := a.attachments(ctx, chat, r)
	if err != nil {
		return nil, err
	}
	text := withLinks(r.Text, r.Links)
	if n := len(msgs); n > 0 && len(r.Options) == 0 && runes(text) <= maxCaption {
		mediaOf(&msgs[n-1]).Caption, text = text, ""
	}
	switch n := len(r.Options); {
	case n == 0 && strings.TrimSpace(text) == "":
		if len(msgs) == 0 {
			return nil, ErrEmptyReply
		}
	case n == 0:
		msgs = append(msgs, textMessages(chat, text)...)
	case n <= maxRows:
		head, body := splitTail(text, maxBody)
		if strings.TrimSpace(head) != "" {
			msgs = append(msgs, textMessages(chat, head)...)
		}
		msgs = append(msgs, a.interactiveMessage(chat, body, r.Options))
	default:
		msgs = append(msgs, textMessages(chat, numbered(text, r.Options, a.cfg.MenuHint))...)
	}
	return msgs, nil
}

// attachments returns the image and document messages of r, uploading their bytes.
func (a *Adapter) attachments(ctx context.Context, chat string, r bot.Reply) ([]outMessage, error) {
	var msgs []outMessage
	if r.Photo != nil {
		img, err := a.photo(ctx, r.Photo)
		if err != nil {
			return nil, err
		}
		if img != nil {
			m := newMessage(chat, "image")
			m.Image = img
			msgs = append(msgs, m)
		}
	}
	if d := r.Document; d != nil {
		if len(d.Bytes) == 0 {
			return nil, fmt.Errorf("document %q is empty", d.Name)
		}
		name := d.Name
		if name == "" {
			name = "document"
		}
		id, err := a.upload(ctx, name, documentType(name, d.Bytes), d.Bytes)
		if err != nil {
			return nil, err
		}
		m := newMessage(chat, "document")
		m.Document = &mediaOut{ID: id, Filename: name}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// photo returns the image to send: by link when the photo has an http(s) URL, else uploaded from
// its bytes, else by its file ID when that is a WhatsApp media ID (digits). nil leaves it out.
func (a *Adapter) photo(ctx context.Context, p *bot.Photo) (*mediaOut, error) {
	switch {
	case strings.HasPrefix(p.URL, "https://") || strings.HasPrefix(p.URL, "http://"):
		return &mediaOut{Link: p.URL}, nil
	case len(p.Bytes) > 0:
		ct := http.DetectContentType(p.Bytes)
		if ct != "image/jpeg" && ct != "image/png" {
			return nil, fmt.Errorf("%w, not %s", ErrImageType, ct)
		}
		id, err := a.upload(ctx, "photo."+strings.TrimPrefix(ct, "image/"), ct, p.Bytes)
		if err != nil {
			return nil, err
		}
		return &mediaOut{ID: id}, nil
	case digitsOnly(p.FileID):
		return &mediaOut{ID: p.FileID}, nil
	}
	a.cfg.Logger.Debug("photo left out: no http(s) url, bytes or whatsapp media id")
	return nil, nil
}

// documentType is the MIME type of a document, by its name's extension or else its content.
func documentType(name string, data []byte) string {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	ct, _, _ = strings.Cut(ct, ";")
	return ct
}

// mediaOf returns the image or document of an attachment message.
func mediaOf(m *outMessage) *mediaOut {
	if m.Image != nil {
		return m.Image
	}
	return m.Document
}

func newMessage(to, typ string) outMessage {
	return outMessage{MessagingProduct: "whatsapp", RecipientType: "individual", To: to, Type: typ}
}

// textMessages splits text into text messages of at most 4096 characters. A message with a URL
// in it gets a link preview.
func textMessages(to, text string) []outMessage {
	var msgs []outMessage
	for _, t := range splitText(text, maxText) {
		m := newMessage(to, "text")
		m.Text = &textOut{Body: t, PreviewURL: strings.Contains(t, "https://") || strings.Contains(t, "http://")}
		msgs = append(msgs, m)
	}
	return msgs
}

// withLinks appends links to text, one a line: reply buttons cannot open URLs on the Cloud API.
func withLinks(text string, links []bot.Link) string {
	if len(links) == 0 {
		return text
	}
	b := strings.Builder{}
	b.WriteString(strings.TrimRight(text, "\n "))
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	for _, l := range links {
		b.WriteString("\n")
		if l.Label != "" {
			b.WriteString(l.Label + ": ")
		}
		b.WriteString(l.URL)
	}
	return b.String()
}

// laterRetries is how often a later part of a reply is tried again after a rate limit.
const laterRetries = 3

// sendPart sends one message of a reply. The first returns a rate limit as it is, for the caller
// to wait and send the whole reply again; a later one waits here, as returning the limit would
// have the caller send the parts before it twice.
func (a *Adapter) sendPart(ctx context.Context, m outMessage, later bool) error {
	for attempt := 0; ; attempt++ {
		_, err := a.sendMessage(ctx, m)
		var ra *bot.RetryAfterError
		if !later || !errors.As(err, &ra) {
			return err
		}
		if attempt >= laterRetries {
			return ra.Err
		}
		if err := a.cfg.Sleep(ctx, ra.After); err != nil {
			return err
		}
	}
}

// sendTemplate sends the configured template with r's text, outside the customer-service window.
func (a *Adapter) sendTemplate(ctx context.Context, chat string, r bot.Reply) error {
	param := clip(flatten(withLinks(r.Text, r.Links)), maxTemplateParam)
	if param == "" {
		return fmt.Errorf("send to %s: %w", masked(chat), ErrWindowClosed)
	}
	m := newMessage(chat, "template")
	m.Template = &template{
		Name:       a.cfg.Template,
		Language:   language{Policy: "deterministic", Code: a.cfg.TemplateLang},
		Components: []component{{Type: "body", Parameters: []parameter{{Type: "text", Text: param}}}},
	}
	a.cfg.Logger.Info("customer service window closed: sending template", "chat", masked(chat), "template", a.cfg.Template)
	if _, err := a.sendMessage(ctx, m); err != nil {
		return fmt.Errorf("send template %s to %s: %w", a.cfg.Template, masked(chat), err)
	}
	a.rememberMenu(ctx, chat, nil)
	return nil
}

// rememberMenu keeps the options just offered in chat, or forgets the last ones when the reply
// offered none, so that a number typed later is not taken for a stale choice.
func (a *Adapter) rememberMenu(ctx context.Context, chat string, opts []bot.Option) {
	if err := a.cfg.Menus.Save(ctx, chat, opts); err != nil {
		a.cfg.Logger.Warn("remember whatsapp menu", "chat", masked(chat), "err", err)
	}
}
