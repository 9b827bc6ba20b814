package flows

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const flowAddProduct = "add_product"

// maxPhotoBytes is the largest photo Lapak takes: Telegram's own limit for photos.
const maxPhotoBytes = 10 << 20

// productDraft is a product an owner is adding, step by step.
type productDraft struct {
	SupplierID  int64                 `json:"supplier_id,omitempty"`
	Name        string                `json:"name,omitempty"`
	Description string                `json:"description,omitempty"`
	DescDone    bool                  `json:"desc_done,omitempty"`
	Category    string                `json:"category,omitempty"`
	Categories  []string              `json:"categories,omitempty"` // the ones offered, by option index
	Base        lapak.Money           `json:"base,omitempty"`
	Retail      lapak.Money           `json:"retail,omitempty"`
	Max         lapak.Money           `json:"max,omitempty"`
	MaxDone     bool                  `json:"max_done,omitempty"`
	Commission  *lapak.CommissionRule `json:"commission,omitempty"`
	Variants    []variantSpec         `json:"variants,omitempty"`
	VariantDone bool                  `json:"variant_done,omitempty"`
	Stock       *int                  `json:"stock,omitempty"`
	StockDone   bool                  `json:"stock_done,omitempty"`
	Weight      *int                  `json:"weight,omitempty"`
	Photo       *bot.Media            `json:"photo,omitempty"`
	PhotoDone   bool                  `json:"photo_done,omitempty"`
}

// addProduct asks an owner for a new product, one field at a time, then shows it to confirm.
var addProduct = &Flow[productDraft]{
	Name: flowAddProduct,
	Steps: []Step[productDraft]{
		{Name: "supplier", Skip: supplierKnown, Ask: askSupplier, Answer: answerSupplier},
		{Name: "name", Skip: func(_ *Conv, d *productDraft) bool { return d.Name != "" },
			Ask: ask("product.ask_name"), Answer: answerName},
		{Name: "description", Skip: func(_ *Conv, d *productDraft) bool { return d.DescDone },
			Ask: askWithSkip("product.ask_description"), Answer: answerDescription},
		{Name: "category", Ask: askCategory, Answer: answerCategory},
		{Name: "base", Ask: ask("product.ask_base"), Answer: answerBase},
		{Name: "retail", Ask: askRetail, Answer: answerRetail},
		{Name: "max", Ask: askWithSkip("product.ask_max"), Answer: answerMax},
		{Name: "commission", Ask: ask("product.ask_commission"), Answer: answerCommission},
		{Name: "variants", Ask: askWithSkip("product.ask_variants"), Answer: answerVariants},
		{Name: "stock", Skip: stockKnown, Ask: askStock, Answer: answerStock},
		{Name: "weight", Ask: ask("product.ask_weight"), Answer: answerWeight},
		{Name: "photo", Skip: func(_ *Conv, d *productDraft) bool { return d.PhotoDone },
			Ask: askWithSkip("product.ask_photo"), Answer: answerPhoto},
		{Name: "confirm", Ask: askConfirmProduct, Answer: answerConfirmProduct},
	},
	Finish: saveDraft,
}

// ask is a step's question with no options.
func ask(key string) func(*Conv, *productDraft) bot.Reply {
	return func(c *Conv, _ *productDraft) bot.Reply { return bot.Reply{Text: c.T(key)} }
}

// askWithSkip is a step's question with a "skip" option.
func askWithSkip(key string) func(*Conv, *productDraft) bot.Reply {
	return func(c *Conv, _ *productDraft) bot.Reply {
		return bot.Reply{Text: c.T(key), Options: []bot.Option{{ID: "skip", Label: c.T("product.skip")}}}
	}
}

// skipped reports whether the answer is the skip option or a word for it.
func skipped(in bot.Inbound) bool {
	return in.Kind == bot.KindOption && in.Option == "skip" || in.Kind == bot.KindText && isSkip(in.Text)
}

func supplierKnown(c *Conv, d *productDraft) bool {
	if d.SupplierID != 0 {
		return true
	}
	sups, err := c.e.cfg.Catalog.SuppliersOf(c.Ctx, c.User.ID)
	if err == nil && len(sups) == 1 {
		d.SupplierID = sups[0].ID
		return true
	}
	return false
}

