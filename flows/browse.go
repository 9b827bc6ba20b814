package flows

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const flowBrowse = "browse"

// pageSize is how many products a list shows at once.
const pageSize = 8

// browsing is where an owner or a reseller is in the product list.
type browsing struct {
	Categories []string `json:"categories,omitempty"` // offered, by option index
	Category   string   `json:"category,omitempty"`
	Search     string   `json:"search,omitempty"`
	Chosen     bool     `json:"chosen,omitempty"` // a category or a search was chosen
	Page       int      `json:"page,omitempty"`
}

// browse lists products by category or search, a page at a time; a tap shows the product's card,
// which an owner's role or a reseller's decides.
var browse = &Flow[browsing]{
	Name: flowBrowse,
	Steps: []Step[browsing]{
		{Name: "category", Skip: categoryKnown, Ask: askBrowseCategory, Answer: answerBrowseCategory},
		{Name: "list", Ask: askProductList, Answer: answerProductList},
	},
}

// categoryKnown skips the category question when one was chosen, or when no product has a
// category (a list of everything is all there is to show).
func categoryKnown(c *Conv, d *browsing) bool {
	if d.Chosen {
		return true
	}
	cats, err := c.e.cfg.Catalog.Categories(c.Ctx, nil)
	return err == nil && len(cats) == 0
}

func askBrowseCategory(c *Conv, d *browsing) bot.Reply {
	cats, _ := c.e.cfg.Catalog.Categories(c.Ctx, nil)
	r := bot.Reply{Text: c.T("browse.choose_category")}
	if len(cats) == 0 {
		r.Text = c.T("browse.empty")
	}
	d.Categories = d.Categories[:0]
	for i, cat := range cats {
		if i == 20 {
			break
		}
		d.Categories = append(d.Categories, cat.Name)
		r.Options = append(r.Options, bot.Option{ID: "cat:" + strconv.Itoa(i), Label: fmt.Sprintf("%s (%d)", cat.Name, cat.Count)})
	}
	r.Options = append(r.Options, bot.Option{ID: "all", Label: c.T("browse.all")})
	return r
}

func answerBrowseCategory(c *Conv, d *browsing, in bot.Inbound) Result {
	switch i, ok := optionIndex(in, "cat:", len(d.Categories)); {
	case ok:
		d.Category = d.Categories[i]
	case in.Kind == bot.KindOption && in.Option == "all":
	case in.Kind == bot.KindText && strings.TrimSpace(in.Text) != "":
		if _, search := searchText(in); !search && c.e.isCustomerChat(c) {
			return greetInstead(c)
		}
		d.Search = clip(strings.TrimSpace(in.Text), 60)
	default:
		return Retry("browse.choose_category")
	}
	d.Chosen, d.Page = true, 0
	return Next()
}

// query is the list's product query for the user's role: owners see their own suppliers'
// products, inactive ones too; resellers see every active product.
func (d *browsing) query(c *Conv) (lapak.ProductQuery, error) {
	q := lapak.ProductQuery{Category: d.Category, Search: d.Search, Offset: d.Page * pageSize, Limit: pageSize}
	if c.User.Role == lapak.RoleOwner {
		sups, err := c.e.cfg.Catalog.SuppliersOf(c.Ctx, c.User.ID)
		if err != nil {
			return q, err
		}
		if len(sups) == 0 {
			sups = []lapak.Supplier{{ID: -1}} // no supplier yet: no products
		}
		for _, s := range sups {
			q.SupplierIDs = append(q.SupplierIDs, s.ID)
		}
		q.IncludeInactive = true
	}
	return q, nil
}

