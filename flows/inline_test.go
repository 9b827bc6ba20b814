package flows_test

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/storage"
)

// countingPricing is the store, counting the price and share link lookups the cards cost.
type countingPricing struct {
	*storage.Store
	prices, links atomic.Int32
}

func (p *countingPricing) ResellerPrices(ctx context.Context, resellerID int64, productIDs []int64) (map[int64]lapak.Money, lapak.Markup, error) {
	p.prices.Add(1)
	return p.Store.ResellerPrices(ctx, resellerID, productIDs)
}

func (p *countingPricing) ShareLink(ctx context.Context, resellerID, productID int64) (string, error) {
	p.links.Add(1)
	return p.Store.ShareLink(ctx, resellerID, productID)
}

// shop is a catalog with one supplier, products added straight to the store.
type shop struct {
	*harness
	pricing  *countingPricing
	supplier lapak.Supplier
}

func newShop(t *testing.T) *shop {
	h, _ := newCatalogHarness(t)
	s := &shop{harness: h, pricing: &countingPricing{Store: h.store}}
	h.cfg.Pricing = s.pricing
	h.engine = flows.New(h.cfg)
	ctx := context.Background()
	owner, err := h.store.UserByChannel(ctx, lapak.Telegram, "900")
	if err != nil {
		t.Fatal(err)
	}
	if s.supplier, err = h.store.CreateSupplier(ctx, "Kaos Nusantara", owner.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

// add saves an active product with a 10 % commission and unlimited stock unless stock is given.
func (s *shop) add(name string, base, retail lapak.Money, stock ...int) lapak.Product {
	s.t.Helper()
	p := lapak.Product{SupplierID: s.supplier.ID, Name: name, BasePrice: base, RetailPrice: retail,
		Commission: lapak.CommissionRule{Percent: 1000}, Active: true}
	if len(stock) > 0 {
		p.Stock = &stock[0]
	}
	p, err := s.store.SaveProduct(context.Background(), p)
	if err != nil {
		s.t.Fatalf("save %s: %v", name, err)
	}
	return p
}

// inline runs an inline query from user and returns the cards.
func (s *shop) inline(user, query string) []bot.Card {
	s.t.Helper()
	q := bot.InlineQuery{From: bot.Address{Channel: lapak.Telegram, ChatID: user}, UserID: user, Query: query, ID: "q" + user}
	cards, err := s.engine.InlineResults(context.Background(), q)
	if err != nil {
		s.t.Fatalf("inline query %q from %s: %v", query, user, err)
	}
	return cards
}

func titles(cards []bot.Card) []string {
	var out []string
	for _, c := range cards {
		out = append(out, c.Title)
	}
	return out
}

func TestInlineResults(t *testing.T) {
	s := newShop(t)
	ctx := context.Background()
	code := s.approvedReseller("301", "Andi Saputra")
	andi, err := s.store.UserByChannel(ctx, lapak.Telegram, "301")
	if err != nil {
		t.Fatal(err)
	}
	reseller, err := s.store.ResellerByUser(ctx, andi.ID)
	if err != nil {
		t.Fatal(err)
	}
	kaos := s.add("Kaos Polos Hitam", 50_000, 75_000)
	if _, err := s.store.AddImage(ctx, lapak.Image{ProductID: kaos.ID, JPEG: []byte("jpeg"), Width: 40, Height: 30, TelegramFileID: "tg-kaos"}); err != nil {
		t.Fatal(err)
	}
	s.add("Kaos Polos Putih", 50_000, 75_000)
	s.add("Sambal Bawang", 20_000, 35_000, 0)
	for i := range 9 {
		s.add(fmt.Sprintf("Topi %02d", i), 20_000, 30_000)
	}
	gone := s.add("Batik Tulis", 100_000, 150_000)
	if err := s.store.SetActive(ctx, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := s.store.SetMarkup(ctx, reseller.ID, lapak.Markup{Fixed: 10_000}); err != nil {
		t.Fatal(err)
	}
	if err := s.store.SetResellerPrice(ctx, reseller.ID, kaos.ID, 85_000); err != nil {
		t.Fatal(err)
	}

	var card bot.Card
	t.Run("ResellerFindsAProductDespiteATypo", func(t *testing.T) {
		cards := s.inline("301", "kaos hitm")
		if got := titles(cards); !slices.Equal(got, []string{"Kaos Polos Hitam"}) {
			t.Fatalf("cards %q, want only Kaos Polos Hitam", got)
		}
		card = cards[0]
	})

	t.Run("CardCarriesTheirPriceAndOrderLink", func(t *testing.T) {
		if card.Description != "Rp85.000 · untung Rp40.000" {
			t.Errorf("description %q, want their price and profit", card.Description)
		}
		for _, want := range []string{"Kaos Polos Hitam", "Harga: Rp85.000", "https://lapak.example.com/go/", "https://t.me/lapak_bot?start=b_" + code + "_" + kaos.SKU} {
			if !strings.Contains(card.Text, want) {
				t.Errorf("text does not say %q:\n%s", want, card.Text)
			}
		}
		if card.Photo == nil || card.Photo.FileID != "tg-kaos" || !strings.HasPrefix(card.Photo.URL, "https://lapak.example.com/img/") {
			t.Errorf("photo %+v, want the cover by file ID and URL", card.Photo)
		}
		if len(card.Links) != 1 || card.Links[0].Label != "Pesan via WhatsApp" {
			t.Fatalf("links %+v, want the order button", card.Links)
		}
		link, _ := url.Parse(card.Links[0].URL)
		gotCode, sku, _, err := s.store.Click(ctx, strings.TrimPrefix(link.Path, "/go/"))
		if err != nil || gotCode != code || sku != kaos.SKU {
			t.Errorf("order link %s leads to %q %q (%v), want %s %s", link, gotCode, sku, err, code, kaos.SKU)
		}
	})

	t.Run("CardIsTheShareKit", func(t *testing.T) {
		var kit bot.Reply
		for _, o := range s.tap("301", fmt.Sprintf("rp:share:%d", kaos.ID)) {
			if len(o.Reply.Links) > 0 {
				kit = o.Reply
			}
		}
		if card.Text != kit.Text || !reflect.DeepEqual(card.Links, kit.Links) || !reflect.DeepEqual(card.Photo, kit.Photo) {
			t.Errorf("card %+v\ndiffers from the share kit %+v", card, kit)
		}
	})

	t.Run("EmptyQueryGivesTheFirstTenInOneLookupEach", func(t *testing.T) {
		s.pricing.prices.Store(0)
		s.pricing.links.Store(0)
		cards := s.inline("301", "  ")
		want := []string{"Kaos Polos Hitam", "Kaos Polos Putih", "Sambal Bawang", "Topi 00", "Topi 01", "Topi 02", "Topi 03", "Topi 04", "Topi 05", "Topi 06"}
		if got := titles(cards); !slices.Equal(got, want) {
			t.Errorf("cards %q, want %q", got, want)
		}
		if p, l := s.pricing.prices.Load(), s.pricing.links.Load(); p != 1 || l != 0 {
			t.Errorf("%d price lookups and %d single share links for %d cards, want 1 and 0", p, l, len(cards))
		}
		for _, c := range cards {
			if c.Title == "Topi 00" && c.Description != "Rp30.000 · untung Rp12.000" {
				t.Errorf("Topi 00: %q, want their markup on the base price", c.Description)
			}
			if c.Title == "Sambal Bawang" && c.Description != "Rp30.000 · untung Rp12.000 · habis" {
				t.Errorf("Sambal Bawang: %q, want it marked sold out", c.Description)
			}
		}
	})

	t.Run("NothingMatches", func(t *testing.T) {
		if cards := s.inline("301", "sepatu"); len(cards) != 0 {
			t.Errorf("cards %q for a search that matches nothing", titles(cards))
		}
	})

	t.Run("EnglishResellerReadsTheListInEnglish", func(t *testing.T) {
		s.approvedReseller("302", "Budi Santoso")
		s.text("302", "/bahasa en")
		cards := s.inline("302", "kaos hitam")
		if len(cards) != 1 || cards[0].Description != "Rp75.000 · profit Rp30.000" || !strings.Contains(cards[0].Text, "Harga: Rp75.000") {
			t.Errorf("cards %+v, want the retail price described in English and the caption in Indonesian", cards)
		}
	})

	t.Run("OnlyApprovedResellersGetCards", func(t *testing.T) {
		s.text("303", "/start") // a customer
		for _, msg := range []string{"/start", "Citra Lestari", "081298765432", "Medan"} {
			s.text("304", msg) // registered, not approved yet
		}
		for _, user := range []string{"303", "304", "900", "999"} {
			if cards := s.inline(user, "kaos"); len(cards) != 0 {
				t.Errorf("user %s got %q", user, titles(cards))
			}
		}
	})
}
