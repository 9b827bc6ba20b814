// Package flows owns Lapak's conversations: the engine that runs each chat's current flow step by
// step, the commands that work from any step (/start, /menu, /help, /cancel, /bahasa), and one file
// per flow. Flows never know which channel they talk to, and reach Postgres and Redis only through
// the small interfaces declared here.
package flows

import (
	"context"
	"encoding/json"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// Session is one chat's conversation state: the flow and step it is in, the flow's typed data as
// JSON, the options the last message offered, and the version that guards concurrent saves.
type Session struct {
	Flow       string          `json:"flow,omitempty"`
	Step       string          `json:"step,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Offered    []string        `json:"offered,omitempty"`
	Version    int64           `json:"version"`
	LastUpdate string          `json:"last_update,omitempty"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// Sessions stores conversations. Save refuses with lapak.ErrStale when the stored version is not
// s.Version; the engine then handles the message again on the newer state.
type Sessions interface {
	Load(ctx context.Context, chat string) (Session, error)
	Save(ctx context.Context, chat string, s Session) error
}

// Users finds and updates the people Lapak talks to.
type Users interface {
	TouchUser(ctx context.Context, channel lapak.Channel, externalID, chatID, name string, lang lapak.Lang) (lapak.User, error)
	User(ctx context.Context, id int64) (lapak.User, error)
	// UserByChannel returns the user with a channel identity, or lapak.ErrNotFound.
	UserByChannel(ctx context.Context, channel lapak.Channel, externalID string) (lapak.User, error)
	SetLang(ctx context.Context, userID int64, lang lapak.Lang) error
	Owners(ctx context.Context) ([]lapak.User, error)
}

// Resellers records reseller registrations and the owners' decisions. Methods that take messages
// enqueue them in the same transaction as the change.
type Resellers interface {
	ResellerByUser(ctx context.Context, userID int64) (lapak.Reseller, error)
	ResellerByCode(ctx context.Context, code string) (lapak.Reseller, error)
	PendingResellers(ctx context.Context, limit int) ([]lapak.Reseller, error)
	SubmitReseller(ctx context.Context, r lapak.Reseller, notify []bot.Outbound) (lapak.Reseller, error)
	DecideReseller(ctx context.Context, resellerUserID, ownerID int64, approved bool, notify func(lapak.Reseller) []bot.Outbound) (lapak.Reseller, error)
}

// Invites records single-use owner invitations.
type Invites interface {
	CreateInvite(ctx context.Context, token string, by int64, expires time.Time) error
	UseInvite(ctx context.Context, token string, userID int64, notify []bot.Outbound) error
}

// Catalog keeps suppliers and their products.
type Catalog interface {
	SuppliersOf(ctx context.Context, userID int64) ([]lapak.Supplier, error)
	CreateSupplier(ctx context.Context, name string, ownerUserID int64) (lapak.Supplier, error)
	// SaveProduct inserts p, or updates the product with p's SKU, variants included (variants not
	// in p are deactivated). An empty SKU gets a new one made from the name.
	SaveProduct(ctx context.Context, p lapak.Product) (lapak.Product, error)
	Product(ctx context.Context, id int64) (lapak.Product, error)
	ProductBySKU(ctx context.Context, sku string) (lapak.Product, error)
	Categories(ctx context.Context, supplierIDs []int64) ([]lapak.Category, error)
	Products(ctx context.Context, q lapak.ProductQuery) ([]lapak.Product, int, error)
	SetActive(ctx context.Context, productID int64, active bool) error
	AddImage(ctx context.Context, img lapak.Image) (lapak.Image, error)
}

// Pricing keeps what resellers sell at, and the links they share.
type Pricing interface {
	// ResellerPrices returns the reseller's own prices for the given products (absent when not
	// set) and their markup for everything else.
	ResellerPrices(ctx context.Context, resellerID int64, productIDs []int64) (map[int64]lapak.Money, lapak.Markup, error)
	SetResellerPrice(ctx context.Context, resellerID, productID int64, price lapak.Money) error
	// SetMarkup sets one markup for all products and forgets the reseller's per-product prices.
	SetMarkup(ctx context.Context, resellerID int64, m lapak.Markup) error
	// ShareLink returns the reseller's link token for a product, making it on first use.
	ShareLink(ctx context.Context, resellerID, productID int64) (string, error)
}

// Files fetches a file a user sent, from the channel it came through.
type Files interface {
	Fetch(ctx context.Context, chat bot.Address, m bot.Media) ([]byte, error)
}

// Importer imports a product spreadsheet for an owner and says, in lang, what it did. Suppliers
// the file creates belong to that owner.
type Importer interface {
	ImportCSV(ctx context.Context, data []byte, ownerID int64, lang lapak.Lang) (string, error)
}
