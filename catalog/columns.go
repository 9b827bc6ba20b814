package catalog

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
)

// The columns of a catalog file, in the order Export writes them.
const (
	colSKU          = "sku"
	colName         = "name"
	colDescription  = "description"
	colCategory     = "category"
	colSupplier     = "supplier"
	colBasePrice    = "base_price"
	colRetailPrice  = "retail_price"
	colMaxPrice     = "max_price"
	colCommission   = "commission"
	colStock        = "stock"
	colWeight       = "weight_grams"
	colImageURL     = "image_url"
	colActive       = "active"
	colVariantSKU   = "variant_sku"
	colVariantName  = "variant_name"
	colVariantStock = "variant_stock"
)

// columns are the columns of a catalog file, in the order Export writes them.
var columns = []string{
	colSKU, colName, colDescription, colCategory, colSupplier, colBasePrice, colRetailPrice, colMaxPrice,
	colCommission, colStock, colWeight, colImageURL, colActive, colVariantSKU, colVariantName, colVariantStock,
}

// required are the columns a file must have.
var required = []string{colSKU, colName, colBasePrice}

// productColumns are the columns a product's rows repeat; the others describe one variant.
var productColumns = columns[:13]

var variantColumns = columns[13:]

// header maps the columns a file has to their positions.
type header struct {
	at      map[string]int
	width   int      // cells in the header row
	ignored []string // columns Lapak does not know, as the file wrote them
}

// parseHeader reads the header row, refusing a file without a required column or with one twice.
func parseHeader(cells []string) (header, error) {
	h := header{at: make(map[string]int, len(cells)), width: len(cells)}
	known := make(map[string]bool, len(columns))
	for _, c := range columns {
		known[c] = true
	}
	for i, cell := range cells {
		name := columnName(cell)
		switch {
		case name == "":
			continue
		case !known[name]:
			h.ignored = append(h.ignored, strings.TrimSpace(cell))
			continue
		}
		if _, dup := h.at[name]; dup {
			return h, lapak.Errorf(lapak.KindInvalid, "import.duplicate_column", name)
		}
		h.at[name] = i
	}
	for _, c := range required {
		if !h.has(c) {
			return h, lapak.Errorf(lapak.KindInvalid, "import.missing_column", c)
		}
	}
	return h, nil
}

// columnName is how a header cell names a column: "Base Price" and "base-price" are base_price.
func columnName(cell string) string {
	s := strings.ToLower(strings.TrimSpace(cell))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

func (h header) has(col string) bool {
	_, ok := h.at[col]
	return ok
}

func (h header) hasAny(cols []string) bool {
	for _, c := range cols {
		if h.has(c) {
			return true
		}
	}
	return false
}

// cell returns a row's cell in col, trimmed, and "" when the file has no such column.
func (h header) cell(cells []string, col string) string {
	i, ok := h.at[col]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// extraCells reports whether a row has text beyond the header's last cell.
func extraCells(cells []string, width int) bool {
	for i := width; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			return true
		}
	}
	return false
}

// cellError is why a cell was refused.
func cellError(key string, args ...any) *lapak.Error {
	return lapak.Errorf(lapak.KindInvalid, key, args...)
}

// parseMoney reads a price as lapak.ParsePrice does; empty is 0.
func parseMoney(s string) (lapak.Money, *lapak.Error) {
	if s == "" {
		return 0, nil
	}
	m, err := lapak.ParsePrice(s)
	var e *lapak.Error
	switch {
	case err == nil:
		return m, nil
	case errors.As(err, &e):
		return 0, e
	}
	return 0, cellError("price.invalid")
}

// parseCommission reads "10%", "2,5%" or an amount that lapak.ParsePrice reads; empty is no
// commission.
func parseCommission(s string) (lapak.CommissionRule, *lapak.Error) {
	if s == "" {
		return lapak.CommissionRule{}, nil
	}
	if num, ok := strings.CutSuffix(s, "%"); ok {
		bp, ok := parsePercent(strings.TrimSpace(num))
		if !ok {
			return lapak.CommissionRule{}, cellError("import.commission_invalid")
		}
		if bp > lapak.AllOfIt {
			return lapak.CommissionRule{}, cellError("commission.invalid")
		}
		return lapak.CommissionRule{Percent: bp}, nil
	}
	m, err := lapak.ParsePrice(s)
	if err != nil {
		return lapak.CommissionRule{}, cellError("import.commission_invalid")
	}
	return lapak.CommissionRule{Fixed: m}, nil
}

