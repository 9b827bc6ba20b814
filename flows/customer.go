package flows

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// shopReady reports whether customers can order in chat: the catalog and the order store are wired.
func (e *Engine) shopReady() bool {
	return e.catalogReady() && e.cfg.Customers != nil && e.cfg.Orders != nil && e.cfg.Carts != nil
}

// isCustomerChat reports whether this chat is a customer shopping: a customer on WhatsApp, or a
// customer on Telegram who came through a product link.
func (e *Engine) isCustomerChat(c *Conv) bool {
	return e.shopReady() && c.User.Role == lapak.RoleCustomer && c.In.Chat.Channel == lapak.WhatsApp
}

var resellerCodeRE = regexp.MustCompile(`^\s*#?([A-Za-z]{2,5}[2-9]{1,4})\s*$`)

// attribute binds the customer to a reseller when the message carries a reseller's code: the text
// of a share link, or just the code. It returns the product the link named, if any.
func (e *Engine) attribute(c *Conv) (lapak.Product, bool, error) {
	sku, code, ok := lapak.ParseOrderText(c.In.Text)
	if !ok {
		m := resellerCodeRE.FindStringSubmatch(c.In.Text)
		if m == nil {
			return lapak.Product{}, false, nil
		}
		code = m[1]
	}
	r, err := e.cfg.Resellers.ResellerByCode(c.Ctx, code)
	if errors.Is(err, lapak.ErrNotFound) {
		return lapak.Product{}, false, nil
	}
	if err != nil {
		return lapak.Product{}, false, err
	}
	if err := e.cfg.Customers.BindCustomer(c.Ctx, c.User.ID, r.ID, e.now().Add(e.cfg.BindFor)); err != nil {
		return lapak.Product{}, false, err
	}
	if sku == "" {
		return lapak.Product{}, false, nil
	}
	p, err := e.cfg.Catalog.ProductBySKU(c.Ctx, sku)
	if err != nil || !p.Active {
		return lapak.Product{}, false, nil
	}
	return p, true, nil
}

// customerMessage handles a customer's message outside a flow: a share link's text opens its
// product; anything else gets the greeting and the menu.
func (e *Engine) customerMessage(c *Conv) error {
	p, found, err := e.attribute(c)
	if err != nil {
		return err
	}
	if found {
		c.SayText("shop.link_greeting", e.sellerName(c))
		return e.showCard(c, p.ID)
	}
	if query, ok := searchText(c.In); ok {
		return c.StartWith(flowBrowse, &browsing{Chosen: true, Search: query})
	}
	c.SayText("shop.greeting", e.sellerName(c))
	return e.menu(c)
}

// greetings are words customers open a chat with; a message of them gets the greeting, not a search.
var greetings = map[string]bool{
	"halo": true, "hallo": true, "hai": true, "hi": true, "hello": true, "p": true, "pagi": true, "siang": true,
	"sore": true, "malam": true, "permisi": true, "kak": true, "min": true, "gan": true, "assalamualaikum": true,
	"selamat": true, "info": true, "menu": true, "mau": true, "tanya": true, "order": true, "pesan": true,
}

// searchText reads a customer's free text as a product search when it is not just a greeting.
func searchText(in bot.Inbound) (string, bool) {
	if in.Kind != bot.KindText || resellerCodeRE.MatchString(in.Text) {
		return "", false
	}
	words := strings.Fields(strings.ToLower(in.Text))
	if len(words) == 0 || len(words) > 6 {
		return "", false
	}
	for _, w := range words {
		if greetings[strings.Trim(w, ".,!?")] {
			return "", false
		}
	}
	q := strings.Join(words, " ")
	return clip(q, 60), len([]rune(q)) >= 3
}

// seller is the reseller the customer is bound to now, if any.
func (e *Engine) seller(c *Conv) (lapak.Reseller, bool, error) {
	return e.cfg.Customers.CustomerReseller(c.Ctx, c.User.ID, e.now())
}

// sellerName is who the customer buys from: their reseller's first name, or the shop.
func (e *Engine) sellerName(c *Conv) string {
	r, ok, err := e.seller(c)
	if err != nil || !ok {
		return c.T("shop.the_shop")
	}
	return firstName(r.Name)
}

