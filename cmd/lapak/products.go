package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/catalog"
	"github.com/lapak-id/lapak/i18n"
	"github.com/lapak-id/lapak/storage"
)

const productsUsage = "usage: lapak products import FILE.csv | lapak products export [FILE.csv]"

// products runs `lapak products import FILE` and `lapak products export [FILE]`: the catalog as a
// CSV file that Excel and Google Sheets open (see package catalog for the columns).
func products(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	switch {
	case len(args) == 2 && args[0] == "import":
	case len(args) <= 2 && len(args) >= 1 && args[0] == "export":
	default:
		return errors.New(productsUsage)
	}
	store, closeStore, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	if args[0] == "import" {
		return importProducts(ctx, cfg.Language, store, args[1], stdout)
	}
	if len(args) == 1 {
		_, err := catalog.Export(ctx, store, stdout)
		return err
	}
	return exportProducts(ctx, cfg.Language, store, args[1], stdout)
}

// openStore connects to the database and migrates it, for commands that only use the store. Jobs
// are inserted by a client that works none.
func openStore(ctx context.Context, cfg Config) (*storage.Store, func(), error) {
	pool, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	if _, err := storage.Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, nil, err
	}
	jobs, err := insertOnly(pool)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return storage.New(pool, jobs, lapak.SystemClock{}), pool.Close, nil
}

func insertOnly(pool *pgxpool.Pool) (storage.Inserter, error) {
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("create job inserter: %w", err)
	}
	return client, nil
}

// importProducts imports a file and prints what it did, in lang, with every refused row. Refused
// rows make it return an error, so scripts notice; the good rows are imported all the same.
func importProducts(ctx context.Context, lang lapak.Lang, store catalog.Store, path string, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := catalog.Import(ctx, store, f)
	if err != nil {
		var e *lapak.Error
		if errors.As(err, &e) {
			return fmt.Errorf("%s: %s", path, i18n.T(lang, e.Key, e.Args...))
		}
		return err
	}
	fmt.Fprint(stdout, importSummary(lang, rep, len(rep.Problems)))
	if rep.Refused > 0 {
		return fmt.Errorf("%s: %d products refused", path, rep.Refused)
	}
	return nil
}

// importSummary says what an import did, in lang: the counts, unknown columns, at most
// maxProblems refused rows, and how to fix them.
func importSummary(lang lapak.Lang, rep catalog.Report, maxProblems int) string {
	var b strings.Builder
	fmt.Fprintln(&b, i18n.T(lang, "import.summary", rep.Created, rep.Updated, rep.Unchanged, rep.Refused))
	if len(rep.Ignored) > 0 {
		fmt.Fprintln(&b, i18n.T(lang, "import.ignored_columns", strings.Join(rep.Ignored, ", ")))
	}
	for i, p := range rep.Problems {
		if i == maxProblems {
			fmt.Fprintf(&b, "  … (+%d)\n", len(rep.Problems)-i)
			break
		}
		fmt.Fprintln(&b, "  "+p.Text(lang))
	}
	if rep.Refused > 0 {
		fmt.Fprintln(&b, i18n.T(lang, "import.refused_note"))
	}
	return b.String()
}

// chatImporter imports a CSV an owner sends the bot, makes the suppliers it created theirs, and
// answers with the summary.
type chatImporter struct{ store *storage.Store }

func (c chatImporter) ImportCSV(ctx context.Context, data []byte, ownerID int64, lang lapak.Lang) (string, error) {
	rep, err := catalog.Import(ctx, c.store, bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	if _, err := c.store.AdoptOrphanSuppliers(ctx, ownerID); err != nil {
		return "", err
	}
	return strings.TrimRight(importSummary(lang, rep, 20), "\n"), nil
}

// exportProducts writes the catalog to path through a temporary file, so that a failed export
// leaves any earlier file whole.
func exportProducts(ctx context.Context, lang lapak.Lang, store catalog.Store, path string, stdout io.Writer) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lapak-export-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := catalog.Export(ctx, store, tmp)
	if err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintln(stdout, i18n.T(lang, "export.done", n, path))
	return nil
}
