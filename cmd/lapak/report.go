package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
	"github.com/lapak-id/lapak/reports"
)

const reportUsage = `usage: lapak report [--period 2026-11|2026-11-27|2026-W48|2026-11-01..2026-11-15] [--format text|csv|xlsx]
                    [--supplier NAME] [--zone WIB|WITA|WIT] [--lang id|en]`

// report runs `lapak report`: a period's sales report for the whole store, or for one supplier,
// printed as the chat text, as the CSV of its order lines, or as an XLSX workbook. The period is
// cut in the zone given, by default the store's (LAPAK_TIMEZONE); without --period it is last
// month.
func report(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("lapak report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	period := fs.String("period", "", "a month (2026-11), a day (2026-11-27), an ISO week (2026-W48) or days (2026-11-01..2026-11-15)")
	format := fs.String("format", "text", "text, csv or xlsx")
	supplier := fs.String("supplier", "", "one supplier's figures only, by name")
	zoneName := fs.String("zone", string(reports.ZoneOf(cfg.Timezone)), "the time zone periods are cut in: WIB, WITA or WIT")
	langName := fs.String("lang", string(cfg.Language), "the language of the text: id or en")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errors.New(reportUsage)
	}
	zone, ok := reports.ParseZone(*zoneName)
	if !ok {
		return fmt.Errorf("--zone must be WIB, WITA or WIT, got %q", *zoneName)
	}
	lang, ok := lapak.ParseLang(*langName)
	if !ok {
		return fmt.Errorf("--lang must be id or en, got %q", *langName)
	}
	if *format != "text" && *format != "csv" && *format != "xlsx" {
		return fmt.Errorf("--format must be text, csv or xlsx, got %q", *format)
	}
	p := reports.Month(time.Now(), zone).Previous()
	if *period != "" {
		var err error
		if p, err = reports.ParsePeriod(*period, zone); err != nil {
			return err
		}
	}
	store, closeStore, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	sc := reports.Scope{All: true}
	if *supplier != "" {
		if sc, err = store.SupplierScope(ctx, *supplier); err != nil {
			return domainError(err, lang)
		}
	}
	svc := reports.NewService(reports.Config{Store: store, Zone: zone})
	r, err := svc.Build(ctx, reports.OnDemand, sc, p, 0)
	if err != nil {
		return err
	}
	return writeReport(ctx, stdout, store, r, *format, lang)
}

// writeReport writes r to w in format.
func writeReport(ctx context.Context, w io.Writer, src reports.Source, r reports.Report, format string, lang lapak.Lang) error {
	var out []byte
	if format == "text" {
		out = []byte(reports.Text(r, lang) + "\n")
	} else {
		lines, err := src.ReportLines(ctx, r.Scope, r.Period, 0)
		if err != nil {
			return err
		}
		if format == "csv" {
			out, err = reports.CSV(lines, r.Period.Zone)
		} else {
			out, err = reports.Workbook(r, lines, lang)
		}
		if err != nil {
			return err
		}
	}
	_, err := w.Write(out)
	return err
}

// domainError turns a domain error into its message in lang, for the command line.
func domainError(err error, lang lapak.Lang) error {
	var e *lapak.Error
	if errors.As(err, &e) && e.Key != "" && i18n.Has(e.Key) {
		return errors.New(strings.TrimSpace(i18n.T(lang, e.Key, e.Args...)))
	}
	return err
}
