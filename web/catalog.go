package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage"
)

// Storefronts reads what the catalog pages show. A reseller code that is unknown or not
// approved, or a product that is not sold, is lapak.ErrNotFound.
type Storefronts interface {
	Storefront(ctx context.Context, code string) (storage.Storefront, error)
	StoreProduct(ctx context.Context, code, sku string) (lapak.Reseller, storage.StoreItem, error)
}

// OrderLinks makes and follows resellers' order links. ShareLinks returns a reseller's tokens for
// products by product ID, making the missing ones; ShareTarget reads where a token points without
// counting a click; Click counts one and returns what the order message needs. An unknown token
// is lapak.ErrNotFound.
type OrderLinks interface {
	ShareLinks(ctx context.Context, resellerID int64, productIDs []int64) (map[int64]string, error)
	ShareTarget(ctx context.Context, token string) (resellerCode, sku string, err error)
	Click(ctx context.Context, token string) (resellerCode, sku, productName string, err error)
}

// Photos returns a product photo as JPEG, or lapak.ErrNotFound.
type Photos interface {
	Image(ctx context.Context, id string) ([]byte, error)
}

// CatalogConfig is what the catalog pages need.
type CatalogConfig struct {
	Storefronts Storefronts // required
	Links       OrderLinks  // required
	Photos      Photos      // required
	// PublicURL is the site's address without a trailing slash (PUBLIC_URL), for the absolute
	// links that link previews need. Empty: the address the request came to.
	PublicURL string
	// WhatsApp is the store's number, where order links open a chat (WHATSAPP_NUMBER). Empty: the
	// pages say ordering by WhatsApp is not available yet and show no order buttons.
	WhatsApp lapak.Phone
	// Logger logs failures. Default: slog.Default().
	Logger *slog.Logger
}

// Catalog serves resellers' catalog pages to their customers: the catalog at the reseller's
// prices, one product with the tags link previews read, order links that count a click and
// open WhatsApp, and product photos. Pages are server-rendered HTML with inline styles and no
// scripts, in Indonesian.
type Catalog struct {
	cfg CatalogConfig
	log *slog.Logger
}

// NewCatalog returns the catalog pages over cfg.
func NewCatalog(cfg CatalogConfig) *Catalog {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Catalog{cfg: cfg, log: log}
}

// Storefront serves GET /r/{code}: the reseller's active products at their prices, grouped by
// category, or one category with ?kategori=.
func (c *Catalog) Storefront(w http.ResponseWriter, r *http.Request) {
	sf, err := c.cfg.Storefronts.Storefront(r.Context(), r.PathValue("code"))
	if err != nil {
		c.fail(w, r, err, noCatalog)
		return
	}
	category := r.URL.Query().Get("kategori")
	items := inCategory(sf.Items, category)
	if err := c.ensureTokens(r.Context(), sf.Reseller.ID, items); err != nil {
		c.fail(w, r, err, noCatalog)
		return
	}
	c.render(w, r, http.StatusOK, c.storefrontPage(r, sf, items, category))
}

// Product serves GET /r/{code}/p/{sku}: one product with its photos, variants and order button,
// and the Open Graph tags that make a shared link preview with photo, name and price.
func (c *Catalog) Product(w http.ResponseWriter, r *http.Request) {
	res, it, err := c.cfg.Storefronts.StoreProduct(r.Context(), r.PathValue("code"), r.PathValue("sku"))
	if err != nil {
		n := noCatalog
		if res.ID != 0 {
			n = noProduct
			n.Link, n.LinkText = catalogPath(res.Code), "Lihat katalog "+res.Name
		}
		c.fail(w, r, err, n)
		return
	}
	items := []storage.StoreItem{it}
	if err := c.ensureTokens(r.Context(), res.ID, items); err != nil {
		c.fail(w, r, err, noProduct)
		return
	}
	c.render(w, r, http.StatusOK, c.productPage(r, res, items[0]))
}

