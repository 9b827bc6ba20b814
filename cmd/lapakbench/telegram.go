package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

// publicURL is what Lapak registers as its webhook. The fake accepts any https URL; the benchmark
// posts to Lapak's loopback address itself.
const publicURL = "https://bench.invalid"

// maxPerSecond lifts Telegram's bot-wide cap of about 30 messages a second, which would make any
// benchmark measure the cap. The limiter still runs, Redis round trips and all.
const maxPerSecond = 100000

// cleanupTime bounds stopping lapak and removing the benchmark's database and keys.
const cleanupTime = time.Minute

// benchTelegram sets everything up, runs the phases, prints the report and cleans up.
func benchTelegram(ctx context.Context, o options, out io.Writer) (err error) {
	dir, err := os.MkdirTemp("", "lapakbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(out, "building lapak …")
	bin, err := buildLapak(ctx, dir)
	if err != nil {
		return err
	}
	st, err := openStores(ctx, o)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, cleanStores(st, out)) }()
	fake := telegramtest.New()
	defer fake.Close()
	b := &bench{opts: o, out: out, fake: fake, stores: st, work: newWorkload(o.users)}
	stop, err := b.start(ctx, bin, dir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stop()) }()
	return b.measure(ctx)
}

func cleanStores(st *stores, out io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTime)
	defer cancel()
	keys, err := st.clean(ctx)
	if err == nil {
		fmt.Fprintf(out, "dropped database %s; deleted %d Redis keys under %s\n", st.database, keys, st.prefix)
	}
	return err
}

// bench is one run of the telegram benchmark.
type bench struct {
	opts   options
	out    io.Writer
	fake   *telegramtest.Server
	stores *stores
	work   *workload
	proc   *lapakProcess
	lapak  *target
	bare   *target
	failed []string // why the run failed, when it did

	loadBefore string // the load average when the phases began
}

// start runs lapak serve and the bare handler, and returns what stops both.
func (b *bench) start(ctx context.Context, bin, dir string) (stop func() error, err error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	secret := rand.Text()
	fmt.Fprintf(b.out, "starting lapak serve on %s (database %s, redis prefix %s) …\n", addr, b.stores.database, b.stores.prefix)
	if b.proc, err = startLapak(ctx, bin, b.lapakEnv(addr, secret), addr, filepath.Join(dir, "lapak.log")); err != nil {
		return nil, err
	}
	bare, err := startBare(b.fake.Endpoint())
	if err != nil {
		return nil, errors.Join(err, b.proc.stop())
	}
	conns := max(b.opts.concurrency, 64)
	b.lapak = newTarget("lapak", "http://"+addr+"/webhooks/telegram", secret, func(it item) int { return it.replies }, lapakPacing(), conns)
	b.bare = newTarget("bare", bare.url, "", func(item) int { return 1 }, nil, conns)
	return func() error { return b.stop(bare) }, nil
}

// lapakEnv is lapak's whole environment: nothing is inherited but PATH and HOME.
func (b *bench) lapakEnv(addr, secret string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + b.stores.databaseURL,
		"REDIS_URL=" + b.opts.redisURL,
		"REDIS_PREFIX=" + b.stores.prefix,
		"HTTP_ADDR=" + addr,
		"PUBLIC_URL=" + publicURL,
		"TELEGRAM_WEBHOOK_SECRET=" + secret,
		"TELEGRAM_BOT_TOKEN=" + telegramtest.Token,
		"TELEGRAM_API_ENDPOINT=" + b.fake.Endpoint(),
		fmt.Sprintf("TELEGRAM_MAX_PER_SECOND=%d", maxPerSecond),
		"LOG_LEVEL=warn",
	}
}

// stop stops the bare handler, then lapak with SIGTERM, and says what lapak logged.
func (b *bench) stop(bare *bareServer) error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTime)
	defer cancel()
	berr := bare.close(ctx)
	if err := b.proc.stop(); err != nil {
		return errors.Join(berr, err)
	}
	lines := b.proc.logLines()
	fmt.Fprintf(b.out, "lapak stopped on SIGTERM and exited 0; it logged %d lines at LOG_LEVEL=warn\n", len(lines))
	for _, l := range lines[:min(len(lines), 5)] {
		fmt.Fprintln(b.out, "  "+l)
	}
	return berr
}

