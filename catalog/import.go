package catalog

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/lapak-id/lapak"
)

// MaxFileBytes is the largest file Import reads: 10 MB, some tens of thousands of rows.
const MaxFileBytes = 10 << 20

// Import reads a catalog file (see the package documentation) and saves its products through
// store, in one transaction. Products with a bad row are refused whole and reported row by row;
// the others are saved. A file that cannot be imported at all (too large, unreadable, or missing
// a required column) gives a *lapak.Error of KindInvalid and saves nothing.
func Import(ctx context.Context, store Store, r io.Reader) (Report, error) {
	var rep Report
	recs, err := readFile(r)
	if err != nil {
		return rep, err
	}
	h, err := parseHeader(recs[0].cells)
	if err != nil {
		return rep, err
	}
	rep.Ignored = h.ignored
	groups := groupRows(h, recs[1:])
	variantRows := firstVariantRows(h, recs[1:])
	var good []*group
	for _, g := range groups {
		if g.check(h, variantRows); len(g.problems) > 0 {
			rep.Refused++
			rep.Problems = append(rep.Problems, g.problems...)
			continue
		}
		good = append(good, g)
	}
	if err := saveGroups(ctx, store, h, good, &rep); err != nil {
		return Report{}, err
	}
	slices.SortStableFunc(rep.Problems, func(a, b Problem) int { return a.Row - b.Row })
	return rep, nil
}

// record is one row of the file with its number as a spreadsheet shows it.
type record struct {
	row   int
	cells []string
}

// readFile reads the whole file as CSV records, the header first. Empty rows are left out.
func readFile(r io.Reader) ([]record, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read catalog file: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, lapak.Errorf(lapak.KindInvalid, "import.too_large", MaxFileBytes>>20)
	}
	text := decodeText(data)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delimiter(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out []record
	row, lastLine := 0, 0
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &lapak.Error{Kind: lapak.KindInvalid, Key: "import.unreadable", Args: []any{row + 1}, Err: err}
		}
		// The reader skips blank lines, which a spreadsheet shows as rows: count them back in.
		line, _ := cr.FieldPos(0)
		row += line - lastLine
		end, _ := cr.FieldPos(len(cells) - 1)
		lastLine = end + strings.Count(cells[len(cells)-1], "\n")
		if !blank(cells) {
			out = append(out, record{row: row, cells: cells})
		}
	}
	if len(out) == 0 || out[0].row != 1 {
		return nil, lapak.Errorf(lapak.KindInvalid, "import.empty")
	}
	return out, nil
}

// decodeText drops a UTF-8 byte order mark, and reads text that is not UTF-8 as Windows-1252,
// which Excel's plain "CSV" format writes.
func decodeText(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return string(data)
	}
	return string(out)
}

// delimiter returns ";" when the header line has more of them than commas, as Excel writes CSV
// where the comma is the decimal mark, and "," otherwise.
func delimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		return ';'
	}
	return ','
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// group is the rows of one SKU: a product, with one variant per row when it has variants.
type group struct {
	sku      string // normalised; empty when the row's SKU is empty or invalid
	rows     []record
	item     Item
	problems []Problem
}

// groupRows puts rows with the same SKU together, in the order of their first row. A row whose
// SKU is empty or invalid is a group of its own, to be refused.
func groupRows(h header, recs []record) []*group {
	var out []*group
	bySKU := map[string]*group{}
	for _, rec := range recs {
		sku, ok := lapak.NormalizeSKU(h.cell(rec.cells, colSKU))
		if g := bySKU[sku]; ok && g != nil {
			g.rows = append(g.rows, rec)
			continue
		}
		g := &group{rows: []record{rec}}
		if ok {
			g.sku = sku
			bySKU[sku] = g
		}
		out = append(out, g)
	}
	return out
}

