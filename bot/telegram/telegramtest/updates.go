package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// queued is an update waiting to be confirmed.
type queued struct {
	id  int
	raw json.RawMessage
}

// PushUpdate queues an update for getUpdates and returns the update_id the fake gave it, the
// next in sequence (any update_id in update is replaced). update is JSON ([]byte, string or
// json.RawMessage) or a value that marshals to an update object, such as a tgbotapi.Update. It
// panics when update is not a JSON object.
func (s *Server) PushUpdate(update any) int {
	fields := updateFields(update)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUpdate++
	fields["update_id"] = json.RawMessage(strconv.Itoa(s.lastUpdate))
	raw, err := json.Marshal(fields)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: encode update: %v", err))
	}
	s.queue = append(s.queue, queued{id: s.lastUpdate, raw: raw})
	s.notifyLocked()
	return s.lastUpdate
}

func updateFields(update any) map[string]json.RawMessage {
	var raw []byte
	switch u := update.(type) {
	case []byte:
		raw = u
	case json.RawMessage:
		raw = u
	case string:
		raw = []byte(u)
	default:
		var err error
		if raw, err = json.Marshal(u); err != nil {
			panic(fmt.Sprintf("telegramtest: encode update: %v", err))
		}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		panic(fmt.Sprintf("telegramtest: update is not a JSON object: %v", err))
	}
	return fields
}

// Pending returns the IDs of the updates not confirmed yet: those getUpdates has not been called
// past with a higher offset.
func (s *Server) Pending() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int, len(s.queue))
	for i, q := range s.queue {
		ids[i] = q.id
	}
	return ids
}

// getUpdates confirms the updates below offset and returns those left, up to limit, waiting up to
// timeout seconds for one to arrive (https://core.telegram.org/bots/api#getupdates).
func (s *Server) getUpdates(ctx context.Context, req *request) (any, *apiError) {
	offset, e := req.int("offset", 0)
	if e != nil {
		return nil, e
	}
	limit, e := req.int("limit", 100)
	if e != nil {
		return nil, e
	}
	timeout, e := req.int("timeout", 0)
	if e != nil {
		return nil, e
	}
	if s.Webhook().URL != "" {
		return nil, &apiError{Code: 409, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	return s.poll(ctx, offset, min(max(limit, 1), 100), time.Duration(timeout)*time.Second), nil
}

// poll waits until there are updates to return, the timeout passes, the client leaves or the
// server closes.
func (s *Server) poll(ctx context.Context, offset, limit int, timeout time.Duration) []json.RawMessage {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		s.confirmLocked(offset)
		batch := s.batchLocked(limit)
		changed := s.changed
		s.mu.Unlock()
		if len(batch) > 0 || timeout <= 0 {
			return batch
		}
		select {
		case <-changed:
		case <-deadline.C:
			return batch
		case <-ctx.Done():
			return batch
		case <-s.closing:
			return batch
		}
	}
}

// confirmLocked forgets the updates below offset, or all but the last -offset ones when offset is
// negative.
func (s *Server) confirmLocked(offset int) {
	keep := len(s.queue)
	switch {
	case offset > 0:
		first := slices.IndexFunc(s.queue, func(q queued) bool { return q.id >= offset })
		if first < 0 {
			first = len(s.queue)
		}
		keep = len(s.queue) - first
	case offset < 0:
		keep = min(keep, -offset)
	}
	if drop := len(s.queue) - keep; drop > 0 {
		s.queue = append(s.queue[:0:0], s.queue[drop:]...)
		s.notifyLocked()
	}
}

func (s *Server) batchLocked(limit int) []json.RawMessage {
	batch := make([]json.RawMessage, 0, min(limit, len(s.queue)))
	for _, q := range s.queue[:min(limit, len(s.queue))] {
		batch = append(batch, q.raw)
	}
	return batch
}
