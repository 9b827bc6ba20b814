// Command lapak runs Lapak, the chat-bot storefront for resellers: `lapak serve` in production,
// `lapak playground` to try everything locally in the browser, `lapak migrate`, `lapak version`.
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
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lapak:", err)
		os.Exit(1)
	}
}
