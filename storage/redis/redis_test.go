package redis_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

func TestOpenServesConcurrentCallersInTheirOrder(t *testing.T) {
	ctx := context.Background()
	_, prefix := redistest.New(t) // cleans up the keys under prefix
	rdb, err := redis.Open(ctx, redistest.URL())
	if err != nil {
		t.Fatal(err)
	}
	dedupe := redis.NewDedupe(rdb, prefix, time.Minute, time.Hour)
	sessions := redis.NewSessions(rdb, prefix, time.Hour)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			chat := fmt.Sprint("telegram:", i)
			for n := range 5 {
				key := fmt.Sprint("update:", i, ":", n)
				if fresh, err := dedupe.Claim(ctx, key); err != nil || !fresh {
					t.Errorf("claim %s: %v, %v", key, fresh, err)
					return
				}
				s, err := sessions.Load(ctx, chat)
				if err != nil {
					t.Error(err)
					return
				}
				s.Step = fmt.Sprint(n)
				if err := sessions.Save(ctx, chat, s); err != nil {
					t.Errorf("save %s after %d saves: %v", chat, n, err)
					return
				}
				if err := dedupe.Done(ctx, key); err != nil {
					t.Error(err)
				}
				if fresh, _ := dedupe.Claim(ctx, key); fresh {
					t.Errorf("%s claimed again after it was done", key)
				}
			}
		})
	}
	wg.Wait()
	for i := range 50 {
		s, err := sessions.Load(ctx, fmt.Sprint("telegram:", i))
		if err != nil || s.Version != 5 || s.Step != "4" {
			t.Errorf("chat %d ends at %+v, %v; want version 5 at step 4", i, s, err)
		}
	}
	if err := rdb.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if _, err := sessions.Load(ctx, "telegram:0"); err == nil {
		t.Error("a closed client still answers")
	}
}
