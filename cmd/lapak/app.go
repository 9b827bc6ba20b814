package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	goredis "github.com/redis/go-redis/v9"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/media"
	"github.com/lapak-id/lapak/metrics"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/reports"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/redis"
)

// app is Lapak wired together: the stores, the job queue, the conversation engine and the
// dispatcher. serve and playground build one each, with their own channels.
type app struct {
	cfg        Config
	log        *slog.Logger
	clock      lapak.Clock
	pool       *pgxpool.Pool
	rdb        goredis.UniversalClient
	store      *storage.Store
	limiter    *redis.Limiter
	river      *river.Client[pgx.Tx]
	engine     *flows.Engine
	dispatcher *bot.Dispatcher
	registry   *prometheus.Registry
	metrics    *metrics.Metrics
	// payments takes payments through Xendit; nil when XENDIT_SECRET_KEY is not set.
	payments *payments.Service
	// reports makes sales reports, in chat, on schedule and on the command line.
	reports *reports.Service
	// files fetches photos users send, from their channel; botUsername names the Telegram bot for
	// deep links. Both are set by the channel wiring before start.
	files       flows.Files
	botUsername func() string
}

// openApp connects to Postgres and Redis (rdb, when given, is used instead of REDIS_URL), applies
// the migrations and makes the configured owners owners.
func openApp(ctx context.Context, cfg Config, log *slog.Logger, rdb goredis.UniversalClient) (*app, error) {
	a := &app{cfg: cfg, log: log, clock: lapak.SystemClock{}, rdb: rdb, registry: prometheus.NewRegistry()}
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.metrics = metrics.New(a.registry)
	var err error
	if a.pool, err = storage.Open(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	applied, err := storage.Migrate(ctx, a.pool)
	if err != nil {
		a.close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated database", "applied", applied)
	}
	if a.rdb == nil {
		if a.rdb, err = redis.Open(ctx, cfg.RedisURL); err != nil {
			a.close()
			return nil, err
		}
	}
	a.limiter = redis.NewLimiter(a.rdb, cfg.RedisPrefix, a.clock)
	return a, nil
}

// start builds the job queue, the engine and the dispatcher over the given channel senders, and
// starts working jobs.
func (a *app) start(ctx context.Context, senders map[lapak.Channel]bot.Sender, inviteLink func(string) string) error {
	workers := river.NewWorkers()
	river.AddWorker(workers, &jobs.NotifyWorker{Senders: senders, Metrics: a.metrics})
	releases := &jobs.ReleaseReservationWorker{Clock: a.clock, Metrics: a.metrics} // Orders is the store, made below
	river.AddWorker(workers, releases)
	paying := a.paymentWorkers(workers)
	scheduling := &jobs.ReportScheduleWorker{Clock: a.clock, Metrics: a.metrics}   // Reports is the reports service, made below
	sendingReports := &jobs.SendReportWorker{Senders: senders, Metrics: a.metrics} // Reports is the store, made below
	rollups := &jobs.ReportRollupsWorker{Clock: a.clock, Metrics: a.metrics}       // Rollups is the store, made below
	river.AddWorker(workers, scheduling)
	river.AddWorker(workers, sendingReports)
	river.AddWorker(workers, rollups)
	var err error
	a.river, err = river.NewClient(riverpgxv5.New(a.pool), &river.Config{
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 10},
			jobs.QueueNotify:   {MaxWorkers: 20},
		},
		Workers:      workers,
		PeriodicJobs: append(paying.periodic(a.cfg), jobs.ReportSchedule(), jobs.ReportRollups()),
		Logger:       a.log.With("component", "river"),
	})
	if err != nil {
		return fmt.Errorf("create job queue: %w", err)
	}
	a.store = storage.New(a.pool, a.river, a.clock)
	a.reports = reports.NewService(reports.Config{Store: a.store, Zone: reports.ZoneOf(a.cfg.Timezone), Clock: a.clock})
	scheduling.Reports, sendingReports.Reports, rollups.Rollups = a.reports, a.store, a.store
	releases.Orders = a.store
	if a.cfg.payments() {
		a.startPayments(paying)
		releases.Orders = a.payments
	}
	if err := a.store.EnsureOwners(ctx, lapak.Telegram, a.cfg.OwnerTelegramIDs, a.cfg.Language); err != nil {
		return err
	}
	a.engine = flows.New(flows.Config{
		Sessions:       redis.NewSessions(a.rdb, a.cfg.RedisPrefix, a.cfg.SessionTTL),
		Users:          a.store,
		UserChanges:    redis.NewUserChanges(a.rdb, a.cfg.RedisPrefix),
		Resellers:      a.store,
		Invites:        a.store,
		Catalog:        a.store,
		Pricing:        a.store,
		Customers:      a.store,
		Orders:         a.store,
		Payments:       a.flowsPayments(),
		Payouts:        a.flowsPayouts(),
		Reports:        a.reports,
		Carts:          redis.NewCarts(a.rdb, a.cfg.RedisPrefix, 7*24*time.Hour),
		Location:       a.cfg.Timezone,
		BindFor:        a.cfg.ResellerBinding,
		ReservationTTL: a.cfg.ReservationTTL,
		Files:          a.files,
		Importer:       chatImporter{a.store},
		Images:         media.Normalize,
		PublicURL:      a.cfg.PublicURL,
		WhatsApp:       a.cfg.WhatsAppNumber,
		BotUsername:    a.botUsername,
		Logger:         a.log,
		Clock:          a.clock,
		Lang:           a.cfg.Language,
		InviteLink:     inviteLink,
	})
	a.dispatcher = bot.NewDispatcher(bot.DispatcherConfig{
		Handler: a.engine,
		Senders: senders,
		Dedupe:  redis.NewDedupe(a.rdb, a.cfg.RedisPrefix, 2*time.Minute, 48*time.Hour),
		Lang:    a.langOf,
		Logger:  a.log,
		Metrics: a.metrics,
	})
	if err := a.river.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// paymentJobs are the workers of payments, which get the payments service once it is made.
