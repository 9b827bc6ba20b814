package catalog

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
)

// Export writes every product, inactive ones too, to w as a catalog file (see the package
// documentation) and returns how many products it wrote.
func Export(ctx context.Context, store Store, w io.Writer) (int, error) {
	items, err := store.CatalogItems(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("export products: %w", err)
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil { // Excel reads the file as UTF-8 only with it
		return 0, fmt.Errorf("export products: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	all := [][]string{columns}
	for _, it := range items {
		all = append(all, rows(it)...)
	}
	if err := cw.WriteAll(all); err != nil {
		return 0, fmt.Errorf("export products: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("export products: %w", err)
	}
	return len(items), nil
}

// rows are an item's rows: one per variant, or one for a product without variants.
func rows(it Item) [][]string {
	p := it.Product
	product := []string{
		p.SKU, p.Name, p.Description, p.Category, p.Supplier, formatMoney(p.BasePrice), formatMoney(p.RetailPrice),
		formatMax(p.MaxPrice), formatCommission(p.Commission), formatStock(p.Stock), fmt.Sprint(p.WeightGrams),
		it.ImageURL, formatActive(p.Active),
	}
	if len(p.Variants) == 0 {
		return [][]string{append(product, "", "", "")}
	}
	out := make([][]string, len(p.Variants))
	for i, v := range p.Variants {
		out[i] = append(product[:len(product):len(product)], v.SKU, v.Name, formatStock(v.Stock))
	}
	return out
}
