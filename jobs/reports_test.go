package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// outbox is one recorded report and what was delivered of it.
type outbox struct {
	mu        sync.Mutex
	parts     []bot.Reply
	delivered int
	all       bool
}

func (o *outbox) ReportMessages(_ context.Context, id int64) (bot.Address, []bot.Reply, int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if id != 1 {
		return bot.Address{}, nil, 0, lapak.ErrNotFound
	}
	return bot.Address{Channel: lapak.Telegram, ChatID: "900"}, o.parts, o.delivered, nil
}

func (o *outbox) ReportDelivered(_ context.Context, _ int64, n int, all bool) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.delivered, o.all = n, all
	return nil
}

// chats records what was sent, and fails the sends failAt names (by 1-based count) with err.
type chats struct {
	mu     sync.Mutex
	sent   []bot.Outbound
	calls  int
	failAt map[int]error
}

func (c *chats) Send(_ context.Context, to bot.Address, r bot.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if err := c.failAt[c.calls]; err != nil {
		return err
	}
	c.sent = append(c.sent, bot.Outbound{To: to, Reply: r})
	return nil
}

func (c *chats) messages() []bot.Outbound {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bot.Outbound(nil), c.sent...)
}

func reportJob(id int64) *river.Job[jobs.SendReportArgs] {
	return &river.Job[jobs.SendReportArgs]{JobRow: &rivertype.JobRow{Kind: "send_report"}, Args: jobs.SendReportArgs{RunID: id}}
}

func threeParts() []bot.Reply {
	return []bot.Reply{{Text: "report"}, {Text: "chart", Photo: &bot.Photo{Bytes: []byte("png")}},
		{Text: "csv", Document: &bot.Document{Name: "laporan.csv", Bytes: []byte("csv")}}}
}

func TestSendReportWorker(t *testing.T) {
	ctx := context.Background()

	t.Run("DeliversTextChartAndSpreadsheetInOrder", func(t *testing.T) {
		box, tg := &outbox{parts: threeParts()}, &chats{}
		w := &jobs.SendReportWorker{Reports: box, Senders: map[lapak.Channel]bot.Sender{lapak.Telegram: tg}}
		if err := w.Work(ctx, reportJob(1)); err != nil {
			t.Fatal(err)
		}
		sent := tg.messages()
		if len(sent) != 3 || sent[0].Reply.Text != "report" || sent[1].Reply.Photo == nil || sent[2].Reply.Document == nil || sent[2].To.ChatID != "900" {
			t.Errorf("sent %+v", sent)
		}
		if box.delivered != 3 || !box.all {
			t.Errorf("recorded %d delivered, all %v", box.delivered, box.all)
		}
	})

	t.Run("ARetryGoesOnWhereItStopped", func(t *testing.T) {
		box, tg := &outbox{parts: threeParts()}, &chats{failAt: map[int]error{2: errors.New("connection reset")}}
		w := &jobs.SendReportWorker{Reports: box, Senders: map[lapak.Channel]bot.Sender{lapak.Telegram: tg}}
		if err := w.Work(ctx, reportJob(1)); err == nil {
			t.Fatal("a failed send succeeded")
		}
		if box.delivered != 1 || box.all {
			t.Errorf("after the failure: %d delivered", box.delivered)
		}
		if err := w.Work(ctx, reportJob(1)); err != nil {
			t.Fatal(err)
		}
		if sent := tg.messages(); len(sent) != 3 || sent[1].Reply.Text != "chart" || !box.all {
			t.Errorf("sent %d messages, the text again or none of it: %+v", len(sent), sent)
		}
	})

	t.Run("ARateLimitSnoozes", func(t *testing.T) {
		box := &outbox{parts: threeParts()}
		tg := &chats{failAt: map[int]error{1: &bot.RetryAfterError{After: 7 * time.Second}}}
		w := &jobs.SendReportWorker{Reports: box, Senders: map[lapak.Channel]bot.Sender{lapak.Telegram: tg}}
		var snooze *rivertype.JobSnoozeError
		if err := w.Work(ctx, reportJob(1)); !errors.As(err, &snooze) || snooze.Duration != 8*time.Second {
			t.Errorf("got %v, want a snooze of 8s", err)
		}
	})

	t.Run("AnUnknownReportCancels", func(t *testing.T) {
		w := &jobs.SendReportWorker{Reports: &outbox{}, Senders: map[lapak.Channel]bot.Sender{lapak.Telegram: &chats{}}}
		var cancel *rivertype.JobCancelError
		if err := w.Work(ctx, reportJob(2)); !errors.As(err, &cancel) {
			t.Errorf("got %v, want the job cancelled", err)
		}
	})
}

