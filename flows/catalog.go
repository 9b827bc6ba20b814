package flows

import (
	"errors"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// registerCatalog adds the catalog flows: owners add and edit products, resellers browse, price
// and share them.
func (e *Engine) registerCatalog() {
	e.addFlow(addProduct)
	e.addFlow(editProduct)
	e.addFlow(browse)
	e.addFlow(resellerPrice)
	e.addFlow(setMarkup)
	e.actions["op"] = e.ownerProductAction
	e.actions["rp"] = e.resellerAction
}

// catalogReady reports whether the catalog is wired; tests of other flows may leave it out.
func (e *Engine) catalogReady() bool { return e.cfg.Catalog != nil && e.cfg.Pricing != nil }

// photoFromOwner starts adding a product when an owner sends a photo outside a flow; the
// caption's first line, when it is a good name, becomes the product's name.
func (e *Engine) photoFromOwner(c *Conv) error {
	if key, args := photoProblem(c.In); key != "" {
		c.SayText(key, args...)
		return e.menu(c)
	}
	d := &productDraft{Photo: c.In.Media, PhotoDone: true}
	first, rest, _ := strings.Cut(strings.TrimSpace(c.In.Text), "\n")
	if name, ok := cleanName(first, 120); ok {
		d.Name = name
		if desc := strings.TrimSpace(rest); desc != "" && len([]rune(desc)) <= 2000 {
			d.Description, d.DescDone = desc, true
		}
	}
	c.SayText("product.from_photo")
	return c.StartWith(flowAddProduct, d)
}

// startBuy answers a product link opened on Telegram (/start b_<code>_<sku>) by someone who is not
// a reseller or owner: the product at that reseller's price and the WhatsApp order link.
func (e *Engine) startBuy(c *Conv, payload string) (bool, error) {
	code, sku, ok := strings.Cut(payload, "_")
	if !ok || !e.catalogReady() || c.User.Role != lapak.RoleCustomer {
		return false, nil
	}
	r, err := e.cfg.Resellers.ResellerByCode(c.Ctx, code)
	if err != nil {
		return false, nil
	}
	p, err := e.cfg.Catalog.ProductBySKU(c.Ctx, sku)
	if err != nil || !p.Active {
		return false, nil
	}
	own, markup, err := e.cfg.Pricing.ResellerPrices(c.Ctx, r.ID, []int64{p.ID})
	if err != nil {
		return true, err
	}
	price := lapak.ResellerPrice(p, own[p.ID], markup)
	reply := bot.Reply{Text: c.T("buy.product", p.Name, price, r.Name), Photo: e.photoOf(p)}
	if e.cfg.WhatsApp != "" {
		reply.Links = []bot.Link{{Label: c.T("buy.order_whatsapp"), URL: lapak.WhatsAppLink(e.cfg.WhatsApp, lapak.OrderText(p.Name, p.SKU, r.Code))}}
	} else {
		reply.Text += "\n\n" + c.T("buy.soon")
	}
	c.Say(reply)
	return true, nil
}

// maxCSVBytes is the largest spreadsheet an owner may send.
const maxCSVBytes = 10 << 20

// isCSV reports whether a file is a spreadsheet saved as CSV.
func isCSV(m *bot.Media) bool {
	if m == nil {
		return false
	}
	name := strings.ToLower(m.Name)
	return strings.HasSuffix(name, ".csv") || m.MIME == "text/csv" || m.MIME == "text/comma-separated-values"
}

// importFromOwner imports the CSV an owner sent and answers with what was imported and refused.
func (e *Engine) importFromOwner(c *Conv) error {
	if c.In.Media.Size > maxCSVBytes {
		c.SayText("import.too_large", maxCSVBytes>>20)
		return nil
	}
	data, err := e.cfg.Files.Fetch(c.Ctx, c.In.Chat, *c.In.Media)
	if err != nil {
		return err
	}
	summary, err := e.cfg.Importer.ImportCSV(c.Ctx, data, c.User.ID, c.Lang())
	if lapak.KindOf(err) == lapak.KindInvalid {
		var le *lapak.Error
		if errors.As(err, &le) {
			c.SayText(le.Key, le.Args...)
			return nil
		}
	}
	if err != nil {
		return err
	}
	c.Say(bot.Reply{Text: summary})
	return nil
}