// Order serves GET /go/{token}: it counts a click on the reseller's order link and sends the
// customer to the store's WhatsApp with the order message typed in. Link previews and HEAD
// requests count no click and go to the product page, whose tags they read.
func (c *Catalog) Order(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	token := r.PathValue("token")
	if c.cfg.WhatsApp == "" || isPreview(r) {
		c.orderWithoutClick(w, r, token)
		return
	}
	code, sku, name, err := c.cfg.Links.Click(r.Context(), token)
	if err != nil {
		c.fail(w, r, err, noLink)
		return
	}
	http.Redirect(w, r, lapak.WhatsAppLink(c.cfg.WhatsApp, lapak.OrderText(name, sku, code)), http.StatusFound)
}

// orderWithoutClick sends a link preview to the product page, and tells a customer of a store
// without WhatsApp that ordering there is not available yet.
func (c *Catalog) orderWithoutClick(w http.ResponseWriter, r *http.Request, token string) {
	code, sku, err := c.cfg.Links.ShareTarget(r.Context(), token)
	if err != nil {
		c.fail(w, r, err, noLink)
		return
	}
	if isPreview(r) {
		http.Redirect(w, r, productPath(code, sku), http.StatusFound)
		return
	}
	n := noWhatsApp
	n.Link, n.LinkText = productPath(code, sku), "Lihat produk"
	c.notice(w, r, n)
}

// previewAgents are parts of the user agents of the bots that fetch a link to preview it.
var previewAgents = []string{"WhatsApp/", "TelegramBot", "facebookexternalhit", "Facebot", "Twitterbot", "Slackbot", "Discordbot", "LinkedInBot"}

// isPreview reports whether r comes from a link preview rather than a person tapping the link.
func isPreview(r *http.Request) bool {
	if r.Method == http.MethodHead {
		return true
	}
	ua := r.UserAgent()
	for _, a := range previewAgents {
		if strings.Contains(ua, a) {
			return true
		}
	}
	return false
}

// imageIDRE is what an image ID looks like; anything else is not looked up.
var imageIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// Image serves GET /img/{id}: a product photo as JPEG. A photo never changes under its ID, so
// browsers and proxies keep it for a year, and a browser asking whether its copy is current is
// answered without reading the database.
func (c *Catalog) Image(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !imageIDRE.MatchString(id) {
		http.Error(w, "Gambar tidak ditemukan", http.StatusNotFound)
		return
	}
	etag := `"` + id + `"`
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		photoHeaders(w.Header(), etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	jpeg, err := c.cfg.Photos.Image(r.Context(), id)
	if err != nil {
		c.imageFailed(w, id, err)
		return
	}
	photoHeaders(w.Header(), etag)
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(jpeg))
}

// photoHeaders let browsers and proxies keep a photo for a year and ask after it by etag.
func photoHeaders(h http.Header, etag string) {
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
}

// imageFailed answers a photo that could not be read: 404 when it does not exist.
func (c *Catalog) imageFailed(w http.ResponseWriter, id string, err error) {
	if errors.Is(err, lapak.ErrNotFound) {
		http.Error(w, "Gambar tidak ditemukan", http.StatusNotFound)
		return
	}
	c.log.Error("read product image", "image_id", id, "err", err)
	http.Error(w, "Gambar belum bisa dibuka", http.StatusInternalServerError)
}