// problem records that a cell, or a row when col is empty, was refused.
func (g *group) problem(row int, col string, err *lapak.Error) {
	g.problems = append(g.problems, Problem{Row: row, SKU: g.sku, Column: col, Err: err})
}

// check reads the group's rows into its item, and records each bad row. variantRows is the first
// row of each variant SKU in the file.
func (g *group) check(h header, variantRows map[string]int) {
	first := g.rows[0]
	g.item = g.readProduct(h, first)
	seen := map[string]int{}
	for i, rec := range g.rows {
		if extraCells(rec.cells, h.width) {
			g.problem(rec.row, "", cellError("import.extra_cells"))
		}
		if i > 0 {
			g.checkRepeated(h, first, rec)
		}
		v, ok := g.readVariant(h, rec)
		switch {
		case !ok:
			continue
		case v == nil && len(g.rows) > 1 && (i > 0 || g.hasVariants(h)):
			g.problem(rec.row, colVariantName, cellError("import.sku_repeated", g.sku, g.otherRow(rec.row)))
			continue
		case v == nil:
			continue
		}
		key := strings.ToLower(v.Name)
		if at, dup := seen[key]; dup {
			g.problem(rec.row, colVariantName, cellError("import.variant_duplicate", v.Name, at))
			continue
		}
		seen[key] = rec.row
		if at := variantRows[v.SKU]; v.SKU != "" && at != rec.row {
			g.problem(rec.row, colVariantSKU, cellError("import.variant_sku_taken", v.SKU, at))
			continue
		}
		g.item.Product.Variants = append(g.item.Product.Variants, *v)
	}
}

// hasVariants reports whether any of the group's rows names a variant.
func (g *group) hasVariants(h header) bool {
	for _, rec := range g.rows {
		if h.cell(rec.cells, colVariantName) != "" {
			return true
		}
	}
	return false
}

// otherRow is the first row of the group other than row.
func (g *group) otherRow(row int) int {
	if g.rows[0].row != row {
		return g.rows[0].row
	}
	return g.rows[1].row
}

// readProduct reads the product columns of a group's first row.
func (g *group) readProduct(h header, rec record) Item {
	cell := func(col string) string { return h.cell(rec.cells, col) }
	check := func(col string, err *lapak.Error) {
		if err != nil {
			g.problem(rec.row, col, err)
		}
	}
	p := lapak.Product{
		SKU: g.sku, Name: cell(colName), Description: cell(colDescription), Category: cell(colCategory),
		Supplier: cell(colSupplier),
	}
	var err *lapak.Error
	switch raw := cell(colSKU); {
	case raw == "":
		check(colSKU, cellError("import.required", colSKU))
	case g.sku == "":
		check(colSKU, cellError("product.sku_invalid", raw))
	}
	if p.Name == "" {
		check(colName, cellError("import.required", colName))
	}
	if cell(colBasePrice) == "" {
		check(colBasePrice, cellError("import.required", colBasePrice))
	}
	p.BasePrice, err = parseMoney(cell(colBasePrice))
	check(colBasePrice, err)
	p.RetailPrice, err = parseMoney(cell(colRetailPrice))
	check(colRetailPrice, err)
	if cell(colRetailPrice) == "" {
		p.RetailPrice = p.BasePrice
	}
	p.MaxPrice, err = parseMoney(cell(colMaxPrice))
	check(colMaxPrice, err)
	p.Commission, err = parseCommission(cell(colCommission))
	check(colCommission, err)
	p.Stock, err = parseStock(cell(colStock))
	check(colStock, err)
	p.WeightGrams, err = parseWeight(cell(colWeight))
	check(colWeight, err)
	p.Active, err = parseActive(cell(colActive))
	check(colActive, err)
	url, err := parseImageURL(cell(colImageURL))
	check(colImageURL, err)
	return Item{Product: p, ImageURL: url}
}

