package lapak

import (
	"regexp"
	"strings"
	"time"
)

// Supplier is a brand whose products Lapak sells. Owners manage one or more suppliers.
type Supplier struct {
	ID   int64
	Name string
}

// Product is something an owner sells through resellers.
type Product struct {
	ID            int64
	SupplierID    int64
	Supplier      string // the supplier's name, when loaded with it
	SKU           string // upper case letters, digits and dashes; the product code in links
	Name          string
	Description   string
	Category      string
	BasePrice     Money // the floor: the lowest price a reseller may sell at
	RetailPrice   Money // the suggested price, and a reseller's price until they set one
	MaxPrice      Money // the highest price a reseller may ask; 0 means no maximum
	Commission    CommissionRule
	Stock         *int // nil: unlimited, for services
	LowStock      int  // warn the owner when stock falls to this
	WeightGrams   int
	Active        bool
	Variants      []Variant
	Images        []string // image IDs, first is the cover
	TelegramPhoto string   // the cover's Telegram file ID, for re-sending without uploading
	UpdatedAt     time.Time
}

// Variant is a size or colour of a product, with its own SKU and stock and the product's price.
type Variant struct {
	ID     int64
	SKU    string
	Name   string
	Stock  *int // nil: unlimited
	Active bool
}

// InStock reports whether at least one unit can be sold, of any active variant when there are variants.
func (p Product) InStock() bool {
	if len(p.Variants) == 0 {
		return p.Stock == nil || *p.Stock > 0
	}
	for _, v := range p.Variants {
		if v.Active && (v.Stock == nil || *v.Stock > 0) {
			return true
		}
	}
	return false
}

// TotalStock is the units left across variants, and false when any of them is unlimited.
func (p Product) TotalStock() (int, bool) {
	if len(p.Variants) == 0 {
		if p.Stock == nil {
			return 0, false
		}
		return *p.Stock, true
	}
	n := 0
	for _, v := range p.Variants {
		if v.Stock == nil {
			return 0, false
		}
		if v.Active {
			n += *v.Stock
		}
	}
	return n, true
}

var skuRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,39}$`)

// NormalizeSKU upper-cases s and reports whether it is a valid SKU: 1 to 40 letters, digits and
// dashes, starting with a letter or digit.
func NormalizeSKU(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	return s, skuRE.MatchString(s)
}

// Markup is how a reseller prices every product they have not priced one by one: a percent or a
// fixed amount on top of the base price. A zero Markup means the suggested retail price.
type Markup struct {
	Percent BasisPoints
	Fixed   Money
}

// IsZero reports whether no markup is set.
func (m Markup) IsZero() bool { return m.Percent == 0 && m.Fixed == 0 }

// ResellerPrice is what a reseller sells p at: their own price for p when they set one, else
// their markup on the base price, else the suggested retail price. A markup is rounded up to
// whole hundreds of rupiah, as sellers price, and kept between the base and the maximum price.
func ResellerPrice(p Product, own Money, m Markup) Money {
	price := p.RetailPrice
	switch {
	case own > 0:
		price = own
	case m.Percent > 0:
		extra := (int64(p.BasePrice)*int64(m.Percent) + 9_999) / 10_000
		price = p.BasePrice + roundUpHundreds(Money(extra))
	case m.Fixed > 0:
		price = p.BasePrice + m.Fixed
	}
	return clampPrice(p, price)
}

func roundUpHundreds(m Money) Money { return (m + 99) / 100 * 100 }

func clampPrice(p Product, price Money) Money {
	if price < p.BasePrice {
		return p.BasePrice
	}
	if p.MaxPrice > 0 && price > p.MaxPrice {
		return p.MaxPrice
	}
	return price
}

// CheckResellerPrice refuses a price below p's base price or above its maximum, with a message
// that names the limit.
func CheckResellerPrice(p Product, price Money) error {
	if price < p.BasePrice {
		return Errorf(KindInvalid, "price.below_floor", p.BasePrice.String())
	}
	if p.MaxPrice > 0 && price > p.MaxPrice {
		return Errorf(KindInvalid, "price.above_max", p.MaxPrice.String())
	}
	return nil
}

// Image is a product photo, already normalised to a JPEG.
type Image struct {
	ID             string
	ProductID      int64
	JPEG           []byte
	Width, Height  int
	TelegramFileID string // for re-sending on Telegram without uploading again
	SourceURL      string // where an imported image came from
}

// Category is a product category and how many active products it has.
type Category struct {
	Name  string
	Count int
}

// ProductQuery selects products for a list or a search.
type ProductQuery struct {
	SupplierIDs     []int64 // only these suppliers' products; empty means all
	Category        string  // only this category; empty means all
	Search          string  // words to find in the name, forgiving typos; empty means all
	IncludeInactive bool    // owners see deactivated products too
	Offset, Limit   int
}
