package storage_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
)

func TestCustomerBindings(t *testing.T) {
	s := newOrderStore(t, 4)
	andi := s.approvedReseller("701", "Andi")
	budi := s.approvedReseller("702", "Budi")
	customer := s.customer.ID
	week := testNow.Add(7 * 24 * time.Hour)

	bound := func(at time.Time) int64 {
		t.Helper()
		r, ok, err := s.CustomerReseller(s.ctx, customer, at)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return 0
		}
		return r.ID
	}
	if got := bound(testNow); got != 0 {
		t.Errorf("a new customer is bound to %d", got)
	}
	if err := s.BindCustomer(s.ctx, customer, andi.ID, week); err != nil {
		t.Fatal(err)
	}
	if got := bound(testNow); got != andi.ID {
		t.Errorf("bound to %d, want Andi %d", got, andi.ID)
	}
	if got := bound(week); got != 0 {
		t.Errorf("still bound to %d when the binding ends", got)
	}

	t.Run("ALaterCodeSwitches", func(t *testing.T) {
		if err := s.BindCustomer(s.ctx, customer, budi.ID, week.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := bound(week); got != budi.ID {
			t.Errorf("bound to %d after Budi's code, want %d", got, budi.ID)
		}
		if n := s.count("SELECT count(*) FROM customer_bindings"); n != 1 {
			t.Errorf("%d bindings", n)
		}
	})

	t.Run("OnlyApprovedResellers", func(t *testing.T) {
		u, _ := s.TouchUser(s.ctx, lapak.Telegram, "703", "703", "Citra", lapak.Indonesian)
		pending, err := s.SubmitReseller(s.ctx, lapak.Reseller{UserID: u.ID, Name: "Citra", Phone: "+6281111111111", City: "Solo"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{pending.ID, 999_999} {
			if err := s.BindCustomer(s.ctx, customer, id, week); !errors.Is(err, lapak.ErrNotFound) || errKey(err) != "reseller.not_found" {
				t.Errorf("bind to reseller %d: %v", id, err)
			}
		}
		if got := bound(testNow); got != budi.ID {
			t.Errorf("a refused bind changed the binding to %d", got)
		}
		r, err := s.ResellerByID(s.ctx, pending.ID)
		if err != nil || r.Status != lapak.ResellerPending || r.Name != "Citra" {
			t.Errorf("reseller by ID: %+v, %v", r, err)
		}
		if _, err := s.ResellerByID(s.ctx, 999_999); !errors.Is(err, lapak.ErrNotFound) {
			t.Errorf("unknown reseller: %v", err)
		}
	})
}
