package payments

import (
	"context"
	"fmt"
)

// Reconcile asks Xendit about invoices that have had no news for a while and applies what it
// says through the same code as a callback, so a lost callback never leaves a paid order unpaid
// nor an expired one holding its stock. Invoices still being made for a pending order get their
// creation job again. The reconciliation job runs it every minute; each invoice is looked at
// about every Config.ReconcileAfter, at most Config.ReconcileBatch a run. It returns how many it
// asked Xendit about. A failure with one invoice is logged, and the others carry on; that invoice
// is looked at again on a later run.
func (s *Service) Reconcile(ctx context.Context) (int, error) {
	due, err := s.cfg.Store.DueInvoices(ctx, s.now().Add(-s.cfg.ReconcileAfter), s.cfg.ReconcileBatch)
	if err != nil {
		return 0, fmt.Errorf("reconcile invoices: %w", err)
	}
	asked := 0
	for _, inv := range due {
		if inv.Status != InvoicePending {
			continue
		}
		asked++
		x, err := s.cfg.Xendit.GetInvoice(ctx, inv.XenditID)
		if err == nil {
			var outcome string
			if outcome, err = s.apply(ctx, inv, x); err == nil && outcome != outcomePending {
				s.cfg.Logger.Info("reconciled an invoice", "order", inv.Order.Ref, "invoice", inv.XenditID, "status", x.Status, "outcome", outcome)
			}
		}
		if err != nil {
			s.cfg.Logger.Warn("reconcile invoice", "order", inv.Order.Ref, "invoice", inv.XenditID, "err", err)
		}
	}
	return asked, nil
}
