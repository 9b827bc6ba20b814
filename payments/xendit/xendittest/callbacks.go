package xendittest

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Callback kinds.
const (
	invoiceEvent = "invoice"
	payoutEvent  = "payout"
)

// event is one callback to send.
type event struct {
	seq  int    // numbered in the order the fake produced them
	kind string // invoiceEvent or payoutEvent
	name string // PAID, EXPIRED, payout.succeeded…
	id   string // invoice or payout ID
	body []byte
}

// Delivery is one attempt to post a callback.
type Delivery struct {
	Seq    int    // the event's number; copies and redeliveries of one event share it
	Kind   string // "invoice" or "payout"
	Event  string // invoice status (PAID, EXPIRED) or payout event (payout.succeeded…)
	ID     string // invoice or payout ID
	URL    string
	Body   []byte
	Status int    // HTTP status, 0 when no answer came
	Err    string // why no answer came, such as no URL configured
	At     time.Time
}

// OK reports whether the receiver answered 2xx, which is what Xendit counts as delivered.
func (d Delivery) OK() bool { return d.Status >= 200 && d.Status <= 299 }

// Order is the order ReleaseCallbacks delivers held events in.
type Order int

// Delivery orders.
const (
	OldestFirst Order = iota
	NewestFirst
)

// outbox is the callback state, guarded by Server.mu.
type outbox struct {
	invoiceURL, payoutURL string
	copies                int // deliveries of each event, sent at once
	hold                  bool
	held                  []event
	seq                   int
	deliveries            []Delivery
	events                map[int]event
}

// SetCallbackURLs points invoice and payout callbacks at new URLs.
func (s *Server) SetCallbackURLs(invoiceURL, payoutURL string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks.invoiceURL, s.callbacks.payoutURL = invoiceURL, payoutURL
}

// SetCallbackCopies makes every callback be posted n times at once (default 1), as Xendit
// sometimes delivers an event more than once.
func (s *Server) SetCallbackCopies(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks.copies = max(n, 1)
}

// HoldCallbacks keeps callbacks back until ReleaseCallbacks, to deliver them out of order.
func (s *Server) HoldCallbacks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks.hold = true
}

// ReleaseCallbacks stops holding and delivers the held callbacks one after another in order.
func (s *Server) ReleaseCallbacks(order Order) {
	s.mu.Lock()
	held := s.callbacks.held
	s.callbacks.held, s.callbacks.hold = nil, false
	s.mu.Unlock()
	if order == NewestFirst {
		slices.Reverse(held)
	}
	for _, ev := range held {
		s.deliver(ev)
	}
}

// RedeliverFailed posts again every event whose latest delivery failed, as Xendit retries, and
// returns how many it resent.
func (s *Server) RedeliverFailed() int {
	s.mu.Lock()
	latest := map[int]Delivery{}
	for _, d := range s.callbacks.deliveries {
		latest[d.Seq] = d
	}
	var again []event
	for seq, d := range latest {
		if !d.OK() {
			again = append(again, s.callbacks.events[seq])
		}
	}
	s.mu.Unlock()
	slices.SortFunc(again, func(a, b event) int { return a.seq - b.seq })
	for _, ev := range again {
		s.deliver(ev)
	}
	return len(again)
}

// Deliveries returns every callback delivery attempt, in the order they finished.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.callbacks.deliveries)
}

// publish numbers events and delivers them in order, or holds them.
func (s *Server) publish(events ...event) {
	s.mu.Lock()
	for i := range events {
		s.callbacks.seq++
		events[i].seq = s.callbacks.seq
		if s.callbacks.events == nil {
			s.callbacks.events = map[int]event{}
		}
		s.callbacks.events[events[i].seq] = events[i]
	}
	if s.callbacks.hold {
		s.callbacks.held = append(s.callbacks.held, events...)
		events = nil
	}
	s.mu.Unlock()
	for _, ev := range events {
		s.deliver(ev)
	}
}

// deliver posts ev as many times as configured, all at once, and records each attempt.
func (s *Server) deliver(ev event) {
	s.mu.Lock()
	url, copies := s.callbacks.payoutURL, s.callbacks.copies
	if ev.kind == invoiceEvent {
		url = s.callbacks.invoiceURL
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for range copies {
		wg.Go(func() {
			d := s.post(ev, url)
			s.mu.Lock()
			s.callbacks.deliveries = append(s.callbacks.deliveries, d)
			s.mu.Unlock()
		})
	}
	wg.Wait()
}

// post sends one callback with the x-callback-token header.
func (s *Server) post(ev event, url string) Delivery {
	d := Delivery{Seq: ev.seq, Kind: ev.kind, Event: ev.name, ID: ev.id, URL: url, Body: ev.body, At: s.now()}
	if url == "" {
		d.Err = "no callback URL configured"
		return d
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(ev.body))
	if err != nil {
		d.Err = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-callback-token", s.cfg.CallbackToken)
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		d.Err = err.Error()
		return d
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	d.Status = resp.StatusCode
	return d
}