// checkRepeated refuses a product cell of a later row that says something else than the first.
func (g *group) checkRepeated(h header, first, rec record) {
	for _, col := range productColumns[1:] { // the SKU is the same, or they would not be one group
		if s := h.cell(rec.cells, col); s != "" && s != h.cell(first.cells, col) {
			g.problem(rec.row, col, cellError("import.row_differs", first.row))
		}
	}
}

// readVariant reads a row's variant columns: nil when they are empty, and false when they are bad.
func (g *group) readVariant(h header, rec record) (*lapak.Variant, bool) {
	sku, name, stock := h.cell(rec.cells, colVariantSKU), h.cell(rec.cells, colVariantName), h.cell(rec.cells, colVariantStock)
	if sku == "" && name == "" && stock == "" {
		return nil, true
	}
	ok := true
	if name == "" {
		g.problem(rec.row, colVariantName, cellError("import.variant_name_empty"))
		ok = false
	}
	v := lapak.Variant{Name: name, Active: true}
	if sku != "" {
		s, valid := lapak.NormalizeSKU(sku)
		if !valid {
			g.problem(rec.row, colVariantSKU, cellError("product.sku_invalid", sku))
			ok = false
		}
		v.SKU = s
	}
	n, err := parseStock(stock)
	if err != nil {
		g.problem(rec.row, colVariantStock, err)
		ok = false
	}
	v.Stock = n
	return &v, ok
}

// firstVariantRows returns the first row of each variant SKU in the file.
func firstVariantRows(h header, recs []record) map[string]int {
	out := map[string]int{}
	for _, rec := range recs {
		sku, ok := lapak.NormalizeSKU(h.cell(rec.cells, colVariantSKU))
		if _, seen := out[sku]; ok && !seen {
			out[sku] = rec.row
		}
	}
	return out
}

// saveGroups fills in, from the stored products, the columns the file does not have, then saves
// the groups and counts what happened to them.
func saveGroups(ctx context.Context, store Store, h header, groups []*group, rep *Report) error {
	if len(groups) == 0 {
		return nil
	}
	skus := make([]string, len(groups))
	for i, g := range groups {
		skus[i] = g.sku
	}
	stored, err := store.CatalogItems(ctx, skus)
	if err != nil {
		return fmt.Errorf("read products to import over: %w", err)
	}
	bySKU := make(map[string]Item, len(stored))
	for _, it := range stored {
		bySKU[it.Product.SKU] = it
	}
	items := make([]Item, len(groups))
	for i, g := range groups {
		old, ok := bySKU[g.sku]
		items[i] = g.item
		if ok {
			items[i] = keepMissing(h, g.item, old)
		}
	}
	results, err := store.ImportItems(ctx, items)
	if err != nil {
		return fmt.Errorf("import products: %w", err)
	}
	for i, res := range results {
		rep.count(res, groups[i])
	}
	return nil
}

// keepMissing gives it the stored product's values of the columns the file does not have, and
// of those no file has.
func keepMissing(h header, it, old Item) Item {
	p, o := &it.Product, old.Product
	p.LowStock = o.LowStock
	keep := func(col string, apply func()) {
		if !h.has(col) {
			apply()
		}
	}
	keep(colDescription, func() { p.Description = o.Description })
	keep(colCategory, func() { p.Category = o.Category })
	keep(colRetailPrice, func() { p.RetailPrice = o.RetailPrice })
	keep(colMaxPrice, func() { p.MaxPrice = o.MaxPrice })
	keep(colCommission, func() { p.Commission = o.Commission })
	keep(colStock, func() { p.Stock = o.Stock })
	keep(colWeight, func() { p.WeightGrams = o.WeightGrams })
	keep(colActive, func() { p.Active = o.Active })
	keep(colImageURL, func() { it.ImageURL = old.ImageURL })
	if p.Supplier == "" {
		p.Supplier = o.Supplier
	}
	if !h.hasAny(variantColumns) {
		p.Variants = o.Variants
	}
	return it
}
