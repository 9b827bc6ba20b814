package flows

import (
	"context"
	"fmt"
	"slices"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
)

// Conv is one inbound message being handled: who sent it, in which language they read, the
// conversation state, and the replies collected so far. Replies are sent only after the state is
// saved.
type Conv struct {
	Ctx  context.Context
	In   bot.Inbound
	User lapak.User
	e    *Engine
	sess *Session
	out  []bot.Outbound
}

// Lang is the language the user reads.
func (c *Conv) Lang() lapak.Lang { return c.User.Lang }

// T translates a message key into the user's language.
func (c *Conv) T(key string, args ...any) string { return i18n.T(c.User.Lang, key, args...) }

// Say queues a reply to this chat.
func (c *Conv) Say(r bot.Reply) { c.out = append(c.out, bot.Outbound{To: c.In.Chat, Reply: r}) }

// SayText queues a text reply to this chat, translated.
func (c *Conv) SayText(key string, args ...any) { c.Say(bot.Reply{Text: c.T(key, args...)}) }

// Ask queues a reply whose options are the only ones this chat may answer with next.
func (c *Conv) Ask(r bot.Reply) {
	c.sess.Offered = c.sess.Offered[:0]
	for _, o := range r.Options {
		c.sess.Offered = append(c.sess.Offered, o.ID)
	}
	c.Say(r)
}

// Offered reports whether id was an option of the last question.
func (c *Conv) Offered(id string) bool { return slices.Contains(c.sess.Offered, id) }

// Start begins the named flow at its first step.
func (c *Conv) Start(flow string) error { return c.StartWith(flow, nil) }

// StartWith begins the named flow with data already known, a pointer to the flow's data type;
// steps whose Skip says their answer is known are passed by.
func (c *Conv) StartWith(flow string, data any) error {
	f, ok := c.e.flows[flow]
	if !ok {
		return fmt.Errorf("no flow %q", flow)
	}
	c.sess.Flow, c.sess.Step, c.sess.Data = flow, "", nil
	return f.start(c, data)
}

// InFlow reports whether the chat is in the middle of a flow.
func (c *Conv) InFlow() bool { return c.sess.Flow != "" }

// endFlow leaves the current flow; the chat is idle again.
func (c *Conv) endFlow() {
	c.sess.Flow, c.sess.Step, c.sess.Data = "", "", nil
}

// Engine returns the engine, for flows that need its dependencies.
func (c *Conv) Engine() *Engine { return c.e }

// Address is where to write to a user.
func Address(u lapak.User) bot.Address { return bot.Address{Channel: u.Channel, ChatID: u.ChatID} }

// To builds a message to u, translated into u's language.
func To(u lapak.User, key string, args ...any) bot.Outbound {
	return bot.Outbound{To: Address(u), Reply: bot.Reply{Text: i18n.T(u.Lang, key, args...)}}
}

// i18nFor translates key into u's language.
func i18nFor(u lapak.User, key string, args ...any) string { return i18n.T(u.Lang, key, args...) }
