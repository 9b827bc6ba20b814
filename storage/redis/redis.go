// Package redis owns Lapak's Redis state: conversations, update dedupe and shared rate limits.
// Nothing here is a money fact: losing Redis restarts conversations but loses no order or payment.
// Every key starts with a prefix, so several apps (or tests) share one Redis.
package redis

import (
	"context"
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// Open connects to the Redis at url and checks that it answers.
func Open(ctx context.Context, url string) (*goredis.Client, error) {
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
	return c, nil
}
