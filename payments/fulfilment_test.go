package payments

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// untouchable is a store every call to which fails the test: refusals must come first.
type untouchable struct {
	Store
	t *testing.T
}

func (u untouchable) ShipOrder(context.Context, int64, string, string, time.Time, time.Time, Notice) (lapak.Order, error) {
	u.t.Fatal("the store was asked to ship")
	return lapak.Order{}, nil
}

func (u untouchable) RefundOrder(context.Context, int64, string, string, time.Time, Notice) (lapak.Order, error) {
	u.t.Fatal("the store was asked to refund")
	return lapak.Order{}, nil
}

func (u untouchable) ResellerOrder(context.Context, int64, string) (lapak.Order, error) {
	u.t.Fatal("the store was asked for an order")
	return lapak.Order{}, nil
}

func TestGarbageNeverReachesTheStore(t *testing.T) {
	s := New(Config{Store: untouchable{t: t}})
	ctx := context.Background()
	for _, c := range []struct{ courier, resi, key string }{
		{"", "JNE0123456789", "ful.bad_courier"},
		{"😀😀", "JNE0123456789", "ful.bad_courier"},
		{strings.Repeat("J", 41), "JNE0123456789", "ful.bad_courier"},
		{"JNE", "ok", "ful.bad_resi"},
		{"JNE", "JNE 0123 / 4567", "ful.bad_resi"},
		{"JNE", strings.Repeat("9", 61), "ful.bad_resi"},
	} {
		if _, err := s.Ship(ctx, 1, c.courier, c.resi); key(err) != c.key {
			t.Errorf("ship via %q resi %q: %v, want %s", c.courier, c.resi, err, c.key)
		}
	}
	for _, c := range []struct{ reason, ref, key string }{
		{"", "BCA 123", "ful.bad_reason"},
		{strings.Repeat("a", 301), "BCA 123", "ful.bad_reason"},
		{"Stok habis", "--", "ful.bad_refund_ref"},
		{"Stok habis", strings.Repeat("1", 101), "ful.bad_refund_ref"},
	} {
		if _, err := s.Refund(ctx, 1, c.reason, c.ref); key(err) != c.key {
			t.Errorf("refund for %q ref %q: %v, want %s", c.reason, c.ref, err, c.key)
		}
	}
	for _, ref := range []string{"", "LPK-", "LPK-0O1I00", "LPK-7F3K2Q; DROP TABLE orders", strings.Repeat("7", 5000)} {
		if _, err := s.Why(ctx, 1, ref); key(err) != "earn.why_usage" {
			t.Errorf("why %q: %v", ref, err)
		}
	}
}

func key(err error) string {
	if e, ok := err.(*lapak.Error); ok {
		return e.Key
	}
	return ""
}

// event is a reseller's order of two items for Rp150.000, earning them Rp60.000, as storage
// passes it to the notices.
func event(resellerLang lapak.Lang) Event {
	o := lapak.Order{ID: 9, Ref: "LPK-7F3K2Q", ResellerID: 3, Status: lapak.OrderCancelled, Total: 150_000,
		Name: "Dewi", Courier: "JNE", Resi: "JNE0123456789", RefundRef: "BCA 0312",
		Items: []lapak.OrderItem{{Name: "Kaos", Qty: 2, Earnings: lapak.Earnings{Reseller: 60_000, Owner: 90_000}}}}
	return Event{
		Order:    o,
		Customer: lapak.User{ID: 1, Channel: lapak.WhatsApp, ChatID: "6281299998888", Lang: lapak.Indonesian},
		Reseller: lapak.User{ID: 2, Channel: lapak.Telegram, ChatID: "501", Lang: resellerLang},
		Owners:   []lapak.User{{ID: 3, Channel: lapak.Telegram, ChatID: "900"}},
		Reason:   "Stok habis",
	}
}

// to returns the text of the message to chat, failing unless there is exactly one.
func to(t *testing.T, msgs []bot.Outbound, chat string) string {
	t.Helper()
	var got []string
	for _, m := range msgs {
		if m.To.ChatID == chat {
			got = append(got, m.Reply.Text)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d messages to %s: %v", len(got), chat, got)
	}
	return got[0]
}

func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%q does not say %q", text, w)
		}
	}
}

func TestRefundTellsEachSideWhatChanged(t *testing.T) {
	s := New(Config{})

	t.Run("BeforeRelease", func(t *testing.T) {
		ev := event(lapak.Indonesian)
		msgs := s.refundedNotice(ev)
		mustContain(t, to(t, msgs, "6281299998888"), "LPK-7F3K2Q dibatalkan: Stok habis", "Dana Rp150.000", "ref BCA 0312")
		mustContain(t, to(t, msgs, "501"), "Alasan: Stok habis", "Komisimu Rp60.000", "saldo tertunda", "tertunda Rp0, bisa dicairkan Rp0")
	})
	t.Run("AfterReleaseBelowZero", func(t *testing.T) {
		ev := event(lapak.English)
		ev.Released, ev.Available = true, -60_000
		text := to(t, s.refundedNotice(ev), "501")
		mustContain(t, text, "Your Rp60.000 on it was already available", "available -Rp60.000", "next payout waits")
	})
	t.Run("OwnersSaleTellsOnlyTheCustomer", func(t *testing.T) {
		ev := event(lapak.Indonesian)
		ev.Order.ResellerID, ev.Reseller = 0, lapak.User{}
		if msgs := s.refundedNotice(ev); len(msgs) != 1 || msgs[0].To.ChatID != "6281299998888" {
			t.Errorf("messages: %+v", msgs)
		}
	})
}

func TestFulfilmentNotices(t *testing.T) {
	s := New(Config{Location: time.UTC})
	ev := event(lapak.Indonesian)

	shipped := s.shippedNotice(ev)
	mustContain(t, to(t, shipped, "6281299998888"), "LPK-7F3K2Q sudah dikirim", "Kurir: JNE", "No. resi: JNE0123456789")
	mustContain(t, to(t, shipped, "501"), "via JNE, resi JNE0123456789")

	ev.Order.ReleaseAt = time.Date(2025, 3, 28, 9, 0, 0, 0, time.UTC)
	done := s.completedNotice(ev)
	mustContain(t, to(t, done, "501"), "Komisimu Rp60.000 bisa dicairkan mulai 28/03 09.00 UTC")
	to(t, done, "6281299998888")

	ev.Available = 60_000
	mustContain(t, to(t, s.releasedNotice(ev), "501"), "Komisi Rp60.000 dari LPK-7F3K2Q sudah bisa dicairkan", "sekarang Rp60.000")
}
