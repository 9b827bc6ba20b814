package redis_test

import (
	"context"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

func TestUserChangesAreCountedForEveryInstance(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	one, other := redis.NewUserChanges(rdb, prefix), redis.NewUserChanges(rdb, prefix)
	if n, err := other.Count(ctx); err != nil || n != 0 {
		t.Fatalf("count before any change = %d, %v", n, err)
	}
	for want := int64(1); want <= 2; want++ {
		if n, err := one.Changed(ctx); err != nil || n != want {
			t.Fatalf("change %d counted as %d, %v", want, n, err)
		}
	}
	if n, err := other.Count(ctx); err != nil || n != 2 {
		t.Errorf("another instance counts %d, %v; want 2", n, err)
	}
	if n, _ := redis.NewUserChanges(rdb, prefix+"elsewhere:").Count(ctx); n != 0 {
		t.Errorf("another app under its own prefix counts %d", n)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := one.Count(cctx); lapak.KindOf(err) != lapak.KindUnavailable {
		t.Errorf("a failed read: %v", err)
	}
}
