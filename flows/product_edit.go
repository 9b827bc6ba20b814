package flows

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const flowEditProduct = "edit_product"

// productEdit is one field of one product an owner is changing.
type productEdit struct {
	ProductID int64  `json:"product_id"`
	Field     string `json:"field"`
}

// editFields are what an owner can change from a product card, in the card's order.
var editFields = []string{"base", "retail", "max", "commission", "stock", "low", "name", "description", "photo"}

// editProduct asks for the new value of one field and saves it.
var editProduct = &Flow[productEdit]{
	Name:  flowEditProduct,
	Steps: []Step[productEdit]{{Name: "value", Ask: askEdit, Answer: answerEdit}},
}

// ownerCard is a product as its owner sees it, with what they can change.
func ownerCard(c *Conv, p lapak.Product) bot.Reply {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s]\n", p.Name, p.SKU)
	if p.Category != "" {
		fmt.Fprintf(&b, "%s: %s\n", c.T("product.f.category"), p.Category)
	}
	fmt.Fprintf(&b, "%s: %s\n%s: %s\n", c.T("product.f.base"), p.BasePrice, c.T("product.f.retail"), p.RetailPrice)
	if p.MaxPrice > 0 {
		fmt.Fprintf(&b, "%s: %s\n", c.T("product.f.max"), p.MaxPrice)
	}
	fmt.Fprintf(&b, "%s: %s\n", c.T("product.f.commission"), commissionText(c, p.Commission, p.BasePrice))
	fmt.Fprintf(&b, "%s: %s\n", c.T("product.f.stock"), stockLine(c, p))
	if p.LowStock > 0 {
		fmt.Fprintf(&b, "%s: %d\n", c.T("product.f.low"), p.LowStock)
	}
	status := c.T("product.active")
	if !p.Active {
		status = c.T("product.inactive")
	}
	fmt.Fprintf(&b, "%s: %s", c.T("product.f.status"), status)
	id := strconv.FormatInt(p.ID, 10)
	r := bot.Reply{Text: b.String(), Photo: c.e.photoOf(p)}
	for _, f := range editFields {
		r.Options = append(r.Options, bot.Option{ID: "op:" + f + ":" + id, Label: c.T("product.edit." + f)})
	}
	toggle := "product.deactivate"
	if !p.Active {
		toggle = "product.activate"
	}
	r.Options = append(r.Options, bot.Option{ID: "op:toggle:" + id, Label: c.T(toggle)})
	return r
}

// ownerProductAction handles a tap on an owner's product card: op:<field>:<product ID>. It checks
// again that the tapper is an owner of the product's supplier.
func (e *Engine) ownerProductAction(c *Conv, arg string) error {
	field, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || field != "toggle" && !slices.Contains(editFields, field) {
		c.SayText("option.expired")
		return e.reask(c)
	}
	p, err := e.ownedProduct(c, id)
	if err != nil {
		return err
	}
	if field == "toggle" {
		if err := e.cfg.Catalog.SetActive(c.Ctx, p.ID, !p.Active); err != nil {
			return err
		}
		key := "product.deactivated"
		if !p.Active {
			key = "product.activated"
		}
		c.SayText(key, p.Name)
		return nil
	}
	return c.StartWith(flowEditProduct, &productEdit{ProductID: p.ID, Field: field})
}

// ownedProduct loads a product the user manages, or refuses.
func (e *Engine) ownedProduct(c *Conv, id int64) (lapak.Product, error) {
	if c.User.Role != lapak.RoleOwner {
		return lapak.Product{}, lapak.Errorf(lapak.KindForbidden, "error.forbidden")
	}
	p, err := e.cfg.Catalog.Product(c.Ctx, id)
	if errors.Is(err, lapak.ErrNotFound) {
		return p, lapak.Errorf(lapak.KindNotFound, "error.not_found")
	}
	if err != nil {
		return p, err
	}
	sups, err := e.cfg.Catalog.SuppliersOf(c.Ctx, c.User.ID)
	if err != nil {
		return p, err
	}
	if !slices.ContainsFunc(sups, func(s lapak.Supplier) bool { return s.ID == p.SupplierID }) {
		return p, lapak.Errorf(lapak.KindForbidden, "error.forbidden")
	}
	return p, nil
}

func askEdit(c *Conv, d *productEdit) bot.Reply {
	p, err := c.e.cfg.Catalog.Product(c.Ctx, d.ProductID)
	if err != nil {
		return bot.Reply{Text: c.T("error.not_found")}
	}
	r := bot.Reply{Text: c.T("product.edit_ask."+d.Field, p.Name)}
	switch d.Field {
	case "max", "description", "low":
		r.Options = []bot.Option{{ID: "skip", Label: c.T("product.clear")}}
	case "stock":
		r.Options = []bot.Option{{ID: "unlimited", Label: c.T("product.unlimited")}}
		if len(p.Variants) > 0 {
			r.Text = c.T("product.edit_ask.stock_variants", p.Name, stockLine(c, p))
		}
	}
	return r
}

