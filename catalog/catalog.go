// Package catalog imports and exports an owner's products as CSV files that Excel and Google
// Sheets open and save. It reaches the database through the small Store interface declared here;
// flows never import it.
//
// # The file
//
// The first row names the columns, in any order and in any letter case; spaces may stand for
// underscores. Only sku, name and base_price are required: a file without one of them is refused
// whole, with a message naming the column. Unknown columns are ignored and listed in the report.
//
//	sku            the product code: letters, digits and dashes, up to 40; stored upper case.
//	               Rows with the same sku are one product.
//	name           2 to 120 characters
//	description    up to 2000 characters; line breaks are kept
//	category       up to 60 characters, such as Kaos or Sambal
//	supplier       the supplier's name, created when there is none by that name (case ignored).
//	               Empty: an existing product keeps its supplier; a new one goes to the only
//	               supplier, and is refused when there are several or none.
//	base_price     the floor a reseller may not sell below, above 0
//	retail_price   the suggested price, at least base_price; empty means base_price
//	max_price      the most a reseller may ask, at least retail_price; empty or 0 means no maximum
//	commission     what the owner gives the reseller per item: a percent of base_price
//	               ("10%", "2,5%") or an amount ("5.000", "5rb"); empty means none
//	stock          units left; empty, "unlimited" or "tak terbatas" means unlimited
//	weight_grams   for shipping; empty means 0
//	image_url      where the product photo is, http:// or https://; kept as the photo's source
//	active         ya/tidak, yes/no, true/false, 1/0; empty means ya
//	variant_sku    the variant's own code; empty makes one from sku and variant_name
//	variant_name   a size or colour, such as XL or Merah; unique within the product
//	variant_stock  the variant's units left, like stock
//
// Prices are read by lapak.ParsePrice, so 150000, 150.000, Rp150.000, 150rb and 1,5jt all mean
// Rp150.000. A product without variants is one row with the variant columns empty. A product with
// variants is one row per variant, with the product columns repeated (or left empty) on each: a
// product column that differs from the product's first row is a mistake, reported as such.
//
// Files may use "," or ";" between cells (read from the header row), may start with a UTF-8 byte
// order mark, and may end lines with CRLF. Files that are not UTF-8 are read as Windows-1252, which
// is what Excel's plain "CSV" format writes. A file may be at most 10 MB.
//
// # Importing
//
// An import saves every good product and refuses the products with a bad row, all in one
// transaction: a crash or a lost connection imports nothing. Each bad row is reported with its row
// number as a spreadsheet shows it (the header is row 1) and the reason. A refused product is left
// exactly as it was, variants included; nothing is saved half. Products are matched by SKU, so
// importing the same file again after fixing the bad rows saves them and leaves the others
// unchanged. Products the file does not mention are left alone, and so are the columns the file
// does not have: a file of sku, name and base_price changes only names and prices. In a file with
// variant columns, a product's rows are all its variants: variants missing from the file are
// deactivated, and a product row without a variant_name leaves the product with none.
//
// # Exporting
//
// Export writes every product in the same format, sorted by SKU, one row per active variant,
// with "," between cells, CRLF line ends and a UTF-8 byte order mark so that Excel shows names
// correctly. Prices are plain digits, which every spreadsheet reads as numbers. Importing an
// export and exporting again gives the same bytes.
package catalog

import (
	"context"

	"github.com/lapak-id/lapak"
)

// Item is one product as a file holds it: the product, with its supplier's name in
// Product.Supplier, and the address its photo is imported from.
type Item struct {
	Product  lapak.Product
	ImageURL string
}

// Status is what an import did with one product.
type Status int

// What an import did with a product.
const (
	Created   Status = iota + 1 // a new product
	Updated                     // an existing product, changed
	Unchanged                   // an existing product, already as the file says
	Refused                     // not saved; Result.Err says why
)

// Result is what an import did with one item.
type Result struct {
	Status Status
	Err    error // why the item was refused: a *lapak.Error
}

// Store keeps the products. *storage.Store is one.
type Store interface {
	// CatalogItems returns the products with the given SKUs, or every product when skus is nil,
	// sorted by SKU, with their active variants in order.
	CatalogItems(ctx context.Context, skus []string) ([]Item, error)
	// ImportItems saves items in one transaction, each on its own: a refused item leaves the
	// others saved. Results are in the order of items. An error means nothing was saved.
	ImportItems(ctx context.Context, items []Item) ([]Result, error)
}
