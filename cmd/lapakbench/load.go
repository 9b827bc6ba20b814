package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lapak-id/lapak/bot/telegram"
)

// target is a webhook under load.
type target struct {
	name    string
	url     string
	secret  string         // sent in Telegram's secret token header when set
	replies func(item) int // messages the handler answers an update with
	pace    *pacer         // nil when the handler does not pace its replies
	client  *http.Client
}

func newTarget(name, url, secret string, replies func(item) int, pace *pacer, conns int) *target {
	transport := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &target{name: name, url: url, secret: secret, replies: replies, pace: pace,
		client: &http.Client{Transport: transport, Timeout: 30 * time.Second}}
}

// post sends one update and returns how long it took to be answered.
func (t *target) post(ctx context.Context, it item) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(it.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if t.secret != "" {
		req.Header.Set(telegram.SecretHeader, t.secret)
	}
	start := time.Now()
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		return took, fmt.Errorf("%s %q from chat %d: %s", t.name, it.text, chatOf(it.user), resp.Status)
	}
	return took, err
}

// trial is one phase against one target: each update's latency or error, by index.
type trial struct {
	target    *target
	items     []item
	latencies []time.Duration
	errs      []error
	elapsed   time.Duration // first send to last answer
	lag       time.Duration // open loop: the most a send started after its time
	held      int64         // updates the pacer held back
	heldFor   time.Duration
}

func newTrial(t *target, items []item) *trial {
	return &trial{target: t, items: items, latencies: make([]time.Duration, len(items)), errs: make([]error, len(items))}
}

// send posts update i once its chat has room for its replies.
func (r *trial) send(ctx context.Context, i int) {
	it := r.items[i]
	if err := r.target.pace.acquire(ctx, it.user, r.target.replies(it)); err != nil {
		r.errs[i] = err
		return
	}
	r.latencies[i], r.errs[i] = r.target.post(ctx, it)
	r.target.pace.release(it.user, r.target.replies(it))
}

// closedLoop posts the updates with n in flight at all times.
func closedLoop(ctx context.Context, t *target, items []item, n int) *trial {
	r := newTrial(t, items)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(items); i = int(next.Add(1) - 1) {
				r.send(ctx, i)
			}
		})
	}
	wg.Wait()
	r.finish(start)
	return r
}

// openLoop posts the updates at a fixed rate, whether or not the earlier ones were answered.
func openLoop(ctx context.Context, t *target, items []item, perSecond int) *trial {
	r := newTrial(t, items)
	interval := time.Second / time.Duration(perSecond)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range items {
		at := start.Add(time.Duration(i) * interval)
		if err := waitFor(ctx, time.Until(at)); err != nil {
			for j := i; j < len(items); j++ {
				r.errs[j] = err
			}
			break
		}
		r.lag = max(r.lag, time.Since(at))
		wg.Go(func() { r.send(ctx, i) })
	}
	wg.Wait()
	r.finish(start)
	return r
}

func (r *trial) finish(start time.Time) {
	r.elapsed = time.Since(start)
	r.held, r.heldFor = r.target.pace.holds()
}
