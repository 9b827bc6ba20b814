package storage

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
)

// Limits of the shipping zones, as the schema holds them.
const (
	maxZones    = 50
	maxZoneName = 60
)

// ShippingZones returns the owner's shipping zones in the order customers are offered them.
func (s *Store) ShippingZones(ctx context.Context) ([]lapak.ShippingZone, error) {
	rows, err := s.pool.Query(ctx, "SELECT id, name, fee FROM shipping_zones ORDER BY position, id")
	if err != nil {
		return nil, fmt.Errorf("list shipping zones: %w", err)
	}
	zones, err := pgx.CollectRows(rows, pgx.RowToStructByPos[lapak.ShippingZone])
	if err != nil {
		return nil, fmt.Errorf("list shipping zones: %w", err)
	}
	return zones, nil
}

// SetShippingZones makes zones the shipping zones, in this order, in one transaction. Zones are
// matched by name in any letter case, so a zone that stays keeps its ID and a customer choosing
// it meanwhile still gets it; zones not in the list are removed. Orders keep the zone name and fee
// they were placed with.
//
// Refusals are *lapak.Error of KindInvalid: shipping.zone_name (a name of 1 to 60 characters),
// shipping.zone_duplicate with the name, shipping.fee_invalid with the name (a fee below zero or
// above lapak.MaxPrice) and shipping.too_many_zones with the limit, 50.
func (s *Store) SetShippingZones(ctx context.Context, zones []lapak.ShippingZone) error {
	zones, err := checkZones(zones)
	if err != nil {
		return err
	}
	names := make([]string, len(zones))
	for i, z := range zones {
		names[i] = strings.ToLower(z.Name)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		// One change at a time: two at once would each keep zones the other removes.
		if _, err := tx.Exec(ctx, "LOCK TABLE shipping_zones IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM shipping_zones WHERE NOT lower(name) = ANY($1)", names); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i, z := range zones {
			b.Queue(`
				INSERT INTO shipping_zones (name, fee, position) VALUES ($1, $2, $3)
				ON CONFLICT ((lower(name))) DO UPDATE SET name = EXCLUDED.name, fee = EXCLUDED.fee, position = EXCLUDED.position`,
				z.Name, z.Fee, i)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("set %d shipping zones: %w", len(zones), err)
	}
	return nil
}

// checkZones refuses a list of zones SetShippingZones cannot store and returns it with the names
// on one line.
func checkZones(zones []lapak.ShippingZone) ([]lapak.ShippingZone, error) {
	if len(zones) > maxZones {
		return nil, lapak.Errorf(lapak.KindInvalid, "shipping.too_many_zones", maxZones)
	}
	out := make([]lapak.ShippingZone, len(zones))
	seen := make(map[string]bool, len(zones))
	for i, z := range zones {
		z.Name = oneLine(z.Name)
		key := strings.ToLower(z.Name)
		switch n := utf8.RuneCountInString(z.Name); {
		case n == 0 || n > maxZoneName:
			return nil, lapak.Errorf(lapak.KindInvalid, "shipping.zone_name", maxZoneName)
		case seen[key]:
			return nil, lapak.Errorf(lapak.KindInvalid, "shipping.zone_duplicate", z.Name)
		case z.Fee < 0 || z.Fee > lapak.MaxPrice:
			return nil, lapak.Errorf(lapak.KindInvalid, "shipping.fee_invalid", z.Name)
		}
		seen[key] = true
		out[i] = z
	}
	return out, nil
}
