package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak/bot"
)

var _ bot.Deduper = (*Dedupe)(nil)

// Dedupe remembers handled updates. A claim is a short lease, so an update whose handler crashed
// can be handled when the channel delivers it again; a done mark lasts as long as channels retry.
type Dedupe struct {
	rdb    goredis.UniversalClient
	prefix string
	lease  time.Duration
	keep   time.Duration
}

// NewDedupe returns a Dedupe under prefix. Claims last lease; done marks last keep.
func NewDedupe(rdb goredis.UniversalClient, prefix string, lease, keep time.Duration) *Dedupe {
	return &Dedupe{rdb: rdb, prefix: prefix + "dedupe:", lease: lease, keep: keep}
}

// Claim takes the lease on key, and reports false when it is taken or done already.
func (d *Dedupe) Claim(ctx context.Context, key string) (bool, error) {
	ok, err := d.rdb.SetNX(ctx, d.prefix+key, "claimed", d.lease).Result()
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	return ok, nil
}

// Done marks key handled for good.
func (d *Dedupe) Done(ctx context.Context, key string) error {
	return d.rdb.Set(ctx, d.prefix+key, "done", d.keep).Err()
}

var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == 'claimed' then return redis.call('DEL', KEYS[1]) end
return 0`)

// Release gives up a claim, so the next delivery is handled.
func (d *Dedupe) Release(ctx context.Context, key string) error {
	return releaseScript.Run(ctx, d.rdb, []string{d.prefix + key}).Err()
}
