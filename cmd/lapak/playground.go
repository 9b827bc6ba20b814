package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/jackc/pgx/v5"
	goredis "github.com/redis/go-redis/v9"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/sim"
	"github.com/lapak-id/lapak/media"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/redis"
	"github.com/lapak-id/lapak/web"
)

// The playground's people. The owner pane is the seeded owner; the reseller pane is a new
// Telegram user, so it can register from scratch; another reseller is approved from the start.
const (
	playgroundDatabase = "lapak_playground"
	demoOwnerID        = "1001"
	demoOwnerName      = "Bu Rina"
	demoResellerPaneID = "1002"
	demoCustomerID     = "6281200000001"
)

// The demo reseller is approved from the start, so the business has a seller before anyone
// registers. No pane shows their chat.
const (
	demoResellerTelegramID = "1009"
	demoResellerName       = "Sari Wulandari"
	demoResellerPhone      = "+6281299990009"
	demoResellerCity       = "Surabaya"
)

// What the playground stands in for when it is not configured: the Telegram bot's username in
// product links, and the store's WhatsApp number in order links.
const (
	demoBotUsername                = "lapak_playground_bot"
	demoWhatsAppNumber lapak.Phone = "+6281100000000"
)

// playgroundPanes are the chats the page shows: the owner and a reseller on Telegram, a customer
// on WhatsApp.
func playgroundPanes() []sim.Pane {
	return []sim.Pane{
		{ID: "owner", Chat: bot.Address{Channel: lapak.Telegram, ChatID: demoOwnerID}, UserID: demoOwnerID, UserName: demoOwnerName, LangCode: "id"},
		{ID: "reseller", Chat: bot.Address{Channel: lapak.Telegram, ChatID: demoResellerPaneID}, UserID: demoResellerPaneID, UserName: "Andi", LangCode: "id"},
		{ID: "customer", Chat: bot.Address{Channel: lapak.WhatsApp, ChatID: demoCustomerID}, UserID: demoCustomerID, UserName: "Dewi"},
	}
}

// playgroundOptions are the playground's flags.
type playgroundOptions struct {
	reset    bool   // start over: a fresh database and no Redis state
	database string // the database name, which also prefixes the Redis keys
}

var databaseNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// parsePlaygroundArgs reads `lapak playground [--reset] [--database NAME]`.
func parsePlaygroundArgs(args []string) (playgroundOptions, error) {
	fs := flag.NewFlagSet("playground", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o playgroundOptions
	fs.BoolVar(&o.reset, "reset", false, "drop the playground's database and Redis keys first")
	fs.StringVar(&o.database, "database", playgroundDatabase, "the database to use, on DATABASE_URL's server")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("playground: %w (flags: --reset, --database NAME)", err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("playground: unexpected argument %q (flags: --reset, --database NAME)", fs.Arg(0))
	}
	if !databaseNameRE.MatchString(o.database) {
		return o, fmt.Errorf("playground: --database must be lower-case letters, digits and _, got %q", o.database)
	}
	return o, nil
}

// playground runs everything locally with simulated channels: the owner, a reseller and a
// customer chat with Lapak in the browser, on the playground's own database and Redis keys.
func playground(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	opts, err := parsePlaygroundArgs(args)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL, err = withDatabase(cfg.DatabaseURL, opts.database); err != nil {
		return err
	}
	cfg.RedisPrefix = opts.database + ":"
	// Listen first: links in chats and on catalog pages need the playground's own address, and a
	// busy port fails before anything is reset. Until the routes are added, everything is 404.
	mux := http.NewServeMux()
	errc := make(chan error, 1)
	srv, err := listen(ctx, cfg.HTTPAddr, mux, errc)
	if err != nil {
		return err
	}
	cfg = withLocalLinks(cfg, playgroundBase(srv.Addr))
	sandbox := xendittest.New(xendittest.Config{})
	defer sandbox.Close()
	cfg = withSandboxPayments(cfg, sandbox, playgroundBase(srv.Addr), log)
	cfg.EarningsHold = playgroundHold
	go settleSandboxPayouts(ctx, sandbox, log)
	a, s, stopRedis, err := openPlayground(ctx, cfg, opts, log)
	if err != nil {
		srv.Close()
		return err
	}
	defer stopRedis()
	srv.RegisterOnShutdown(s.Close) // end the browsers' streams, or shutdown waits for them
	mux.Handle("/", a.routes())
	playgroundRoutes(mux, s.API(a.dispatcher))
	link := playgroundURL(srv.Addr)
	log.Info("playground is running", "url", link, "database", opts.database, "public_url", cfg.PublicURL)
	fmt.Fprintf(stdout, "Lapak playground is ready: open %s in your browser (Ctrl+C stops it).\n", link)
	return stopPlayground(ctx, a, srv, errc)
}

// withLocalLinks makes links work on this computer: without PUBLIC_URL, photos, catalog pages and
// order links point at the playground itself; without WHATSAPP_NUMBER, share kits carry order
// links to a demo number.
func withLocalLinks(cfg Config, base string) Config {
	if cfg.PublicURL == "" {
		cfg.PublicURL = base
	}
	if cfg.WhatsAppNumber == "" {
		cfg.WhatsAppNumber = demoWhatsAppNumber
	}
	return cfg
}

// withSandboxPayments takes payments through sandbox, a Xendit of the playground's own: payment
// links open its checkout page, where the customer picks a way to pay and presses Bayar, and it
// sends the app the callback Xendit would, with its token, to base's webhook. A configured Xendit
// is not used: its callbacks could not reach this computer.
func withSandboxPayments(cfg Config, sandbox *xendittest.Server, base string, log *slog.Logger) Config {
	if cfg.XenditSecretKey != "" {
		log.Warn("the playground takes payments through its own sandbox, not the configured Xendit account")
	}
	cfg.XenditAPIURL, cfg.XenditSecretKey, cfg.XenditCallbackToken = sandbox.URL(), sandbox.SecretKey(), sandbox.CallbackToken()
	sandbox.SetCallbackURLs(base+invoiceWebhookPath, base+"/webhooks/xendit/payout")
	return cfg
}

// openPlayground starts over when asked, connects, starts the app on the simulated channel and
// seeds the demo business. stopRedis stops the in-process Redis, if one was started.
func openPlayground(ctx context.Context, cfg Config, opts playgroundOptions, log *slog.Logger) (a *app, s *sim.Sim, stopRedis func(), err error) {
	if opts.reset {
		if err := dropDatabase(ctx, cfg.DatabaseURL, opts.database); err != nil {
			return nil, nil, nil, err
		}
	}
	rdb, stopRedis, err := playgroundRedis(ctx, cfg.RedisURL, log)
	if err != nil {
		return nil, nil, nil, err
	}
	if a, s, err = startPlayground(ctx, cfg, opts, rdb, log); err != nil {
		rdb.Close()
		stopRedis()
		return nil, nil, nil, err
	}
	return a, s, stopRedis, nil
}

// startPlayground clears the Redis keys when asked, then opens and starts the app over rdb with
// the simulated channel, which also keeps the files the panes send, and seeds the demo business.
func startPlayground(ctx context.Context, cfg Config, opts playgroundOptions, rdb goredis.UniversalClient, log *slog.Logger) (*app, *sim.Sim, error) {
	if opts.reset {
		if err := clearRedis(ctx, rdb, cfg.RedisPrefix); err != nil {
			return nil, nil, err
		}
	}
	s, err := sim.New(sim.Config{Panes: playgroundPanes(), Logger: log.With("channel", "sim")})
	if err != nil {
		return nil, nil, err
	}
	a, err := openApp(ctx, cfg, log, rdb)
	if err != nil {
		return nil, nil, err
	}
	a.files = s
	a.botUsername = func() string { return demoBotUsername }
	if err := a.start(ctx, s.Senders(), nil); err != nil {
		a.stop(context.Background())
		return nil, nil, err
	}
	if err := seedPlayground(ctx, a.store, cfg.Language); err != nil {
		a.stop(context.Background())
		return nil, nil, err
	}
	return a, s, nil
}

// stopPlayground waits for ctx to end or the server to fail, then stops like serve does.
func stopPlayground(ctx context.Context, a *app, srv *http.Server, errc <-chan error) error {
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	a.log.Info("playground is stopping; finishing updates in flight")
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if serr := srv.Shutdown(stopCtx); serr != nil {
		a.log.Warn("stop http server", "err", serr)
	}
	a.stop(stopCtx)
	return err
}

// playgroundRoutes adds the playground page and its API to mux.
func playgroundRoutes(mux *http.ServeMux, api *sim.API) {
	mux.Handle("GET /playground", web.PlaygroundPage())
	mux.Handle("GET /playground/static/", web.PlaygroundAssets("/playground/static/"))
	mux.HandleFunc("GET /playground/api/history", api.History)
	mux.HandleFunc("GET /playground/api/stream", api.Stream)
	mux.HandleFunc("POST /playground/api/send", api.Send)
	mux.HandleFunc("POST /playground/api/upload", api.Upload)
	mux.HandleFunc("GET /playground/api/file/{id}", api.File)
}

// withDatabase returns dsn naming database name instead, keeping the server, user and parameters.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("DATABASE_URL must be a postgres:// URL for the playground, got %q", redactURL(dsn))
	}
	u.Path, u.RawPath = "/"+name, ""
	return u.String(), nil
}

