package sim

import (
	"cmp"
	"slices"
	"sync"
)

// transcript keeps the last entries of each pane, numbers every entry, and hands new entries to
// subscribers. A subscriber too slow to take an entry is dropped rather than waited for; it comes
// back from the last entry it saw.
type transcript struct {
	mu     sync.Mutex
	keep   int
	seq    int64
	panes  map[string][]Entry
	subs   map[chan Entry]struct{}
	closed bool
}

func newTranscript(keep int) *transcript {
	return &transcript{keep: keep, panes: map[string][]Entry{}, subs: map[chan Entry]struct{}{}}
}

// add numbers e, keeps it, and hands it to the subscribers.
func (t *transcript) add(e Entry) Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	e.Seq = t.seq
	list := append(t.panes[e.Pane], e)
	if len(list) > t.keep {
		list = slices.Delete(list, 0, len(list)-t.keep)
	}
	t.panes[e.Pane] = list
	for c := range t.subs {
		select {
		case c <- e:
		default:
			delete(t.subs, c)
			close(c)
		}
	}
	return e
}

// since returns the entries kept after seq, oldest first.
func (t *transcript) since(after int64) []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sinceLocked(after)
}

func (t *transcript) sinceLocked(after int64) []Entry {
	out := []Entry{}
	for _, list := range t.panes {
		i, _ := slices.BinarySearchFunc(list, after+1, func(e Entry, seq int64) int { return cmp.Compare(e.Seq, seq) })
		out = append(out, list[i:]...)
	}
	slices.SortFunc(out, func(a, b Entry) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// subscribe returns the entries after seq and a channel of the entries added from then on, with
// nothing lost or repeated in between.
func (t *transcript) subscribe(after int64, buffer int) ([]Entry, <-chan Entry, func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := make(chan Entry, buffer)
	backlog := t.sinceLocked(after)
	if t.closed {
		close(c)
		return backlog, c, func() {}
	}
	t.subs[c] = struct{}{}
	return backlog, c, func() { t.unsubscribe(c) }
}

func (t *transcript) unsubscribe(c chan Entry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.subs[c]; ok {
		delete(t.subs, c)
		close(c)
	}
}

// close ends every subscription, and those made later at once.
func (t *transcript) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for c := range t.subs {
		delete(t.subs, c)
		close(c)
	}
}
