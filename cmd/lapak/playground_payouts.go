package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
	"github.com/lapak-id/lapak/storage"
)

// The playground's payouts: the demo reseller has a bank account, payouts run weekly from
// Rp10.000 with early withdrawals allowed, and commission is held a minute instead of a week, so
// the whole way from an order to a paid payout can be watched in one sitting.
const (
	playgroundHold          = time.Minute
	playgroundPayoutMinimum = lapak.Money(10_000)
	demoBank                = "ID_BCA"
	demoBankAccount         = "1234567890"
	sandboxSettleEvery      = 2 * time.Second
)

// seedPayouts gives the demo reseller a bank account and the store a payout schedule, unless an
// owner set one already.
func seedPayouts(ctx context.Context, store *storage.Store, ownerID, resellerID int64) error {
	set, err := store.PayoutSettings(ctx)
	if err != nil {
		return fmt.Errorf("seed payouts: %w", err)
	}
	if !set.Enabled {
		set = lapak.DefaultPayoutSettings()
		set.Enabled, set.Minimum, set.AllowEarly = true, playgroundPayoutMinimum, true
		if _, err := store.SavePayoutSettings(ctx, set, ownerID); err != nil {
			return fmt.Errorf("seed payout settings: %w", err)
		}
	}
	if _, err := store.BankAccount(ctx, resellerID); !errors.Is(err, lapak.ErrNotFound) {
		return err
	}
	bank := lapak.MakePayoutChannel(demoBank, "", false)
	number, err := bank.AccountNumber(demoBankAccount)
	if err != nil {
		return fmt.Errorf("seed bank account: %w", err)
	}
	holder, err := lapak.HolderName(demoResellerName)
	if err != nil {
		return fmt.Errorf("seed bank account: %w", err)
	}
	a := lapak.BankAccount{ResellerID: resellerID, Channel: bank.Code, ChannelName: bank.Name, Number: number, Holder: holder}
	if _, _, err := store.SaveBankAccount(ctx, a, 24*time.Hour, nil); err != nil {
		return fmt.Errorf("seed bank account: %w", err)
	}
	return nil
}

// settleSandboxPayouts plays the bank: every payout the sandbox accepted succeeds a moment later,
// and its callback reaches the app, until ctx ends.
func settleSandboxPayouts(ctx context.Context, sandbox *xendittest.Server, log *slog.Logger) {
	t := time.NewTicker(sandboxSettleEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, p := range sandbox.Payouts() {
			if p.Status != "ACCEPTED" {
				continue
			}
			if err := sandbox.SettlePayout(p.ID); err != nil {
				log.Warn("settle a sandbox payout", "payout", p.ID, "err", err)
			}
		}
	}
}
