package wacloud

import (
	"context"
	"log/slog"
	"sync"
)

// StatusRecorder records messages Meta reports as failed after accepting them, such as 131047
// when the customer-service window had closed. chatID is the recipient's number.
type StatusRecorder interface {
	RecordFailure(ctx context.Context, chatID, messageID string, code int, title string) error
}

// Failure is a message Meta could not deliver.
type Failure struct {
	ChatID    string
	MessageID string
	Code      int
	Title     string
}

// StatusLog logs each failure as a warning, the number masked, and keeps the latest ones.
type StatusLog struct {
	log  *slog.Logger
	mu   sync.Mutex
	ring []Failure
	next int
	full bool
}

var _ StatusRecorder = (*StatusLog)(nil)

// NewStatusLog returns a log that keeps the last size failures (at least 1).
func NewStatusLog(log *slog.Logger, size int) *StatusLog {
	return &StatusLog{log: log, ring: make([]Failure, max(size, 1))}
}

// RecordFailure logs the failure and keeps it.
func (l *StatusLog) RecordFailure(ctx context.Context, chatID, messageID string, code int, title string) error {
	l.log.WarnContext(ctx, "whatsapp message failed", "chat", masked(chatID), "message_id", messageID, "code", code, "title", title)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring[l.next] = Failure{ChatID: chatID, MessageID: messageID, Code: code, Title: title}
	l.next = (l.next + 1) % len(l.ring)
	l.full = l.full || l.next == 0
	return nil
}

// Failures returns the failures kept, oldest first.
func (l *StatusLog) Failures() []Failure {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		return append([]Failure(nil), l.ring[:l.next]...)
	}
	return append(append([]Failure(nil), l.ring[l.next:]...), l.ring[:l.next]...)
}
