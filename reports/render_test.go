package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lapak-id/lapak"
)

// sample is a month's report with something in every section.
func sample(t *testing.T) Report {
	t.Helper()
	p, err := ParsePeriod("2026-11", WIB)
	if err != nil {
		t.Fatal(err)
	}
	series := make([]Bucket, p.Buckets())
	series[0] = Bucket{Sales: 1_500_000, Paid: 12}
	series[29] = Bucket{Sales: 2_750_000, Paid: 20}
	return Report{
		Kind: Monthly, Scope: Scope{Name: "Kaos Nusantara", SupplierIDs: []int64{1}}, Period: p,
		Current: Figures{
			Headline: Headline{Sales: 4_250_000, Created: 40, Paid: 32, Expired: 5, Cancelled: 3, CreatedPaid: 30, Refunded: 1,
				Refunds: 150_000, Customers: 25, NewCustomers: 10, Accrued: 600_000, Released: 400_000, Reversed: 20_000},
			Pending: 200_000,
			Series:  series,
			TopProducts: []ProductSales{{ID: 1, SKU: "KAOS-HTM", Name: "Kaos Hitam", Qty: 40, Sales: 2_400_000},
				{ID: 2, SKU: "TOPI-1", Name: "Topi Rajut", Qty: 10, Sales: 350_000}},
			TopResellers: []ResellerSales{{ID: 7, Code: "ANDI7", Name: "Andi Saputra", Paid: 8, Sales: 1_000_000, Earnings: 150_000}},
			Funnel:       []FunnelRow{{ResellerID: 7, Code: "ANDI7", Name: "Andi Saputra", Clicks: 120, Chats: 30, Carts: 12, Orders: 9, Paid: 8}},
			FunnelTotal:  FunnelRow{Clicks: 200, Chats: 50, Carts: 20, Orders: 15, Paid: 12},
			Stock: Stock{Out: []StockItem{{SKU: "KAOS-HTM-L", Name: "Kaos Hitam – L"}}, OutCount: 1,
				Low: []StockItem{{SKU: "TOPI-1", Name: "Topi Rajut", Stock: 2}}, LowCount: 7},
		},
		Previous:   Headline{Sales: 3_400_000, Created: 35, Paid: 28, CreatedPaid: 21, Customers: 25},
		Adjustment: &Adjustment{Period: p.Previous(), Delta: Headline{Sales: 60_000, Paid: 1}},
	}
}

func TestText(t *testing.T) {
	r := sample(t)
	for lang, want := range map[lapak.Lang][]string{
		lapak.Indonesian: {
			"📊 Laporan bulanan: November 2026", "Kaos Nusantara · WIB", "▲▼ dibanding Oktober 2026",
			"💰 Penjualan: Rp4.250.000 (▲ 25%)", "🧾 Pesanan: 40 masuk · 32 dibayar · 5 kedaluwarsa · 3 batal",
			"✅ Konversi bayar: 75% (▲ 15 poin)", "Rata-rata per pesanan: Rp132.812 (▲ 9,4%)", "👥 Pembeli: 25 (10 baru, 15 langganan) (= 0%)",
			"↩️ Refund: 1 pesanan, Rp150.000", "1. Kaos Hitam: 40 pcs, Rp2.400.000", "1. Andi Saputra (ANDI7): 8 pesanan, Rp1.000.000, komisi Rp150.000",
			"Masuk Rp600.000 · cair ke saldo Rp400.000 · masih tertahan Rp200.000", "Ditarik lagi karena refund: Rp20.000",
			"Habis (1): Kaos Hitam – L", "Menipis (7): Topi Rajut (2), dan 6 lagi", "Semua: 200 → 50 → 20 → 15 → 12", "ANDI7: 120 → 30 → 12 → 9 → 8",
			"⚠️ Penyesuaian Oktober 2026 (tercatat setelah laporannya dikirim): penjualan +Rp60.000, dibayar +1",
		},
		lapak.English: {
			"📊 Monthly report: November 2026", "💰 Sales: Rp4.250.000 (▲ 25%)", "Average order: Rp132.812 (▲ 9.4%)",
			"✅ Payment conversion: 75% (▲ 15 pts)", "Running low (7): Topi Rajut (2), and 6 more", "Accrued Rp600.000 · released Rp400.000 · still pending Rp200.000",
			"⚠️ Adjustment to October 2026 (recorded after its report was sent): sales +Rp60.000, paid +1",
		},
	} {
		text := Text(r, lang)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s text does not say %q:\n%s", lang, w, text)
			}
		}
		if strings.Contains(text, "report.") || strings.Contains(text, "%!") {
			t.Errorf("%s text has a raw key or a bad verb:\n%s", lang, text)
		}
	}
	r.Scope = Scope{All: true}
	r.Current.Payouts = &Payouts{Sent: 3, SentAmount: 300_000, Paid: 2, PaidAmount: 250_000, Failed: 1, FailedAmount: 50_000, Owed: 900_000}
	text := Text(r, lapak.Indonesian)
	for _, w := range []string{"Seluruh toko · WIB", "dibayar Rp250.000 · belum dibayar Rp900.000", "Pencairan: 3 dikirim (Rp300.000) · 2 berhasil (Rp250.000) · 1 gagal (Rp50.000)"} {
		if !strings.Contains(text, w) {
			t.Errorf("store text does not say %q:\n%s", w, text)
		}
	}
}