// parsePercent reads a percent with at most two decimals after "," or ".": "2,5" is 250 basis
// points.
func parsePercent(s string) (lapak.BasisPoints, bool) {
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 6 || len(frac) > 2 || !digits(whole) || !digits(frac) {
		return 0, false
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi((frac + "00")[:2])
	return lapak.BasisPoints(w*100 + f), true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// unlimited are the words that mean a stock without limit.
var unlimited = map[string]bool{"": true, "unlimited": true, "tak terbatas": true, "tidak terbatas": true, "∞": true}

// parseStock reads a stock: a whole number, or empty or a word for unlimited (nil).
func parseStock(s string) (*int, *lapak.Error) {
	if unlimited[strings.ToLower(strings.Join(strings.Fields(s), " "))] {
		return nil, nil
	}
	n, neg, ok := parseWhole(s)
	switch {
	case !ok:
		return nil, cellError("import.stock_invalid")
	case neg:
		return nil, cellError("product.stock_invalid")
	}
	return &n, nil
}

// parseWeight reads a weight in grams, with or without "g", "gr" or "gram"; empty is 0.
func parseWeight(s string) (int, *lapak.Error) {
	s = strings.ToLower(s)
	for _, unit := range []string{"gram", "gr", "g"} {
		if rest, ok := strings.CutSuffix(s, unit); ok {
			s = strings.TrimSpace(rest)
			break
		}
	}
	if s == "" {
		return 0, nil
	}
	n, neg, ok := parseWhole(s)
	switch {
	case !ok:
		return 0, cellError("import.weight_invalid")
	case neg:
		return 0, cellError("product.weight_invalid")
	}
	return n, nil
}

// parseWhole reads a whole number, perhaps negative, perhaps grouped in thousands with "." or ","
// (1.000), and at most a billion.
func parseWhole(s string) (n int, neg, ok bool) {
	s, neg = strings.CutPrefix(strings.TrimSpace(s), "-")
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' })
	if s == "" || len(groups) > 1 && (len(groups[0]) > 3 || strings.Count(s, ".")+strings.Count(s, ",") != len(groups)-1) {
		return 0, neg, false
	}
	for i, g := range groups {
		if !digits(g) || i > 0 && len(g) != 3 {
			return 0, neg, false
		}
	}
	joined := strings.Join(groups, "")
	if len(joined) > 10 {
		return 0, neg, false
	}
	n, err := strconv.Atoi(joined)
	return n, neg, err == nil && n <= 1_000_000_000
}

// parseActive reads ya/tidak, yes/no, true/false or 1/0; empty is active.
func parseActive(s string) (bool, *lapak.Error) {
	switch strings.ToLower(s) {
	case "", "ya", "y", "yes", "true", "1", "aktif":
		return true, nil
	case "tidak", "t", "no", "n", "false", "0", "nonaktif":
		return false, nil
	}
	return false, cellError("import.active_invalid")
}

// parseImageURL accepts an http or https address.
func parseImageURL(s string) (string, *lapak.Error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > 2000 {
		return "", cellError("import.image_url_invalid")
	}
	return s, nil
}

// Cells as Export writes them.

func formatMoney(m lapak.Money) string { return strconv.FormatInt(int64(m), 10) }

func formatMax(m lapak.Money) string {
	if m == 0 {
		return ""
	}
	return formatMoney(m)
}

func formatCommission(r lapak.CommissionRule) string {
	if r.Percent > 0 {
		return r.Percent.String()
	}
	return formatMoney(r.Fixed)
}

func formatStock(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func formatActive(active bool) string {
	if active {
		return "ya"
	}
	return "tidak"
}