// dropDatabase drops database name, closing its connections, from the server's maintenance database.
func dropDatabase(ctx context.Context, dsn, name string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return fmt.Errorf("connect to drop database %q: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %q: %w", name, err)
	}
	return nil
}

// playgroundRedis connects to REDIS_URL or, when nothing listens there, starts a Redis in this
// process, which forgets everything when the playground stops. A Redis that answers but refuses
// (a wrong password) is an error, not a reason to fall back.
func playgroundRedis(ctx context.Context, redisURL string, log *slog.Logger) (goredis.UniversalClient, func(), error) {
	opts, err := goredis.ParseURL(redisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	if err := listening(ctx, opts.Network, opts.Addr); err != nil {
		mini, merr := miniredis.Run()
		if merr != nil {
			return nil, nil, fmt.Errorf("no Redis at REDIS_URL (%w), and none could start in process: %w", err, merr)
		}
		log.Warn("no Redis answers at REDIS_URL; using an in-process Redis, so conversations end when the playground stops",
			"redis_url", redactURL(redisURL), "err", err)
		return goredis.NewClient(&goredis.Options{Addr: mini.Addr()}), mini.Close, nil
	}
	rdb, err := redis.Open(ctx, redisURL)
	return rdb, func() {}, err
}

// listening tells whether anything accepts connections at addr.
func listening(ctx context.Context, network, addr string) error {
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

// clearRedis deletes every key under prefix.
func clearRedis(ctx context.Context, rdb goredis.UniversalClient, prefix string) error {
	iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
	for iter.Next(ctx) {
		if err := rdb.Del(ctx, iter.Val()).Err(); err != nil {
			return fmt.Errorf("delete redis keys under %s: %w", prefix, err)
		}
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("list redis keys under %s: %w", prefix, err)
	}
	return nil
}

// seedPlayground makes Bu Rina the owner, approves the demo reseller, fills the demo catalog and
// places the demo sales, once however often the playground starts.
func seedPlayground(ctx context.Context, store *storage.Store, lang lapak.Lang) error {
	if err := store.EnsureOwners(ctx, lapak.Telegram, []string{demoOwnerID}, lang); err != nil {
		return err
	}
	owner, err := store.TouchUser(ctx, lapak.Telegram, demoOwnerID, demoOwnerID, demoOwnerName, lang)
	if err != nil {
		return fmt.Errorf("seed owner: %w", err)
	}
	u, err := store.TouchUser(ctx, lapak.Telegram, demoResellerTelegramID, demoResellerTelegramID, demoResellerName, lang)
	if err != nil {
		return fmt.Errorf("seed reseller: %w", err)
	}
	r := lapak.Reseller{UserID: u.ID, Name: demoResellerName, Phone: demoResellerPhone, City: demoResellerCity}
	if _, err := store.SubmitReseller(ctx, r, nil); err != nil && lapak.KindOf(err) != lapak.KindConflict {
		return fmt.Errorf("seed reseller: %w", err)
	}
	if _, err := store.DecideReseller(ctx, u.ID, owner.ID, true, nil); err != nil && !errors.Is(err, lapak.ErrDecided) {
		return fmt.Errorf("seed reseller: %w", err)
	}
	if r, err = store.ResellerByUser(ctx, u.ID); err != nil {
		return fmt.Errorf("seed reseller: %w", err)
	}
	if err := seedPayouts(ctx, store, owner.ID, r.ID); err != nil {
		return err
	}
	if err := seedCatalog(ctx, store, owner.ID, r.ID); err != nil {
		return err
	}
	return seedDemoSales(ctx, store, r)
}

// The demo catalog: Bu Rina's brand with products in three categories, each with a drawn photo,
// and the demo reseller selling everything 30 % above the base price, so their catalog page
// shows their own prices.
const (
	demoSupplier                   = "Kaos Nusantara"
	demoMarkup   lapak.BasisPoints = 3000
)

// demoProduct is a product of the demo catalog and the colour of its photo.
type demoProduct struct {
	lapak.Product
	colour color.RGBA
}

func units(n int) *int { return &n }

var demoCatalog = []demoProduct{
	{colour: color.RGBA{0x8b, 0x5a, 0x2b, 0xff}, Product: lapak.Product{
		SKU: "KN-BATIK-PARANG", Name: "Kaos Batik Parang", Category: "Kaos",
		Description: "Kaos katun combed 30s dengan sablon motif parang. Adem dan tidak luntur.",
		BasePrice:   65_000, RetailPrice: 89_000, MaxPrice: 120_000, Commission: lapak.CommissionRule{Percent: 1000},
		WeightGrams: 200, Variants: []lapak.Variant{{Name: "S", Stock: units(8)}, {Name: "M", Stock: units(12)}, {Name: "L", Stock: units(5)}},
	}},
	{colour: color.RGBA{0x0f, 0x76, 0x6e, 0xff}, Product: lapak.Product{
		SKU: "KN-WAYANG-ANAK", Name: "Kaos Wayang Anak", Category: "Kaos",
		Description: "Kaos anak usia 4–10 tahun bergambar tokoh wayang Punakawan.",
		BasePrice:   45_000, RetailPrice: 65_000, Commission: lapak.CommissionRule{Fixed: 5_000},
		Stock: units(20), WeightGrams: 150,
	}},
	{colour: color.RGBA{0x9b, 0x1c, 0x31, 0xff}, Product: lapak.Product{
		SKU: "KN-KEMEJA-TENUN", Name: "Kemeja Tenun Ikat", Category: "Kemeja",
		Description: "Kemeja lengan panjang dari tenun ikat Troso, dijahit rapi dengan furing.",
		BasePrice:   150_000, RetailPrice: 199_000, MaxPrice: 250_000, Commission: lapak.CommissionRule{Percent: 800},
		Stock: units(10), WeightGrams: 300,
	}},
	{colour: color.RGBA{0x1e, 0x3a, 0x5f, 0xff}, Product: lapak.Product{
		SKU: "KN-KEMEJA-LURIK", Name: "Kemeja Lurik Pendek", Category: "Kemeja",
		Description: "Kemeja lengan pendek dari kain lurik Klaten, cocok untuk kerja dan santai.",
		BasePrice:   120_000, RetailPrice: 159_000, Commission: lapak.CommissionRule{Percent: 1000},
		Stock: units(6), WeightGrams: 280,
	}},
	{colour: color.RGBA{0x8a, 0x7a, 0x2e, 0xff}, Product: lapak.Product{
		SKU: "KN-TOPI-PANDAN", Name: "Topi Anyaman Pandan", Category: "Aksesoris",
		Description: "Topi lebar anyaman daun pandan buatan perajin Tasikmalaya.",
		BasePrice:   35_000, RetailPrice: 55_000, Commission: lapak.CommissionRule{Fixed: 4_000},
		Stock: units(15), WeightGrams: 120,
	}},
	{colour: color.RGBA{0x6b, 0x3f, 0x8f, 0xff}, Product: lapak.Product{
		SKU: "KN-TOTE-SUMBA", Name: "Tas Tote Tenun Sumba", Category: "Aksesoris",
		Description: "Tas tote kanvas dengan panel tenun Sumba asli. Muat laptop 14 inci.",
		BasePrice:   85_000, RetailPrice: 125_000, MaxPrice: 150_000, Commission: lapak.CommissionRule{Percent: 1200},
		Stock: units(4), WeightGrams: 350,
	}},
}

// seedCatalog gives the owner the demo brand and its products, and the reseller their markup.
// Products the owner has since changed are left as they are.
func seedCatalog(ctx context.Context, store *storage.Store, ownerID, resellerID int64) error {
	brand, ok, err := demoBrand(ctx, store, ownerID)
	if err != nil || !ok {
		return err
	}
	for _, d := range demoCatalog {
		if err := seedProduct(ctx, store, brand.ID, d); err != nil {
			return err
		}
	}
	_, markup, err := store.ResellerPrices(ctx, resellerID, nil)
	if err == nil && markup.IsZero() {
		err = store.SetMarkup(ctx, resellerID, lapak.Markup{Percent: demoMarkup})
	}
	if err != nil {
		return fmt.Errorf("seed reseller markup: %w", err)
	}
	return seedZones(ctx, store)
}

// seedZones sets two flat shipping fees the first time, so checkout asks where to ship.
func seedZones(ctx context.Context, store *storage.Store) error {
	zones, err := store.ShippingZones(ctx)
	if err == nil && len(zones) == 0 {
		err = store.SetShippingZones(ctx, []lapak.ShippingZone{{Name: "Jawa", Fee: 15000}, {Name: "Luar Jawa", Fee: 35000}})
	}
	if err != nil {
		return fmt.Errorf("seed shipping zones: %w", err)
	}
	return nil
}

// demoBrand returns the owner's demo brand, created the first time. It reports false when a brand
// of that name belongs to someone else; the catalog is then left as it is.
func demoBrand(ctx context.Context, store *storage.Store, ownerID int64) (lapak.Supplier, bool, error) {
	sups, err := store.SuppliersOf(ctx, ownerID)
	if err != nil {
		return lapak.Supplier{}, false, fmt.Errorf("seed catalog: %w", err)
	}
	for _, s := range sups {
		if strings.EqualFold(s.Name, demoSupplier) {
			return s, true, nil
		}
	}
	s, err := store.CreateSupplier(ctx, demoSupplier, ownerID)
	if err != nil && lapak.KindOf(err) == lapak.KindConflict {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("seed catalog: %w", err)
	}
	return s, true, nil
}

// seedProduct adds a demo product, unless its SKU is taken, and its photo when it has none.
func seedProduct(ctx context.Context, store *storage.Store, supplierID int64, d demoProduct) error {
	p, err := store.ProductBySKU(ctx, d.SKU)
	if errors.Is(err, lapak.ErrNotFound) {
		p = d.Product
		p.SupplierID, p.Active = supplierID, true
		p, err = store.SaveProduct(ctx, p)
	}
	if err != nil {
		return fmt.Errorf("seed product %s: %w", d.SKU, err)
	}
	if len(p.Images) > 0 {
		return nil
	}
	drawn, err := demoPhoto(d.Name, d.colour)
	if err != nil {
		return fmt.Errorf("draw photo of %s: %w", d.SKU, err)
	}
	jpg, w, h, err := media.Normalize(drawn)
	if err == nil {
		_, err = store.AddImage(ctx, lapak.Image{ProductID: p.ID, JPEG: jpg, Width: w, Height: h})
	}
	if err != nil {
		return fmt.Errorf("seed photo of %s: %w", d.SKU, err)
	}
	return nil
}

// demoPhoto draws a product's stand-in photo as a JPEG: the brand, the name's initial on a disc,
// and the name, in white on the product's colour.
func demoPhoto(name string, bg color.RGBA) ([]byte, error) {
	const side, cx, cy, r = 640, 320, 300, 200
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	disc := color.RGBA{bg.R/2 + 128, bg.G/2 + 128, bg.B/2 + 128, 0xff}
	for y := cy - r; y < cy+r; y++ {
		for x := cx - r; x < cx+r; x++ {
			if dx, dy := x-cx, y-cy; dx*dx+dy*dy < r*r {
				img.SetRGBA(x, y, disc)
			}
		}
	}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	drawText(img, strings.ToUpper(demoSupplier), 3, cx, 60, white)
	drawText(img, strings.ToUpper(string([]rune(name)[:1])), 24, cx, cy+108, bg)
	drawText(img, name, 3, cx, 580, white)
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	return buf.Bytes(), err
}

// drawText writes s in the 7×13 pixel basic font, each pixel scale pixels wide, centred on x
// with its baseline at y.
func drawText(dst draw.Image, s string, scale, x, y int, c color.Color) {
	face := basicfont.Face7x13
	w := font.MeasureString(face, s).Ceil()
	small := image.NewRGBA(image.Rect(0, 0, w, face.Height))
	d := font.Drawer{Dst: small, Src: image.NewUniform(c), Face: face, Dot: fixed.P(0, face.Ascent)}
	d.DrawString(s)
	at := image.Rect(x-w*scale/2, y-face.Ascent*scale, x-w*scale/2+w*scale, y+face.Descent*scale)
	xdraw.NearestNeighbor.Scale(dst, at, small, small.Bounds(), draw.Over, nil)
}

// playgroundURL is the page's address for a server listening on addr.
func playgroundURL(addr string) string { return playgroundBase(addr) + "/playground" }

// playgroundBase is the base URL of a server listening on addr: localhost when it listens on
// every interface.
func playgroundBase(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// redactURL hides a URL's password, for errors and logs.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}