// TestScheduledReportsOnTwoInstances runs two instances of River with the report jobs on one
// database at 07:01 WIB on Monday 1 December 2025, each running the schedule at the same moment:
// the owner gets the daily, weekly and monthly reports once each, as text, a PNG chart and a CSV.
func TestScheduledReportsOnTwoInstances(t *testing.T) {
	ctx := context.Background()
	pool := storagetest.Pool(t)
	wib := reports.WIB.Location()
	now := fixedClock{time.Date(2025, 12, 1, 7, 1, 0, 0, wib)}
	seedReportShop(t, pool, time.Date(2025, 11, 30, 23, 30, 0, 0, wib))

	tg := &chats{}
	type instance struct {
		client    *river.Client[pgx.Tx]
		scheduler *jobs.ReportScheduleWorker
	}
	var instances []instance
	for range 2 {
		scheduler := &jobs.ReportScheduleWorker{Clock: now}
		sender := &jobs.SendReportWorker{Senders: map[lapak.Channel]bot.Sender{lapak.Telegram: tg}}
		workers := river.NewWorkers()
		river.AddWorker(workers, scheduler)
		river.AddWorker(workers, sender)
		client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
			Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}, jobs.QueueNotify: {MaxWorkers: 2}},
			Workers:           workers,
			PeriodicJobs:      []*river.PeriodicJob{jobs.ReportSchedule()},
			PollOnly:          true,
			FetchCooldown:     10 * time.Millisecond,
			FetchPollInterval: 20 * time.Millisecond,
			TestOnly:          true,
			Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		if err != nil {
			t.Fatal(err)
		}
		store := storage.New(pool, client, now)
		scheduler.Reports = reports.NewService(reports.Config{Store: store, Clock: now})
		sender.Reports = store
		instances = append(instances, instance{client, scheduler})
	}
	// Both instances run the schedule at the same moment, as when two of them think they lead.
	var wg sync.WaitGroup
	for _, in := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job := &river.Job[jobs.ReportScheduleArgs]{JobRow: &rivertype.JobRow{Kind: "report_schedule"}}
			if err := in.scheduler.Work(ctx, job); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, in := range instances {
		if err := in.client.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { in.client.Stop(context.WithoutCancel(ctx)) })
	}
	// River's leader runs the periodic schedule too, at start; it finds nothing left to make.
	waitJobs(t, pool, "report_schedule", 1)
	waitJobs(t, pool, "send_report", 3)

	sent := tg.messages()
	if len(sent) != 9 {
		t.Fatalf("the owner got %d messages, want 3 reports of 3", len(sent))
	}
	var texts, charts, sheets int
	for _, m := range sent {
		switch r := m.Reply; {
		case r.Photo != nil:
			if _, err := png.Decode(bytes.NewReader(r.Photo.Bytes)); err != nil {
				t.Errorf("chart is not a PNG: %v", err)
			}
			charts++
		case r.Document != nil:
			if !bytes.HasPrefix(r.Document.Bytes, []byte("\uFEFForder_ref,line,created_at,paid_at,status,")) {
				t.Errorf("%s: %q", r.Document.Name, r.Document.Bytes[:min(40, len(r.Document.Bytes))])
			}
			sheets++
		default:
			if !strings.Contains(r.Text, "Penjualan: Rp150.000") {
				t.Errorf("report without the sale:\n%s", r.Text)
			}
			texts++
		}
	}
	if texts != 3 || charts != 3 || sheets != 3 {
		t.Errorf("%d texts, %d charts, %d spreadsheets", texts, charts, sheets)
	}
}

