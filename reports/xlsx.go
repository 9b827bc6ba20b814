package reports

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
)

// Formats of the workbook's cells.
const (
	rupiahFormat = `"Rp"#,##0`
	timeFormat   = "yyyy-mm-dd hh:mm"
)

// Workbook is the report as an XLSX file: a summary sheet, the order lines (the CSV's columns,
// with amounts as numbers and times as dates), the chart's series and the funnel.
func Workbook(r Report, lines []Line, lang lapak.Lang) ([]byte, error) {
	if len(lines) >= excelize.TotalRows {
		return nil, fmt.Errorf("workbook: %d lines are more than a sheet holds; use CSV", len(lines))
	}
	f := excelize.NewFile()
	defer f.Close()
	w := &workbook{f: f, lang: lang, zone: r.Period.Zone}
	var err error
	if w.money, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(rupiahFormat)}); err != nil {
		return nil, fmt.Errorf("workbook: %w", err)
	}
	if w.time, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(timeFormat)}); err != nil {
		return nil, fmt.Errorf("workbook: %w", err)
	}
	if w.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, fmt.Errorf("workbook: %w", err)
	}
	for _, step := range []func(Report, []Line) error{w.summary, w.orders, w.series, w.funnel} {
		if err := step(r, lines); err != nil {
			return nil, fmt.Errorf("workbook: %w", err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func ptr[T any](v T) *T { return &v }

type workbook struct {
	f                 *excelize.File
	lang              lapak.Lang
	zone              Zone
	money, time, bold int
}

// sheet starts a sheet named by key, the first one in place of excelize's Sheet1, and writes
// its rows.
func (w *workbook) sheet(key string, widths []float64, rows [][]any) error {
	name := i18n.T(w.lang, key)
	if w.f.SheetCount == 1 && w.f.GetSheetName(0) == "Sheet1" {
		if err := w.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := w.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, width := range widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// header is a bold row of column names.
func (w *workbook) header(cols []string) []any {
	row := make([]any, len(cols))
	for i, c := range cols {
		row[i] = excelize.Cell{StyleID: w.bold, Value: c}
	}
	return row
}

func (w *workbook) rp(m lapak.Money) excelize.Cell {
	return excelize.Cell{StyleID: w.money, Value: int64(m)}
}

// at is a time as the zone's wall clock, which is what a spreadsheet shows; zero stays empty.
func (w *workbook) at(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	l := t.In(w.zone.Location())
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
	return excelize.Cell{StyleID: w.time, Value: wall}
}

func (w *workbook) summary(r Report, _ []Line) error {
	f := r.Current
	t := func(key string, args ...any) string { return i18n.T(w.lang, key, args...) }
	rows := [][]any{
		{excelize.Cell{StyleID: w.bold, Value: t("report.title."+titleKind(r.Kind), r.Period.Label(w.lang))}},
		{scopeName(r.Scope, w.lang) + " · " + string(r.Period.Zone)},
		{},
		{t("report.xl.sales"), w.rp(f.Sales), w.rp(r.Previous.Sales)},
		{t("report.xl.created"), f.Created, r.Previous.Created},
		{t("report.xl.paid"), f.Paid, r.Previous.Paid},
		{t("report.xl.expired"), f.Expired},
		{t("report.xl.cancelled"), f.Cancelled},
		{t("report.xl.conversion"), percent(f.Conversion(), w.lang), percent(r.Previous.Conversion(), w.lang)},
		{t("report.xl.aov"), w.rp(f.AOV()), w.rp(r.Previous.AOV())},
		{t("report.xl.customers"), f.Customers, r.Previous.Customers},
		{t("report.xl.new_customers"), f.NewCustomers, r.Previous.NewCustomers},
		{t("report.xl.refunds"), w.rp(f.Refunds)},
		{t("report.xl.accrued"), w.rp(f.Accrued), w.rp(r.Previous.Accrued)},
		{t("report.xl.released"), w.rp(f.Released)},
		{t("report.xl.reversed"), w.rp(f.Reversed)},
	}
	rows = append(rows[:3], append([][]any{w.header([]string{"", r.Period.Label(w.lang), r.Period.Previous().Label(w.lang)})}, rows[3:]...)...)
	if po := f.Payouts; po != nil {
		rows = append(rows, []any{t("report.xl.paid_out"), w.rp(po.PaidAmount)}, []any{t("report.xl.owed"), w.rp(po.Owed)})
	} else {
		rows = append(rows, []any{t("report.xl.pending"), w.rp(f.Pending)})
	}
	return w.sheet("report.sheet.summary", []float64{34, 22, 22}, rows)
}

func (w *workbook) orders(_ Report, lines []Line) error {
	rows := [][]any{w.header(Columns)}
	for _, l := range lines {
		rows = append(rows, []any{
			l.OrderRef, l.Line, w.at(l.CreatedAt), w.at(l.PaidAt), string(l.Status), l.Supplier, l.SKU, l.Product, l.Qty,
			w.rp(l.UnitPrice), w.rp(l.Total), w.rp(l.BasePrice), w.rp(l.Commission), w.rp(l.Earning), w.rp(l.OwnerShare),
			l.ResellerCode, l.Reseller, l.Customer,
		})
	}
	widths := []float64{12, 5, 17, 17, 16, 20, 14, 30, 6, 13, 13, 13, 13, 15, 13, 13, 22, 22}
	return w.sheet("report.sheet.orders", widths, rows)
}

func (w *workbook) series(r Report, _ []Line) error {
	key, first := "report.sheet.days", "day"
	if r.Period.Hourly() {
		key, first = "report.sheet.hours", "hour"
	}
	rows := [][]any{w.header([]string{first, "sales", "paid_orders"})}
	for i, b := range r.Current.Series {
		rows = append(rows, []any{w.at(r.Period.Start.Add(time.Duration(i) * r.Period.Bucket())), w.rp(b.Sales), b.Paid})
	}
	return w.sheet(key, []float64{17, 16, 12}, rows)
}

func (w *workbook) funnel(r Report, _ []Line) error {
	rows := [][]any{w.header([]string{"reseller_code", "reseller", "clicks", "chats", "carts", "orders", "paid"})}
	all := r.Current.FunnelTotal
	rows = append(rows, []any{i18n.T(w.lang, "report.funnel.all"), "", all.Clicks, all.Chats, all.Carts, all.Orders, all.Paid})
	for _, f := range r.Current.Funnel {
		rows = append(rows, []any{f.Code, f.Name, f.Clicks, f.Chats, f.Carts, f.Orders, f.Paid})
	}
	return w.sheet("report.sheet.funnel", []float64{14, 24, 8, 8, 8, 8, 8}, rows)
}
