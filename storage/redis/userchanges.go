package redis

import (
	"context"
	"errors"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/flows"
)

var _ flows.UserChanges = (*UserChanges)(nil)

// UserChanges counts the changes engines make to users in one key, which every instance reads with
// each message to know whether what it remembers of users is still current.
type UserChanges struct {
	rdb goredis.UniversalClient
	key string
}

// NewUserChanges returns the count under prefix.
func NewUserChanges(rdb goredis.UniversalClient, prefix string) *UserChanges {
	return &UserChanges{rdb: rdb, key: prefix + "users:changes"}
}

// Changed counts one more change and returns the count.
func (c *UserChanges) Changed(ctx context.Context) (int64, error) {
	n, err := c.rdb.Incr(ctx, c.key).Result()
	if err != nil {
		return 0, lapak.Errorf(lapak.KindUnavailable, "error.unavailable").With(err)
	}
	return n, nil
}

// Count returns the changes counted so far: 0 before the first.
func (c *UserChanges) Count(ctx context.Context) (int64, error) {
	n, err := c.rdb.Get(ctx, c.key).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, lapak.Errorf(lapak.KindUnavailable, "error.unavailable").With(err)
	}
	return n, nil
}
