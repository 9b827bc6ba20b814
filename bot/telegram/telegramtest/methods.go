package telegramtest

import (
	"context"
	"reflect"
	"regexp"
	"strings"
)

// Telegram's limits on what a user sees, in UTF-16 code units.
const (
	maxText    = 4096
	maxCaption = 1024
)

func (s *Server) getMe(context.Context, *request) (any, *apiError) { return me, nil }

func (s *Server) sendMessage(_ context.Context, req *request) (any, *apiError) {
	m, e := newMessage("sendMessage", req, "text")
	if e != nil {
		return nil, e
	}
	return s.record(m), nil
}

func (s *Server) sendPhoto(_ context.Context, req *request) (any, *apiError) {
	m, e := newMessage("sendPhoto", req, "caption")
	if e != nil {
		return nil, e
	}
	if m.Photo, e = s.inputFile(req, "photo"); e != nil {
		return nil, e
	}
	return s.record(m), nil
}

func (s *Server) sendDocument(_ context.Context, req *request) (any, *apiError) {
	m, e := newMessage("sendDocument", req, "caption")
	if e != nil {
		return nil, e
	}
	if m.Document, e = s.inputFile(req, "document"); e != nil {
		return nil, e
	}
	return s.record(m), nil
}

// newMessage reads what every send method shares: the chat, the text or caption in its parse
// mode, and the keyboard, checked against Telegram's limits.
func newMessage(method string, req *request, textField string) (Message, *apiError) {
	chat, e := req.chatID()
	if e != nil {
		return Message{}, e
	}
	m := Message{Method: method, ChatID: chat, Text: req.str(textField), ParseMode: req.str("parse_mode")}
	if m.Plain, e = visible(m.Text, m.ParseMode); e != nil {
		return Message{}, e
	}
	if e = checkLength(textField, m.Plain); e != nil {
		return Message{}, e
	}
	m.Keyboard, e = parseKeyboard(req.str("reply_markup"))
	return m, e
}

func checkLength(field, plain string) *apiError {
	switch {
	case field == "text" && strings.TrimSpace(plain) == "":
		return badRequest("message text is empty")
	case field == "text" && utf16Len(plain) > maxText:
		return badRequest("message is too long")
	case field == "caption" && utf16Len(plain) > maxCaption:
		return badRequest("message caption is too long")
	}
	return nil
}

// record gives m the next message ID, keeps it and returns it as the Bot API would.
func (s *Server) record(m Message) wireMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastMessage++
	m.MessageID = s.lastMessage
	s.sent = append(s.sent, m)
	s.current[m.MessageID] = m
	s.notifyLocked()
	return wire(m)
}

func (s *Server) editMessageText(_ context.Context, req *request) (any, *apiError) {
	id, e := req.int("message_id", 0)
	if e != nil {
		return nil, e
	}
	m, e := newMessage("editMessageText", req, "text")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.current[id]
	if e := editable(old, ok, m); e != nil {
		return nil, e
	}
	m.MessageID = id
	s.current[id] = m
	s.sent = append(s.sent, m)
	s.notifyLocked()
	return wire(m), nil
}

// editable tells why old cannot become m, the way Telegram does.
func editable(old Message, found bool, m Message) *apiError {
	switch {
	case !found || old.ChatID != m.ChatID:
		return badRequest("message to edit not found")
	case old.Photo != nil || old.Document != nil:
		return badRequest("there is no text in the message to edit")
	case old.Plain == m.Plain && reflect.DeepEqual(old.Keyboard, m.Keyboard):
		return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	return nil
}

func (s *Server) answerCallbackQuery(_ context.Context, req *request) (any, *apiError) {
	a := Answer{CallbackQueryID: req.str("callback_query_id"), Text: req.str("text"), ShowAlert: req.bool("show_alert")}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.CallbackQueryID == "" || s.answered[a.CallbackQueryID] {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.answered[a.CallbackQueryID] = true
	s.answers = append(s.answers, a)
	s.notifyLocked()
	return true, nil
}

func (s *Server) sendChatAction(_ context.Context, req *request) (any, *apiError) {
	chat, e := req.chatID()
	if e != nil {
		return nil, e
	}
	action := req.str("action")
	if action == "" {
		return nil, badRequest("wrong parameter action in request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.actions = append(s.actions, ChatAction{ChatID: chat, Action: action})
	s.notifyLocked()
	return true, nil
}

var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(ctx context.Context, req *request) (any, *apiError) {
	url, secret := req.str("url"), req.str("secret_token")
	switch {
	case url == "":
		return s.deleteWebhook(ctx, req)
	case !strings.HasPrefix(url, "https://"):
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	case secret != "" && !secretToken.MatchString(secret):
		return nil, badRequest("secret token contains unallowed characters")
	}
	conns, e := req.int("max_connections", 40)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = WebhookInfo{URL: url, SecretToken: secret, AllowedUpdates: req.strings("allowed_updates"), MaxConnections: conns}
	s.dropPendingLocked(req.bool("drop_pending_updates"))
	s.notifyLocked()
	return described{true, "Webhook was set"}, nil
}

func (s *Server) deleteWebhook(_ context.Context, req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	had := s.webhook.URL != ""
	s.webhook = WebhookInfo{}
	s.dropPendingLocked(req.bool("drop_pending_updates"))
	s.notifyLocked()
	if !had {
		return described{true, "Webhook is already deleted"}, nil
	}
	return described{true, "Webhook was deleted"}, nil
}

func (s *Server) dropPendingLocked(drop bool) {
	if drop {
		s.queue = nil
	}
}

func (s *Server) getWebhookInfo(context.Context, *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return wireWebhookInfo{URL: s.webhook.URL, PendingUpdateCount: len(s.queue), MaxConnections: s.webhook.MaxConnections, AllowedUpdates: s.webhook.AllowedUpdates}, nil
}