func askSupplier(c *Conv, _ *productDraft) bot.Reply {
	sups, _ := c.e.cfg.Catalog.SuppliersOf(c.Ctx, c.User.ID)
	r := bot.Reply{Text: c.T("product.ask_supplier_new")}
	if len(sups) > 0 {
		r.Text = c.T("product.ask_supplier")
	}
	for _, s := range sups {
		r.Options = append(r.Options, bot.Option{ID: "sup:" + strconv.FormatInt(s.ID, 10), Label: s.Name})
	}
	return r
}

func answerSupplier(c *Conv, d *productDraft, in bot.Inbound) Result {
	if id, ok := strings.CutPrefix(in.Option, "sup:"); ok && in.Kind == bot.KindOption {
		d.SupplierID, _ = strconv.ParseInt(id, 10, 64)
		return Next()
	}
	name, ok := cleanName(in.Text, 60)
	if !ok || in.Kind != bot.KindText {
		return Retry("product.bad_supplier")
	}
	s, err := c.e.cfg.Catalog.CreateSupplier(c.Ctx, name, c.User.ID)
	if err != nil {
		return retryErr(c, err, "product.bad_supplier")
	}
	d.SupplierID = s.ID
	return Next()
}

func answerName(_ *Conv, d *productDraft, in bot.Inbound) Result {
	name, ok := cleanName(in.Text, 120)
	if !ok || in.Kind != bot.KindText {
		return Retry("product.bad_name")
	}
	d.Name = name
	return Next()
}

func answerDescription(_ *Conv, d *productDraft, in bot.Inbound) Result {
	d.DescDone = true
	if skipped(in) {
		return Next()
	}
	text := strings.TrimSpace(in.Text)
	if in.Kind != bot.KindText || len([]rune(text)) > 2000 {
		d.DescDone = false
		return Retry("product.bad_description")
	}
	d.Description = text
	return Next()
}

func askCategory(c *Conv, d *productDraft) bot.Reply {
	cats, _ := c.e.cfg.Catalog.Categories(c.Ctx, nil)
	d.Categories = d.Categories[:0]
	r := bot.Reply{Text: c.T("product.ask_category")}
	for i, cat := range cats {
		if i == 8 {
			break
		}
		d.Categories = append(d.Categories, cat.Name)
		r.Options = append(r.Options, bot.Option{ID: "cat:" + strconv.Itoa(i), Label: cat.Name})
	}
	return r
}

func answerCategory(_ *Conv, d *productDraft, in bot.Inbound) Result {
	if i, ok := optionIndex(in, "cat:", len(d.Categories)); ok {
		d.Category = d.Categories[i]
		return Next()
	}
	cat, ok := cleanName(in.Text, 60)
	if !ok || in.Kind != bot.KindText {
		return Retry("product.bad_category")
	}
	d.Category = cat
	return Next()
}

// optionIndex reads an option "<prefix><i>" with 0 ≤ i < n.
func optionIndex(in bot.Inbound, prefix string, n int) (int, bool) {
	s, ok := strings.CutPrefix(in.Option, prefix)
	if in.Kind != bot.KindOption || !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	return i, err == nil && i >= 0 && i < n
}

// priceAnswer parses a price, returning a Retry that says what was wrong when it can't.
func priceAnswer(in bot.Inbound) (lapak.Money, *Result) {
	m, err := lapak.ParsePrice(in.Text)
	var e *lapak.Error
	switch {
	case in.Kind != bot.KindText:
		r := Retry("price.invalid")
		return 0, &r
	case errors.As(err, &e):
		r := Retry(e.Key, e.Args...)
		return 0, &r
	case err != nil:
		r := Retry("price.invalid")
		return 0, &r
	case m == 0:
		r := Retry("price.zero")
		return 0, &r
	}
	return m, nil
}

func answerBase(_ *Conv, d *productDraft, in bot.Inbound) Result {
	m, bad := priceAnswer(in)
	if bad != nil {
		return *bad
	}
	d.Base = m
	return Next()
}

func askRetail(c *Conv, d *productDraft) bot.Reply {
	return bot.Reply{Text: c.T("product.ask_retail", d.Base.String())}
}

func answerRetail(_ *Conv, d *productDraft, in bot.Inbound) Result {
	m, bad := priceAnswer(in)
	if bad != nil {
		return *bad
	}
	if m < d.Base {
		return Retry("product.retail_below_base", d.Base.String())
	}
	d.Retail = m
	return Next()
}

