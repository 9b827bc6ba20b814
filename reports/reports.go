// Package reports owns Lapak's sales reports: periods cut in the owner's time zone (WIB, WITA or
// WIT), the figures of a period for the whole store or some suppliers, their change against the
// period before, and the report rendered as chat text in Indonesian or English, a PNG chart, a CSV
// file and an XLSX workbook. It also decides which scheduled reports are due and builds them.
// The figures come from a Source, which storage implements; this package does no I/O itself.
package reports

import (
	"time"

	"github.com/lapak-id/lapak"
)

// Scope is whose figures a report shows: some suppliers' (their products' order lines), or the
// whole store's.
type Scope struct {
	All         bool    `json:"all"` // the whole store: every supplier, and the store's payouts
	SupplierIDs []int64 `json:"supplier_ids,omitempty"`
	Name        string  `json:"name"` // the store's or the suppliers' names, for the title
}

// Whole reports whether the scope is the whole store.
func (s Scope) Whole() bool { return s.All }

// Headline is the part of a period's figures that is compared with the period before and
// checked again later for late events. Amounts are whole rupiah.
type Headline struct {
	// Sales is the goods value (price × quantity, without shipping) of the scope's lines on orders
	// paid in the period: paid GMV.
	Sales lapak.Money `json:"sales"`
	// Created, Paid, Expired and Cancelled count orders by when each happened; an order counts for
	// a scope when one of its lines is the scope's.
	Created   int `json:"created"`
	Paid      int `json:"paid"`
	Expired   int `json:"expired"`
	Cancelled int `json:"cancelled"` // cancelled before payment; refunds are counted apart
	// CreatedPaid is how many of the orders created in the period were paid by the time the
	// report was made: payment conversion is CreatedPaid / Created.
	CreatedPaid int `json:"created_paid"`
	// Refunded and Refunds are the orders refunded in the period, and the goods value refunded.
	Refunded int         `json:"refunded"`
	Refunds  lapak.Money `json:"refunds"`
	// Customers paid in the period; new ones never had a paid order of the scope before it.
	Customers    int `json:"customers"`
	NewCustomers int `json:"new_customers"`
	// Resellers' earnings (their markup plus the owner's commission, as the ledger keeps them) on
	// the scope's lines: accrued on orders paid in the period, released to their balance in the
	// period, and taken back by refunds in the period.
	Accrued  lapak.Money `json:"accrued"`
	Released lapak.Money `json:"released"`
	Reversed lapak.Money `json:"reversed"`
}

// AOV is the average order value: sales per paid order.
func (h Headline) AOV() lapak.Money {
	if h.Paid == 0 {
		return 0
	}
	return h.Sales / lapak.Money(h.Paid)
}

// Conversion is the share of the orders created in the period that were paid, in basis points.
func (h Headline) Conversion() lapak.BasisPoints {
	if h.Created == 0 {
		return 0
	}
	return lapak.BasisPoints(int64(h.CreatedPaid) * int64(lapak.AllOfIt) / int64(h.Created))
}

// Returning is how many of the period's paying customers had paid before.
func (h Headline) Returning() int { return h.Customers - h.NewCustomers }

// Minus is h − o, figure by figure.
func (h Headline) Minus(o Headline) Headline {
	return Headline{
		Sales: h.Sales - o.Sales, Created: h.Created - o.Created, Paid: h.Paid - o.Paid, Expired: h.Expired - o.Expired,
		Cancelled: h.Cancelled - o.Cancelled, CreatedPaid: h.CreatedPaid - o.CreatedPaid, Refunded: h.Refunded - o.Refunded,
		Refunds: h.Refunds - o.Refunds, Customers: h.Customers - o.Customers, NewCustomers: h.NewCustomers - o.NewCustomers,
		Accrued: h.Accrued - o.Accrued, Released: h.Released - o.Released, Reversed: h.Reversed - o.Reversed,
	}
}

// Comparable is the part of h compared with the period before and checked again for late
// changes: the figures of the orders paid and placed, whose times can be earlier than when they
// were recorded (a payment callback that arrives late carries the time the customer paid).
// Expired, cancelled and refunded orders and released earnings count when they are recorded, so
// a closed period's never change.
func (h Headline) Comparable() Headline {
	return Headline{Sales: h.Sales, Created: h.Created, Paid: h.Paid, CreatedPaid: h.CreatedPaid, Customers: h.Customers,
		NewCustomers: h.NewCustomers, Accrued: h.Accrued}
}

// IsZero reports whether every figure is zero.
func (h Headline) IsZero() bool { return h == Headline{} }

// Bucket is one bar of the chart: an hour of a day, or a day of a longer period.
type Bucket struct {
	Sales lapak.Money `json:"sales"`
	Paid  int         `json:"paid"` // orders paid
}