// etagMatches reports whether an If-None-Match header names etag, weakly compared.
func etagMatches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// ensureTokens gives every item that can be ordered the reseller's share link token, making the
// missing ones in one go: after the first visit every product has one.
func (c *Catalog) ensureTokens(ctx context.Context, resellerID int64, items []storage.StoreItem) error {
	if c.cfg.WhatsApp == "" {
		return nil
	}
	var missing []int64
	for _, it := range items {
		if it.Token == "" && it.Product.InStock() {
			missing = append(missing, it.Product.ID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	tokens, err := c.cfg.Links.ShareLinks(ctx, resellerID, missing)
	if err != nil {
		return err
	}
	for i := range items {
		if items[i].Token == "" {
			items[i].Token = tokens[items[i].Product.ID]
		}
	}
	return nil
}

// notice is a page that says something went wrong, with where to go next.
type notice struct {
	Status         int
	Title, Text    string
	Link, LinkText string
}

// The notices customers may see.
var (
	noCatalog  = notice{Status: http.StatusNotFound, Title: "Katalog tidak ditemukan", Text: "Katalog ini tidak ada atau belum aktif. Periksa lagi tautan dari reseller Anda."}
	noProduct  = notice{Status: http.StatusNotFound, Title: "Produk tidak ditemukan", Text: "Produk ini tidak ada atau sudah tidak dijual."}
	noLink     = notice{Status: http.StatusNotFound, Title: "Tautan tidak dikenal", Text: "Tautan pesanan ini tidak dikenal. Minta tautan baru dari reseller Anda."}
	noWhatsApp = notice{Status: http.StatusServiceUnavailable, Title: "Pemesanan belum tersedia", Text: "Pemesanan lewat WhatsApp belum tersedia. Hubungi reseller Anda langsung untuk memesan."}
	trouble    = notice{Status: http.StatusInternalServerError, Title: "Maaf, ada gangguan", Text: "Halaman ini belum bisa dibuka. Coba lagi sebentar lagi."}
)

// fail shows missing when err is lapak.ErrNotFound, and otherwise logs err and apologises.
func (c *Catalog) fail(w http.ResponseWriter, r *http.Request, err error, missing notice) {
	n := missing
	if !errors.Is(err, lapak.ErrNotFound) {
		c.log.Error("serve catalog page", "path", r.URL.Path, "err", err)
		n = trouble
	}
	c.notice(w, r, n)
}

// notice shows n with its status.
func (c *Catalog) notice(w http.ResponseWriter, r *http.Request, n notice) {
	c.render(w, r, n.Status, noticePage{Head: head{Title: n.Title}, notice: n})
}

// head is what a page says about itself: its title, and for pages worth sharing the Open Graph
// and Twitter tags that link previews read.
type head struct {
	Title       string
	Description string
	URL         string // absolute; empty: the page has no preview tags
	Type        string // og:type: website or product
	Site        string // og:site_name
	Image       string // absolute photo URL, or empty
	Amount      int64  // product:price:amount in rupiah; 0: none
}

// page is the data of a page template: its head and what its main part shows.
type page interface{ template() *template.Template }

type noticePage struct {
	Head head
	notice
}

func (noticePage) template() *template.Template { return noticeTemplate }

// storefrontPage is a reseller's catalog, grouped by category.
type storefrontPage struct {
	Head     head
	Reseller lapak.Reseller
	Count    int
	Category string
	CanOrder bool
	Chips    []chip
	Groups   []group
}

func (storefrontPage) template() *template.Template { return storefrontTemplate }

// chip is a link to one category, or to all.
type chip struct {
	Name, Href string
	Count      int
	Current    bool
}

// group is one category's products.
type group struct {
	Name  string
	Cards []card
}

// card is one product in a catalog. The template builds the photo and order links from ImageID
// and Token, which costs less than escaping whole URLs on a page of hundreds of cards.
type card struct {
	Name, SKU, Price, Stock string
	URL                     string
	ImageID                 string // the cover photo, or empty
	Token                   string // the order link's token; empty when it cannot be ordered
	SoldOut, Lazy           bool
}

// eagerImages is how many photos at the top of a catalog load at once; the rest load as the
// customer scrolls.
const eagerImages = 6

// storefrontPage shows items, the ones of category or all, of the storefront sf.
func (c *Catalog) storefrontPage(r *http.Request, sf storage.Storefront, items []storage.StoreItem, category string) storefrontPage {
	res := sf.Reseller
	p := storefrontPage{
		Head: head{
			Title: "Katalog " + res.Name, Type: "website", Site: "Katalog " + res.Name,
			Description: "Belanja di katalog " + res.Name + ": " + strconv.Itoa(len(sf.Items)) + " produk." + c.howToOrder(),
			URL:         c.base(r) + catalogPath(res.Code),
		},
		Reseller: res, Count: len(sf.Items), Category: category, CanOrder: c.cfg.WhatsApp != "",
		Chips: chips(res.Code, sf.Items, category),
	}
	for i, it := range items {
		name := categoryName(it.Product.Category)
		if len(p.Groups) == 0 || p.Groups[len(p.Groups)-1].Name != name {
			p.Groups = append(p.Groups, group{Name: name})
		}
		g := &p.Groups[len(p.Groups)-1]
		g.Cards = append(g.Cards, c.card(res.Code, it, i >= eagerImages))
		if p.Head.Image == "" && len(it.Product.Images) > 0 {
			p.Head.Image = c.base(r) + imagePath(it.Product.Images[0])
		}
	}
	return p
}

// card shows it in the catalog of the reseller with code.
func (c *Catalog) card(code string, it storage.StoreItem, lazy bool) card {
	p := it.Product
	k := card{
		Name: p.Name, SKU: p.SKU, Price: it.Price.String(), Stock: stockLabel(p),
		URL: productPath(code, p.SKU), SoldOut: !p.InStock(), Lazy: lazy,
	}
	if len(p.Images) > 0 {
		k.ImageID = p.Images[0]
	}
	if !k.SoldOut && c.cfg.WhatsApp != "" {
		k.Token = it.Token
	}
	return k
}

// chips links to every category of items, after one to all of them, when there is more than one.
func chips(code string, items []storage.StoreItem, current string) []chip {
	out := []chip{{Name: "Semua", Href: catalogPath(code), Count: len(items), Current: current == ""}}
	for _, it := range items {
		name := categoryName(it.Product.Category)
		if last := &out[len(out)-1]; len(out) > 1 && last.Name == name {
			last.Count++
			continue
		}
		href := catalogPath(code) + "?kategori=" + url.QueryEscape(name)
		out = append(out, chip{Name: name, Href: href, Count: 1, Current: strings.EqualFold(name, current)})
	}
	return out
}

// inCategory returns the items of category, by its shown name; an empty category is all of them.
func inCategory(items []storage.StoreItem, category string) []storage.StoreItem {
	if category == "" {
		return items
	}
	var out []storage.StoreItem
	for _, it := range items {
		if strings.EqualFold(categoryName(it.Product.Category), category) {
			out = append(out, it)
		}
	}
	return out
}

// categoryName is how a category is shown: products without one are "Lainnya" (other).
func categoryName(c string) string {
	if c == "" {
		return "Lainnya"
	}
	return c
}

// productPage is one product as a reseller sells it.
type productPage struct {
	Head                           head
	Reseller                       lapak.Reseller
	Name, SKU, Price, Stock        string
	Description, Token, CatalogURL string
	Images                         []string // photo IDs, the cover first
	Variants                       []variantRow
	SoldOut, CanOrder              bool
}

func (productPage) template() *template.Template { return productTemplate }

// variantRow is one size or colour and whether it is in stock.
type variantRow struct {
	Name, Stock string
	SoldOut     bool
}

// productPage shows one product as res sells it.
func (c *Catalog) productPage(r *http.Request, res lapak.Reseller, it storage.StoreItem) productPage {
	p, k := it.Product, c.card(res.Code, it, false)
	pp := productPage{
		Head: head{
			Title: p.Name + " – " + k.Price, Type: "product", Site: "Katalog " + res.Name,
			Description: previewText(p, k.Price+"."+c.howToOrder()), URL: c.base(r) + k.URL, Amount: int64(it.Price),
		},
		Reseller: res, Name: p.Name, SKU: p.SKU, Price: k.Price, Stock: k.Stock, Description: p.Description,
		Token: k.Token, CatalogURL: catalogPath(res.Code), Images: p.Images, SoldOut: k.SoldOut, CanOrder: c.cfg.WhatsApp != "",
	}
	if len(p.Images) > 0 {
		pp.Head.Image = c.base(r) + imagePath(p.Images[0])
	}
	for _, v := range p.Variants {
		out := v.Stock != nil && *v.Stock == 0
		pp.Variants = append(pp.Variants, variantRow{Name: v.Name, Stock: variantStock(v.Stock), SoldOut: out})
	}
	return pp
}

// howToOrder ends a link preview's text: how customers order, when they can.
func (c *Catalog) howToOrder() string {
	if c.cfg.WhatsApp == "" {
		return ""
	}
	return " Pesan lewat WhatsApp."
}

// previewText is what a link preview says under the title: the start of p's description, or
// p's name and offer when it has none.
func previewText(p lapak.Product, offer string) string {
	const most = 200 // runes; previews cut longer text anyway
	d := strings.Join(strings.Fields(p.Description), " ")
	if d == "" {
		return p.Name + " seharga " + offer
	}
	if utf8.RuneCountInString(d) > most {
		d = string([]rune(d)[:most-1]) + "…"
	}
	return d
}

// fewLeft is the stock at or under which a page says how many units are left.
const fewLeft = 5

// stockLabel tells customers whether p is sold out or nearly so; plenty of stock says nothing.
func stockLabel(p lapak.Product) string {
	if !p.InStock() {
		return "Habis"
	}
	if n, limited := p.TotalStock(); limited && n <= fewLeft {
		return "Sisa " + strconv.Itoa(n)
	}
	return ""
}

// variantStock tells customers whether one size or colour is in stock.
func variantStock(stock *int) string {
	switch {
	case stock == nil:
		return "Tersedia"
	case *stock == 0:
		return "Habis"
	case *stock <= fewLeft:
		return "Sisa " + strconv.Itoa(*stock)
	}
	return "Tersedia"
}

func catalogPath(code string) string      { return "/r/" + url.PathEscape(code) }
func productPath(code, sku string) string { return catalogPath(code) + "/p/" + url.PathEscape(sku) }
func imagePath(id string) string          { return "/img/" + url.PathEscape(id) }

// base is the site's absolute address: PUBLIC_URL, or the address the request came to.
func (c *Catalog) base(r *http.Request) string {
	if c.cfg.PublicURL != "" {
		return c.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// render writes p with status, whole or not at all.
func (c *Catalog) render(w http.ResponseWriter, r *http.Request, status int, p page) {
	var buf bytes.Buffer
	if err := p.template().ExecuteTemplate(&buf, "layout", p); err != nil {
		c.log.Error("render catalog page", "path", r.URL.Path, "err", err)
		http.Error(w, trouble.Text, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache") // prices and stock change; revalidate every time
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

//go:embed templates
var templateFiles embed.FS

// pageCSS is the pages' whole style sheet, inlined in each page.
var pageCSS = mustRead("templates/style.css")

// pageCSP lets a page show photos from Lapak and its own inline style, by hash, and nothing else:
// no scripts, no frames, no forms.
var pageCSP = "default-src 'none'; img-src 'self'; style-src 'sha256-" + sha256Base64(pageCSS) +
	"'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var (
	storefrontTemplate = pageTemplate("storefront.html")
	productTemplate    = pageTemplate("product.html")
	noticeTemplate     = pageTemplate("notice.html")
)

// pageTemplate parses the layout with one page's main part.
func pageTemplate(name string) *template.Template {
	funcs := template.FuncMap{"css": func() template.CSS { return template.CSS(pageCSS) }}
	return template.Must(template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name))
}

func mustRead(name string) string {
	b, err := templateFiles.ReadFile(name)
	if err != nil {
		panic(err) // embedded above
	}
	return string(b)
}

func sha256Base64(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}