func TestChange(t *testing.T) {
	for _, tc := range []struct {
		cur, prev int64
		id, en    string
	}{
		{0, 0, "", ""},
		{5, 0, "(▲ baru)", "(▲ new)"},
		{0, 5, "(▼ 100%)", "(▼ 100%)"},
		{100, 100, "(= 0%)", "(= 0%)"},
		{1125, 1000, "(▲ 12,5%)", "(▲ 12.5%)"},
		{2, 3, "(▼ 33,3%)", "(▼ 33.3%)"},
		{-50, -100, "(▲ 50%)", "(▲ 50%)"},
		{1_000_000_000_000, 1, "(▲ 99999999999900%)", "(▲ 99999999999900%)"},
	} {
		if id, en := change(tc.cur, tc.prev, lapak.Indonesian), change(tc.cur, tc.prev, lapak.English); id != tc.id || en != tc.en {
			t.Errorf("change(%d, %d) = %q / %q, want %q / %q", tc.cur, tc.prev, id, en, tc.id, tc.en)
		}
	}
}

func TestChart(t *testing.T) {
	r := sample(t)
	for _, p := range []Period{r.Period, Day(r.Period.Start, WITA)} {
		series := make([]Bucket, p.Buckets())
		series[len(series)-1] = Bucket{Sales: 987_654_321, Paid: 3}
		data, err := Chart(p, series, lapak.English)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", p.Code(), err)
		}
		if img.Bounds().Dx() != chartW || img.Bounds().Dy() != chartH {
			t.Errorf("%s: %v", p.Code(), img.Bounds())
		}
		// The last bar is drawn in the bars' colour just above the axis.
		x0, x1 := slot(plotRect(), len(series)-1, len(series))
		if got := img.At((x0+x1)/2, chartH-padBottom-3); !sameColor(got, barColor) {
			t.Errorf("%s: the last bar is %v", p.Code(), got)
		}
	}
	if _, err := Chart(r.Period, nil, lapak.Indonesian); err != nil {
		t.Errorf("an empty period: %v", err)
	}
}

func sameColor(a, b interface{ RGBA() (r, g, b, a uint32) }) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2
}

func TestCompactRupiah(t *testing.T) {
	for n, want := range map[int64][2]string{
		0: {"Rp0", "Rp0"}, 500: {"Rp500", "Rp500"}, 250_000: {"Rp250rb", "Rp250K"}, 1_500_000: {"Rp1,5jt", "Rp1.5M"},
		2_000_000_000: {"Rp2M", "Rp2B"},
	} {
		if id, en := compactRupiah(n, lapak.Indonesian), compactRupiah(n, lapak.English); id != want[0] || en != want[1] {
			t.Errorf("%d: %s / %s", n, id, en)
		}
	}
}

