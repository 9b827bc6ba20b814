package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak/storage"
)

// stores are the benchmark's own Postgres database and Redis key prefix, on the local servers.
type stores struct {
	serverURL   string // the Postgres server, where the database is created and dropped
	databaseURL string // the benchmark's database
	database    string
	rdb         *goredis.Client
	prefix      string
	postgresVer string
	redisVer    string
}

// openStores creates a fresh database lapak_bench_<random> and picks a fresh Redis prefix.
func openStores(ctx context.Context, o options) (*stores, error) {
	id := strings.ToLower(rand.Text()[:10])
	s := &stores{serverURL: o.databaseURL, database: "lapak_bench_" + id, prefix: "lapakbench:" + id + ":"}
	if err := s.createDatabase(ctx); err != nil {
		return nil, err
	}
	if err := s.openRedis(ctx, o.redisURL); err != nil {
		return nil, errors.Join(err, s.dropDatabase(context.WithoutCancel(ctx)))
	}
	return s, nil
}

func (s *stores) createDatabase(ctx context.Context) error {
	u, err := url.Parse(s.serverURL)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("postgres server URL %q: want postgres://user@host:port/", s.serverURL)
	}
	conn, err := pgx.Connect(ctx, adminURL(s.serverURL))
	if err != nil {
		return fmt.Errorf("connect to postgres at %s: %w", u.Redacted(), err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&s.postgresVer); err != nil {
		return fmt.Errorf("ask postgres its version: %w", err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+s.database); err != nil {
		return fmt.Errorf("create database %s: %w", s.database, err)
	}
	u.Path = "/" + s.database
	s.databaseURL = u.String()
	return nil
}

// adminURL is the server URL without the pool settings (pool_max_conns, …) that are meant for
// lapak's pool: a single connection would send them to the server as unknown parameters.
func adminURL(server string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *stores) dropDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, adminURL(s.serverURL))
	if err != nil {
		return fmt.Errorf("drop database %s: %w", s.database, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+s.database+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", s.database, err)
	}
	return nil
}

func (s *stores) openRedis(ctx context.Context, redisURL string) error {
	opts, err := goredis.ParseURL(redisURL)
	if err != nil {
		return fmt.Errorf("redis URL %q: %w", redisURL, err)
	}
	s.rdb = goredis.NewClient(opts)
	info, err := s.rdb.InfoMap(ctx, "server").Result()
	if err != nil {
		s.rdb.Close()
		return fmt.Errorf("connect to redis at %s: %w", opts.Addr, err)
	}
	s.redisVer = info["Server"]["redis_version"]
	return nil
}

// deleteKeys deletes every key under the prefix and returns how many there were.
func (s *stores) deleteKeys(ctx context.Context) (int, error) {
	n := 0
	iter := s.rdb.Scan(ctx, 0, s.prefix+"*", 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		if batch = append(batch, iter.Val()); len(batch) == 1000 {
			if err := s.rdb.Unlink(ctx, batch...).Err(); err != nil {
				return n, err
			}
			n, batch = n+len(batch), batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := s.rdb.Unlink(ctx, batch...).Err(); err != nil {
			return n, err
		}
	}
	return n + len(batch), iter.Err()
}

// clean drops the database and deletes the keys, once lapak has stopped.
func (s *stores) clean(ctx context.Context) (int, error) {
	keys, kerr := s.deleteKeys(ctx)
	if kerr != nil {
		kerr = fmt.Errorf("delete redis keys %s*: %w", s.prefix, kerr)
	}
	err := errors.Join(kerr, s.dropDatabase(ctx), s.rdb.Close())
	return keys, err
}

// benchDatabase is a fresh, migrated database of a Postgres-only benchmark and its pool.
type benchDatabase struct {
	stores *stores
	pool   *pgxpool.Pool
}

// openBenchDatabase creates a database lapak_bench_<random> on serverURL, migrates it and opens a
// pool of maxConns connections (0: pgx's default).
func openBenchDatabase(ctx context.Context, serverURL string, maxConns int) (*benchDatabase, error) {
	st := &stores{serverURL: serverURL, database: "lapak_bench_" + strings.ToLower(rand.Text()[:10])}
	if err := st.createDatabase(ctx); err != nil {
		return nil, err
	}
	d := &benchDatabase{stores: st}
	cfg, err := pgxpool.ParseConfig(st.databaseURL)
	if err == nil {
		if maxConns > 0 {
			cfg.MaxConns = int32(maxConns)
		}
		d.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	}
	if err == nil {
		_, err = storage.Migrate(ctx, d.pool)
	}
	if err != nil {
		return nil, errors.Join(err, d.close(context.WithoutCancel(ctx), io.Discard, false))
	}
	return d, nil
}

// close closes the pool and drops the database, unless keep, saying which on out.
func (d *benchDatabase) close(ctx context.Context, out io.Writer, keep bool) error {
	if d.pool != nil {
		d.pool.Close()
	}
	if keep {
		fmt.Fprintf(out, "kept database %s\n", d.stores.database)
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, cleanupTime)
	defer cancel()
	if err := d.stores.dropDatabase(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "dropped database %s\n", d.stores.database)
	return nil
}
