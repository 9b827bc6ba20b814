package main

import (
	"errors"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

func TestCheckReplies(t *testing.T) {
	lapak := &target{replies: func(it item) int { return it.replies }}
	r := newTrial(lapak, []item{{user: 0, replies: 1}, {user: 1, replies: 2}, {user: 0, replies: 2}})
	msg := func(user int) telegramtest.Message {
		return telegramtest.Message{Method: "sendMessage", ChatID: chatOf(user)}
	}
	tests := []struct {
		name                 string
		sent                 []telegramtest.Message
		want, missing, extra int
	}{
		{"EveryReplyRecorded", []telegramtest.Message{msg(0), msg(1), msg(0), msg(1), msg(0)}, 5, 0, 0},
		{"OneChatShort", []telegramtest.Message{msg(0), msg(1), msg(0), msg(0)}, 5, 1, 0},
		{"EditsDoNotCount", []telegramtest.Message{msg(0), msg(1), msg(0), msg(1), {Method: "editMessageText", ChatID: chatOf(0)}}, 5, 1, 0},
		{"RepliesToAStrangerAreExtra", []telegramtest.Message{msg(0), msg(1), msg(0), msg(1), msg(0), msg(7)}, 5, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checkReplies(tt.sent, r)
			if c.want != tt.want || c.missing != tt.missing || c.extra != tt.extra {
				t.Errorf("got %+v, want want=%d missing=%d extra=%d", c, tt.want, tt.missing, tt.extra)
			}
			if ok := tt.missing == 0 && tt.extra == 0; (r.problem(c) == "") != ok {
				t.Errorf("problem(%+v) = %q", c, r.problem(c))
			}
		})
	}
}

func TestTrialFigures(t *testing.T) {
	r := newTrial(&target{}, make([]item, 100))
	for i := range r.latencies {
		r.latencies[i] = time.Duration(i+1) * time.Millisecond
	}
	r.errs[99] = errors.New("500 Internal Server Error") // the slowest one failed: it is no latency
	r.elapsed = 2 * time.Second
	if got := r.perSecond(); got != 49.5 {
		t.Errorf("perSecond = %v, want 49.5 (99 answered in 2s)", got)
	}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 99 * time.Millisecond}} {
		if got := r.percentile(tt.p); got != tt.want {
			t.Errorf("percentile(%v) = %s, want %s", tt.p, got, tt.want)
		}
	}
	if n, first := r.failures(); n != 1 || first == nil {
		t.Errorf("failures = %d, %v; want 1", n, first)
	}
}
