package flows

import (
	"context"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Customers remembers which reseller brought each customer: a customer who arrives with a
// reseller's code is theirs for a while, and a later explicit code switches.
type Customers interface {
	BindCustomer(ctx context.Context, userID, resellerID int64, until time.Time) error
	// CustomerReseller returns the reseller the customer is bound to at now, and false when none.
	CustomerReseller(ctx context.Context, userID int64, now time.Time) (lapak.Reseller, bool, error)
	ResellerByID(ctx context.Context, id int64) (lapak.Reseller, error)
}

// Orders places orders and keeps them.
type Orders interface {
	ShippingZones(ctx context.Context) ([]lapak.ShippingZone, error)
	SetShippingZones(ctx context.Context, zones []lapak.ShippingZone) error
	// PlaceOrder prices the items (the reseller's prices, or retail without a reseller), reserves
	// their stock and records the order in one transaction, with the jobs that release the
	// reservation at o.ExpiresAt and send notify's messages. The same o.Key twice places one order.
	// When an item's stock is short it places nothing and returns a KindConflict error with the key
	// order.sold_out and the product's name.
	PlaceOrder(ctx context.Context, o lapak.NewOrder, notify func(lapak.Order) []bot.Outbound) (lapak.Order, error)
	// OrdersOf returns a customer's orders, newest first.
	OrdersOf(ctx context.Context, customerUserID int64, limit int) ([]lapak.Order, error)
	OrderByRef(ctx context.Context, ref string) (lapak.Order, error)
}

// Carts keeps customers' carts (in Redis, for a week).
type Carts interface {
	Cart(ctx context.Context, key string) (lapak.Cart, error)
	SaveCart(ctx context.Context, key string, c lapak.Cart) error
}
