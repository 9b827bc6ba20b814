package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

// fixedClock is a clock that reads one time.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var testNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// catalogStore is a store on a fresh schema with one owner and one supplier.
type catalogStore struct {
	*storage.Store
	t        *testing.T
	ctx      context.Context
	ownerID  int64
	supplier lapak.Supplier
}

func newCatalogStore(t *testing.T) *catalogStore {
	t.Helper()
	ctx := context.Background()
	s := &catalogStore{Store: storage.New(storagetest.Pool(t), nil, fixedClock{testNow}), t: t, ctx: ctx}
	owner, err := s.TouchUser(ctx, lapak.Telegram, "900", "900", "Bu Rina", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	s.ownerID = owner.ID
	if s.supplier, err = s.CreateSupplier(ctx, "Kaos Nusantara", owner.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

// product returns a valid product of the store's supplier.
func (s *catalogStore) product(sku, name string) lapak.Product {
	return lapak.Product{
		SupplierID: s.supplier.ID, SKU: sku, Name: name, Category: "Kaos",
		BasePrice: 50_000, RetailPrice: 75_000, Commission: lapak.CommissionRule{Percent: 1000}, Active: true,
	}
}

// save saves p and fails the test on an error.
func (s *catalogStore) save(p lapak.Product) lapak.Product {
	s.t.Helper()
	out, err := s.SaveProduct(s.ctx, p)
	if err != nil {
		s.t.Fatalf("save %q: %v", p.Name, err)
	}
	return out
}

func units(n int) *int { return &n }

func variantNames(p lapak.Product) []string {
	var out []string
	for _, v := range p.Variants {
		out = append(out, fmt.Sprintf("%s=%s", v.SKU, v.Name))
	}
	return out
}

// errKey returns the message key of a *lapak.Error, or "" for another error.
func errKey(err error) string {
	var e *lapak.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func TestSaveProduct(t *testing.T) {
	t.Run("InsertsThenUpdatesBySKU", func(t *testing.T) {
		s := newCatalogStore(t)
		p := s.product("kaos-hitam", "Kaos Polos Hitam")
		p.Variants = []lapak.Variant{{Name: "M", Stock: units(5)}, {SKU: "KH-L", Name: "L"}}
		first := s.save(p)
		if first.SKU != "KAOS-HITAM" || first.Supplier != "Kaos Nusantara" || first.RetailPrice != 75_000 {
			t.Errorf("saved %+v", first)
		}
		if got := variantNames(first); !slices.Equal(got, []string{"KAOS-HITAM-M=M", "KH-L=L"}) {
			t.Errorf("variants %v", got)
		}
		if first.Variants[1].Stock != nil || *first.Variants[0].Stock != 5 {
			t.Errorf("variant stock: %+v", first.Variants)
		}

		p.SKU, p.RetailPrice = "KAOS-HITAM", 80_000
		p.Variants = []lapak.Variant{{Name: "L"}, {Name: "XL", Stock: units(2)}}
		second := s.save(p)
		if second.ID != first.ID || second.RetailPrice != 80_000 {
			t.Errorf("update by SKU made %+v from %+v", second, first)
		}
		if got := variantNames(second); !slices.Equal(got, []string{"KH-L=L", "KAOS-HITAM-XL=XL"}) {
			t.Errorf("variants after update %v: L keeps its SKU, M is gone", got)
		}
		p.Variants = []lapak.Variant{{Name: "m"}}
		if got := variantNames(s.save(p)); !slices.Equal(got, []string{"KAOS-HITAM-M=m"}) {
			t.Errorf("a removed variant's name comes back with its SKU: %v", got)
		}
		_, total, err := s.Products(s.ctx, lapak.ProductQuery{})
		if err != nil || total != 1 {
			t.Errorf("products: %d, %v", total, err)
		}
	})

	t.Run("MakesSKUsFromTheName", func(t *testing.T) {
		s := newCatalogStore(t)
		a := s.save(s.product("", "Kaos Polos Hitam"))
		b := s.save(s.product("", "kaos polos — putih!"))
		c := s.save(s.product("", "🎁🎁"))
		if a.SKU != "KAOS-POLOS-1" || b.SKU != "KAOS-POLOS-2" || c.SKU != "PRODUK-1" {
			t.Errorf("SKUs %s, %s, %s", a.SKU, b.SKU, c.SKU)
		}
	})

	t.Run("KeepsAnUnchangedProductAsItIs", func(t *testing.T) {
		s := newCatalogStore(t)
		first := s.save(s.product("KAOS-1", "Kaos"))
		later := storage.New(s.Pool(), nil, fixedClock{testNow.Add(time.Hour)})
		again, err := later.SaveProduct(s.ctx, s.product("KAOS-1", "Kaos"))
		if err != nil || !again.UpdatedAt.Equal(first.UpdatedAt) {
			t.Errorf("an unchanged save touched the product: %v, %v → %v", err, first.UpdatedAt, again.UpdatedAt)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		s := newCatalogStore(t)
		s.save(lapak.Product{SupplierID: s.supplier.ID, SKU: "PUNYA-VARIAN", Name: "Punya Varian", BasePrice: 1, RetailPrice: 1,
			Variants: []lapak.Variant{{SKU: "DIPAKAI", Name: "M"}}})
		tests := []struct {
			name   string
			change func(*lapak.Product)
			key    string
		}{
			{"NameTooShort", func(p *lapak.Product) { p.Name = " K " }, "product.name_length"},
			{"NameTooLong", func(p *lapak.Product) { p.Name = strings.Repeat("a", 121) }, "product.name_length"},
			{"ZeroBase", func(p *lapak.Product) { p.BasePrice = 0 }, "product.base_price"},
			{"NegativeBase", func(p *lapak.Product) { p.BasePrice = -5 }, "product.base_price"},
			{"RetailBelowBase", func(p *lapak.Product) { p.RetailPrice = 40_000 }, "product.retail_below_base"},
			{"MaxBelowRetail", func(p *lapak.Product) { p.MaxPrice = 60_000 }, "product.max_below_retail"},
			{"CommissionAbove100Percent", func(p *lapak.Product) { p.Commission = lapak.CommissionRule{Percent: 10_001} }, "commission.invalid"},
			{"CommissionBothWays", func(p *lapak.Product) { p.Commission = lapak.CommissionRule{Percent: 100, Fixed: 100} }, "commission.invalid"},
			{"FixedCommissionAboveBase", func(p *lapak.Product) { p.Commission = lapak.CommissionRule{Fixed: 50_001} }, "product.commission_above_base"},
			{"NegativeStock", func(p *lapak.Product) { p.Stock = units(-1) }, "product.stock_invalid"},
			{"NegativeVariantStock", func(p *lapak.Product) { p.Variants = []lapak.Variant{{Name: "M", Stock: units(-1)}} }, "product.stock_invalid"},
			{"NegativeWeight", func(p *lapak.Product) { p.WeightGrams = -1 }, "product.weight_invalid"},
			{"BadSKU", func(p *lapak.Product) { p.SKU = "KAOS HITAM" }, "product.sku_invalid"},
			{"DuplicateVariant", func(p *lapak.Product) { p.Variants = []lapak.Variant{{Name: "M"}, {Name: " m "}} }, "product.variant_duplicate"},
			{"EmptyVariantName", func(p *lapak.Product) { p.Variants = []lapak.Variant{{Name: " "}} }, "product.variant_name"},
			{"RepeatedVariantSKU", func(p *lapak.Product) { p.Variants = []lapak.Variant{{SKU: "X", Name: "M"}, {SKU: "x", Name: "L"}} }, "product.variant_sku_duplicate"},
			{"VariantSKUOfAnotherProduct", func(p *lapak.Product) { p.Variants = []lapak.Variant{{SKU: "DIPAKAI", Name: "L"}} }, "product.variant_sku_taken"},
			{"NoSupplier", func(p *lapak.Product) { p.SupplierID = 0 }, "product.supplier_missing"},
			{"UnknownSupplier", func(p *lapak.Product) { p.SupplierID = 999_999 }, "supplier.not_found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := s.product("BARU", "Kaos Baru")
				tt.change(&p)
				_, err := s.SaveProduct(s.ctx, p)
				if errKey(err) != tt.key {
					t.Fatalf("got %v, want key %s", err, tt.key)
				}
				if _, err := s.ProductBySKU(s.ctx, "BARU"); !errors.Is(err, lapak.ErrNotFound) {
					t.Errorf("a refused product was stored: %v", err)
				}
			})
		}
	})
}

func TestProducts(t *testing.T) {
	t.Run("SearchForgivesTypos", func(t *testing.T) {
		s := newCatalogStore(t)
		for _, name := range []string{"Kaos Hitam", "Kaos Polos Hitam", "Kaos Polos Putih", "Kemeja Flanel Kotak", "Kopi Arabika Gayo", "Hijab Pashmina Hitam"} {
			s.save(s.product("", name))
		}
		tests := []struct {
			search string
			want   []string // in this order, and nothing else
		}{
			{"kaos hitm", []string{"Kaos Hitam", "Kaos Polos Hitam"}},
			{"hitam", []string{"Kaos Hitam", "Kaos Polos Hitam", "Hijab Pashmina Hitam"}},
			{"kemja", []string{"Kemeja Flanel Kotak"}},
			{"HITAM POLOS", []string{"Kaos Polos Hitam"}},
			{"arabica", []string{"Kopi Arabika Gayo"}},
			{"sepatu", nil},
			{"kopi-arabika-1", []string{"Kopi Arabika Gayo"}}, // its SKU
			{"%_", []string{"Hijab Pashmina Hitam", "Kaos Hitam", "Kaos Polos Hitam", "Kaos Polos Putih", "Kemeja Flanel Kotak", "Kopi Arabika Gayo"}},
		}
		for _, tt := range tests {
			ps, total, err := s.Products(s.ctx, lapak.ProductQuery{Search: tt.search})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.Name)
			}
			if !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Errorf("search %q: got %v (total %d), want %v", tt.search, got, total, tt.want)
			}
		}
	})

	t.Run("PagesWithTotals", func(t *testing.T) {
		s := newCatalogStore(t)
		toko, err := s.CreateSupplier(s.ctx, "Dapur Mbok Darmi", s.ownerID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 25 {
			p := s.product(fmt.Sprintf("KAOS-%02d", i), fmt.Sprintf("Kaos %02d", i))
			p.Active = i != 3
			s.save(p)
		}
		for i := range 3 {
			p := s.product(fmt.Sprintf("SAMBAL-%d", i), fmt.Sprintf("Sambal %d", i))
			p.SupplierID, p.Category = toko.ID, "Sambal"
			s.save(p)
		}
		page := func(q lapak.ProductQuery) ([]string, int) {
			t.Helper()
			ps, total, err := s.Products(s.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var skus []string
			for _, p := range ps {
				skus = append(skus, p.SKU)
			}
			return skus, total
		}
		first, total := page(lapak.ProductQuery{SupplierIDs: []int64{s.supplier.ID}})
		if len(first) != 10 || total != 24 || first[0] != "KAOS-00" || first[3] != "KAOS-04" {
			t.Errorf("first page %v of %d", first, total)
		}
		last, total := page(lapak.ProductQuery{SupplierIDs: []int64{s.supplier.ID}, Offset: 20})
		if len(last) != 4 || total != 24 || last[3] != "KAOS-24" {
			t.Errorf("last page %v of %d", last, total)
		}
		if past, total := page(lapak.ProductQuery{Offset: 100}); len(past) != 0 || total != 27 {
			t.Errorf("past the end: %v of %d", past, total)
		}
		if all, total := page(lapak.ProductQuery{Limit: 1000, IncludeInactive: true}); len(all) != 28 || total != 28 {
			t.Errorf("everything: %d of %d", len(all), total)
		}
		if sambal, total := page(lapak.ProductQuery{Category: "sambal", Limit: 2}); len(sambal) != 2 || total != 3 {
			t.Errorf("a category: %v of %d", sambal, total)
		}
		cats, err := s.Categories(s.ctx, nil)
		if err != nil || !slices.Equal(cats, []lapak.Category{{Name: "Kaos", Count: 24}, {Name: "Sambal", Count: 3}}) {
			t.Errorf("categories %v, %v", cats, err)
		}
		cats, err = s.Categories(s.ctx, []int64{toko.ID})
		if err != nil || !slices.Equal(cats, []lapak.Category{{Name: "Sambal", Count: 3}}) {
			t.Errorf("categories of one supplier %v, %v", cats, err)
		}
	})

	t.Run("SetActiveHidesAProduct", func(t *testing.T) {
		s := newCatalogStore(t)
		p := s.save(s.product("KAOS-1", "Kaos"))
		if err := s.SetActive(s.ctx, p.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := s.SetActive(s.ctx, p.ID, false); err != nil {
			t.Errorf("deactivating twice: %v", err)
		}
		if _, total, _ := s.Products(s.ctx, lapak.ProductQuery{}); total != 0 {
			t.Errorf("a hidden product is listed")
		}
		if got, _ := s.Product(s.ctx, p.ID); got.Active {
			t.Errorf("still active")
		}
		if err := s.SetActive(s.ctx, 999_999, true); lapak.KindOf(err) != lapak.KindNotFound || !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("unknown product: %v", err)
		}
	})
}

func TestImages(t *testing.T) {
	s := newCatalogStore(t)
	p := s.save(s.product("KAOS-1", "Kaos"))
	var ids []string
	for i, fileID := range []string{"AgAD-cover", "", "AgAD-back"} {
		img, err := s.AddImage(s.ctx, lapak.Image{ProductID: p.ID, JPEG: []byte{0xFF, 0xD8, byte(i)}, Width: 10, Height: 8, TelegramFileID: fileID})
		if err != nil {
			t.Fatal(err)
		}
		if len(img.ID) != 16 || slices.Contains(ids, img.ID) {
			t.Errorf("image ID %q", img.ID)
		}
		ids = append(ids, img.ID)
	}
	got, err := s.Product(s.ctx, p.ID)
	if err != nil || !slices.Equal(got.Images, ids) || got.TelegramPhoto != "AgAD-cover" {
		t.Errorf("images %v (cover file %q), want %v: %v", got.Images, got.TelegramPhoto, ids, err)
	}
	jpeg, err := s.Image(s.ctx, ids[2])
	if err != nil || !slices.Equal(jpeg, []byte{0xFF, 0xD8, 2}) {
		t.Errorf("image bytes %v, %v", jpeg, err)
	}
	if _, err := s.Image(s.ctx, "nope"); !errors.Is(err, lapak.ErrNotFound) {
		t.Errorf("unknown image: %v", err)
	}
	if _, err := s.AddImage(s.ctx, lapak.Image{ProductID: 999_999, JPEG: []byte{1}, Width: 1, Height: 1}); lapak.KindOf(err) != lapak.KindNotFound {
		t.Errorf("image of an unknown product: %v", err)
	}
	if _, err := s.AddImage(s.ctx, lapak.Image{ProductID: p.ID}); errKey(err) != "photo.not_image" {
		t.Errorf("empty image: %v", err)
	}
}
