// Package metrics owns Lapak's Prometheus metrics: updates handled, handling latency, messages sent,
// rate-limit answers and background jobs. A nil *Metrics records nothing, so tests may pass nil.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics holds every collector Lapak exports on /metrics.
type Metrics struct {
	updates *prometheus.CounterVec
	latency *prometheus.HistogramVec
	sent    *prometheus.CounterVec
	limited *prometheus.CounterVec
	jobs    *prometheus.CounterVec
}

// New creates the collectors and registers them with reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lapak_updates_total", Help: "Inbound updates by channel and outcome (ok, error, panic, duplicate).",
		}, []string{"channel", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lapak_update_duration_seconds", Help: "Time to handle one inbound update, replies included.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"channel"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lapak_messages_sent_total", Help: "Messages sent by channel and outcome.",
		}, []string{"channel", "outcome"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lapak_rate_limited_total", Help: "429 Too Many Requests answers from a channel's API.",
		}, []string{"channel"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lapak_jobs_total", Help: "Background jobs finished by kind and outcome.",
		}, []string{"kind", "outcome"}),
	}
	reg.MustRegister(m.updates, m.latency, m.sent, m.limited, m.jobs)
	return m
}

// Update records one handled update.
func (m *Metrics) Update(channel, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.updates.WithLabelValues(channel, outcome).Inc()
	if outcome != "duplicate" {
		m.latency.WithLabelValues(channel).Observe(took.Seconds())
	}
}

// Sent records one message sent, or failed to send.
func (m *Metrics) Sent(channel string, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.sent.WithLabelValues(channel, outcome).Inc()
}

// Limited records one 429 from a channel's API.
func (m *Metrics) Limited(channel string) {
	if m == nil {
		return
	}
	m.limited.WithLabelValues(channel).Inc()
}

// Job records one background job that finished.
func (m *Metrics) Job(kind, outcome string) {
	if m == nil {
		return
	}
	m.jobs.WithLabelValues(kind, outcome).Inc()
}
