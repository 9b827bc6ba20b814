package storage_test

import (
	"errors"
	"regexp"
	"sync"
	"testing"

	"github.com/lapak-id/lapak"
)

// approvedReseller registers and approves a reseller called name and returns them.
func (s *catalogStore) approvedReseller(externalID, name string) lapak.Reseller {
	s.t.Helper()
	u, err := s.TouchUser(s.ctx, lapak.Telegram, externalID, externalID, name, lapak.Indonesian)
	if err != nil {
		s.t.Fatal(err)
	}
	phone, _ := lapak.ParsePhone("0812 3456 7890")
	if _, err := s.SubmitReseller(s.ctx, lapak.Reseller{UserID: u.ID, Name: name, Phone: phone, City: "Bandung"}, nil); err != nil {
		s.t.Fatal(err)
	}
	r, err := s.DecideReseller(s.ctx, u.ID, s.ownerID, true, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

func TestResellerPrices(t *testing.T) {
	s := newCatalogStore(t)
	r := s.approvedReseller("700", "Andi")
	p := s.product("KAOS-1", "Kaos")
	p.MaxPrice = 100_000
	kaos := s.save(p)
	sambal := s.save(s.product("SAMBAL-1", "Sambal"))

	if err := s.SetResellerPrice(s.ctx, r.ID, kaos.ID, 65_000); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		product int64
		price   lapak.Money
		key     string
	}{
		{"BelowTheFloor", kaos.ID, 49_999, "price.below_floor"},
		{"Zero", kaos.ID, 0, "price.below_floor"},
		{"AboveTheMaximum", kaos.ID, 100_001, "price.above_max"},
		{"UnknownProduct", 999_999, 60_000, "product.not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SetResellerPrice(s.ctx, r.ID, tt.product, tt.price); errKey(err) != tt.key {
				t.Errorf("got %v, want %s", err, tt.key)
			}
		})
	}
	prices, m, err := s.ResellerPrices(s.ctx, r.ID, []int64{kaos.ID, sambal.ID})
	if err != nil || len(prices) != 1 || prices[kaos.ID] != 65_000 || !m.IsZero() {
		t.Errorf("prices %v, markup %+v, %v", prices, m, err)
	}

	t.Run("ANewFloorMovesPricesBelowIt", func(t *testing.T) {
		p := kaos
		p.BasePrice, p.RetailPrice = 70_000, 90_000
		s.save(p)
		prices, _, _ := s.ResellerPrices(s.ctx, r.ID, []int64{kaos.ID})
		if prices[kaos.ID] != 70_000 {
			t.Errorf("a price below the new floor is still stored: %v", prices)
		}
	})

	t.Run("MarkupForgetsOwnPrices", func(t *testing.T) {
		if err := s.SetMarkup(s.ctx, r.ID, lapak.Markup{Percent: 2000}); err != nil {
			t.Fatal(err)
		}
		prices, m, err := s.ResellerPrices(s.ctx, r.ID, []int64{kaos.ID, sambal.ID})
		if err != nil || len(prices) != 0 || m != (lapak.Markup{Percent: 2000}) {
			t.Errorf("after a markup: prices %v, markup %+v, %v", prices, m, err)
		}
		if err := s.SetMarkup(s.ctx, r.ID, lapak.Markup{Percent: 100, Fixed: 100}); errKey(err) != "markup.invalid" {
			t.Errorf("a markup both ways: %v", err)
		}
		if err := s.SetMarkup(s.ctx, r.ID, lapak.Markup{}); err != nil {
			t.Fatal(err)
		}
		if _, m, _ := s.ResellerPrices(s.ctx, r.ID, nil); !m.IsZero() {
			t.Errorf("a zero markup is kept as %+v", m)
		}
		if _, _, err := s.ResellerPrices(s.ctx, 999_999, nil); !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("unknown reseller: %v", err)
		}
	})
}

func TestShareLink(t *testing.T) {
	s := newCatalogStore(t)
	r := s.approvedReseller("700", "Andi")
	kaos := s.save(s.product("KAOS-1", "Kaos Polos Hitam"))
	sambal := s.save(s.product("SAMBAL-1", "Sambal Bawang"))

	t.Run("ConcurrentCallsGetOneToken", func(t *testing.T) {
		tokens := make([]string, 20)
		errs := make([]error, 20)
		var wg sync.WaitGroup
		for i := range tokens {
			wg.Go(func() { tokens[i], errs[i] = s.ShareLink(s.ctx, r.ID, kaos.ID) })
		}
		wg.Wait()
		for i := range tokens {
			if errs[i] != nil || tokens[i] != tokens[0] {
				t.Fatalf("call %d: %q, %v; call 0: %q", i, tokens[i], errs[i], tokens[0])
			}
		}
		if !regexp.MustCompile(`^[A-Za-z0-9]{10}$`).MatchString(tokens[0]) {
			t.Errorf("token %q", tokens[0])
		}
		var rows int
		s.Pool().QueryRow(s.ctx, "SELECT count(*) FROM share_links").Scan(&rows)
		if rows != 1 {
			t.Errorf("%d share links", rows)
		}
	})

	t.Run("EachProductHasItsOwn", func(t *testing.T) {
		a, _ := s.ShareLink(s.ctx, r.ID, kaos.ID)
		b, err := s.ShareLink(s.ctx, r.ID, sambal.ID)
		if err != nil || a == b {
			t.Errorf("tokens %q and %q, %v", a, b, err)
		}
		if _, err := s.ShareLink(s.ctx, r.ID, 999_999); lapak.KindOf(err) != lapak.KindNotFound {
			t.Errorf("unknown product: %v", err)
		}
	})

	t.Run("ClickRecordsAClick", func(t *testing.T) {
		token, _ := s.ShareLink(s.ctx, r.ID, kaos.ID)
		for range 2 {
			code, sku, name, err := s.Click(s.ctx, token)
			if err != nil || code != r.Code || sku != "KAOS-1" || name != "Kaos Polos Hitam" {
				t.Fatalf("click: %q %q %q %v", code, sku, name, err)
			}
		}
		var clicks int
		err := s.Pool().QueryRow(s.ctx, "SELECT count(*) FROM link_clicks WHERE reseller_id = $1 AND product_id = $2 AND clicked_at = $3",
			r.ID, kaos.ID, testNow).Scan(&clicks)
		if err != nil || clicks != 2 {
			t.Errorf("%d clicks recorded, %v", clicks, err)
		}
		if _, _, _, err := s.Click(s.ctx, "nosuchtokn"); !errors.Is(err, lapak.ErrNotFound) || errKey(err) != "link.not_found" {
			t.Errorf("unknown token: %v", err)
		}
	})
}
