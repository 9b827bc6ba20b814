// Command lapakbench measures Lapak on this machine against the least a bot could do.
//
//	go run ./cmd/lapakbench telegram [-updates 20000] [-concurrency 40] [-rate 200] [-duration 10s] [-users 8000]
//
// The telegram benchmark measures updates per second through Lapak's Telegram adapter in webhook
// mode. It builds the real lapak binary and runs `lapak serve` exactly as in production, on a fresh
// Postgres database (created on the server at LAPAKBENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/, and dropped at the end), under a Redis key prefix of its own (at
// LAPAKBENCH_REDIS_URL, default redis://127.0.0.1:6379/0, deleted at the end), and against the
// fake Bot API of bot/telegram/telegramtest served by this process. Next to it, on the same fake
// and with the same updates, runs a bare go-telegram-bot-api echo handler: HandleUpdate, then Send.
//
// Each chat is first warmed with /start; the measured updates are /menu and /help, posted as full
// Telegram updates to POST /webhooks/telegram, which answers once the update was handled and its
// replies sent. Two phases run against both handlers: a fixed number of updates at a fixed
// concurrency (Telegram's default max_connections is 40), for updates per second; then an open
// loop at a fixed rate, for p50/p95/p99 latency from request to response. Updates are spread over
// the chats so that no chat goes past Lapak's per-chat pacing of one message a second with bursts
// of three: as /menu and /help take one and a half replies on average, n chats let through at most
// about n/1.5 updates a second, so the default 8000 chats leave room for over 5000 and the run
// measures Lapak rather than the pacing (2000 chats capped it near 1400). Lapak runs with
// TELEGRAM_MAX_PER_SECOND=100000, so the bot-wide limiter still makes its Redis round trips but
// never waits: Telegram's real cap of about 30 a second would make any benchmark measure the cap.
//
// The targets are Lapak at no less than half the bare handler's updates per second, and Lapak's p99
// at no more than 50 ms at 200 updates/s; the output ends with a PASS or FAIL line for each. Every
// update must get exactly its replies in the fake, counted per chat: a run where one is missing, or
// a request failed, is a failed run, and only then (or on any other error) does lapakbench exit
// non-zero. The whole run takes about two minutes on two cores.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := dispatch(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lapakbench:", err)
		os.Exit(1)
	}
}
