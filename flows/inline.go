package flows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
)

// inlineLimit is how many cards an inline query offers: few enough to answer while the reseller
// types.
const inlineLimit = 10

var _ bot.InlineAnswerer = (*Engine)(nil)

// InlineResults answers an approved reseller's inline query ("@bot kaos" typed in any chat) with
// the active products that match what they typed, best match first and forgiving typos, or the
// first ten by name when they typed nothing. Each card is the product's share kit: the Indonesian
// caption at the reseller's price with their links, the cover photo and the WhatsApp order
// button. The list shows the price and what the reseller earns, in their language. Anyone else
// gets no cards. However many cards there are, the products, the prices and the share links are
// looked up once each.
func (e *Engine) InlineResults(ctx context.Context, q bot.InlineQuery) ([]bot.Card, error) {
	c, r, err := e.inlineReseller(ctx, q)
	if c == nil || err != nil {
		return nil, err
	}
	products, _, err := e.cfg.Catalog.Products(ctx, lapak.ProductQuery{Search: clip(strings.TrimSpace(q.Query), 60), Limit: inlineLimit})
	if err != nil || len(products) == 0 {
		return nil, err
	}
	ids := make([]int64, len(products))
	for i, p := range products {
		ids[i] = p.ID
	}
	own, markup, err := e.cfg.Pricing.ResellerPrices(ctx, r.ID, ids)
	if err != nil {
		return nil, err
	}
	linked, err := e.withShareLinks(ctx, r, ids)
	if err != nil {
		return nil, err
	}
	cards := make([]bot.Card, 0, len(products))
	for _, p := range products {
		card, err := linked.inlineCard(c, r, p, lapak.ResellerPrice(p, own[p.ID], markup))
		if err != nil {
			return nil, err
		}
		cards = append(cards, card)
	}
	return cards, nil
}

// inlineReseller returns the approved reseller behind an inline query, with a Conv that carries
// their user and ctx for building cards outside any conversation. The Conv is nil for anyone
// else.
func (e *Engine) inlineReseller(ctx context.Context, q bot.InlineQuery) (*Conv, lapak.Reseller, error) {
	u, err := e.cfg.Users.UserByChannel(ctx, q.From.Channel, q.UserID)
	if errors.Is(err, lapak.ErrNotFound) || err == nil && u.Role != lapak.RoleReseller {
		return nil, lapak.Reseller{}, nil
	}
	if err != nil {
		return nil, lapak.Reseller{}, fmt.Errorf("find user %s:%s: %w", q.From.Channel, q.UserID, err)
	}
	r, err := e.cfg.Resellers.ResellerByUser(ctx, u.ID)
	if errors.Is(err, lapak.ErrNotFound) || err == nil && r.Status != lapak.ResellerApproved {
		return nil, r, nil
	}
	if err != nil {
		return nil, r, fmt.Errorf("find reseller of user %d: %w", u.ID, err)
	}
	return &Conv{Ctx: ctx, In: bot.Inbound{Chat: q.From, UserID: q.UserID}, User: u, e: e}, r, nil
}

// inlineCard is p as a card for reseller r: the share kit at their price, and in the list the
// price and their earnings on one item.
func (e *Engine) inlineCard(c *Conv, r lapak.Reseller, p lapak.Product, price lapak.Money) (bot.Card, error) {
	split, err := lapak.Split(p.BasePrice, price, p.Commission, 1)
	if err != nil {
		return bot.Card{}, fmt.Errorf("earnings on product %d: %w", p.ID, err)
	}
	links, err := e.orderLinks(c, r, p)
	if err != nil {
		return bot.Card{}, err
	}
	describe := "inline.description"
	if !p.InStock() {
		describe = "inline.sold_out"
	}
	card := bot.Card{
		ID:          strconv.FormatInt(p.ID, 10),
		Title:       p.Name,
		Description: c.T(describe, price, split.Reseller),
		Text:        shareCaption(p, price, links),
		Photo:       e.photoOf(p),
	}
	if links.order != "" {
		card.Links = []bot.Link{{Label: i18n.T(lapak.Indonesian, "resell.order_button"), URL: links.order}}
	}
	return card, nil
}

// shareLinkBatch is a Pricing that makes many share links in one statement, as the Postgres store
// does.
type shareLinkBatch interface {
	ShareLinks(ctx context.Context, resellerID int64, productIDs []int64) (map[int64]string, error)
}

// withShareLinks returns the engine to build r's cards for products with: when the cards carry
// tracked links and Pricing makes them in batches, a copy whose Pricing has them made already, in
// one statement instead of one per card.
func (e *Engine) withShareLinks(ctx context.Context, r lapak.Reseller, productIDs []int64) (*Engine, error) {
	batch, ok := e.cfg.Pricing.(shareLinkBatch)
	if !ok || e.cfg.WhatsApp == "" || e.cfg.PublicURL == "" {
		return e, nil
	}
	tokens, err := batch.ShareLinks(ctx, r.ID, productIDs)
	if err != nil {
		return nil, err
	}
	linked := *e
	linked.cfg.Pricing = madeLinks{Pricing: e.cfg.Pricing, resellerID: r.ID, tokens: tokens}
	return &linked, nil
}

// madeLinks is a Pricing whose ShareLink answers from one reseller's tokens made beforehand, and
// asks the Pricing it wraps for any other.
type madeLinks struct {
	Pricing
	resellerID int64
	tokens     map[int64]string // by product ID
}

func (m madeLinks) ShareLink(ctx context.Context, resellerID, productID int64) (string, error) {
	if token, ok := m.tokens[productID]; ok && resellerID == m.resellerID {
		return token, nil
	}
	return m.Pricing.ShareLink(ctx, resellerID, productID)
}
