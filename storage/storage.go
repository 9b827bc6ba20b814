// Package storage owns Lapak's Postgres data: the embedded migrations and one file per noun. Queries
// take a DB, which is a pool or a transaction, so the caller owns the transaction; work that must be
// atomic takes a pgx.Tx.
package storage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is what queries run on: a *pgxpool.Pool or a pgx.Tx.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

var (
	_ DB = (*pgxpool.Pool)(nil)
	_ DB = (pgx.Tx)(nil)
)

// defaultMaxConns is the pool size unless DATABASE_URL sets pool_max_conns: pgx's own default
// (the number of CPUs, at least 4) is far below the dispatcher's concurrent chats.
const defaultMaxConns = 20

// Open connects to the database at dsn. When the database does not exist and the server lets this
// user create it, Open creates it first, so a fresh machine needs no setup.
func Open(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := connect(ctx, cfg)
	if err == nil {
		return pool, nil
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // invalid_catalog_name: no such database
		return nil, err
	}
	if err := createDatabase(ctx, dsn, cfg.ConnConfig.Database); err != nil {
		return nil, err
	}
	return connect(ctx, cfg)
}

func connect(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return pool, nil
}

// createDatabase connects to the server's maintenance database and creates name.
func createDatabase(ctx context.Context, dsn, name string) error {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("database %q does not exist; create it or use a URL-form DATABASE_URL so Lapak can", name)
	}
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return fmt.Errorf("connect to create database %q: %w", name, err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: another instance won
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

// isUniqueViolation reports whether err is a unique-constraint violation, optionally on constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return false
	}
	return constraint == "" || strings.Contains(pgErr.ConstraintName, constraint)
}
