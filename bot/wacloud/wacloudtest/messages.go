package wacloudtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// request is everything the fake accepts at …/messages: a message, or a read receipt. Fields
// it does not know are refused, as Meta refuses unexpected keys.
type request struct {
	MessagingProduct string          `json:"messaging_product"`
	RecipientType    string          `json:"recipient_type"`
	To               string          `json:"to"`
	Type             string          `json:"type"`
	Context          *contextObj     `json:"context"`
	Text             *textObj        `json:"text"`
	Image            *mediaObj       `json:"image"`
	Document         *mediaObj       `json:"document"`
	Interactive      *interactiveObj `json:"interactive"`
	Template         *templateObj    `json:"template"`
	Status           string          `json:"status"`
	MessageID        string          `json:"message_id"`
	TypingIndicator  *struct {
		Type string `json:"type"`
	} `json:"typing_indicator"`
}

type contextObj struct {
	MessageID string `json:"message_id"`
}

type textObj struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

type mediaObj struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

type interactiveObj struct {
	Type   string `json:"type"`
	Header *struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"header"`
	Body *struct {
		Text string `json:"text"`
	} `json:"body"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Action struct {
		Buttons []struct {
			Type  string `json:"type"`
			Reply struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			} `json:"reply"`
		} `json:"buttons"`
		Button   string `json:"button"`
		Sections []struct {
			Title string `json:"title"`
			Rows  []struct {
				ID          string `json:"id"`
				Title       string `json:"title"`
				Description string `json:"description"`
			} `json:"rows"`
		} `json:"sections"`
	} `json:"action"`
}

type templateObj struct {
	Name     string `json:"name"`
	Language struct {
		Policy string `json:"policy"`
		Code   string `json:"code"`
	} `json:"language"`
	Components []struct {
		Type       string `json:"type"`
		SubType    string `json:"sub_type"`
		Index      string `json:"index"`
		Parameters []struct {
			Type    string `json:"type"`
			Text    string `json:"text"`
			Payload string `json:"payload"`
		} `json:"parameters"`
	} `json:"components"`
}

// sendResponse is Meta's answer to a message it accepted.
type sendResponse struct {
	MessagingProduct string `json:"messaging_product"`
	Contacts         []struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	} `json:"contacts"`
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// maxRequest caps a request to …/messages.
const maxRequest = 1 << 20

// message handles a call to …/messages.
func (s *Server) message(r *http.Request) (any, *apiError) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxRequest))
	if err != nil {
		return nil, invalid("can't read request: " + err.Error())
	}
	var req request
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, invalid("(#100) Invalid JSON: " + err.Error())
	}
	if req.MessagingProduct != "whatsapp" {
		return nil, invalid("The parameter messaging_product is required.")
	}
	if req.Status != "" {
		return s.read(req)
	}
	m, e := s.check(req)
	if e != nil {
		return nil, e
	}
	m.ID, m.Raw = s.nextID("wamid.HBgL"), json.RawMessage(raw)
	s.mu.Lock()
	s.sent = append(s.sent, m)
	s.notifyLocked()
	s.mu.Unlock()
	resp := sendResponse{MessagingProduct: "whatsapp"}
	resp.Contacts = append(resp.Contacts, struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	}{req.To, req.To})
	resp.Messages = append(resp.Messages, struct {
		ID string `json:"id"`
	}{m.ID})
	return resp, nil
}

// read records a read receipt.
func (s *Server) read(req request) (any, *apiError) {
	if req.Status != "read" || req.MessageID == "" {
		return nil, invalid("The parameter message_id is required.")
	}
	if req.TypingIndicator != nil && req.TypingIndicator.Type != "text" {
		return nil, invalid("typing_indicator.type must be text")
	}
	s.mu.Lock()
	s.reads = append(s.reads, Read{MessageID: req.MessageID, Typing: req.TypingIndicator != nil})
	s.notifyLocked()
	s.mu.Unlock()
	return map[string]bool{"success": true}, nil
}

// check validates a message as Meta does and returns its record.
func (s *Server) check(req request) (Message, *apiError) {
	if req.To == "" {
		return Message{}, invalid("The parameter to is required.")
	}
	if req.RecipientType != "" && req.RecipientType != "individual" {
		return Message{}, invalid("recipient_type must be individual")
	}
	m := Message{To: req.To, Type: req.Type}
	if m.Type == "" {
		m.Type = "text" // Meta's default
	}
	var e *apiError
	switch m.Type {
	case "text":
		e = checkText(req.Text, &m)
	case "image":
		m.Image, e = s.checkMedia("image", req.Image)
	case "document":
		m.Document, e = s.checkMedia("document", req.Document)
	case "interactive":
		m.Interactive, e = checkInteractive(req.Interactive)
	case "template":
		m.Template, e = checkTemplate(req.Template)
	default:
		e = invalid(fmt.Sprintf("Param type %q is not a valid message type", req.Type))
	}
	m.Text = textOf(m)
	return m, e
}

func textOf(m Message) string {
	switch {
	case m.Image != nil:
		return m.Image.Caption
	case m.Document != nil:
		return m.Document.Caption
	case m.Interactive != nil:
		return m.Interactive.Body
	case m.Template != nil:
		return strings.Join(m.Template.Params, "\n")
	}
	return m.Text
}

func checkText(t *textObj, m *Message) *apiError {
	switch {
	case t == nil || strings.TrimSpace(t.Body) == "":
		return invalid("The parameter text['body'] is required.")
	case utf8.RuneCountInString(t.Body) > 4096:
		return invalid("Param text['body'] must be at most 4096 characters long.")
	}
	m.Text, m.PreviewURL = t.Body, t.PreviewURL
	return nil
}

func (s *Server) checkMedia(kind string, o *mediaObj) (*Media, *apiError) {
	switch {
	case o == nil:
		return nil, invalid(fmt.Sprintf("The parameter %s is required.", kind))
	case (o.ID == "") == (o.Link == ""):
		return nil, invalid(fmt.Sprintf("Param %s must have exactly one of id and link.", kind))
	case o.Link != "" && !strings.HasPrefix(o.Link, "https://") && !strings.HasPrefix(o.Link, "http://"):
		return nil, invalid(fmt.Sprintf("Param %s['link'] must be an http(s) URL.", kind))
	case utf8.RuneCountInString(o.Caption) > 1024:
		return nil, invalid(fmt.Sprintf("Param %s['caption'] must be at most 1024 characters long.", kind))
	case o.Filename != "" && kind != "document":
		return nil, invalid("Param filename is only for documents.")
	}
	md := &Media{ID: o.ID, Link: o.Link, Caption: o.Caption, Filename: o.Filename}
	if o.ID != "" {
		u, ok := s.uploaded(o.ID)
		if !ok && !digits(o.ID) {
			return nil, invalid(fmt.Sprintf("Param %s['id'] is not a valid media id.", kind))
		}
		if ok {
			md.Upload = &u
		}
	}
	return md, nil
}

func (s *Server) uploaded(id string) (Upload, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.uploads {
		if u.ID == id {
			return u, true
		}
	}
	return Upload{}, false
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
