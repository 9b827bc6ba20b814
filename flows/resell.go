package flows

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
)

const (
	flowSetPrice = "set_price"
	flowMarkup   = "markup"
)

// myReseller returns the approved reseller behind the chat, or refuses.
func (e *Engine) myReseller(c *Conv) (lapak.Reseller, error) {
	if c.User.Role != lapak.RoleReseller {
		return lapak.Reseller{}, lapak.Errorf(lapak.KindForbidden, "error.forbidden")
	}
	return e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
}

// priceFor is what reseller r sells p at, and the split of it.
func (e *Engine) priceFor(c *Conv, r lapak.Reseller, p lapak.Product) (lapak.Money, lapak.Earnings, error) {
	own, markup, err := e.cfg.Pricing.ResellerPrices(c.Ctx, r.ID, []int64{p.ID})
	if err != nil {
		return 0, lapak.Earnings{}, err
	}
	price := lapak.ResellerPrice(p, own[p.ID], markup)
	split, err := lapak.Split(p.BasePrice, price, p.Commission, 1)
	return price, split, err
}

// resellerCard is a product as a reseller sees it: their price and what they earn on each.
func (e *Engine) resellerCard(c *Conv, p lapak.Product) (bot.Reply, error) {
	r, err := e.myReseller(c)
	if err != nil {
		return bot.Reply{}, err
	}
	price, split, err := e.priceFor(c, r, p)
	if err != nil {
		return bot.Reply{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", p.Name)
	if p.Description != "" {
		fmt.Fprintf(&b, "%s\n", clip(p.Description, 300))
	}
	fmt.Fprintf(&b, "\n%s\n", c.T("resell.your_price", price))
	fmt.Fprintf(&b, "%s\n", c.T("resell.profit", split.Reseller, split.PerItem.Markup, split.PerItem.Commission))
	fmt.Fprintf(&b, "%s: %s\n", c.T("product.f.stock"), stockLine(c, p))
	fmt.Fprintf(&b, "%s", c.T("resell.floor", p.BasePrice, p.RetailPrice))
	id := strconv.FormatInt(p.ID, 10)
	return bot.Reply{Text: b.String(), Photo: e.photoOf(p), Options: []bot.Option{
		{ID: "rp:price:" + id, Label: c.T("resell.set_price")},
		{ID: "rp:share:" + id, Label: c.T("resell.share")},
	}}, nil
}

// resellerAction handles a tap on a reseller's product card: rp:price:<id> or rp:share:<id>.
func (e *Engine) resellerAction(c *Conv, arg string) error {
	what, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || (what != "price" && what != "share") {
		c.SayText("option.expired")
		return e.reask(c)
	}
	if _, err := e.myReseller(c); err != nil {
		return err
	}
	p, err := e.cfg.Catalog.Product(c.Ctx, id)
	if err != nil || !p.Active {
		return lapak.Errorf(lapak.KindNotFound, "resell.gone")
	}
	if what == "share" {
		return e.shareKit(c, p)
	}
	return c.StartWith(flowSetPrice, &priceChange{ProductID: p.ID})
}

// priceChange is a reseller setting their price for one product.
type priceChange struct {
	ProductID int64 `json:"product_id"`
}

var resellerPrice = &Flow[priceChange]{
	Name:  flowSetPrice,
	Steps: []Step[priceChange]{{Name: "price", Ask: askResellerPrice, Answer: answerResellerPrice}},
}

func askResellerPrice(c *Conv, d *priceChange) bot.Reply {
	p, err := c.e.cfg.Catalog.Product(c.Ctx, d.ProductID)
	if err != nil {
		return bot.Reply{Text: c.T("resell.gone")}
	}
	limit := c.T("resell.no_max")
	if p.MaxPrice > 0 {
		limit = c.T("resell.max", p.MaxPrice)
	}
	return bot.Reply{Text: c.T("resell.ask_price", p.Name, p.BasePrice, p.RetailPrice, limit),
		Options: []bot.Option{{ID: "retail", Label: c.T("resell.use_retail", p.RetailPrice)}}}
}

func answerResellerPrice(c *Conv, d *priceChange, in bot.Inbound) Result {
	r, err := c.e.myReseller(c)
	if err != nil {
		return Abort("error.forbidden")
	}
	p, err := c.e.cfg.Catalog.Product(c.Ctx, d.ProductID)
	if err != nil || !p.Active {
		return Abort("resell.gone")
	}
	price := p.RetailPrice
	if !(in.Kind == bot.KindOption && in.Option == "retail") {
		m, bad := priceAnswer(in)
		if bad != nil {
			return *bad
		}
		price = m
	}
	if err := lapak.CheckResellerPrice(p, price); err != nil {
		return retryErr(c, err, "price.invalid")
	}
	if err := c.e.cfg.Pricing.SetResellerPrice(c.Ctx, r.ID, p.ID, price); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	split, _ := lapak.Split(p.BasePrice, price, p.Commission, 1)
	c.SayText("resell.price_set", p.Name, price, split.Reseller)
	return Done()
}

// markupChange is a reseller setting one markup for all products.
type markupChange struct{}

var setMarkup = &Flow[markupChange]{
	Name: flowMarkup,
	Steps: []Step[markupChange]{{
		Name: "markup",
		Ask: func(c *Conv, _ *markupChange) bot.Reply {
			return bot.Reply{Text: c.T("resell.ask_markup"), Options: []bot.Option{{ID: "retail", Label: c.T("resell.markup_retail")}}}
		},
		Answer: answerMarkup,
	}},
}

func answerMarkup(c *Conv, _ *markupChange, in bot.Inbound) Result {
	r, err := c.e.myReseller(c)
	if err != nil {
		return Abort("error.forbidden")
	}
	var m lapak.Markup
	text := strings.TrimSpace(in.Text)
	switch {
	case in.Kind == bot.KindOption && in.Option == "retail", text == "0":
	case strings.HasSuffix(text, "%"):
		bp, ok := parsePercent(strings.TrimSuffix(text, "%"))
		if !ok || bp == 0 || bp > 100_000 {
			return Retry("resell.bad_markup")
		}
		m.Percent = bp
	default:
		fixed, err := lapak.ParsePrice(text)
		if err != nil || in.Kind != bot.KindText {
			return Retry("resell.bad_markup")
		}
		m.Fixed = fixed
	}
	if err := c.e.cfg.Pricing.SetMarkup(c.Ctx, r.ID, m); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	switch {
	case m.Percent > 0:
		c.SayText("resell.markup_set", m.Percent.String())
	case m.Fixed > 0:
		c.SayText("resell.markup_set", m.Fixed.String())
	default:
		c.SayText("resell.markup_cleared")
	}
	return Done()
}

// shareKit gives a reseller what to post: the photo, a caption at their price, and the links that
// carry their code.
func (e *Engine) shareKit(c *Conv, p lapak.Product) error {
	r, err := e.myReseller(c)
	if err != nil {
		return err
	}
	price, _, err := e.priceFor(c, r, p)
	if err != nil {
		return err
	}
	links, err := e.orderLinks(c, r, p)
	if err != nil {
		return err
	}
	caption := shareCaption(p, price, links)
	c.SayText("resell.share_intro")
	reply := bot.Reply{Text: caption, Photo: e.photoOf(p)}
	if links.order != "" {
		reply.Links = []bot.Link{{Label: i18n.T(lapak.Indonesian, "resell.order_button"), URL: links.order}}
	}
	c.Say(reply)
	return nil
}

type orderLinks struct{ order, telegram string }

// orderLinks are a reseller's links for a product: the tracked WhatsApp order link (through
// /go/<token> when Lapak has a public address, straight to wa.me otherwise) and the Telegram link.
func (e *Engine) orderLinks(c *Conv, r lapak.Reseller, p lapak.Product) (orderLinks, error) {
	var l orderLinks
	if e.cfg.WhatsApp != "" {
		l.order = lapak.WhatsAppLink(e.cfg.WhatsApp, lapak.OrderText(p.Name, p.SKU, r.Code))
		if e.cfg.PublicURL != "" {
			token, err := e.cfg.Pricing.ShareLink(c.Ctx, r.ID, p.ID)
			if err != nil {
				return l, err
			}
			l.order = e.cfg.PublicURL + "/go/" + token
		}
	}
	if bot := e.cfg.BotUsername(); bot != "" {
		l.telegram = "https://t.me/" + bot + "?start=" + buyPrefix + r.Code + "_" + p.SKU
	}
	return l, nil
}

// buyPrefix starts the payload of a product link on Telegram: t.me/<bot>?start=b_<code>_<sku>.
const buyPrefix = "b_"

// shareCaption is the Indonesian post a reseller shares with customers.
func shareCaption(p lapak.Product, price lapak.Money, l orderLinks) string {
	var b strings.Builder
	fmt.Fprintf(&b, "✨ %s ✨\n", p.Name)
	if p.Description != "" {
		fmt.Fprintf(&b, "%s\n", clip(p.Description, 500))
	}
	fmt.Fprintf(&b, "\n💰 Harga: %s\n", price)
	if names := activeVariantNames(p); names != "" {
		fmt.Fprintf(&b, "📏 Pilihan: %s\n", names)
	}
	if l.order != "" {
		fmt.Fprintf(&b, "\n📲 Pesan lewat WhatsApp: %s\n", l.order)
	}
	if l.telegram != "" {
		fmt.Fprintf(&b, "✈️ Atau lewat Telegram: %s\n", l.telegram)
	}
	return strings.TrimRight(b.String(), "\n")
}

func activeVariantNames(p lapak.Product) string {
	var names []string
	for _, v := range p.Variants {
		if v.Active {
			names = append(names, v.Name)
		}
	}
	return strings.Join(names, ", ")
}
