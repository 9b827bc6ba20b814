package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
)

// Columns are the spreadsheet's columns, one order line a row, as the README documents them.
var Columns = []string{
	"order_ref", "line", "created_at", "paid_at", "status", "supplier", "sku", "product", "qty", "unit_price",
	"line_total", "base_price", "commission", "reseller_earning", "owner_share", "reseller_code", "reseller", "customer",
}

// timeLayout is how the spreadsheet writes times, in the period's zone: Excel and Google Sheets
// read it as a date and time.
const timeLayout = "2006-01-02 15:04"

// CSV writes the lines as a CSV file that Excel opens as UTF-8 (it starts with a byte order mark),
// with CRLF line ends, commas between cells, amounts as whole rupiah without separators, and
// times in zone z. A text cell that a spreadsheet would take for a formula is prefixed with '.
func CSV(lines []Line, z Zone) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(Columns); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	loc := z.Location()
	for _, l := range lines {
		if err := w.Write(lineCells(l, loc)); err != nil {
			return nil, fmt.Errorf("write csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return buf.Bytes(), nil
}

func lineCells(l Line, loc *time.Location) []string {
	money := func(m lapak.Money) string { return strconv.FormatInt(int64(m), 10) }
	return []string{
		l.OrderRef, strconv.Itoa(l.Line), formatTime(l.CreatedAt, loc), formatTime(l.PaidAt, loc), string(l.Status),
		safeText(l.Supplier), l.SKU, safeText(l.Product), strconv.Itoa(l.Qty), money(l.UnitPrice), money(l.Total),
		money(l.BasePrice), money(l.Commission), money(l.Earning), money(l.OwnerShare), l.ResellerCode,
		safeText(l.Reseller), safeText(l.Customer),
	}
}

func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(timeLayout)
}

// safeText keeps a spreadsheet from running a cell as a formula: names come from customers and
// resellers, and "=HYPERLINK(…)" must stay text.
func safeText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// FileName is the name of a report's file with extension ext: laporan-2026-11.csv.
func FileName(p Period, ext string) string {
	return "laporan-" + strings.ReplaceAll(p.Code(), "..", "_") + "." + ext
}
