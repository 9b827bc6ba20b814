package main

import (
	"fmt"

	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

// replyCheck compares the messages the fake recorded with those the updates should have got.
type replyCheck struct {
	want    int // replies the updates should have got
	missing int // replies owed to a chat and not recorded
	extra   int // replies recorded beyond what a chat was owed
}

// checkReplies counts, chat by chat, the messages the fake recorded during r against the replies
// each of r's updates is answered with.
func checkReplies(sent []telegramtest.Message, r *trial) replyCheck {
	want := map[int64]int{}
	var c replyCheck
	for _, it := range r.items {
		n := r.target.replies(it)
		want[chatOf(it.user)] += n
		c.want += n
	}
	got := countSent(sent)
	for chat, n := range want {
		c.missing += max(0, n-got[chat])
	}
	for chat, n := range got {
		c.extra += max(0, n-want[chat])
	}
	return c
}

// countSent counts the messages sent to each chat.
func countSent(sent []telegramtest.Message) map[int64]int {
	got := map[int64]int{}
	for _, m := range sent {
		if m.Method == "sendMessage" {
			got[m.ChatID]++
		}
	}
	return got
}

func (c replyCheck) ok() bool { return c.missing == 0 && c.extra == 0 }

func (c replyCheck) String() string {
	if c.ok() {
		return fmt.Sprintf("all %d replies recorded", c.want)
	}
	return fmt.Sprintf("%d replies of %d missing, %d extra", c.missing, c.want, c.extra)
}

// problem tells why r failed, or returns "".
func (r *trial) problem(c replyCheck) string {
	failed, first := r.failures()
	switch {
	case failed > 0:
		return fmt.Sprintf("%d of %d updates not answered 200 (first: %v); %s", failed, len(r.items), first, c)
	case !c.ok():
		return c.String()
	}
	return ""
}
