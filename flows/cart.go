package flows

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const (
	flowAddToCart = "add_to_cart"
	flowCartEdit  = "cart_edit"
	maxQty        = 1000
	maxCartLines  = 20
)

// cartAdd is a product on its way into the cart: which variant, how many.
type cartAdd struct {
	ProductID int64   `json:"product_id"`
	Variants  []int64 `json:"variants,omitempty"` // offered, by option index
	VariantID int64   `json:"variant_id,omitempty"`
	Chosen    bool    `json:"chosen,omitempty"`
}

// addToCart asks for the variant (when the product has some) and the quantity.
var addToCart = &Flow[cartAdd]{
	Name: flowAddToCart,
	Steps: []Step[cartAdd]{
		{Name: "variant", Skip: noVariantChoice, Ask: askVariant, Answer: answerVariant},
		{Name: "qty", Ask: askQty, Answer: answerQty},
	},
}

func noVariantChoice(c *Conv, d *cartAdd) bool {
	if d.Chosen {
		return true
	}
	p, err := c.e.cfg.Catalog.Product(c.Ctx, d.ProductID)
	return err != nil || len(p.Variants) == 0
}

func askVariant(c *Conv, d *cartAdd) bot.Reply {
	p, _ := c.e.cfg.Catalog.Product(c.Ctx, d.ProductID)
	r := bot.Reply{Text: c.T("shop.ask_variant", p.Name)}
	d.Variants = d.Variants[:0]
	for _, v := range p.Variants {
		if !v.Active || v.Stock != nil && *v.Stock == 0 {
			continue
		}
		r.Options = append(r.Options, bot.Option{ID: "v:" + strconv.Itoa(len(d.Variants)), Label: v.Name})
		d.Variants = append(d.Variants, v.ID)
	}
	return r
}

func answerVariant(c *Conv, d *cartAdd, in bot.Inbound) Result {
	if i, ok := optionIndex(in, "v:", len(d.Variants)); ok {
		d.VariantID, d.Chosen = d.Variants[i], true
		return Next()
	}
	return Retry("shop.choose_variant")
}

func askQty(c *Conv, _ *cartAdd) bot.Reply {
	opts := []bot.Option{}
	for _, n := range []string{"1", "2", "3"} {
		opts = append(opts, bot.Option{ID: "q:" + n, Label: n})
	}
	return bot.Reply{Text: c.T("shop.ask_qty"), Options: opts}
}

// readQty reads a quantity from a tap (q:<n>) or typed digits, 1 to maxQty.
func readQty(in bot.Inbound, allowZero bool) (int, bool) {
	text := in.Text
	if n, ok := strings.CutPrefix(in.Option, "q:"); ok && in.Kind == bot.KindOption {
		text = n
	}
	n, err := strconv.Atoi(strings.TrimSpace(text))
	return n, err == nil && n <= maxQty && (n > 0 || allowZero && n == 0)
}

func answerQty(c *Conv, d *cartAdd, in bot.Inbound) Result {
	n, ok := readQty(in, false)
	if !ok {
		return Retry("shop.bad_qty", maxQty)
	}
	cart, err := c.e.cfg.Carts.Cart(c.Ctx, cartKey(c))
	if err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	cart = addLine(cart, lapak.CartItem{ProductID: d.ProductID, VariantID: d.VariantID, Qty: n})
	if len(cart.Items) > maxCartLines {
		return Abort("shop.cart_full", maxCartLines)
	}
	if err := c.e.cfg.Carts.SaveCart(c.Ctx, cartKey(c), cart); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	c.e.cartStarted(c, d.ProductID)
	c.SayText("shop.added", n)
	if err := c.e.showCart(c); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	return Done()
}

// addLine adds item to the cart, merging it with the same product and variant, at most maxQty.
func addLine(cart lapak.Cart, item lapak.CartItem) lapak.Cart {
	for i, it := range cart.Items {
		if it.ProductID == item.ProductID && it.VariantID == item.VariantID {
			cart.Items[i].Qty = min(it.Qty+item.Qty, maxQty)
			return cart
		}
	}
	cart.Items = append(cart.Items, item)
	return cart
}

