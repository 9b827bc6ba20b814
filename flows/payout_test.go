package flows_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/flows"
	"github.com/lapak-id/lapak/payments"
	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

// newPayoutHarness is the chat harness with payouts through the payments service and a fake
// Xendit.
func newPayoutHarness(t *testing.T) *harness {
	h := newHarness(t)
	fake := xendittest.New(xendittest.Config{})
	t.Cleanup(fake.Close)
	h.cfg.Payouts = payments.New(payments.Config{
		Xendit:        xendit.New(xendit.Config{BaseURL: fake.URL(), SecretKey: fake.SecretKey()}),
		Payouts:       h.store,
		CallbackToken: fake.CallbackToken(),
		Logger:        slog.New(slog.DiscardHandler),
	})
	h.engine = flows.New(h.cfg)
	return h
}

// resellerID returns the reseller writing from Telegram chat user.
func (h *harness) resellerID(user string) int64 {
	h.t.Helper()
	u, err := h.store.UserByChannel(context.Background(), lapak.Telegram, user)
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := h.store.ResellerByUser(context.Background(), u.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return r.ID
}

// noAccount fails the test when the reseller has a bank account.
func (h *harness) noAccount(user string) {
	h.t.Helper()
	if a, err := h.store.BankAccount(context.Background(), h.resellerID(user)); !errors.Is(err, lapak.ErrNotFound) {
		h.t.Fatalf("an account was saved: %+v, %v", a, err)
	}
}

func TestPayoutCommandsWithoutPayouts(t *testing.T) {
	h := newHarness(t)
	h.approvedReseller("301", "Andi Saputra")
	for _, cmd := range []string{"/rekening", "/tarik", "/riwayat"} {
		mustSay(t, h.text("301", cmd), "belum diaktifkan")
	}
	mustSay(t, h.text("900", "/pencairan"), "belum diaktifkan")
}

func TestResellerSavesABankAccount(t *testing.T) {
	h := newPayoutHarness(t)
	h.approvedReseller("301", "Andi Saputra")

	out := h.text("301", "/rekening")
	mustSay(t, out, "Pilih bank", "[BCA]", "[BRI]", "[Mandiri]")
	if strings.Contains(texts(out), "[DANA]") {
		t.Error("e-wallets are offered while the owners have not allowed them")
	}
	mustSay(t, h.text("301", "Bank Antah Berantah"), "belum kami kenal", "Pilih bank")
	mustSay(t, h.text("301", "gopay"), "belum kami kenal") // e-wallets are off
	mustSay(t, h.text("301", "bca"), "Nomor rekening BCA", "10 digit")
	mustSay(t, h.text("301", "12345abcde"), "hanya angka", "Nomor rekening BCA")
	mustSay(t, h.text("301", "123 456 789"), "harus 10 digit", "kirim 9 digit")
	mustSay(t, h.text("301", "123-456-7890"), "Nama pemilik rekening BCA")
	mustSay(t, h.text("301", "   "), "wajib diisi")
	mustSay(t, h.send("301", bot.Inbound{Kind: bot.KindOther}), "Nama pemilik rekening BCA")
	mustSay(t, h.text("301", "Andi 123"), "hanya huruf")
	h.noAccount("301")
	mustSay(t, h.text("301", "Andi  Saputra"), "Bank: BCA", "Nomor: 1234567890", "Atas nama: Andi Saputra", "Sudah benar?")
	h.noAccount("301")
	mustSay(t, h.tap("301", "save"), "Rekening disimpan: BCA ••••7890 a.n. Andi Saputra")
	a, err := h.store.BankAccount(context.Background(), h.resellerID("301"))
	if err != nil || a.Channel != "ID_BCA" || a.Number != "1234567890" || a.Holder != "Andi Saputra" || a.Held(time.Now()) {
		t.Fatalf("saved: %+v, %v", a, err)
	}

	t.Run("AChangeIsConfirmedAndHeldADay", func(t *testing.T) {
		out := h.text("301", "/rekening")
		mustSay(t, out, "Rekeningmu sekarang: BCA ••••7890 a.n. Andi Saputra")
		out = h.text("301", "jago")
		mustSay(t, out, "Nomor rekening Bank Jago")
		h.text("301", "1020304050")
		mustSay(t, h.text("301", "Andi Saputra"), "Rekening lama (BCA ••••7890 a.n. Andi Saputra) akan diganti", "ditahan 24 jam")
		mustSay(t, h.tap("301", "save"), "Rekening baru disimpan", "ditahan sampai")
		notes := h.notifications()
		mustSay(t, notes[len(notes)-1:], "Andi Saputra mengganti rekening", "Bank Jago 1020304050 a.n. Andi Saputra")
		if notes[len(notes)-1].To.ChatID != "900" {
			t.Errorf("the change was told to %s", notes[len(notes)-1].To)
		}
	})
	t.Run("OnlyResellersHaveAccounts", func(t *testing.T) {
		mustSay(t, h.text("900", "/rekening"), "khusus reseller")
		mustSay(t, h.text("399", "/rekening"), "khusus reseller")
	})
}

func TestOwnerSetsThePayoutSchedule(t *testing.T) {
	h := newPayoutHarness(t)
	mustSay(t, h.text("900", "/pencairan"), "Jadwal: belum aktif", "Minimum: Rp50.000", "semua perlu persetujuan", "otomatis lewat Xendit")
	h.tap("900", "ps:min")
	mustSay(t, h.text("900", "5rb"), "paling kecil Rp10.000")
	mustSay(t, h.text("900", "75rb"), "Tersimpan", "Minimum: Rp75.000")
	h.tap("900", "ps:auto")
	mustSay(t, h.text("900", "100rb"), "di bawah Rp100.000 langsung dikirim")
	mustSay(t, h.tap("900", "ps:mode"), "transfer sendiri (manual)")
	mustSay(t, h.tap("900", "ps:early"), "Tarik lebih awal (/tarik): boleh")
	h.tap("900", "ps:sched")
	h.tap("900", "f:monthly")
	mustSay(t, h.text("900", "32"), "1 sampai 31")
	h.text("900", "25")
	mustSay(t, h.text("900", "25.00"), "belum terbaca")
	h.text("900", "jam 9.30")
	mustSay(t, h.tap("900", "tz:WIT"), "Setiap tanggal 25, 09.30 WIT")
	mustSay(t, h.tap("900", "ps:done"), "ditutup")

	set, err := h.cfg.Payouts.PayoutSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := lapak.PayoutSchedule{Frequency: lapak.PayMonthly, Weekday: time.Friday, Day: 25, Minute: 9*60 + 30, Zone: "Asia/Jayapura"}
	if !set.Enabled || set.Schedule != want || set.Minimum != 75_000 || set.AutoApproveBelow != 100_000 || set.Mode != lapak.PayoutManual || !set.AllowEarly {
		t.Errorf("settings: %+v", set)
	}
	h.approvedReseller("301", "Andi Saputra")
	mustSay(t, h.text("301", "/pencairan"), "khusus pemilik")
}

// credit makes amount of a reseller's commission available, with a balanced journal written the
// way the ledger writes them.
func (h *harness) credit(resellerID int64, amount lapak.Money) {
	h.t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, h.pool, func(tx pgx.Tx) error {
		var txn int64
		if err := tx.QueryRow(ctx, "INSERT INTO ledger_transactions (key, kind) VALUES ($1, 'payment') RETURNING id",
			fmt.Sprintf("test:%d:%d:earned", resellerID, amount)).Scan(&txn); err != nil {
			return err
		}
		for _, e := range []struct {
			kind   string
			holder int64
			amount lapak.Money
		}{{"xendit_clearing", 0, -amount}, {"reseller_available", resellerID, amount}} {
			var acct int64
			if err := tx.QueryRow(ctx, `INSERT INTO ledger_accounts (kind, holder, balance) VALUES ($1, $2, $3)
				ON CONFLICT (kind, holder) DO UPDATE SET balance = ledger_accounts.balance + $3 RETURNING id`,
				e.kind, e.holder, e.amount).Scan(&acct); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO ledger_entries (txn_id, account_id, amount) VALUES ($1, $2, $3)", txn, acct, e.amount); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func TestResellerWithdrawsEarlyAndReadsTheStatement(t *testing.T) {
	h := newPayoutHarness(t)
	h.approvedReseller("301", "Andi Saputra")
	id := h.resellerID("301")
	mustSay(t, h.text("301", "/tarik"), "belum diizinkan")
	h.text("900", "/pencairan")
	h.tap("900", "ps:early")
	h.tap("900", "ps:done")
	mustSay(t, h.text("301", "/tarik"), "belum mengisi rekening", "/rekening")
	for _, s := range []string{"/rekening", "bca", "1234567890", "Andi Saputra"} {
		h.text("301", s)
	}
	h.tap("301", "save")
	mustSay(t, h.text("301", "/tarik"), "Minimal penarikan Rp50.000", "Kurang Rp50.000")
	h.credit(id, 60_000)
	mustSay(t, h.text("301", "/tarik"), "Tarik komisi Rp60.000 ke BCA ••••7890 sekarang?")
	mustSay(t, h.text("301", "ya"), "Ketuk salah satu tombol")
	mustSay(t, h.tap("301", "yes"), "Permintaan penarikan Rp60.000", "Menunggu persetujuan")
	notes := h.notifications()
	card := notes[len(notes)-2] // the owner's card, then Andi's own note
	mustSay(t, []bot.Outbound{card}, "penarikan awal", "Andi Saputra: Rp60.000 → BCA 1234567890 a.n. Andi Saputra")
	if card.To.ChatID != "900" || len(card.Reply.Options) != 2 {
		t.Fatalf("owner's card: %+v", card)
	}
	mustSay(t, h.text("301", "/tarik"), "Minimal penarikan") // nothing left to withdraw

	// The owner rejects it: the money is available again.
	mustSay(t, h.tap("900", card.Reply.Options[1].ID), "ditolak", "Rp60.000")
	if b, _ := h.store.ResellerBalance(context.Background(), id); b.Available != 60_000 || b.InTransit != 0 {
		t.Errorf("balance after the rejection: %+v", b)
	}
	mustSay(t, h.notifications()[len(h.notifications())-1:], "tidak disetujui pemilik", "kembali tersedia")

	out := h.text("301", "/riwayat")
	mustSay(t, out, "Riwayat bulan apa?")
	mustSay(t, h.text("301", "13/2025"), "belum terbaca")
	out = h.tap("301", "this")
	mustSay(t, out, "Riwayat komisi", "Saldo awal: Rp0", "Komisi masuk: Rp60.000", "Saldo akhir: Rp60.000")
}

func TestOwnerPaysByHandAndMarksItPaid(t *testing.T) {
	h := newPayoutHarness(t)
	h.approvedReseller("301", "Andi Saputra")
	id := h.resellerID("301")
	h.text("900", "/pencairan")
	h.tap("900", "ps:mode")
	h.tap("900", "ps:early")
	h.tap("900", "ps:done")
	for _, s := range []string{"/rekening", "bri", "0123 4567 8901 234", "Andi Saputra"} {
		h.text("301", s)
	}
	h.tap("301", "save")
	h.credit(id, 90_000)
	h.text("301", "/tarik")
	h.tap("301", "yes")

	notes := h.notifications()
	card := notes[len(notes)-2]
	mustSay(t, h.tap("900", card.Reply.Options[0].ID), "disetujui", "Tandai dibayar")
	notes = h.notifications()
	var transfer bot.Outbound
	for _, n := range notes {
		if n.To.ChatID == "900" && strings.Contains(n.Reply.Text, "Transfer Rp90.000 untuk Andi Saputra") {
			transfer = n
		}
	}
	mustSay(t, []bot.Outbound{transfer}, "Ke: BRI 012345678901234", "Atas nama: Andi Saputra")
	if len(transfer.Reply.Options) != 2 || !strings.HasPrefix(transfer.Reply.Options[0].ID, "pop:") {
		t.Fatalf("transfer card: %+v", transfer)
	}
	// Only owners mark payouts paid.
	if _, err := h.engine.Handle(context.Background(), bot.Inbound{Chat: bot.Address{Channel: lapak.Telegram, ChatID: "301"}, UserID: "301",
		UpdateID: "steal", Kind: bot.KindOption, Option: transfer.Reply.Options[0].ID}); lapak.KindOf(err) != lapak.KindForbidden {
		t.Errorf("a reseller marking a payout paid: %v", err)
	}
	mustSay(t, h.tap("900", transfer.Reply.Options[0].ID), "referensi", "Rp90.000", "Andi Saputra")
	mustSay(t, h.text("900", "ab"), "3–100 karakter")
	mustSay(t, h.text("900", "TRF 0314 BRI"), "ditandai dibayar (ref TRF 0314 BRI)")
	notes = h.notifications()
	mustSay(t, notes[len(notes)-1:], "Komisi Rp90.000 sudah ditransfer ke BRI", "Ref: TRF 0314 BRI")
	if b, _ := h.store.ResellerBalance(context.Background(), id); b.Paid != 90_000 || b.InTransit != 0 || b.Available != 0 {
		t.Errorf("balance: %+v", b)
	}
	mustSay(t, h.tap("900", transfer.Reply.Options[0].ID), "sudah dibayar")
	mustSay(t, h.tap("900", transfer.Reply.Options[1].ID), "sudah dibayar")
}