func answerEdit(c *Conv, d *productEdit, in bot.Inbound) Result {
	p, err := c.e.ownedProduct(c, d.ProductID)
	if err != nil {
		return Abort("error.not_found")
	}
	if d.Field == "photo" {
		if key, args := photoProblem(in); key != "" {
			return Retry(key, args...)
		}
		if err := c.e.storePhoto(c, p.ID, *in.Media); err != nil {
			return retryErr(c, err, "product.photo_failed")
		}
		c.SayText("product.photo_added", p.Name)
		return Done()
	}
	if res := applyEdit(&p, d.Field, in); res != nil {
		return *res
	}
	saved, err := c.e.cfg.Catalog.SaveProduct(c.Ctx, p)
	if err != nil {
		return retryErr(c, err, "error.invalid")
	}
	c.SayText("product.updated", saved.Name)
	c.Say(ownerCard(c, saved))
	return Done()
}

// applyEdit sets field of p from the answer, or returns the Retry that says what was wrong.
func applyEdit(p *lapak.Product, field string, in bot.Inbound) *Result {
	retry := func(key string, args ...any) *Result { r := Retry(key, args...); return &r }
	clear := skipped(in)
	switch field {
	case "base", "retail", "max":
		if field == "max" && clear {
			p.MaxPrice = 0
			return nil
		}
		m, bad := priceAnswer(in)
		if bad != nil {
			return bad
		}
		return setPrice(p, field, m)
	case "commission":
		rule, ok := parseCommission(in.Text)
		if !ok || in.Kind != bot.KindText {
			return retry("product.bad_commission")
		}
		if rule.Fixed > p.BasePrice {
			return retry("product.commission_above_base", p.BasePrice.String())
		}
		p.Commission = rule
	case "stock":
		return setStock(p, in)
	case "low":
		n, ok := parseCount(in.Text)
		if clear {
			n, ok = 0, true
		}
		if !ok {
			return retry("product.bad_stock")
		}
		p.LowStock = n
	case "name":
		name, ok := cleanName(in.Text, 120)
		if !ok || in.Kind != bot.KindText {
			return retry("product.bad_name")
		}
		p.Name = name
	case "description":
		text := strings.TrimSpace(in.Text)
		if clear {
			text = ""
		} else if in.Kind != bot.KindText || len([]rune(text)) > 2000 {
			return retry("product.bad_description")
		}
		p.Description = text
	}
	return nil
}

// setPrice changes one of p's prices, keeping base ≤ retail ≤ max.
func setPrice(p *lapak.Product, field string, m lapak.Money) *Result {
	retry := func(key string, args ...any) *Result { r := Retry(key, args...); return &r }
	switch field {
	case "base":
		if m > p.RetailPrice {
			return retry("product.base_above_retail", p.RetailPrice.String())
		}
		if p.Commission.Fixed > m {
			return retry("product.commission_above_base", m.String())
		}
		p.BasePrice = m
	case "retail":
		if m < p.BasePrice {
			return retry("product.retail_below_base", p.BasePrice.String())
		}
		if p.MaxPrice > 0 && m > p.MaxPrice {
			return retry("price.above_max", p.MaxPrice.String())
		}
		p.RetailPrice = m
	case "max":
		if m < p.RetailPrice {
			return retry("product.max_below_retail", p.RetailPrice.String())
		}
		p.MaxPrice = m
	}
	return nil
}

// setStock reads a number, "unlimited", or "S:10, M:5" for a product with variants.
func setStock(p *lapak.Product, in bot.Inbound) *Result {
	retry := func() *Result { r := Retry("product.bad_stock"); return &r }
	if in.Kind == bot.KindOption && in.Option == "unlimited" || isUnlimited(in.Text) {
		p.Stock = nil
		for i := range p.Variants {
			p.Variants[i].Stock = nil
		}
		return nil
	}
	if n, ok := parseCount(in.Text); ok && in.Kind == bot.KindText {
		p.Stock = &n
		for i := range p.Variants {
			p.Variants[i].Stock = &n
		}
		return nil
	}
	specs, ok := parseVariants(in.Text)
	if !ok || len(p.Variants) == 0 {
		return retry()
	}
	for _, s := range specs {
		i := slices.IndexFunc(p.Variants, func(v lapak.Variant) bool { return strings.EqualFold(v.Name, s.Name) })
		if i < 0 || s.Stock == nil {
			return retry()
		}
		p.Variants[i].Stock = s.Stock
	}
	return nil
}
