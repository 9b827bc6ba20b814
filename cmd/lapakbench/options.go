package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

const usage = `Usage: lapakbench telegram [flags]

Measures Lapak's Telegram webhook against a bare go-telegram-bot-api echo handler.
Run it from the lapak module. Flags:
`

// options are the benchmark's flags.
type options struct {
	updates     int           // updates in each throughput round
	rounds      int           // throughput rounds
	concurrency int           // requests in flight in the throughput phase
	rate        int           // updates per second in the latency phase
	duration    time.Duration // length of the latency phase
	users       int           // distinct chats
	databaseURL string        // the Postgres server to create the benchmark's database on
	redisURL    string        // the Redis to keep the benchmark's keys in
}

// run is the whole program; main only sets up signals.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "telegram" {
		fmt.Fprint(stdout, usage)
		newFlags(&options{}, getenv, stdout).PrintDefaults()
		return errors.New("want the benchmark to run: telegram")
	}
	var o options
	fs := newFlags(&o, getenv, stdout)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := o.validate(); err != nil {
		return err
	}
	return benchTelegram(ctx, o, stdout)
}

func newFlags(o *options, getenv func(string) string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lapakbench telegram", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&o.updates, "updates", 20000, "updates in the throughput phase")
	fs.IntVar(&o.rounds, "rounds", 3, "throughput rounds, lapak then bare in each; the median round is reported")
	fs.IntVar(&o.concurrency, "concurrency", 40, "requests in flight in the throughput phase (Telegram's default max_connections)")
	fs.IntVar(&o.rate, "rate", 200, "updates per second in the latency phase")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of the latency phase")
	fs.IntVar(&o.users, "users", 8000, "distinct chats the updates are spread over; at one message a second per chat, they cap the updates/s")
	fs.StringVar(&o.databaseURL, "db", orDefault(getenv("LAPAKBENCH_DATABASE_URL"), "postgres://root@127.0.0.1:5432/"),
		"Postgres server to create the benchmark database on (LAPAKBENCH_DATABASE_URL)")
	fs.StringVar(&o.redisURL, "redis", orDefault(getenv("LAPAKBENCH_REDIS_URL"), "redis://127.0.0.1:6379/0"),
		"Redis to keep the benchmark's keys in, under a prefix of their own (LAPAKBENCH_REDIS_URL)")
	return fs
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func (o options) validate() error {
	switch {
	case o.updates < 1, o.rounds < 1, o.concurrency < 1, o.rate < 1, o.users < 1:
		return errors.New("-updates, -rounds, -concurrency, -rate and -users must be at least 1")
	case o.duration < time.Second:
		return errors.New("-duration must be at least 1s")
	case o.users < o.concurrency:
		return fmt.Errorf("-users (%d) must be at least -concurrency (%d): one chat's updates are handled in order", o.users, o.concurrency)
	}
	return nil
}

// latencyUpdates is how many updates the latency phase sends.
func (o options) latencyUpdates() int {
	return max(1, int(float64(o.rate)*o.duration.Seconds()))
}
