package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
)

// Text is the report as a chat message in lang: the headline figures with their change against
// the period before, the top products and resellers, commission and payouts, stock, each
// reseller's funnel, and any adjustment to the last report sent.
func Text(r Report, lang lapak.Lang) string {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	f, prev := r.Current, r.Previous
	line(t("report.title."+titleKind(r.Kind), r.Period.Label(lang)))
	line(scopeName(r.Scope, lang) + " · " + string(r.Period.Zone))
	line(t("report.vs", r.Period.Previous().Label(lang)))
	line("")
	line(t("report.sales", f.Sales, change(int64(f.Sales), int64(prev.Sales), lang)))
	line(t("report.orders", f.Created, f.Paid, f.Expired, f.Cancelled))
	line(t("report.conversion", percent(f.Conversion(), lang), pointsChange(f.Conversion(), prev.Conversion(), prev.Created > 0, lang)))
	line(t("report.aov", f.AOV(), change(int64(f.AOV()), int64(prev.AOV()), lang)))
	line(t("report.customers", f.Customers, f.NewCustomers, f.Returning(), change(int64(f.Customers), int64(prev.Customers), lang)))
	if f.Refunded > 0 {
		line(t("report.refunds", f.Refunded, f.Refunds))
	}
	writeTops(&b, f, lang)
	writeMoney(&b, r, lang)
	writeStock(&b, f.Stock, lang)
	writeFunnel(&b, f, lang)
	if a := r.Adjustment; a != nil {
		line("")
		line(t("report.adjust", a.Period.Label(lang), adjustments(a.Delta, lang)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// titleKind is the title's key for a kind of report; the reseller weekly has its own text.
func titleKind(k Kind) string {
	switch k {
	case Daily, Weekly, Monthly:
		return string(k)
	}
	return string(OnDemand)
}

// scopeName is the store or the suppliers a report covers.
func scopeName(s Scope, lang lapak.Lang) string {
	if s.All || s.Name == "" {
		return i18n.T(lang, "report.scope.store")
	}
	return s.Name
}

func writeTops(b *strings.Builder, f Figures, lang lapak.Lang) {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	b.WriteString("\n" + t("report.top_products") + "\n")
	if len(f.TopProducts) == 0 {
		b.WriteString(t("report.none_sold") + "\n")
	}
	for i, p := range f.TopProducts {
		b.WriteString(t("report.top_product", i+1, p.Name, p.Qty, p.Sales) + "\n")
	}
	if len(f.TopResellers) == 0 {
		return
	}
	b.WriteString("\n" + t("report.top_resellers") + "\n")
	for i, r := range f.TopResellers {
		b.WriteString(t("report.top_reseller", i+1, r.Name, r.Code, r.Paid, r.Sales, r.Earnings) + "\n")
	}
}

func writeMoney(b *strings.Builder, r Report, lang lapak.Lang) {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	f := r.Current
	b.WriteString("\n" + t("report.commission") + "\n")
	if po := f.Payouts; po != nil {
		b.WriteString(t("report.commission.store", f.Accrued, f.Released, po.PaidAmount, po.Owed) + "\n")
	} else {
		b.WriteString(t("report.commission.suppliers", f.Accrued, f.Released, f.Pending) + "\n")
	}
	if f.Reversed != 0 {
		b.WriteString(t("report.commission.reversed", f.Reversed) + "\n")
	}
	if po := f.Payouts; po != nil && (po.Sent > 0 || po.Paid > 0 || po.Failed > 0) {
		b.WriteString(t("report.payouts", po.Sent, po.SentAmount, po.Paid, po.PaidAmount, po.Failed, po.FailedAmount) + "\n")
	}
}

func writeStock(b *strings.Builder, s Stock, lang lapak.Lang) {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	b.WriteString("\n" + t("report.stock") + "\n")
	if s.OutCount == 0 && s.LowCount == 0 {
		b.WriteString(t("report.stock.ok") + "\n")
		return
	}
	if s.OutCount > 0 {
		b.WriteString(t("report.stock.out", s.OutCount, stockList(s.Out, s.OutCount, false, lang)) + "\n")
	}
	if s.LowCount > 0 {
		b.WriteString(t("report.stock.low", s.LowCount, stockList(s.Low, s.LowCount, true, lang)) + "\n")
	}
}

// stockList names the items, with what is left when left is set, and how many more there are.
func stockList(items []StockItem, count int, left bool, lang lapak.Lang) string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
		if left {
			names[i] += " (" + strconv.Itoa(it.Stock) + ")"
		}
	}
	if more := count - len(items); more > 0 {
		names = append(names, i18n.T(lang, "report.stock.more", more))
	}
	return strings.Join(names, ", ")
}

func writeFunnel(b *strings.Builder, f Figures, lang lapak.Lang) {
	if f.FunnelTotal == (FunnelRow{}) && len(f.Funnel) == 0 {
		return
	}
	b.WriteString("\n" + i18n.T(lang, "report.funnel") + "\n")
	total := f.FunnelTotal
	total.Code = i18n.T(lang, "report.funnel.all")
	for _, r := range append([]FunnelRow{total}, f.Funnel...) {
		fmt.Fprintf(b, "%s: %d → %d → %d → %d → %d\n", r.Code, r.Clicks, r.Chats, r.Carts, r.Orders, r.Paid)
	}
}

// adjustments lists the figures that changed, signed: "penjualan +Rp150.000, dibayar +1".
func adjustments(d Headline, lang lapak.Lang) string {
	var parts []string
	money := func(key string, m lapak.Money) {
		if m != 0 {
			parts = append(parts, i18n.T(lang, key, signedMoney(m)))
		}
	}
	count := func(key string, n int) {
		if n != 0 {
			parts = append(parts, i18n.T(lang, key, fmt.Sprintf("%+d", n)))
		}
	}
	money("report.adjust.sales", d.Sales)
	count("report.adjust.paid", d.Paid)
	count("report.adjust.created", d.Created)
	count("report.adjust.created_paid", d.CreatedPaid)
	count("report.adjust.customers", d.Customers)
	count("report.adjust.new_customers", d.NewCustomers)
	money("report.adjust.accrued", d.Accrued)
	return strings.Join(parts, ", ")
}

func signedMoney(m lapak.Money) string {
	if m > 0 {
		return "+" + m.String()
	}
	return m.String()
}

// change is a figure's change against the period before, in percent: "(▲ 12,5%)", "(▼ 3%)",
// "(= 0%)", "(▲ baru)" when there was nothing before, and nothing when both are zero.
func change(cur, prev int64, lang lapak.Lang) string {
	switch {
	case cur == 0 && prev == 0:
		return ""
	case prev == 0:
		return i18n.T(lang, "report.change.new")
	case cur == prev:
		return i18n.T(lang, "report.change.same")
	}
	bp := lapak.BasisPoints((cur - prev) * int64(lapak.AllOfIt) / abs(prev))
	if bp == 0 { // less than 0,01 %
		return i18n.T(lang, "report.change.same")
	}
	if bp > 0 {
		return i18n.T(lang, "report.change.up", percent(bp, lang))
	}
	return i18n.T(lang, "report.change.down", percent(-bp, lang))
}

// pointsChange is a rate's change in percentage points: "(▲ 3,1 poin)".
func pointsChange(cur, prev lapak.BasisPoints, had bool, lang lapak.Lang) string {
	switch {
	case !had && cur == 0:
		return ""
	case !had:
		return i18n.T(lang, "report.change.new")
	case cur == prev:
		return i18n.T(lang, "report.change.same")
	case cur > prev:
		return i18n.T(lang, "report.change.up", i18n.T(lang, "report.points", decimal(int64(cur-prev), lang)))
	}
	return i18n.T(lang, "report.change.down", i18n.T(lang, "report.points", decimal(int64(prev-cur), lang)))
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// percent formats basis points as a percentage with at most one decimal, rounded half up:
// 12,5% in Indonesian, 12.5% in English.
func percent(bp lapak.BasisPoints, lang lapak.Lang) string {
	return decimal(int64(bp), lang) + "%"
}

// decimal formats basis points as percent with at most one decimal: 1250 is "12,5" ("12.5").
func decimal(bp int64, lang lapak.Lang) string {
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	tenths := (bp + 5) / 10
	s := sign + strconv.FormatInt(tenths/10, 10)
	if d := tenths % 10; d != 0 {
		sep := ","
		if lang == lapak.English {
			sep = "."
		}
		s += sep + strconv.FormatInt(d, 10)
	}
	return s
}