func answerMax(_ *Conv, d *productDraft, in bot.Inbound) Result {
	d.MaxDone = true
	if skipped(in) {
		d.Max = 0
		return Next()
	}
	m, bad := priceAnswer(in)
	if bad != nil {
		return *bad
	}
	if m < d.Retail {
		return Retry("product.max_below_retail", d.Retail.String())
	}
	d.Max = m
	return Next()
}

func answerCommission(_ *Conv, d *productDraft, in bot.Inbound) Result {
	rule, ok := parseCommission(in.Text)
	if !ok || in.Kind != bot.KindText {
		return Retry("product.bad_commission")
	}
	if rule.Fixed > d.Base {
		return Retry("product.commission_above_base", d.Base.String())
	}
	d.Commission = &rule
	return Next()
}

func answerVariants(_ *Conv, d *productDraft, in bot.Inbound) Result {
	d.VariantDone = true
	if skipped(in) {
		d.Variants = nil
		return Next()
	}
	v, ok := parseVariants(in.Text)
	if !ok || in.Kind != bot.KindText {
		return Retry("product.bad_variants")
	}
	d.Variants = v
	return Next()
}

// stockKnown skips the stock question when every variant came with its stock.
func stockKnown(_ *Conv, d *productDraft) bool {
	if len(d.Variants) == 0 {
		return false
	}
	for _, v := range d.Variants {
		if v.Stock == nil {
			return false
		}
	}
	return true
}

func askStock(c *Conv, d *productDraft) bot.Reply {
	key := "product.ask_stock"
	if len(d.Variants) > 0 {
		key = "product.ask_stock_each"
	}
	return bot.Reply{Text: c.T(key), Options: []bot.Option{{ID: "unlimited", Label: c.T("product.unlimited")}}}
}

func answerStock(_ *Conv, d *productDraft, in bot.Inbound) Result {
	var stock *int
	if !(in.Kind == bot.KindOption && in.Option == "unlimited") && !isUnlimited(in.Text) {
		n, ok := parseCount(in.Text)
		if !ok || in.Kind != bot.KindText {
			return Retry("product.bad_stock")
		}
		stock = &n
	}
	d.Stock, d.StockDone = stock, true
	for i := range d.Variants {
		if d.Variants[i].Stock == nil {
			d.Variants[i].Stock = stock
		}
	}
	return Next()
}

func isUnlimited(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "unlimited", "tak terbatas", "tidak terbatas", "∞":
		return true
	}
	return false
}

func answerWeight(_ *Conv, d *productDraft, in bot.Inbound) Result {
	g, ok := parseWeight(in.Text)
	if !ok || in.Kind != bot.KindText {
		return Retry("product.bad_weight")
	}
	d.Weight = &g
	return Next()
}

func answerPhoto(c *Conv, d *productDraft, in bot.Inbound) Result {
	if skipped(in) {
		d.PhotoDone = true
		return Next()
	}
	if key, args := photoProblem(in); key != "" {
		return Retry(key, args...)
	}
	d.Photo, d.PhotoDone = in.Media, true
	return Next()
}

// photoProblem says what is wrong with a message that should be a photo, as a message key and
// its arguments, or "".
func photoProblem(in bot.Inbound) (string, []any) {
	switch {
	case in.Media == nil || in.Kind != bot.KindPhoto && in.Kind != bot.KindDocument:
		return "photo.expected", nil
	case in.Kind == bot.KindDocument && !strings.HasPrefix(in.Media.MIME, "image/"):
		return "photo.not_image", nil
	case in.Media.Size > maxPhotoBytes:
		return "photo.too_large", []any{maxPhotoBytes >> 20}
	}
	return "", nil
}

func askConfirmProduct(c *Conv, d *productDraft) bot.Reply {
	return bot.Reply{Text: c.T("product.confirm", draftSummary(c, d)), Options: []bot.Option{
		{ID: "save", Label: c.T("product.save")},
		{ID: "cancel", Label: c.T("product.cancel")},
	}}
}

func answerConfirmProduct(c *Conv, _ *productDraft, in bot.Inbound) Result {
	switch {
	case in.Kind == bot.KindOption && in.Option == "save":
		return Done()
	case in.Kind == bot.KindOption && in.Option == "cancel":
		return Abort("cmd.cancelled")
	}
	return Retry("product.confirm_tap")
}

