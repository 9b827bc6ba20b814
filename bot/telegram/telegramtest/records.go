package telegramtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Message is a message the bot sent or edited, as the fake received it.
type Message struct {
	MessageID int
	Method    string // sendMessage, sendPhoto, sendDocument or editMessageText
	ChatID    int64
	Text      string     // the text or caption as sent, markup included
	Plain     string     // what the user sees: tags removed, entities decoded
	ParseMode string     // as sent: "HTML", "MarkdownV2", …
	Keyboard  [][]Button // the inline keyboard, row by row; nil without one
	Photo     *File      // for sendPhoto
	Document  *File      // for sendDocument
}

// Buttons returns the keyboard's buttons row after row.
func (m Message) Buttons() []Button {
	var all []Button
	for _, row := range m.Keyboard {
		all = append(all, row...)
	}
	return all
}

// Button is an inline keyboard button: a callback button or a URL button.
type Button struct {
	Text         string
	CallbackData string
	URL          string
}

// File is a photo or document the bot sent: an upload (Name and Data, given a new FileID), a
// URL, or the file ID of a file Telegram already has.
type File struct {
	FileID string
	URL    string
	Name   string
	Data   []byte
}

// Answer is an answer to a callback query.
type Answer struct {
	CallbackQueryID string
	Text            string
	ShowAlert       bool
}

// ChatAction is a chat action the bot sent, such as "typing".
type ChatAction struct {
	ChatID int64
	Action string
}

// WebhookInfo is the webhook as the bot set it.
type WebhookInfo struct {
	URL            string
	SecretToken    string
	AllowedUpdates []string
	MaxConnections int
}

// Sent returns a copy of the messages sent and edited so far, oldest first.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// Answers returns a copy of the callback query answers so far, oldest first.
func (s *Server) Answers() []Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// Actions returns a copy of the chat actions sent so far, oldest first.
func (s *Server) Actions() []ChatAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.actions)
}

// Webhook returns the webhook as last set; its URL is empty when none is set.
func (s *Server) Webhook() WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = slices.Clone(w.AllowedUpdates)
	return w
}

// Calls returns how many times method was called, failed calls included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// Reset forgets the sent messages, answers to callback and inline queries and chat actions, and
// the call counts.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent, s.answers, s.inlineAnswers, s.actions = nil, nil, nil, nil
	s.calls = map[string]int{}
	s.notifyLocked()
}

// defaultWait bounds Wait and WaitSent when ctx has no deadline.
const defaultWait = 10 * time.Second

// Wait blocks until cond returns true, checking it again after every change the fake records,
// or until ctx ends (after 10s when ctx has no deadline). cond may call the fake's accessors.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultWait)
		defer cancel()
	}
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("telegramtest: waited in vain: %w", ctx.Err())
		}
	}
}

// WaitSent waits until a message that match accepts was sent, and returns the first such message.
func (s *Server) WaitSent(ctx context.Context, match func(Message) bool) (Message, error) {
	var found Message
	err := s.Wait(ctx, func() bool {
		sent := s.Sent()
		i := slices.IndexFunc(sent, match)
		if i >= 0 {
			found = sent[i]
		}
		return i >= 0
	})
	return found, err
}

// notifyLocked wakes everyone waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}
