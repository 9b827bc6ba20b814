package sim

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// From says who wrote an entry.
type From string

// Who writes in a pane.
const (
	FromUser From = "user" // the pane's user typed or tapped
	FromBot  From = "bot"  // Lapak answered
)

// Entry is one line of a pane's transcript: what the user sent, or a message from Lapak.
type Entry struct {
	Seq      int64     `json:"seq"` // increases across all panes; streams resume after it
	Pane     string    `json:"pane"`
	At       time.Time `json:"at"`
	From     From      `json:"from"`
	Text     string    `json:"text,omitempty"`     // the user's text or caption, or the label of the option tapped
	Option   string    `json:"option,omitempty"`   // the ID of the option the user chose
	Photo    string    `json:"photo,omitempty"`    // the URL of a photo the user sent
	Document *File     `json:"document,omitempty"` // a file the user sent
	Reply    *Message  `json:"reply,omitempty"`    // Lapak's message
}

// Message is a reply as the browser shows it: a bot.Reply whose photo and document are URLs the
// page can open, with the layout of its options on the pane's channel.
type Message struct {
	Text     string       `json:"text"`
	Photo    string       `json:"photo,omitempty"`         // a URL: a file the sim keeps, an http(s) or a data: URL
	PhotoID  string       `json:"photo_file_id,omitempty"` // the channel's file ID, which a browser cannot open itself
	Document *File        `json:"document,omitempty"`
	Options  []bot.Option `json:"options,omitempty"`
	Links    []bot.Link   `json:"links,omitempty"`
	Layout   Layout       `json:"layout"`
}

// File is a document to download: a data: URL, or a file the sim keeps.
type File struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// newMessage converts a reply for a pane on channel ch. A photo is shown as a channel shows it:
// by its file ID when the sim keeps that file (fileURL gives its URL, or "" when it does not),
// else from its bytes, else from its URL.
func newMessage(ch lapak.Channel, r bot.Reply, fileURL func(id string) string) Message {
	m := Message{Text: r.Text, Options: r.Options, Links: r.Links, Layout: layout(ch, r)}
	if p := r.Photo; p != nil {
		m.Photo, m.PhotoID = p.URL, p.FileID
		if len(p.Bytes) > 0 {
			m.Photo = dataURL(p.Bytes)
		}
		if u := fileURL(p.FileID); u != "" {
			m.Photo = u
		}
	}
	if d := r.Document; d != nil {
		m.Document = &File{Name: d.Name, URL: dataURL(d.Bytes)}
	}
	return m
}

// dataURL embeds b in a URL, with the content type its first bytes show.
func dataURL(b []byte) string {
	mime := strings.ReplaceAll(http.DetectContentType(b), " ", "")
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// numberedMenu returns the options a message offers as a numbered menu, which typed numbers and
// labels answer; nil when it offers none that way.
func numberedMenu(m Message) []bot.Option {
	if m.Layout.Style != StyleNumbered {
		return nil
	}
	return m.Options
}

// userEntry records what the user sent: the text they typed, or the label they tapped.
func userEntry(pane string, a Action, in bot.Inbound, clock lapak.Clock) Entry {
	e := Entry{Pane: pane, At: clock.Now(), From: FromUser, Text: in.Text}
	if in.Kind == bot.KindOption {
		e.Option = in.Option
	}
	if a.Option == "" {
		e.Text = a.Text
	}
	return e
}