// seedReportShop makes the owner 900 with one product and one order of two at Rp75.000, paid at
// paidAt, and turns on every scheduled report for them.
func seedReportShop(t *testing.T, pool *pgxpool.Pool, paidAt time.Time) {
	t.Helper()
	ctx := context.Background()
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	store := storage.New(pool, rc, fixedClock{paidAt.Add(-time.Minute)})
	if err := store.EnsureOwners(ctx, lapak.Telegram, []string{"900"}, lapak.Indonesian); err != nil {
		t.Fatal(err)
	}
	o := seedOrder(t, store, paidAt.Add(time.Hour))
	if _, err := pool.Exec(ctx, "UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1", o.ID, paidAt); err != nil {
		t.Fatal(err)
	}
	owner, err := store.UserByChannel(ctx, lapak.Telegram, "900")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetReportPrefs(ctx, owner.ID, reports.Prefs{Daily: true, Weekly: true, Monthly: true, Zone: reports.WIB}); err != nil {
		t.Fatal(err)
	}
}

// waitJobs waits until n jobs of kind exist and all of them completed.
func waitJobs(t *testing.T, pool *pgxpool.Pool, kind string, n int) {
	t.Helper()
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	deadline := time.After(20 * time.Second)
	for {
		var all, done int
		err := pool.QueryRow(context.Background(), "SELECT count(*), count(*) FILTER (WHERE state = 'completed') FROM river_job WHERE kind = $1", kind).
			Scan(&all, &done)
		if err != nil {
			t.Fatal(err)
		}
		if all == n && done == n {
			return
		}
		if all > n {
			t.Fatalf("%d %s jobs, want %d", all, kind, n)
		}
		select {
		case <-poll.C:
		case <-deadline:
			t.Fatalf("%d of %d %s jobs completed", done, all, kind)
		}
	}
}

// TestReportRollupsJob runs the rollups job as River's leader does, at start: the days over by
// 07:01 WIB on 1 December get their rollups, and November its month's. The store's first order,
// at 23:29 WIB on 30 November, is on 1 December in WITA and WIT, where nothing is over yet.
func TestReportRollupsJob(t *testing.T) {
	ctx := context.Background()
	pool := storagetest.Pool(t)
	wib := reports.WIB.Location()
	now := fixedClock{time.Date(2025, 12, 1, 7, 1, 0, 0, wib)}
	seedReportShop(t, pool, time.Date(2025, 11, 30, 23, 30, 0, 0, wib))
	worker := &jobs.ReportRollupsWorker{Clock: now}
	workers := river.NewWorkers()
	river.AddWorker(workers, worker)
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           workers,
		PeriodicJobs:      []*river.PeriodicJob{jobs.ReportRollups()},
		PollOnly:          true,
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		TestOnly:          true,
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	worker.Rollups = storage.New(pool, client, now)
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Stop(context.WithoutCancel(ctx)) })
	waitJobs(t, pool, "report_rollups", 1)

	var sales, days, months int
	err = pool.QueryRow(ctx, `SELECT (SELECT sales FROM report_days WHERE zone = 'WIB' AND day = '2025-11-30'),
		(SELECT count(*) FROM report_days), (SELECT count(*) FROM report_months WHERE month = '2025-11-01')`).Scan(&sales, &days, &months)
	if err != nil {
		t.Fatal(err)
	}
	if sales != 150_000 || days != 30 || months != 1 {
		t.Errorf("30 November's sales rolled up %d, %d days and %d Novembers rolled up; want Rp150.000, 30 and 1", sales, days, months)
	}
}