type paymentJobs struct {
	create    *jobs.CreateInvoiceWorker
	remind    *jobs.InvoiceReminderWorker
	reconcile *jobs.ReconcileInvoicesWorker
	complete  *jobs.AutoCompleteWorker
	release   *jobs.ReleaseEarningsWorker

	payoutRun       *jobs.PayoutRunWorker
	payoutSend      *jobs.SendPayoutWorker
	payoutReconcile *jobs.ReconcilePayoutsWorker
}

// paymentWorkers adds the workers of payment links and of paid orders when payments are on.
func (a *app) paymentWorkers(workers *river.Workers) paymentJobs {
	if !a.cfg.payments() {
		return paymentJobs{}
	}
	p := paymentJobs{
		create:    &jobs.CreateInvoiceWorker{Metrics: a.metrics},
		remind:    &jobs.InvoiceReminderWorker{Metrics: a.metrics},
		reconcile: &jobs.ReconcileInvoicesWorker{Metrics: a.metrics},
		complete:  &jobs.AutoCompleteWorker{Clock: a.clock, Metrics: a.metrics},
		release:   &jobs.ReleaseEarningsWorker{Clock: a.clock, Metrics: a.metrics},

		payoutRun:       &jobs.PayoutRunWorker{Metrics: a.metrics},
		payoutSend:      &jobs.SendPayoutWorker{Metrics: a.metrics},
		payoutReconcile: &jobs.ReconcilePayoutsWorker{Metrics: a.metrics},
	}
	river.AddWorker(workers, p.payoutRun)
	river.AddWorker(workers, p.payoutSend)
	river.AddWorker(workers, p.payoutReconcile)
	river.AddWorker(workers, p.create)
	river.AddWorker(workers, p.remind)
	river.AddWorker(workers, p.reconcile)
	river.AddWorker(workers, p.complete)
	river.AddWorker(workers, p.release)
	return p
}

// reconcileEvery is how often the leader asks Xendit about invoices without news.
const reconcileEvery = time.Minute

