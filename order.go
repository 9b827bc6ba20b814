package lapak

import (
	"strings"
	"time"
)

// OrderStatus is where an order stands.
type OrderStatus string

// Order states. An order is created pending payment with its stock reserved; the reservation
// becomes a sale when it is paid, or is released when it expires or is cancelled.
const (
	OrderPending   OrderStatus = "pending_payment"
	OrderPaid      OrderStatus = "paid"
	OrderShipped   OrderStatus = "shipped"
	OrderCompleted OrderStatus = "completed"
	OrderCancelled OrderStatus = "cancelled"
	OrderExpired   OrderStatus = "expired"
)

// Address is where an order is shipped, as Indonesian addresses are written.
type Address struct {
	Street     string `json:"street"`
	Kelurahan  string `json:"kelurahan"`
	Kecamatan  string `json:"kecamatan"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
}

// String is the address on one line.
func (a Address) String() string {
	var parts []string
	for _, p := range []string{a.Street, a.Kelurahan, a.Kecamatan, a.City, a.PostalCode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// ShippingZone is a flat shipping fee the owner sets for an area, such as "Jawa" or "Luar Jawa".
type ShippingZone struct {
	ID   int64
	Name string
	Fee  Money
}

// CartItem is a product, or one variant of it, and how many the customer wants.
type CartItem struct {
	ProductID int64 `json:"product_id"`
	VariantID int64 `json:"variant_id,omitempty"` // 0: the product has no variants
	Qty       int   `json:"qty"`
}

// Cart is what a customer is about to order. It lives in Redis; prices are looked up at checkout.
type Cart struct {
	Items []CartItem `json:"items"`
}

// OrderItem is one line of an order at the price the customer pays, with the split that price
// makes between the reseller and the owner.
type OrderItem struct {
	ProductID  int64
	VariantID  int64
	SKU        string
	Name       string // product name, and the variant's after " – "
	Qty        int
	UnitPrice  Money // what the customer pays per item: the reseller's price
	BasePrice  Money
	Commission CommissionRule
	Earnings   Earnings // for the whole line
}

// Order is a customer's order, always for exactly one reseller (or the owner, with no reseller).
type Order struct {
	ID             int64
	Ref            string // what people read and say: LPK-7F3K2Q
	CustomerUserID int64
	ResellerID     int64 // 0: no reseller; sold by the owner at the retail price
	Status         OrderStatus
	Items          []OrderItem
	Subtotal       Money
	ShippingZone   string
	Shipping       Money
	Total          Money
	Name           string
	Phone          Phone
	Address        Address
	Notes          string
	CreatedAt      time.Time
	ExpiresAt      time.Time // when an unpaid order's reservation is released

	// Set as the order moves on; zero until then.
	PaidAt      time.Time
	ShippedAt   time.Time
	Courier     string // such as JNE
	Resi        string // the courier's tracking number
	CompletedAt time.Time
	ReleaseAt   time.Time // when the reseller's earnings become available
	ReleasedAt  time.Time // when they did
	CancelledAt time.Time
	RefundRef   string // the owner's transfer reference for a refund
	RefundedAt  time.Time
}

// NewOrder is what checkout asks the store to place.
type NewOrder struct {
	Key            string // idempotency: the same key twice places one order (a double tap)
	CustomerUserID int64
	ResellerID     int64
	Items          []CartItem
	ZoneID         int64
	Name           string
	Phone          Phone
	Address        Address
	Notes          string
	ExpiresAt      time.Time
}