func sampleLines() []Line {
	at := time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC) // 23:30 WIB
	return []Line{
		{OrderRef: "LPK-ABCDEF", Line: 1, CreatedAt: at.Add(-30 * time.Minute), PaidAt: at, Status: lapak.OrderPaid, Supplier: "Kaos Nusantara",
			SKU: "KAOS-HTM", Product: "Kaos Hitam", Qty: 2, UnitPrice: 60_000, Total: 120_000, BasePrice: 50_000, Commission: 10_000,
			Earning: 30_000, OwnerShare: 90_000, ResellerCode: "ANDI7", Reseller: "Andi Saputra", Customer: "=HYPERLINK(\"http://x\")"},
		{OrderRef: "LPK-GHJKLM", Line: 1, CreatedAt: at, Status: lapak.OrderPending, Supplier: "Kaos Nusantara",
			SKU: "TOPI-1", Product: "Topi, \"Rajut\"", Qty: 1, UnitPrice: 35_000, Total: 35_000, BasePrice: 35_000, OwnerShare: 35_000, Customer: "Siti"},
	}
}

func TestCSV(t *testing.T) {
	data, err := CSV(sampleLines(), WIB)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\uFEFForder_ref,line,created_at,paid_at,status,supplier,sku,product,qty,unit_price,line_total,base_price,commission,reseller_earning,owner_share,reseller_code,reseller,customer\r\n")) {
		t.Errorf("header: %q", data[:min(len(data), 200)])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"LPK-ABCDEF", "1", "2026-11-30 23:00", "2026-11-30 23:30", "paid", "Kaos Nusantara", "KAOS-HTM", "Kaos Hitam", "2",
		"60000", "120000", "50000", "10000", "30000", "90000", "ANDI7", "Andi Saputra", "'=HYPERLINK(\"http://x\")"}
	if !slices.Equal(rows[1], want) {
		t.Errorf("row 1:\n got %q\nwant %q", rows[1], want)
	}
	if rows[2][3] != "" || rows[2][7] != "Topi, \"Rajut\"" || rows[2][15] != "" {
		t.Errorf("row 2: %q", rows[2])
	}
}

func TestWorkbook(t *testing.T) {
	r := sample(t)
	data, err := Workbook(r, sampleLines(), lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Ringkasan", "Pesanan", "Per hari", "Funnel"}) {
		t.Errorf("sheets %v", got)
	}
	rows, err := f.GetRows("Pesanan")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], Columns) || len(rows) != 3 {
		t.Fatalf("orders sheet: %v", rows)
	}
	if rows[1][0] != "LPK-ABCDEF" || rows[1][2] != "2026-11-30 23:00" || rows[1][10] != "Rp120,000" {
		t.Errorf("first line: %q", rows[1])
	}
	if v, _ := f.GetCellValue("Pesanan", "K2", excelize.Options{RawCellValue: true}); v != "120000" {
		t.Errorf("line total is stored as %q, want the number", v)
	}
	summary, _ := f.GetRows("Ringkasan")
	if !slices.ContainsFunc(summary, func(row []string) bool { return len(row) > 1 && row[0] == "Penjualan" && row[1] == "Rp4,250,000" }) {
		t.Errorf("summary: %q", summary)
	}
	days, _ := f.GetRows("Per hari")
	if len(days) != 31 || days[30][1] != "Rp2,750,000" {
		t.Errorf("days: %d rows, last %q", len(days), days[len(days)-1])
	}
}

// manyLines is a store whose period has more order lines than chat takes.
type manyLines struct {
	Store
	asked int
}

func (m *manyLines) ReportLines(_ context.Context, _ Scope, _ Period, limit int) ([]Line, error) {
	m.asked = limit
	return make([]Line, limit), nil
}

func TestRenderLeavesOutASpreadsheetTooBigForChat(t *testing.T) {
	store := &manyLines{}
	f, err := NewService(Config{Store: store}).Render(context.Background(), sample(t), lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	if store.asked != MaxChatLines+1 || f.CSV != nil || f.Chart == nil || f.Text == "" {
		t.Errorf("asked for %d lines; CSV of %d bytes", store.asked, len(f.CSV))
	}
	if !strings.Contains(f.CSVCaption, "lapak report --period 2026-11 --format csv") {
		t.Errorf("caption %q", f.CSVCaption)
	}
}
