package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
)

// MaxUpload is the largest file a pane's user may send: Telegram's limit for photos, 10 MB.
const MaxUpload = 10 << 20

// Errors for files no channel would deliver, or no longer has.
var (
	ErrTooLarge    = fmt.Errorf("file too large: at most %d MB", MaxUpload>>20)
	ErrEmptyFile   = errors.New("the file is empty")
	ErrUnknownFile = errors.New("no such file: never sent, or no longer kept")
)

// Attachment is a file a pane's user sends: its name, the type the browser says it has, and its
// bytes.
type Attachment struct {
	Name string
	MIME string
	Data []byte
}

// files keeps the newest attachments within a count and a byte budget, dropping the oldest
// first, so a long session never holds more than the budget.
type files struct {
	mu       sync.Mutex
	maxCount int
	maxBytes int64
	size     int64
	order    []string // IDs, oldest first
	byID     map[string]Attachment
}

func newFiles(maxCount int, maxBytes int64) *files {
	return &files{maxCount: maxCount, maxBytes: maxBytes, byID: map[string]Attachment{}}
}

// add keeps u under a new random ID and drops the oldest files beyond the budget.
func (f *files) add(u Attachment) string {
	id := randomHex(12)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byID[id] = u
	f.order = append(f.order, id)
	f.size += int64(len(u.Data))
	for len(f.order) > 1 && (len(f.order) > f.maxCount || f.size > f.maxBytes) {
		f.size -= int64(len(f.byID[f.order[0]].Data))
		delete(f.byID, f.order[0])
		f.order = f.order[1:]
	}
	return id
}

func (f *files) get(id string) (Attachment, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.byID[id]
	return u, ok
}

var _ flows.Files = (*Sim)(nil)

// Fetch returns a copy of the bytes of a file a pane's user sent, by its file ID, as a channel
// downloads what its users send. A file never sent, or dropped to stay within the budget, is
// ErrUnknownFile.
func (s *Sim) Fetch(_ context.Context, _ bot.Address, m bot.Media) ([]byte, error) {
	u, ok := s.files.get(m.FileID)
	if !ok {
		return nil, fmt.Errorf("fetch %q: %w", m.FileID, ErrUnknownFile)
	}
	return bytes.Clone(u.Data), nil
}

// Attach keeps a file sent from a pane and turns it into the update the pane's channel would
// deliver: a photo when the browser says it is an image, else a document, with caption as its
// text. It records the file in the pane's transcript.
func (s *Sim) Attach(pane, caption string, u Attachment) (bot.Inbound, error) {
	p, ok := s.panes[pane]
	switch {
	case !ok:
		return bot.Inbound{}, fmt.Errorf("%w %q", ErrUnknownPane, pane)
	case len(u.Data) == 0:
		return bot.Inbound{}, ErrEmptyFile
	case len(u.Data) > MaxUpload:
		return bot.Inbound{}, ErrTooLarge
	}
	u.Name, u.MIME = fileName(u.Name), fileType(u.MIME, u.Data)
	id := s.files.add(u)
	in := bot.Inbound{
		Chat: p.Chat, UserID: p.UserID, UserName: p.UserName, LangCode: p.LangCode,
		UpdateID: s.nextUpdateID(), Kind: bot.KindDocument, Text: caption,
		Media: &bot.Media{FileID: id, Name: u.Name, MIME: u.MIME, Size: int64(len(u.Data))},
	}
	e := Entry{Pane: p.ID, At: s.cfg.Clock.Now(), From: FromUser, Text: caption}
	if strings.HasPrefix(u.MIME, "image/") {
		in.Kind, e.Photo = bot.KindPhoto, s.fileURL(id)
	} else {
		e.Document = &File{Name: u.Name, URL: s.fileURL(id)}
	}
	s.history.add(e)
	return in, nil
}

// fileURL is where the page opens a kept file, or "" when the sim does not keep id.
func (s *Sim) fileURL(id string) string {
	if _, ok := s.files.get(id); !ok {
		return ""
	}
	return s.cfg.FilePath + id
}

// fileName is the base name of a file as a browser reports it, cut to 200 characters.
func fileName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	if name = strings.TrimSpace(name); name == "" {
		return "file"
	}
	return cut(name, 200)
}

// fileType is the media type the browser gave, without parameters, or the type the bytes show
// when the browser gave none or only a generic one.
func fileType(claimed string, data []byte) string {
	t, _, err := mime.ParseMediaType(claimed)
	if err != nil || t == "application/octet-stream" {
		t, _, _ = mime.ParseMediaType(http.DetectContentType(data))
	}
	return t
}
