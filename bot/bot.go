// Package bot owns the channel-neutral chat messages Lapak receives and sends, the dispatcher that
// keeps each chat's messages in order while serving many chats at once, and outbound pacing.
// Channel adapters (bot/telegram, bot/sim, …) convert to and from these types.
package bot

import (
	"context"
	"fmt"

	"github.com/lapak-id/lapak"
)

// Address is a chat on one channel.
type Address struct {
	Channel lapak.Channel `json:"channel"`
	ChatID  string        `json:"chat_id"`
}

// String returns "channel:chat", the key the dispatcher orders by.
func (a Address) String() string { return fmt.Sprintf("%s:%s", a.Channel, a.ChatID) }

// Masked is the address for logs: a WhatsApp chat ID is a phone number, so only its last three
// digits show.
func (a Address) Masked() string {
	if a.Channel != lapak.WhatsApp || len(a.ChatID) <= 3 {
		return a.String()
	}
	return fmt.Sprintf("%s:***%s", a.Channel, a.ChatID[len(a.ChatID)-3:])
}

// InboundKind says what a user sent.
type InboundKind string

// What a user can send.
const (
	KindText     InboundKind = "text"     // typed text, including /commands
	KindOption   InboundKind = "option"   // a tap on an option Lapak offered
	KindPhoto    InboundKind = "photo"    // a photo, with an optional caption in Text
	KindDocument InboundKind = "document" // a file, with an optional caption in Text
	KindOther    InboundKind = "other"    // stickers, voice notes, locations, …: answered politely
)

// Inbound is one message or tap from a user.
type Inbound struct {
	Chat     Address
	UserID   string // the channel's user ID
	UserName string // the name the channel shows, for greetings
	LangCode string // the user's app language, a hint for new users
	UpdateID string // unique per channel; the dispatcher handles each once
	Kind     InboundKind
	Text     string // text, caption, or the option's label when the channel only has text
	Option   string // the option's ID for KindOption; never trusted
	Media    *Media // the photo or document for KindPhoto and KindDocument
}

// Media is a file a user sent, by the channel's reference.
type Media struct {
	FileID string `json:"file_id"`
	Name   string `json:"name,omitempty"`
	MIME   string `json:"mime,omitempty"`
	Size   int64  `json:"size,omitempty"`
}

// Option is a choice offered with a reply: an inline button on Telegram, a reply button or list row
// on WhatsApp Cloud, a numbered line on WhatsApp linked devices.
type Option struct {
	ID    string `json:"id"` // at most 64 bytes (Telegram's callback_data limit)
	Label string `json:"label"`
}

// Link is a button that opens a URL.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Photo is an image to send: a public URL, a channel file ID, or bytes.
type Photo struct {
	URL    string `json:"url,omitempty"`
	FileID string `json:"file_id,omitempty"`
	Bytes  []byte `json:"bytes,omitempty"`
}

// Document is a file to send.
type Document struct {
	Name  string `json:"name"`
	Bytes []byte `json:"bytes"`
}

// Reply is one message Lapak sends. Text is plain; adapters escape it for their channel.
type Reply struct {
	Text     string    `json:"text"`
	Photo    *Photo    `json:"photo,omitempty"`
	Document *Document `json:"document,omitempty"`
	Options  []Option  `json:"options,omitempty"`
	Links    []Link    `json:"links,omitempty"`
}

// Outbound is a reply addressed to a chat.
type Outbound struct {
	To    Address `json:"to"`
	Reply Reply   `json:"reply"`
}

// Handler turns one inbound message into the replies to send. Replies may go to other chats too
// (an owner's approval card), but those that must not be lost go through the job queue instead.
type Handler interface {
	Handle(ctx context.Context, in Inbound) ([]Outbound, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, in Inbound) ([]Outbound, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, in Inbound) ([]Outbound, error) { return f(ctx, in) }

// Sender delivers a reply to a chat on one channel.
type Sender interface {
	Send(ctx context.Context, to Address, r Reply) error
}

// InlineQuery is what a user typed after the bot's name in any chat, to pick a card to drop into
// that chat (Telegram's inline mode). It belongs to no conversation: answering it changes nothing.
type InlineQuery struct {
	From   Address // the user's private chat with the bot
	UserID string  // the channel's user ID
	Query  string  // what the user typed after the bot's name; may be empty
	ID     string  // the channel's ID of the query, to answer it with
}

// Card is one result of an inline query: a title and a description in the list the user picks
// from, and the message the pick drops into the chat: Text (plain; adapters escape it), as the
// photo's caption when there is a photo, with link buttons under it.
type Card struct {
	ID          string // unique among the results, at most 64 bytes
	Title       string
	Description string
	Text        string
	Photo       *Photo
	Links       []Link
}

// InlineAnswerer finds the cards to offer for an inline query. Nothing is sent to the user's
// chat: the channel shows the cards, and the user sends the one they pick.
type InlineAnswerer interface {
	InlineResults(ctx context.Context, q InlineQuery) ([]Card, error)
}

// InlineAnswererFunc adapts a function to InlineAnswerer.
type InlineAnswererFunc func(ctx context.Context, q InlineQuery) ([]Card, error)

// InlineResults calls f.
func (f InlineAnswererFunc) InlineResults(ctx context.Context, q InlineQuery) ([]Card, error) {
	return f(ctx, q)
}
