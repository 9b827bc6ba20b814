package redis_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

func TestCarts(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	const week = 7 * 24 * time.Hour
	carts := redis.NewCarts(rdb, prefix, week)

	c, err := carts.Cart(ctx, "whatsapp:628123")
	if err != nil || len(c.Items) != 0 {
		t.Fatalf("a missing cart: %+v, %v", c, err)
	}

	want := lapak.Cart{Items: []lapak.CartItem{{ProductID: 7, Qty: 2}, {ProductID: 8, VariantID: 81, Qty: 1}}}
	if err := carts.SaveCart(ctx, "whatsapp:628123", want); err != nil {
		t.Fatal(err)
	}
	if got, err := carts.Cart(ctx, "whatsapp:628123"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("saved %+v, got %+v, %v", want, got, err)
	}
	if ttl := rdb.PTTL(ctx, prefix+"cart:whatsapp:628123").Val(); ttl <= week-time.Minute || ttl > week {
		t.Errorf("cart kept for %s, want a week", ttl)
	}
	if got, _ := carts.Cart(ctx, "whatsapp:628999"); len(got.Items) != 0 {
		t.Errorf("another customer sees %+v", got)
	}

	t.Run("AnEmptyCartDeletesTheKey", func(t *testing.T) {
		if err := carts.SaveCart(ctx, "whatsapp:628123", lapak.Cart{}); err != nil {
			t.Fatal(err)
		}
		if n := rdb.Exists(ctx, prefix+"cart:whatsapp:628123").Val(); n != 0 {
			t.Errorf("an emptied cart's key is still there")
		}
		if got, err := carts.Cart(ctx, "whatsapp:628123"); err != nil || len(got.Items) != 0 {
			t.Errorf("an emptied cart: %+v, %v", got, err)
		}
	})

	t.Run("AnUnreadableCartStartsEmpty", func(t *testing.T) {
		rdb.Set(ctx, prefix+"cart:telegram:1", "{not json", time.Minute)
		if got, err := carts.Cart(ctx, "telegram:1"); err != nil || len(got.Items) != 0 {
			t.Errorf("an unreadable cart: %+v, %v", got, err)
		}
	})

	t.Run("ExpiresAfterTheTTL", func(t *testing.T) {
		short := redis.NewCarts(rdb, prefix, 50*time.Millisecond)
		if err := short.SaveCart(ctx, "telegram:2", want); err != nil {
			t.Fatal(err)
		}
		poll := time.NewTicker(10 * time.Millisecond)
		defer poll.Stop()
		deadline := time.After(5 * time.Second)
		for {
			got, err := short.Cart(ctx, "telegram:2")
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Items) == 0 {
				break
			}
			select {
			case <-poll.C:
			case <-deadline:
				t.Fatal("the cart did not expire")
			}
		}
	})

	t.Run("AFailedCallIsUnavailable", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := carts.Cart(cctx, "x"); lapak.KindOf(err) != lapak.KindUnavailable {
			t.Errorf("a failed read: %v", err)
		}
		if err := carts.SaveCart(cctx, "x", want); lapak.KindOf(err) != lapak.KindUnavailable {
			t.Errorf("a failed save: %v", err)
		}
	})
}
