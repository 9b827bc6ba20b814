package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/flows"
)

var _ flows.Carts = (*Carts)(nil)

// Carts keeps each customer's cart as JSON. A cart is not a money fact: prices are looked up at
// checkout, and a lost cart only means choosing again.
type Carts struct {
	rdb    goredis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewCarts returns carts under prefix that are forgotten ttl after they last changed; a ttl of
// zero keeps them until they are emptied.
func NewCarts(rdb goredis.UniversalClient, prefix string, ttl time.Duration) *Carts {
	return &Carts{rdb: rdb, prefix: prefix, ttl: ttl}
}

func (c *Carts) key(k string) string { return c.prefix + "cart:" + k }

// Cart returns the cart at key, empty when there is none, it expired, or it cannot be read.
func (c *Carts) Cart(ctx context.Context, key string) (lapak.Cart, error) {
	raw, err := c.rdb.Get(ctx, c.key(key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return lapak.Cart{}, nil
	}
	if err != nil {
		return lapak.Cart{}, lapak.Errorf(lapak.KindUnavailable, "error.unavailable").With(err)
	}
	var cart lapak.Cart
	if err := json.Unmarshal(raw, &cart); err != nil {
		return lapak.Cart{}, nil // an unreadable cart starts again empty
	}
	return cart, nil
}

// SaveCart stores cart at key for the store's TTL from now. An empty cart deletes the key.
func (c *Carts) SaveCart(ctx context.Context, key string, cart lapak.Cart) error {
	var err error
	if len(cart.Items) == 0 {
		err = c.rdb.Del(ctx, c.key(key)).Err()
	} else {
		raw, jerr := json.Marshal(cart)
		if jerr != nil {
			return fmt.Errorf("encode cart: %w", jerr)
		}
		err = c.rdb.Set(ctx, c.key(key), raw, c.ttl).Err()
	}
	if err != nil {
		return lapak.Errorf(lapak.KindUnavailable, "error.unavailable").With(err)
	}
	return nil
}
