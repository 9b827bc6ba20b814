package storage_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lapak-id/lapak"
)

func TestShippingZones(t *testing.T) {
	s := newOrderStore(t, 4)
	zones := func() string {
		t.Helper()
		zs, err := s.ShippingZones(s.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, z := range zs {
			out = append(out, fmt.Sprintf("%s=%d", z.Name, z.Fee))
		}
		return strings.Join(out, " ")
	}
	if got := zones(); got != "" {
		t.Errorf("zones before any are set: %q", got)
	}
	set := func(zs ...lapak.ShippingZone) error { return s.SetShippingZones(s.ctx, zs) }
	if err := set(lapak.ShippingZone{Name: "Jawa", Fee: 15_000}, lapak.ShippingZone{Name: " Luar  Jawa ", Fee: 35_000},
		lapak.ShippingZone{Name: "Ambil sendiri"}); err != nil {
		t.Fatal(err)
	}
	if got := zones(); got != "Jawa=15000 Luar Jawa=35000 Ambil sendiri=0" {
		t.Errorf("zones: %q", got)
	}
	before, _ := s.ShippingZones(s.ctx)

	t.Run("ReplacingKeepsTheIDsOfZonesThatStay", func(t *testing.T) {
		if err := set(lapak.ShippingZone{Name: "Bali", Fee: 40_000}, lapak.ShippingZone{Name: "JAWA", Fee: 12_000}); err != nil {
			t.Fatal(err)
		}
		if got := zones(); got != "Bali=40000 JAWA=12000" {
			t.Errorf("zones: %q", got)
		}
		after, _ := s.ShippingZones(s.ctx)
		if after[1].ID != before[0].ID {
			t.Errorf("Jawa changed ID from %d to %d", before[0].ID, after[1].ID)
		}
	})

	t.Run("Refusals", func(t *testing.T) {
		tests := []struct {
			zones []lapak.ShippingZone
			key   string
		}{
			{[]lapak.ShippingZone{{Name: "Jawa"}, {Name: "jawa "}}, "shipping.zone_duplicate"},
			{[]lapak.ShippingZone{{Name: "Jawa", Fee: -1}}, "shipping.fee_invalid"},
			{[]lapak.ShippingZone{{Name: "Jawa", Fee: lapak.MaxPrice + 1}}, "shipping.fee_invalid"},
			{[]lapak.ShippingZone{{Name: "  "}}, "shipping.zone_name"},
			{[]lapak.ShippingZone{{Name: strings.Repeat("a", 61)}}, "shipping.zone_name"},
			{make([]lapak.ShippingZone, 51), "shipping.too_many_zones"},
		}
		for _, tt := range tests {
			if err := set(tt.zones...); lapak.KindOf(err) != lapak.KindInvalid || errKey(err) != tt.key {
				t.Errorf("%d zones: got %v, want %s", len(tt.zones), err, tt.key)
			}
		}
		if got := zones(); got != "Bali=40000 JAWA=12000" {
			t.Errorf("a refused list changed the zones: %q", got)
		}
	})

	t.Run("AnEmptyListRemovesThemAll", func(t *testing.T) {
		if err := set(); err != nil {
			t.Fatal(err)
		}
		if got := zones(); got != "" {
			t.Errorf("zones: %q", got)
		}
	})
}