// draftSummary is the draft as the owner will check it.
func draftSummary(c *Conv, d *productDraft) string {
	var b strings.Builder
	line := func(key string, v any) { fmt.Fprintf(&b, "%s: %v\n", c.T(key), v) }
	line("product.f.name", d.Name)
	if d.Description != "" {
		line("product.f.description", clip(d.Description, 200))
	}
	line("product.f.category", d.Category)
	line("product.f.base", d.Base)
	line("product.f.retail", d.Retail)
	if d.Max > 0 {
		line("product.f.max", d.Max)
	}
	line("product.f.commission", commissionText(c, d.commission(), d.Base))
	if len(d.Variants) > 0 {
		var vs []string
		for _, v := range d.Variants {
			vs = append(vs, v.Name+" ("+stockText(c, v.Stock)+")")
		}
		line("product.f.variants", strings.Join(vs, ", "))
	} else {
		line("product.f.stock", stockText(c, d.Stock))
	}
	if d.Weight != nil {
		line("product.f.weight", fmt.Sprintf("%d g", *d.Weight))
	}
	photo := c.T("product.no_photo")
	if d.Photo != nil {
		photo = c.T("product.has_photo")
	}
	line("product.f.photo", photo)
	return strings.TrimRight(b.String(), "\n")
}

func (d *productDraft) commission() lapak.CommissionRule {
	if d.Commission == nil {
		return lapak.CommissionRule{}
	}
	return *d.Commission
}

// commissionText shows a rule and what it pays on base: "10% (Rp5.000)".
func commissionText(c *Conv, rule lapak.CommissionRule, base lapak.Money) string {
	switch {
	case rule.Percent > 0:
		return fmt.Sprintf("%s (%s)", rule.Percent, lapak.Commission(base, rule))
	case rule.Fixed > 0:
		return rule.Fixed.String()
	}
	return c.T("product.no_commission")
}

func stockText(c *Conv, stock *int) string {
	switch {
	case stock == nil:
		return c.T("product.unlimited")
	case *stock == 0:
		return c.T("product.sold_out")
	}
	return strconv.Itoa(*stock)
}

// saveDraft saves the product and its photo, and tells the owner its code.
func saveDraft(c *Conv, d *productDraft) error {
	p := lapak.Product{
		SupplierID: d.SupplierID, Name: d.Name, Description: d.Description, Category: d.Category,
		BasePrice: d.Base, RetailPrice: d.Retail, MaxPrice: d.Max, Commission: d.commission(),
		Stock: d.Stock, Active: true,
	}
	if d.Weight != nil {
		p.WeightGrams = *d.Weight
	}
	for _, v := range d.Variants {
		p.Variants = append(p.Variants, lapak.Variant{Name: v.Name, Stock: v.Stock, Active: true})
	}
	saved, err := c.e.cfg.Catalog.SaveProduct(c.Ctx, p)
	if err != nil {
		return err
	}
	if d.Photo != nil {
		if err := c.e.storePhoto(c, saved.ID, *d.Photo); err != nil {
			c.SayText("product.photo_failed")
			c.e.cfg.Logger.Warn("store product photo", "product_id", saved.ID, "err", err)
		}
	}
	c.SayText("product.saved", saved.Name, saved.SKU)
	return nil
}

// storePhoto fetches a photo from the chat's channel, normalises it and adds it to a product.
func (e *Engine) storePhoto(c *Conv, productID int64, m bot.Media) error {
	data, err := e.cfg.Files.Fetch(c.Ctx, c.In.Chat, m)
	if err != nil {
		return fmt.Errorf("fetch photo: %w", err)
	}
	jpeg, w, h, err := e.cfg.Images(data)
	if err != nil {
		return err
	}
	_, err = e.cfg.Catalog.AddImage(c.Ctx, lapak.Image{ProductID: productID, JPEG: jpeg, Width: w, Height: h, TelegramFileID: m.FileID})
	return err
}

// retryErr asks again with the user-facing message of err, or fallback when it has none. Errors
// that are not the user's fault are not retried.
func retryErr(c *Conv, err error, fallback string) Result {
	var e *lapak.Error
	if errors.As(err, &e) && e.Kind != lapak.KindInternal && e.Kind != lapak.KindUnavailable {
		return Retry(e.Key, e.Args...)
	}
	c.e.cfg.Logger.Error("flow step failed", "chat", c.In.Chat.Masked(), "err", err)
	return Retry(fallback)
}
