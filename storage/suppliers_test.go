package storage_test

import (
	"testing"

	"github.com/lapak-id/lapak"
)

func TestSuppliers(t *testing.T) {
	s := newCatalogStore(t)
	other, err := s.TouchUser(s.ctx, lapak.Telegram, "901", "901", "Pak Budi", lapak.Indonesian)
	if err != nil {
		t.Fatal(err)
	}
	dapur, err := s.CreateSupplier(s.ctx, "  Dapur   Mbok Darmi ", s.ownerID)
	if err != nil || dapur.Name != "Dapur Mbok Darmi" {
		t.Fatalf("create: %+v, %v", dapur, err)
	}
	if _, err := s.CreateSupplier(s.ctx, "Kopi Gayo", other.ID); err != nil {
		t.Fatal(err)
	}
	mine, err := s.SuppliersOf(s.ctx, s.ownerID)
	if err != nil || len(mine) != 2 || mine[0] != dapur || mine[1] != s.supplier {
		t.Errorf("suppliers of the owner: %+v, %v", mine, err)
	}

	_, err = s.CreateSupplier(s.ctx, "KAOS nusantara", other.ID)
	if lapak.KindOf(err) != lapak.KindConflict || errKey(err) != "supplier.taken" {
		t.Errorf("a taken name, in other letters: %v", err)
	}
	if theirs, _ := s.SuppliersOf(s.ctx, other.ID); len(theirs) != 1 || theirs[0].Name != "Kopi Gayo" {
		t.Errorf("a refused supplier left a membership: %+v", theirs)
	}
	if _, err := s.CreateSupplier(s.ctx, "K", s.ownerID); errKey(err) != "supplier.name_length" {
		t.Errorf("a one-letter name: %v", err)
	}
}