// customerMenu offers what a customer can do.
func (e *Engine) customerMenu(c *Conv) error {
	var opts []bot.Option
	for _, o := range []struct{ id, key string }{
		{"catalog", "shop.menu.catalog"}, {"search", "shop.menu.search"}, {"cart", "shop.menu.cart"},
		{"orders", "shop.menu.orders"}, {"contact", "shop.menu.contact"}, {"lang", "menu.language"},
	} {
		opts = append(opts, bot.Option{ID: "c:" + o.id, Label: c.T(o.key)})
	}
	c.Ask(bot.Reply{Text: c.T("shop.menu_title"), Options: opts})
	return nil
}

// customerChoice handles a tap on the customer menu.
func (e *Engine) customerChoice(c *Conv, choice string) error {
	if !e.shopReady() || c.User.Role != lapak.RoleCustomer {
		c.SayText("option.expired")
		return e.reask(c)
	}
	c.endFlow()
	switch choice {
	case "catalog":
		return c.Start(flowBrowse)
	case "search":
		c.SayText("browse.ask_search")
		return c.StartWith(flowBrowse, &browsing{Chosen: true})
	case "cart":
		return e.showCart(c)
	case "checkout":
		return e.startCheckout(c)
	case "orders":
		return e.showOrders(c)
	case "contact":
		return c.Start(flowContact)
	case "lang":
		return e.chooseLang(c, "")
	}
	c.SayText("option.expired")
	return e.menu(c)
}

// customerPrice is what this customer pays for p: their reseller's price, or retail.
func (e *Engine) customerPrice(c *Conv, p lapak.Product) (lapak.Money, error) {
	r, ok, err := e.seller(c)
	if err != nil || !ok {
		return p.RetailPrice, err
	}
	own, markup, err := e.cfg.Pricing.ResellerPrices(c.Ctx, r.ID, []int64{p.ID})
	if err != nil {
		return 0, err
	}
	return lapak.ResellerPrice(p, own[p.ID], markup), nil
}

// customerCard is a product as a customer sees it: the price they pay, variants and stock.
func (e *Engine) customerCard(c *Conv, p lapak.Product) (bot.Reply, error) {
	price, err := e.customerPrice(c, p)
	if err != nil {
		return bot.Reply{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", p.Name)
	if p.Description != "" {
		fmt.Fprintf(&b, "%s\n", clip(p.Description, 500))
	}
	fmt.Fprintf(&b, "\n%s\n%s: %s", c.T("shop.price", price), c.T("product.f.stock"), stockLine(c, p))
	r := bot.Reply{Text: b.String(), Photo: e.photoOf(p)}
	id := strconv.FormatInt(p.ID, 10)
	if p.InStock() {
		r.Options = append(r.Options, bot.Option{ID: "ca:add:" + id, Label: c.T("shop.add")})
	}
	r.Options = append(r.Options, bot.Option{ID: "c:cart", Label: c.T("shop.menu.cart")}, bot.Option{ID: "c:catalog", Label: c.T("shop.menu.catalog")})
	return r, nil
}

// cartKey is where a chat's cart is kept.
func cartKey(c *Conv) string { return "cart:" + c.In.Chat.String() }

// cartAction handles taps on product cards and carts: ca:add:<product>, ca:edit:<line>.
func (e *Engine) cartAction(c *Conv, arg string) error {
	what, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || !e.shopReady() || c.User.Role != lapak.RoleCustomer {
		c.SayText("option.expired")
		return e.reask(c)
	}
	switch what {
	case "add":
		p, err := e.cfg.Catalog.Product(c.Ctx, id)
		if err != nil || !p.Active {
			return lapak.Errorf(lapak.KindNotFound, "resell.gone")
		}
		return c.StartWith(flowAddToCart, &cartAdd{ProductID: p.ID})
	case "edit":
		return c.StartWith(flowCartEdit, &cartEdit{Line: int(id)})
	}
	c.SayText("option.expired")
	return e.reask(c)
}

// registerShop adds what customers do: browse (shared with resellers), the cart, checkout and
// talking to the seller.
func (e *Engine) registerShop() {
	e.addFlow(addToCart)
	e.addFlow(editCart)
	e.addFlow(checkout)
	e.addFlow(contact)
	e.addFlow(reply)
	e.addFlow(zones)
	e.actions["c"] = e.customerChoice
	e.actions["ca"] = e.cartAction
	e.actions["rl"] = e.replyAction
}