// periodic is the payments' periodic jobs, when payments are on: invoice reconciliation, the
// payout run and payout reconciliation.
func (p paymentJobs) periodic(cfg Config) []*river.PeriodicJob {
	if p.reconcile == nil {
		return nil
	}
	return append([]*river.PeriodicJob{jobs.ReconcileInvoicesJob(reconcileEvery)},
		jobs.PayoutPeriodicJobs(cfg.PayoutRunEvery, cfg.PayoutReconcileEvery)...)
}

// startPayments makes the payments service over Xendit and the store, makes orders get invoices,
// and gives the service to the payment workers.
func (a *app) startPayments(p paymentJobs) {
	client := xendit.New(xendit.Config{
		BaseURL:   a.cfg.XenditAPIURL,
		SecretKey: a.cfg.XenditSecretKey,
		Logger:    a.log.With("component", "xendit"),
	})
	a.store.EnableInvoices()
	a.payments = payments.New(payments.Config{
		Xendit:        client,
		Store:         a.store,
		Payouts:       a.store,
		CallbackToken: a.cfg.XenditCallbackToken,
		Methods:       a.cfg.XenditPaymentMethods,
		Hold:          a.cfg.EarningsHold,
		AutoComplete:  a.cfg.AutoCompleteAfter,
		Location:      a.cfg.Timezone,
		Clock:         a.clock,
		Logger:        a.log.With("component", "payments"),
	})
	p.create.Invoices, p.remind.Invoices, p.reconcile.Invoices = a.payments, a.payments, a.payments
	p.complete.Orders, p.release.Earnings = a.payments, a.payments
	p.payoutRun.Payouts, p.payoutSend.Payouts, p.payoutReconcile.Payouts = a.payments, a.payments, a.payments
}

// flowsPayouts is the payouts of the payments service for the conversation engine, or none when
// payments are off.
func (a *app) flowsPayouts() flows.Payouts {
	if a.payments == nil {
		return nil
	}
	return a.payments
}

// flowsPayments is the payments service for the conversation engine, or none when payments are
// off.
func (a *app) flowsPayments() flows.Payments {
	if a.payments == nil {
		return nil
	}
	return a.payments
}

// langOf tells the language of a chat's user, for error replies.
func (a *app) langOf(ctx context.Context, chat bot.Address) lapak.Lang {
	u, err := a.store.UserByChannel(ctx, chat.Channel, chat.ChatID)
	if err != nil {
		return a.cfg.Language
	}
	return u.Lang
}

// paced wraps a channel's sender with its rate limits, shared through Redis.
func (a *app) paced(channel lapak.Channel, s bot.Sender, perSecond int) bot.Sender {
	return &bot.PacedSender{
		Sender:  s,
		Limiter: a.limiter,
		Channel: string(channel),
		PerChat: bot.Rate{Every: time.Second, Burst: 3},
		Global:  bot.Rate{Every: time.Second / time.Duration(perSecond), Burst: perSecond},
		Metrics: a.metrics,
	}
}

// ready reports whether Postgres and Redis answer, for /healthz.
func (a *app) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return errors.Join(a.pool.Ping(ctx), a.rdb.Ping(ctx).Err())
}

// stop finishes the updates in flight, then the running jobs, within the context's time.
func (a *app) stop(ctx context.Context) {
	if a.dispatcher != nil {
		a.dispatcher.Close()
	}
	if a.river != nil {
		if err := a.river.Stop(ctx); err != nil {
			a.log.Warn("stop job queue", "err", err)
		}
	}
	a.close()
}

func (a *app) close() {
	if a.rdb != nil {
		a.rdb.Close()
	}
	if a.pool != nil {
		a.pool.Close()
	}
}

// migrate applies the migrations and exits.
func migrate(ctx context.Context, cfg Config, log *slog.Logger) error {
	pool, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	applied, err := storage.Migrate(ctx, pool)
	if err != nil {
		return err
	}
	log.Info("database is up to date", "applied", len(applied))
	return nil
}
