package flows

import (
	"encoding/json"
	"fmt"

	"github.com/lapak-id/lapak/bot"
)

// Step is one question of a flow: Ask says it, Answer handles the reply and says where to go.
// Skip, when set and true, passes the step by without asking (its answer is known already).
type Step[T any] struct {
	Name   string
	Skip   func(c *Conv, d *T) bool
	Ask    func(c *Conv, d *T) bot.Reply
	Answer func(c *Conv, d *T, in bot.Inbound) Result
}

// Flow is a conversation: an ordered list of steps over typed data T, and what to do once done.
// Reading a flow's steps top to bottom reads like the conversation.
type Flow[T any] struct {
	Name   string
	Steps  []Step[T]
	Finish func(c *Conv, d *T) error
}

// Result says where a flow goes after an answer.
type Result struct {
	kind   resultKind
	target string
	key    string
	args   []any
}

type resultKind int

const (
	goNext resultKind = iota
	goRetry
	goTo
	goDone
	goStay
	goAbort
)

// Next moves to the following step, or finishes after the last.
func Next() Result { return Result{kind: goNext} }

// Retry tells the user what was wrong (a message key and its arguments) and asks the step again.
func Retry(key string, args ...any) Result { return Result{kind: goRetry, key: key, args: args} }

// Goto moves to the named step.
func Goto(step string) Result { return Result{kind: goTo, target: step} }

// Done finishes the flow now.
func Done() Result { return Result{kind: goDone} }

// Abort leaves the flow without finishing it, saying key.
func Abort(key string, args ...any) Result { return Result{kind: goAbort, key: key, args: args} }

// Stay keeps the flow on this step without asking again: the step's last question, and its
// options, still stand (a product card shown from a list, with the list still usable).
func Stay() Result { return Result{kind: goStay} }

// runner is a Flow with its data type erased, so the engine can keep flows of any T in one map.
type runner interface {
	name() string
	start(c *Conv, data any) error
	answer(c *Conv, in bot.Inbound) error
	ask(c *Conv) error
}

func (f *Flow[T]) name() string { return f.Name }

// start begins at the first step that is not skipped, with data when it is a *T.
func (f *Flow[T]) start(c *Conv, data any) error {
	d, ok := data.(*T)
	if !ok {
		d = new(T)
	}
	return f.enter(c, 0, d)
}

func (f *Flow[T]) load(c *Conv) (int, *T, error) {
	var d T
	if len(c.sess.Data) > 0 {
		if err := json.Unmarshal(c.sess.Data, &d); err != nil {
			return 0, nil, fmt.Errorf("decode %s data: %w", f.Name, err)
		}
	}
	for i, s := range f.Steps {
		if s.Name == c.sess.Step {
			return i, &d, nil
		}
	}
	return 0, nil, fmt.Errorf("flow %s has no step %q", f.Name, c.sess.Step)
}

func (f *Flow[T]) ask(c *Conv) error {
	i, d, err := f.load(c)
	if err != nil {
		return err
	}
	return f.enter(c, i, d)
}

func (f *Flow[T]) answer(c *Conv, in bot.Inbound) error {
	i, d, err := f.load(c)
	if err != nil {
		return err
	}
	r := f.Steps[i].Answer(c, d, in)
	switch r.kind {
	case goStay:
		return f.save(c, i, d)
	case goAbort:
		c.endFlow()
		c.Say(bot.Reply{Text: c.T(r.key, r.args...)})
		return c.e.menu(c)
	case goRetry:
		c.Say(bot.Reply{Text: c.T(r.key, r.args...)})
		return f.enter(c, i, d)
	case goTo:
		for j, s := range f.Steps {
			if s.Name == r.target {
				return f.enter(c, j, d)
			}
		}
		return fmt.Errorf("flow %s has no step %q", f.Name, r.target)
	case goNext:
		return f.enter(c, i+1, d)
	}
	c.endFlow()
	if f.Finish == nil {
		return nil
	}
	return f.Finish(c, d)
}

// enter asks step i, or the first step after it that is not skipped, and records it with the
// data and the options it offered in the session. Past the last step the flow finishes.
func (f *Flow[T]) enter(c *Conv, i int, d *T) error {
	for i < len(f.Steps) && f.Steps[i].Skip != nil && f.Steps[i].Skip(c, d) {
		i++
	}
	if i == len(f.Steps) {
		c.endFlow()
		if f.Finish == nil {
			return nil
		}
		return f.Finish(c, d)
	}
	// Ask before saving: a question may record what it offered in the data (the categories an
	// option index points into).
	c.Ask(f.Steps[i].Ask(c, d))
	return f.save(c, i, d)
}

// save records step i and the data in the session.
func (f *Flow[T]) save(c *Conv, i int, d *T) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode %s data: %w", f.Name, err)
	}
	c.sess.Flow, c.sess.Step, c.sess.Data = f.Name, f.Steps[i].Name, raw
	return nil
}