// ProductSales is a product's sales in the period.
type ProductSales struct {
	ID    int64       `json:"id"`
	SKU   string      `json:"sku"`
	Name  string      `json:"name"`
	Qty   int         `json:"qty"`
	Sales lapak.Money `json:"sales"`
}

// ResellerSales is a reseller's sales in the period and what they earned on them.
type ResellerSales struct {
	ID       int64       `json:"id"`
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	Paid     int         `json:"paid"`
	Sales    lapak.Money `json:"sales"`
	Earnings lapak.Money `json:"earnings"`
}

// FunnelRow is how far a reseller's customers got in the period: link clicks, chats started
// through their code or link, carts started, orders placed, and of those orders the ones paid.
type FunnelRow struct {
	ResellerID int64  `json:"reseller_id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Clicks     int    `json:"clicks"`
	Chats      int    `json:"chats"`
	Carts      int    `json:"carts"`
	Orders     int    `json:"orders"`
	Paid       int    `json:"paid"`
}

// StockItem is a product, or one of its variants, running low or out.
type StockItem struct {
	SKU   string `json:"sku"`
	Name  string `json:"name"`
	Stock int    `json:"stock"`
}

// Stock is the scope's active products out of stock or at or below their low-stock mark when the
// report was made; at most MaxStockItems of each are listed.
type Stock struct {
	Out      []StockItem `json:"out,omitempty"`
	OutCount int         `json:"out_count"`
	Low      []StockItem `json:"low,omitempty"`
	LowCount int         `json:"low_count"`
}

// Payouts are the store's payouts to resellers in the period, from the ledger.
type Payouts struct {
	Sent         int         `json:"sent"`
	SentAmount   lapak.Money `json:"sent_amount"`
	Paid         int         `json:"paid"`
	PaidAmount   lapak.Money `json:"paid_amount"` // the commission paid out in the period
	Failed       int         `json:"failed"`
	FailedAmount lapak.Money `json:"failed_amount"`
	// Owed is what resellers were owed at the period's end: pending, available and on its way.
	Owed lapak.Money `json:"owed"`
}

// Report limits.
const (
	TopN          = 5  // products and resellers in the top lists
	FunnelN       = 10 // resellers in the funnel
	MaxStockItems = 5  // products listed per stock line
)

// Figures are everything a report says about one period.
type Figures struct {
	Headline
	// Pending is the resellers' earnings on the scope's lines still pending at the period's end:
	// paid, not yet released and not refunded.
	Pending      lapak.Money     `json:"pending"`
	Series       []Bucket        `json:"series"` // one per Period.Buckets
	TopProducts  []ProductSales  `json:"top_products,omitempty"`
	TopResellers []ResellerSales `json:"top_resellers,omitempty"`
	Funnel       []FunnelRow     `json:"funnel,omitempty"` // the resellers who got furthest, at most FunnelN
	FunnelTotal  FunnelRow       `json:"funnel_total"`     // every reseller together
	Stock        Stock           `json:"stock"`
	Payouts      *Payouts        `json:"payouts,omitempty"` // the whole store only: payouts are not per supplier
}

// Kind is why a report was made: asked for in chat or on the command line, or sent on a schedule.
type Kind string

// Kinds of reports. The scheduled kinds are sent once per recipient and period.
const (
	OnDemand       Kind = "on_demand"
	Daily          Kind = "daily"
	Weekly         Kind = "weekly"
	Monthly        Kind = "monthly"
	ResellerWeekly Kind = "reseller_weekly"
)

// Adjustment is how an earlier period's figures changed after its report was sent: payments
// recorded late, orders expired after the report, and so on.
type Adjustment struct {
	Period Period    `json:"period"`
	SentAt time.Time `json:"sent_at"`
	Delta  Headline  `json:"delta"`
}

// Report is one period's figures for a scope, the period before's comparable headline, and any
// adjustment to the last report sent.
type Report struct {
	Kind       Kind        `json:"kind"`
	Scope      Scope       `json:"scope"`
	Period     Period      `json:"period"`
	Current    Figures     `json:"current"`
	Previous   Headline    `json:"previous"`
	Adjustment *Adjustment `json:"adjustment,omitempty"`
	MadeAt     time.Time   `json:"made_at"`
}

// Line is one order line of the period, as the spreadsheet lists it: an order created or paid in
// the period, with how its price divides between reseller and owner.
type Line struct {
	OrderRef     string
	Line         int
	CreatedAt    time.Time
	PaidAt       time.Time // zero when unpaid
	Status       lapak.OrderStatus
	Supplier     string
	SKU          string
	Product      string
	Qty          int
	UnitPrice    lapak.Money
	Total        lapak.Money // UnitPrice × Qty
	BasePrice    lapak.Money
	Commission   lapak.Money // the owner's commission on the line
	Earning      lapak.Money // the reseller's earning: markup plus commission
	OwnerShare   lapak.Money
	ResellerCode string // empty for the owner's own sales
	Reseller     string
	Customer     string // the name the order is shipped to
}