// cartLine is a cart line priced for this customer.
type cartLine struct {
	Name  string
	Qty   int
	Price lapak.Money
	OK    bool // the product is still for sale
}

// priceCart prices the cart for this customer, as checkout will.
func (e *Engine) priceCart(c *Conv, cart lapak.Cart) ([]cartLine, lapak.Money, error) {
	var lines []cartLine
	var total lapak.Money
	for _, it := range cart.Items {
		p, err := e.cfg.Catalog.Product(c.Ctx, it.ProductID)
		if err != nil || !p.Active {
			lines = append(lines, cartLine{Name: c.T("resell.gone"), Qty: it.Qty})
			continue
		}
		price, err := e.customerPrice(c, p)
		if err != nil {
			return nil, 0, err
		}
		name := p.Name
		for _, v := range p.Variants {
			if v.ID == it.VariantID {
				name += " – " + v.Name
			}
		}
		lines = append(lines, cartLine{Name: name, Qty: it.Qty, Price: price, OK: true})
		total += price * lapak.Money(it.Qty)
	}
	return lines, total, nil
}

// showCart shows the cart with its total, and what to do next.
func (e *Engine) showCart(c *Conv) error {
	cart, err := e.cfg.Carts.Cart(c.Ctx, cartKey(c))
	if err != nil {
		return err
	}
	if len(cart.Items) == 0 {
		c.Ask(bot.Reply{Text: c.T("shop.cart_empty"), Options: []bot.Option{{ID: "c:catalog", Label: c.T("shop.menu.catalog")}}})
		return nil
	}
	lines, total, err := e.priceCart(c, cart)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(c.T("shop.cart_title") + "\n")
	var opts []bot.Option
	for i, l := range lines {
		fmt.Fprintf(&b, "%d. %s × %d = %s\n", i+1, l.Name, l.Qty, l.Price*lapak.Money(l.Qty))
		if len(opts) < 7 {
			opts = append(opts, bot.Option{ID: "ca:edit:" + strconv.Itoa(i), Label: c.T("shop.edit_line", i+1)})
		}
	}
	fmt.Fprintf(&b, "\n%s", c.T("shop.subtotal", total))
	opts = append([]bot.Option{{ID: "c:checkout", Label: c.T("shop.checkout")}, {ID: "c:catalog", Label: c.T("shop.continue")}}, opts...)
	c.Ask(bot.Reply{Text: b.String(), Options: opts})
	return nil
}

// cartEdit changes the quantity of one cart line; 0 removes it.
type cartEdit struct {
	Line int `json:"line"`
}

var editCart = &Flow[cartEdit]{
	Name: flowCartEdit,
	Steps: []Step[cartEdit]{{
		Name: "qty",
		Ask: func(c *Conv, d *cartEdit) bot.Reply {
			return bot.Reply{Text: c.T("shop.ask_new_qty", d.Line+1), Options: []bot.Option{{ID: "q:0", Label: c.T("shop.remove")}}}
		},
		Answer: answerCartEdit,
	}},
}

func answerCartEdit(c *Conv, d *cartEdit, in bot.Inbound) Result {
	n, ok := readQty(in, true)
	if !ok {
		return Retry("shop.bad_qty", maxQty)
	}
	cart, err := c.e.cfg.Carts.Cart(c.Ctx, cartKey(c))
	if err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	if d.Line < 0 || d.Line >= len(cart.Items) {
		return Abort("option.expired")
	}
	if n == 0 {
		cart.Items = append(cart.Items[:d.Line], cart.Items[d.Line+1:]...)
	} else {
		cart.Items[d.Line].Qty = n
	}
	if err := c.e.cfg.Carts.SaveCart(c.Ctx, cartKey(c), cart); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	if err := c.e.showCart(c); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	return Done()
}
