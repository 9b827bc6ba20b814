package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module version.
var version = ""

const usage = `Lapak, the chat-bot storefront for resellers.

Usage:
  lapak serve                 run the bot and the HTTP server (production)
  lapak playground [--reset] [--database NAME]  run everything locally; open http://localhost:8080/playground
  lapak migrate               apply database migrations and exit
  lapak products import FILE.csv | export [FILE.csv]   import or export the catalog as CSV
  lapak whatsapp link [--phone 0812…] | status   pair the store's WhatsApp number (linked device), or show it
  lapak report [--period 2026-11|2026-11-27|2026-W48|2026-11-01..2026-11-15] [--format text|csv|xlsx] [--supplier NAME]   print a sales report
  lapak version               print the version
  lapak healthcheck           exit 0 when the local server's /healthz answers 200 (for containers)
  lapak help                  this help and every environment variable

`

// run is the whole program; main only sets up signals. Tests call it too.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "version", "--version":
		fmt.Fprintln(stdout, "lapak", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage+"Environment:\n")
		for _, v := range configVars {
			fmt.Fprintf(stdout, "  %-26s default %q\n", v.name, v.def)
		}
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(stdout, cfg.LogLevel, cfg.TelegramToken, cfg.WhatsAppCloudToken, cfg.WhatsAppCloudAppSecret,
		cfg.XenditSecretKey, cfg.XenditCallbackToken)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "playground":
		return playground(ctx, cfg, log, rest, stdout)
	case "migrate":
		return migrate(ctx, cfg, log)
	case "products":
		return products(ctx, cfg, rest, stdout)
	case "whatsapp":
		return whatsappCmd(ctx, cfg, rest, stdout)
	case "healthcheck":
		return healthcheck(ctx, cfg)
	case "report":
		return report(ctx, cfg, rest, stdout)
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "dev"
}

// newLogger logs text with snake_case keys, and never the bot token, whatever library error
// carries it.
func newLogger(w io.Writer, level slog.Level, secrets ...string) *slog.Logger {
	var hide []string
	for _, s := range secrets {
		if len(s) >= 8 {
			hide = append(hide, s)
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if len(hide) == 0 {
				return a
			}
			s := a.Value.String()
			for _, h := range hide {
				s = strings.ReplaceAll(s, h, "<token>")
			}
			if s != a.Value.String() {
				return slog.String(a.Key, s)
			}
			return a
		},
	}))
}
