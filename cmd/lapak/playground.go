package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// playground runs everything locally with simulated channels.
func playground(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	return errors.New("playground: not built yet")
}