func askProductList(c *Conv, d *browsing) bot.Reply {
	q, err := d.query(c)
	var products []lapak.Product
	total := 0
	if err == nil {
		products, total, err = c.e.cfg.Catalog.Products(c.Ctx, q)
	}
	if err != nil {
		c.e.cfg.Logger.Error("list products", "chat", c.In.Chat.Masked(), "err", err)
		return bot.Reply{Text: c.T("error.unavailable")}
	}
	if total == 0 && d.Search == "" && d.Category == "" {
		return bot.Reply{Text: c.T("browse.empty")}
	}
	if total == 0 {
		return bot.Reply{Text: c.T("browse.none"), Options: []bot.Option{{ID: "cats", Label: c.T("browse.back")}}}
	}
	pages := (total + pageSize - 1) / pageSize
	r := bot.Reply{Text: c.T("browse.page", d.title(c), d.Page+1, pages, total)}
	for _, p := range products {
		r.Options = append(r.Options, bot.Option{ID: "p:" + strconv.FormatInt(p.ID, 10), Label: listLabel(c, p)})
	}
	if d.Page > 0 {
		r.Options = append(r.Options, bot.Option{ID: "prev", Label: c.T("browse.prev")})
	}
	if d.Page+1 < pages {
		r.Options = append(r.Options, bot.Option{ID: "next", Label: c.T("browse.next")})
	}
	r.Options = append(r.Options, bot.Option{ID: "cats", Label: c.T("browse.back")})
	return r
}

func (d *browsing) title(c *Conv) string {
	switch {
	case d.Search != "":
		return c.T("browse.search_title", d.Search)
	case d.Category != "":
		return d.Category
	}
	return c.T("browse.all")
}

// listLabel is a product's line in a list: its name, and for owners whether it is off or out.
func listLabel(c *Conv, p lapak.Product) string {
	label := clip(p.Name, 40)
	switch {
	case !p.Active:
		label += " · " + c.T("product.inactive")
	case !p.InStock():
		label += " · " + c.T("product.sold_out")
	}
	return label
}

func answerProductList(c *Conv, d *browsing, in bot.Inbound) Result {
	switch {
	case in.Kind == bot.KindOption && in.Option == "next":
		d.Page++
		return Goto("list")
	case in.Kind == bot.KindOption && in.Option == "prev" && d.Page > 0:
		d.Page--
		return Goto("list")
	case in.Kind == bot.KindOption && in.Option == "cats":
		*d = browsing{}
		return Goto("category")
	case in.Kind == bot.KindText && strings.TrimSpace(in.Text) != "":
		if _, search := searchText(in); !search && c.e.isCustomerChat(c) {
			return greetInstead(c)
		}
		*d = browsing{Search: clip(strings.TrimSpace(in.Text), 60), Chosen: true}
		return Goto("list")
	}
	id, ok := strings.CutPrefix(in.Option, "p:")
	pid, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil {
		return Retry("browse.tap_product")
	}
	if err := c.e.showCard(c, pid); err != nil {
		return retryErr(c, err, "error.not_found")
	}
	return Stay()
}

// showCard shows a product's card as the user's role sees it.
func (e *Engine) showCard(c *Conv, productID int64) error {
	p, err := e.cfg.Catalog.Product(c.Ctx, productID)
	if err != nil {
		return err
	}
	if c.User.Role == lapak.RoleOwner {
		c.Say(ownerCard(c, p))
		return nil
	}
	if c.User.Role == lapak.RoleCustomer && e.shopReady() {
		card, err := e.customerCard(c, p)
		if err != nil {
			return err
		}
		c.Say(card)
		return nil
	}
	card, err := e.resellerCard(c, p)
	if err != nil {
		return err
	}
	c.Say(card)
	return nil
}

// photoOf is a product's cover for a reply: its Telegram file ID when it has one, and its public
// URL when Lapak has a public address.
func (e *Engine) photoOf(p lapak.Product) *bot.Photo {
	if len(p.Images) == 0 {
		return nil
	}
	ph := &bot.Photo{FileID: p.TelegramPhoto}
	if e.cfg.PublicURL != "" {
		ph.URL = e.cfg.PublicURL + "/img/" + p.Images[0]
	}
	if ph.FileID == "" && ph.URL == "" {
		return nil
	}
	return ph
}

// stockLine is a product's stock as users read it: a number, per variant, unlimited or sold out.
func stockLine(c *Conv, p lapak.Product) string {
	if !p.InStock() {
		return c.T("product.sold_out")
	}
	if len(p.Variants) == 0 {
		return stockText(c, p.Stock)
	}
	var parts []string
	for _, v := range p.Variants {
		if v.Active {
			parts = append(parts, v.Name+": "+stockText(c, v.Stock))
		}
	}
	return strings.Join(parts, ", ")
}

// greetInstead leaves the list when a customer greets rather than searches ("halo"), and answers
// with the greeting and the menu.
func greetInstead(c *Conv) Result {
	c.endFlow()
	if err := c.e.customerMessage(c); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	return Done()
}
