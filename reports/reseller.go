package reports

import (
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
)

// ResellerFigures are one reseller's figures for a period: their funnel, orders, customers and
// earnings, their balance now, and their rank on the month's leaderboard by sales.
type ResellerFigures struct {
	ResellerID int64       `json:"reseller_id"`
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	User       lapak.User  `json:"-"` // who to write to, in their language
	Period     Period      `json:"period"`
	Clicks     int         `json:"clicks"`
	Chats      int         `json:"chats"`
	Carts      int         `json:"carts"`
	Created    int         `json:"created"`
	Paid       int         `json:"paid"`
	Sales      lapak.Money `json:"sales"`  // goods value of their orders paid in the period
	Earned     lapak.Money `json:"earned"` // their earnings on those orders
	Customers  int         `json:"customers"`
	// NewCustomers paid for the first time through this reseller.
	NewCustomers int `json:"new_customers"`
	// Rank is their place by sales among the Ranked resellers who sold in Month; 0 when they sold
	// nothing that month.
	Month   Period        `json:"month"`
	Rank    int           `json:"rank"`
	Ranked  int           `json:"ranked"`
	Balance lapak.Balance `json:"balance"`
}

// ResellerText is a reseller's report as a chat message in lang; weekly is the Monday summary.
func ResellerText(f ResellerFigures, lang lapak.Lang, weekly bool) string {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	title := "report.reseller.title"
	if weekly {
		title = "report.reseller.weekly"
	}
	lines := []string{
		t(title, f.Period.Label(lang)),
		"",
		t("report.reseller.sales", f.Sales),
		t("report.reseller.orders", f.Created, f.Paid),
		t("report.reseller.customers", f.Customers, f.NewCustomers),
		t("report.reseller.funnel", f.Clicks, f.Chats, f.Carts),
		t("report.reseller.earned", f.Earned),
		t("report.reseller.balance", f.Balance.Pending, f.Balance.Available, f.Balance.InTransit, f.Balance.Paid),
	}
	month := f.Month.Label(lang)
	if f.Rank > 0 {
		lines = append(lines, t("report.reseller.rank", month, f.Rank, f.Ranked))
	} else {
		lines = append(lines, t("report.reseller.unranked", month))
	}
	if weekly {
		lines = append(lines, "", t("report.reseller.cheer"))
	}
	return strings.Join(lines, "\n")
}
