package catalog

import (
	"errors"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
)

// Report is what an import did: how many products it created, updated, found unchanged and
// refused, every bad row, and the columns it did not know.
type Report struct {
	Created, Updated, Unchanged, Refused int
	Problems                             []Problem // by row
	Ignored                              []string  // unknown columns, as the file named them
}

// Problem is why a row was refused: the row's number as a spreadsheet shows it (the header is
// row 1), the product's SKU when it has a valid one, the column at fault when it is one column,
// and the reason, whose message key has an Indonesian and an English text.
type Problem struct {
	Row    int
	SKU    string
	Column string
	Err    *lapak.Error
}

// Text is the problem as a sentence in lang: "Baris 12, kolom base_price: Harga itu tidak bisa
// kami baca…".
func (p Problem) Text(lang lapak.Lang) string {
	reason := i18n.T(lang, p.Err.Key, p.Err.Args...)
	if p.Column == "" {
		return i18n.T(lang, "import.problem", p.Row, reason)
	}
	return i18n.T(lang, "import.problem_column", p.Row, p.Column, reason)
}

// count adds what the store did with g's product.
func (r *Report) count(res Result, g *group) {
	switch res.Status {
	case Created:
		r.Created++
	case Updated:
		r.Updated++
	case Unchanged:
		r.Unchanged++
	default:
		r.Refused++
		var e *lapak.Error
		if !errors.As(res.Err, &e) {
			e = &lapak.Error{Kind: lapak.KindInvalid, Key: "product.invalid", Err: res.Err}
		}
		r.Problems = append(r.Problems, Problem{Row: g.rows[0].row, SKU: g.sku, Err: e})
	}
}