// measure runs the probe, the warm-up, the throughput rounds (lapak then bare in each, so that
// whatever else the machine does weighs on both alike) and the latency phases, then prints the
// report.
func (b *bench) measure(ctx context.Context) error {
	b.loadBefore = loadAverage()
	replies, err := b.probe(ctx)
	if err != nil {
		return err
	}
	b.work.replies = replies
	b.phase("warm-up, /start in every chat", closedLoop(ctx, b.lapak, b.work.startItems(), b.opts.concurrency))
	var rounds []round
	for i := range b.opts.rounds {
		items := b.work.measuredItems(b.opts.updates)
		lapak := b.phase(fmt.Sprintf("lapak, throughput %d", i+1), closedLoop(ctx, b.lapak, items, b.opts.concurrency))
		bare := b.phase(fmt.Sprintf("bare, throughput %d", i+1), closedLoop(ctx, b.bare, items, b.opts.concurrency))
		rounds = append(rounds, round{lapak, bare})
	}
	items := b.work.measuredItems(b.opts.latencyUpdates())
	lapakAt := b.phase("lapak, latency", openLoop(ctx, b.lapak, items, b.opts.rate))
	bareAt := b.phase("bare, latency", openLoop(ctx, b.bare, items, b.opts.rate))
	if err := ctx.Err(); err != nil {
		return err
	}
	b.report(rounds, lapakAt, bareAt)
	if len(b.failed) > 0 {
		return fmt.Errorf("the run failed:\n  %s", strings.Join(b.failed, "\n  "))
	}
	return nil
}

// phase checks a finished trial against the replies the fake recorded, says how it went, and
// starts the fake afresh for the next one.
func (b *bench) phase(name string, r *trial) *trial {
	c := checkReplies(b.fake.Sent(), r)
	b.fake.Reset()
	fmt.Fprintf(b.out, "%-30s %6d updates in %6.2fs: %7.0f/s; %s\n", name, len(r.items), r.elapsed.Seconds(), r.perSecond(), c)
	if r.lag > time.Millisecond {
		fmt.Fprintf(b.out, "%30s sends started up to %s behind their schedule\n", "", ms(r.lag))
	}
	if r.held > 0 {
		fmt.Fprintf(b.out, "%30s %d updates held back %.1fs in all for per-chat pacing: raise -users\n", "", r.held, r.heldFor.Seconds())
	}
	if problem := r.problem(c); problem != "" {
		fmt.Fprintf(b.out, "%30s FAILED: %s\n", "", problem)
		b.failed = append(b.failed, name+": "+problem)
	}
	return r
}

// probe finds how many messages Lapak answers each command with, in the states the measured chats
// will be in, on two chats of its own: /start then /menu on one, /menu then /help on the other.
func (b *bench) probe(ctx context.Context) (map[string]int, error) {
	b.fake.Reset()
	defer b.fake.Reset()
	steps := []struct {
		user int
		text string
	}{{b.opts.users, "/start"}, {b.opts.users, "/menu"}, {b.opts.users + 1, "/menu"}, {b.opts.users + 1, "/help"}}
	replies := map[string]int{}
	for _, s := range steps {
		before := countSent(b.fake.Sent())[chatOf(s.user)]
		if _, err := b.lapak.post(ctx, b.work.item(s.user, s.text)); err != nil {
			return nil, fmt.Errorf("probe: %w%s", err, b.proc.logTail())
		}
		n := countSent(b.fake.Sent())[chatOf(s.user)] - before
		if seen, ok := replies[s.text]; (ok && seen != n) || n == 0 {
			return nil, fmt.Errorf("probe: lapak answered %s with %d messages (before: %d)", s.text, n, seen)
		}
		replies[s.text] = n
	}
	fmt.Fprintf(b.out, "lapak answers /start, /menu and /help with %d, %d and %d messages\n", replies["/start"], replies["/menu"], replies["/help"])
	return replies, nil
}
