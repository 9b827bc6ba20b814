// Package redis owns Lapak's Redis state: conversations, update dedupe and shared rate limits.
// Nothing here is a money fact: losing Redis restarts conversations but loses no order or payment.
// Every key starts with a prefix, so several apps (or tests) share one Redis.
package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// Open connects to the Redis at url and checks that it answers. The client it returns batches the
// commands that concurrent callers issue into pipelines (go-redis autopipelining), so the chats
// served at once share round trips instead of paying one each; every caller still waits for its
// own command's reply, and one caller's commands run in the order it issued them. Close closes
// the connections.
func Open(ctx context.Context, url string) (goredis.UniversalClient, error) {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	if !strings.Contains(url, "pool_size") {
		opts.PoolSize = 64 // one connection for each of the dispatcher's workers
	}
	c := goredis.NewClient(opts)
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("connect to redis: %w", err)
	}
	ap, err := c.AutoPipeline()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("start redis autopipelining: %w", err)
	}
	return pipelined{ap, c}, nil
}

// pipelined is an autopipeliner that closes its client with it.
type pipelined struct {
	*goredis.AutoPipeliner
	client *goredis.Client
}

// Close stops the pipeliner once the commands in flight are answered, then closes the client.
func (p pipelined) Close() error {
	return errors.Join(p.AutoPipeliner.Close(), p.client.Close())
}
