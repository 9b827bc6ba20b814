package wacloudtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Message is a message the app sent, as the fake accepted it.
type Message struct {
	ID          string // the wamid the fake gave it
	To          string
	Type        string // text, image, document, interactive or template
	Text        string // the text's body, the caption, the interactive body, or the template's body parameters, one a line
	PreviewURL  bool
	Image       *Media
	Document    *Media
	Interactive *Interactive
	Template    *Template
	Raw         json.RawMessage // the request body as sent
}

// Media is an image or a document sent by link or by the ID of an upload.
type Media struct {
	ID       string
	Link     string
	Caption  string
	Filename string
	Upload   *Upload // the file, when ID names one uploaded to the fake
}

// Interactive is a reply-button or list message.
type Interactive struct {
	Type    string // button or list
	Header  string // a text header
	Body    string
	Footer  string
	Button  string   // the label of the button that opens a list
	Choices []Choice // the buttons, or the rows of every section in order
}

// Choice is a reply button or a list row.
type Choice struct {
	ID          string
	Title       string
	Description string // list rows only
	Section     string // list rows only
}

// Template is a template message.
type Template struct {
	Name     string
	Language string
	Policy   string
	Params   []string // the body's text parameters
}

// Read is a read receipt the app sent, with or without a typing indicator.
type Read struct {
	MessageID string
	Typing    bool
}

// Upload is a file the app uploaded.
type Upload struct {
	ID   string
	MIME string
	Name string
	Data []byte
}

// Sent returns a copy of the messages sent so far, oldest first.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// SentTo returns the messages sent to a number so far, oldest first.
func (s *Server) SentTo(to string) []Message {
	var msgs []Message
	for _, m := range s.Sent() {
		if m.To == to {
			msgs = append(msgs, m)
		}
	}
	return msgs
}

// Reads returns a copy of the read receipts so far, oldest first.
func (s *Server) Reads() []Read {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reads)
}

// Uploads returns a copy of the files uploaded so far, oldest first.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.uploads)
}

// Calls returns how many calls the fake answered past the token check, failed ones included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Reset forgets the messages, read receipts and uploads, and the call count.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent, s.reads, s.uploads, s.calls = nil, nil, nil, 0
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
			return fmt.Errorf("wacloudtest: waited in vain: %w", ctx.Err())
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
