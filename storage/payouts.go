package storage

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/jobs"
	"github.com/lapak-id/lapak/payments"
)

var _ payments.PayoutStore = (*Store)(nil)

// payoutRunLock is the advisory lock that makes payout runs and early withdrawals take turns, so
// two of them never weigh the same balances at once.
const payoutRunLock = 7_467_283_951

const payoutColumns = `p.id, p.key, p.batch_id, p.reseller_id, r.name, p.amount, p.status, p.mode, p.early,
	coalesce(p.xendit_id, ''), p.failure_code, p.reference, p.created_at, p.updated_at, p.paid_at,
	a.id, a.reseller_id, a.channel_code, a.channel_name, a.number, a.holder_name, a.hold_until, a.invalid_code, a.created_at`

const payoutTables = ` FROM payouts p JOIN resellers r ON r.id = p.reseller_id JOIN bank_accounts a ON a.id = p.account_id `

func scanPayout(row pgx.Row) (lapak.Payout, error) {
	var p lapak.Payout
	var paidAt *time.Time
	a := &p.Account
	err := row.Scan(&p.ID, &p.Key, &p.BatchID, &p.ResellerID, &p.ResellerName, &p.Amount, &p.Status, &p.Mode, &p.Early,
		&p.XenditID, &p.FailureCode, &p.Reference, &p.CreatedAt, &p.UpdatedAt, &paidAt,
		&a.ID, &a.ResellerID, &a.Channel, &a.ChannelName, &a.Number, &a.Holder, &a.HoldUntil, &a.Invalid, &a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, notFound("payout.not_found")
	}
	if paidAt != nil {
		p.PaidAt = *paidAt
	}
	return p, err
}

func queryPayouts(ctx context.Context, db DB, where string, args ...any) ([]lapak.Payout, error) {
	rows, err := db.Query(ctx, "SELECT "+payoutColumns+payoutTables+where, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (lapak.Payout, error) { return scanPayout(r) })
}

// PayoutByID returns a payout, or a KindNotFound error that is also lapak.ErrNotFound.
func (s *Store) PayoutByID(ctx context.Context, payoutID int64) (lapak.Payout, error) {
	p, err := scanPayout(s.pool.QueryRow(ctx, "SELECT "+payoutColumns+payoutTables+"WHERE p.id = $1", payoutID))
	if err != nil && !isDomainError(err) {
		return p, fmt.Errorf("payout %d: %w", payoutID, err)
	}
	return p, err
}

// RunPayouts makes a batch in one transaction: for run.Slot, a payout for every approved reseller
// with a current account that is not held or marked invalid and available earnings of at least
// the minimum; for an early withdrawal (run.Reseller), that reseller's. Each payout moves its
// amount from available to in transit in the ledger. Payouts under the settings' no-approval
// amount are approved at once, and approved Xendit payouts get their send job. notify's messages
// are enqueued in the same transaction.
//
// Runs take turns under an advisory lock, the slot's batch is unique, and each reseller's
// available balance is locked while it is paid out, so two runs at once pay each reseller once.
// A slot that has its batch already returns that batch, reporting false. An early withdrawal
// with nothing to pay is a KindConflict error.
func (s *Store) RunPayouts(ctx context.Context, run lapak.PayoutRun, notify payments.BatchNotify) (lapak.PayoutBatch, bool, error) {
	var b lapak.PayoutBatch
	made := false
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", payoutRunLock); err != nil {
			return err
		}
		var slot *time.Time
		if run.Reseller == 0 {
			slot = &run.Slot
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO payout_batches (slot, mode, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (slot) DO NOTHING RETURNING id, created_at`, slot, run.Settings.Mode, run.Now).Scan(&b.ID, &b.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			b, err = batchBySlot(ctx, tx, run.Slot)
			return err
		}
		if err != nil {
			return err
		}
		b.Slot, b.Mode, made = run.Slot, run.Settings.Mode, true
		if b.Payouts, err = s.payDue(ctx, tx, b, run); err != nil {
			return err
		}
		if run.Reseller != 0 && len(b.Payouts) == 0 {
			return lapak.Errorf(lapak.KindConflict, "payout.early_not_due")
		}
		return s.notifyBatch(ctx, tx, b, notify)
	})
	if isUniqueViolation(err, "payouts_one_early") {
		return lapak.PayoutBatch{}, false, lapak.Errorf(lapak.KindConflict, "payout.early_open")
	}
	if err != nil && !isDomainError(err) {
		return lapak.PayoutBatch{}, false, fmt.Errorf("payout run: %w", err)
	}
	return b, made, err
}

// payDue makes the batch's payouts, one per reseller due, and their ledger moves and send jobs.
func (s *Store) payDue(ctx context.Context, tx pgx.Tx, b lapak.PayoutBatch, run lapak.PayoutRun) ([]lapak.Payout, error) {
	type due struct {
		reseller, account int64
		amount            lapak.Money
	}
	rows, err := tx.Query(ctx, `
		SELECT r.id, a.id, av.balance
		FROM resellers r
		JOIN bank_accounts a ON a.reseller_id = r.id AND a.replaced_at IS NULL
		JOIN ledger_accounts av ON av.kind = 'reseller_available' AND av.holder = r.id
		WHERE r.status = 'approved' AND a.hold_until <= $1 AND a.invalid_code = '' AND av.balance >= $2
		  AND ($3::bigint = 0 OR r.id = $3)
		ORDER BY av.id FOR UPDATE OF av`, run.Now, run.Settings.Minimum, run.Reseller)
	if err != nil {
		return nil, fmt.Errorf("resellers due: %w", err)
	}
	var dues []due
	var d due
	if _, err := pgx.ForEachRow(rows, []any{&d.reseller, &d.account, &d.amount}, func() error { dues = append(dues, d); return nil }); err != nil {
		return nil, fmt.Errorf("resellers due: %w", err)
	}
	var out []lapak.Payout
	var send []int64
	for _, d := range dues {
		status := lapak.PayoutApproved
		if run.Settings.NeedsApproval(d.amount) {
			status = lapak.PayoutAwaitingApproval
		}
		var id int64
		err := tx.QueryRow(ctx, `
			WITH n AS (SELECT nextval(pg_get_serial_sequence('payouts', 'id')) AS id)
			INSERT INTO payouts (id, key, batch_id, reseller_id, account_id, amount, mode, early, status, created_at, updated_at)
			SELECT n.id, 'po-' || n.id || '-' || $1, $2, $3, $4, $5, $6, $7, $8, $9, $9 FROM n RETURNING id`,
			keySalt(), b.ID, d.reseller, d.account, d.amount, b.Mode, run.Reseller != 0, status, run.Now).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("payout to reseller %d: %w", d.reseller, err)
		}
		p, err := scanPayout(tx.QueryRow(ctx, "SELECT "+payoutColumns+payoutTables+"WHERE p.id = $1", id))
		if err != nil {
			return nil, err
		}
		if _, err := post(ctx, tx, lapak.PayoutReserveJournal(p)); err != nil {
			return nil, err
		}
		if status == lapak.PayoutApproved && b.Mode == lapak.PayoutViaXendit {
			send = append(send, p.ID)
		}
		out = append(out, p)
	}
	return out, s.enqueueSends(ctx, tx, send)
}

// keySalt is eight random characters that make a payout's key unique beyond this database, so
// two databases on one Xendit account (a restored backup, staging) never share an
// Idempotency-key, which Xendit keeps for good.
func keySalt() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = refAlphabet[b[i]%byte(len(refAlphabet))]
	}
	return string(b)
}

// enqueueSends enqueues in tx the jobs that send payouts to Xendit.
func (s *Store) enqueueSends(ctx context.Context, tx pgx.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: jobs.SendPayoutArgs{PayoutID: id}}
	}
	if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("enqueue %d payout sends: %w", len(ids), err)
	}
	return nil
}

// batchBySlot returns the batch made for a scheduled time, with its payouts.
func batchBySlot(ctx context.Context, db DB, slot time.Time) (lapak.PayoutBatch, error) {
	var b lapak.PayoutBatch
	err := db.QueryRow(ctx, "SELECT id, slot, mode, created_at FROM payout_batches WHERE slot = $1", slot).Scan(&b.ID, &b.Slot, &b.Mode, &b.CreatedAt)
	if err != nil {
		return b, fmt.Errorf("batch for %s: %w", slot, err)
	}
	b.Payouts, err = queryPayouts(ctx, db, "WHERE p.batch_id = $1 ORDER BY p.id", b.ID)
	return b, err
}

// notifyBatch enqueues what notify says about b.
func (s *Store) notifyBatch(ctx context.Context, tx pgx.Tx, b lapak.PayoutBatch, notify payments.BatchNotify) error {
	if notify == nil {
		return nil
	}
	ids := make([]int64, len(b.Payouts))
	for i, p := range b.Payouts {
		ids[i] = p.ResellerID
	}
	to, err := recipients(ctx, tx, ids)
	if err != nil {
		return err
	}
	return s.Notify(ctx, tx, notify(b, to))
}

// DecidePayoutBatch approves or rejects, in one transaction, every payout of the batch still
// awaiting approval: approved Xendit payouts get their send job; rejected ones go back to
// available in the ledger. The returned batch holds the payouts decided, and notify is called
// with it. A batch with none left to decide is lapak.ErrDecided; an unknown one, not found.
func (s *Store) DecidePayoutBatch(ctx context.Context, batchID, ownerUserID int64, approve bool, notify payments.BatchNotify) (lapak.PayoutBatch, error) {
	var b lapak.PayoutBatch
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var slot *time.Time
		err := tx.QueryRow(ctx, "SELECT id, slot, mode, created_at FROM payout_batches WHERE id = $1 FOR UPDATE", batchID).
			Scan(&b.ID, &slot, &b.Mode, &b.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("payout.batch_not_found")
		}
		if err != nil {
			return err
		}
		if slot != nil {
			b.Slot = *slot
		}
		waiting, err := queryPayouts(ctx, tx, "WHERE p.batch_id = $1 AND p.status = 'awaiting_approval' ORDER BY p.id FOR UPDATE OF p", batchID)
		if err != nil {
			return err
		}
		if len(waiting) == 0 {
			return lapak.ErrDecided
		}
		to, why := lapak.PayoutApproved, "approved"
		if !approve {
			to, why = lapak.PayoutRejected, "rejected by an owner"
		}
		var send []int64
		for _, p := range waiting {
			p, err := s.movePayout(ctx, tx, p, payments.PayoutChange{To: to, FailureCode: failureRejected(approve), By: ownerUserID}, why)
			if err != nil {
				return err
			}
			if approve && p.Mode == lapak.PayoutViaXendit {
				send = append(send, p.ID)
			}
			b.Payouts = append(b.Payouts, p)
		}
		if err := s.enqueueSends(ctx, tx, send); err != nil {
			return err
		}
		return s.notifyBatch(ctx, tx, b, notify)
	})
	if err != nil && !isDomainError(err) && !errors.Is(err, lapak.ErrDecided) {
		return b, fmt.Errorf("decide payout batch %d: %w", batchID, err)
	}
	return b, err
}

// failureRejected is the failure code of a payout an owner rejected.
func failureRejected(approve bool) string {
	if approve {
		return ""
	}
	return "REJECTED_BY_OWNER"
}

// MovePayout applies c to the payout it names (by ID, else by key or Xendit ID) in one
// transaction: it records Xendit's ID and status, moves the payout to c.To when lapak.MovePayout
// allows it with the ledger journals that go with it, marks the account invalid when c says so,
// raises an owners' alert for a reversal, keeps c.Callback with what was done with it, and
// enqueues notify's messages when the status changed. A change that is not allowed (a repeated
// or late callback) changes no status and reports false. A change whose amount is not the
// payout's is refused with a KindConflict error. A payout not found is a KindNotFound error that is also lapak.ErrNotFound;
// its callback is still kept.
func (s *Store) MovePayout(ctx context.Context, c payments.PayoutChange, notify payments.PayoutNotify) (lapak.Payout, bool, error) {
	var p lapak.Payout
	moved := false
	var outcome string
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		p, err = scanPayout(tx.QueryRow(ctx, "SELECT "+payoutColumns+payoutTables+`
			WHERE CASE WHEN $1 <> 0 THEN p.id = $1 ELSE p.key = $2 OR p.xendit_id = $3 END
			ORDER BY p.key = $2 DESC LIMIT 1 FOR UPDATE OF p`, c.PayoutID, c.Key, c.XenditID))
		if errors.Is(err, lapak.ErrNotFound) {
			outcome = "unknown payout"
			return err
		}
		if err != nil {
			return err
		}
		if c.Amount != 0 && c.Amount != p.Amount {
			outcome = fmt.Sprintf("amount %d is not the payout's %d", c.Amount, p.Amount)
			return lapak.Errorf(lapak.KindConflict, "payout.amount_mismatch").With(fmt.Errorf("payout %s: %s", p.Key, outcome))
		}
		if c.XenditID != "" || c.XenditStatus != "" {
			if _, err := tx.Exec(ctx, `
				UPDATE payouts SET xendit_id = coalesce(xendit_id, nullif($2, '')),
				       xendit_status = CASE WHEN $3 = '' THEN xendit_status ELSE $3 END, updated_at = $4 WHERE id = $1`,
				p.ID, c.XenditID, c.XenditStatus, s.clock.Now()); err != nil {
				return err
			}
			if p.XenditID == "" {
				p.XenditID = c.XenditID
			}
		}
		from := p.Status
		if _, ok := lapak.MovePayout(p, c.To, ""); !ok {
			outcome = "no change: payout is " + string(p.Status)
			return s.keepCallback(ctx, tx, c, outcome)
		}
		if p, err = s.movePayout(ctx, tx, p, c, failureWhy(c)); err != nil {
			return err
		}
		moved, outcome = true, "moved "+string(from)+" to "+string(p.Status)
		if err := s.afterMove(ctx, tx, p, c); err != nil {
			return err
		}
		if err := s.keepCallback(ctx, tx, c, outcome); err != nil {
			return err
		}
		return s.notifyPayout(ctx, tx, p, from, notify)
	})
	if err != nil && c.Callback != nil {
		// The transaction is gone; keep the callback and what became of it on its own.
		if kerr := s.tx(ctx, func(tx pgx.Tx) error { return s.keepCallback(ctx, tx, c, "refused: "+clipPayoutText(outcome, 200)) }); kerr != nil {
			err = errors.Join(err, kerr)
		}
	}
	if err != nil && !isDomainError(err) {
		return p, false, fmt.Errorf("move payout %d %q to %s: %w", c.PayoutID, c.Key, c.To, err)
	}
	return p, moved, err
}

// failureWhy is the memo of a payout returned to available.
func failureWhy(c payments.PayoutChange) string {
	if c.FailureCode != "" {
		return "failed: " + c.FailureCode
	}
	return "failed"
}

// movePayout moves p in tx as lapak.MovePayout says, posting its journals, and returns it moved.
func (s *Store) movePayout(ctx context.Context, tx pgx.Tx, p lapak.Payout, c payments.PayoutChange, why string) (lapak.Payout, error) {
	now := s.clock.Now()
	if c.To == lapak.PayoutPaid || c.To == lapak.PayoutReversed {
		p.Reference = payoutFirstSet(c.Reference, p.XenditID, p.Reference)
	}
	m, ok := lapak.MovePayout(p, c.To, why)
	if !ok {
		return p, fmt.Errorf("payout %s cannot move from %s to %s", p.Key, p.Status, c.To)
	}
	for _, j := range m.Journals {
		if _, err := post(ctx, tx, j); err != nil {
			return p, err
		}
	}
	if m.To == lapak.PayoutPaid || m.To == lapak.PayoutReversed && p.PaidAt.IsZero() {
		p.PaidAt = now
	}
	if c.FailureCode != "" {
		p.FailureCode = c.FailureCode
	}
	p.Status, p.UpdatedAt = m.To, now
	_, err := tx.Exec(ctx, `
		UPDATE payouts SET status = $2, failure_code = $3, reference = $4, paid_at = $5, updated_at = $6,
		       decided_by = CASE WHEN $7::bigint IS NULL THEN decided_by ELSE $7 END,
		       decided_at = CASE WHEN $7::bigint IS NULL THEN decided_at ELSE $6 END
		WHERE id = $1`,
		p.ID, p.Status, clipPayoutText(p.FailureCode, 60), clipPayoutText(p.Reference, 100), nullablePayoutTime(p.PaidAt), now, nullableUserID(c.By))
	return p, err
}

// afterMove does what a payout's new status asks beyond the ledger: an account that cannot be
// paid is marked invalid, and a reversal raises an owners' alert.
func (s *Store) afterMove(ctx context.Context, tx pgx.Tx, p lapak.Payout, c payments.PayoutChange) error {
	if p.Status == lapak.PayoutFailed && c.InvalidAccount {
		if _, err := tx.Exec(ctx, "UPDATE bank_accounts SET invalid_code = $2 WHERE id = $1", p.Account.ID, clipPayoutText(c.FailureCode, 60)); err != nil {
			return err
		}
	}
	if p.Status == lapak.PayoutReversed {
		_, err := tx.Exec(ctx, `
			INSERT INTO payment_alerts (kind, xendit_id, detail) VALUES ('payout_reversed', $1, $2)
			ON CONFLICT (kind, xendit_id) DO NOTHING`,
			payoutFirstSet(p.XenditID, p.Key), fmt.Sprintf("payout %s of %s to reseller %d reversed", p.Key, p.Amount, p.ResellerID))
		return err
	}
	return nil
}

// keepCallback records a payout callback as it came and what was done with it.
func (s *Store) keepCallback(ctx context.Context, tx pgx.Tx, c payments.PayoutChange, outcome string) error {
	if c.Callback == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO xendit_callbacks (kind, xendit_id, status, body, outcome, received_at) VALUES ('payout', $1, $2, $3, $4, $5)`,
		c.XenditID, c.XenditStatus, c.Callback, outcome, s.clock.Now())
	return err
}

// notifyPayout enqueues what notify says about a payout that moved from from.
func (s *Store) notifyPayout(ctx context.Context, tx pgx.Tx, p lapak.Payout, from lapak.PayoutStatus, notify payments.PayoutNotify) error {
	if notify == nil {
		return nil
	}
	to, err := recipients(ctx, tx, []int64{p.ResellerID})
	if err != nil {
		return err
	}
	return s.Notify(ctx, tx, notify(p, from, to))
}

// StartSending marks an approved Xendit payout as being sent, counting the attempt, and returns
// it; it reports false for a payout past that, which must not be sent (again).
func (s *Store) StartSending(ctx context.Context, payoutID int64) (lapak.Payout, bool, error) {
	var p lapak.Payout
	send := false
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		p, err = scanPayout(tx.QueryRow(ctx, "SELECT "+payoutColumns+payoutTables+"WHERE p.id = $1 FOR UPDATE OF p", payoutID))
		if err != nil || p.Mode != lapak.PayoutViaXendit || p.Status != lapak.PayoutApproved && p.Status != lapak.PayoutSending {
			return err
		}
		send, p.Status, p.UpdatedAt = true, lapak.PayoutSending, s.clock.Now()
		_, err = tx.Exec(ctx, "UPDATE payouts SET status = 'sending', attempts = attempts + 1, updated_at = $2 WHERE id = $1", p.ID, p.UpdatedAt)
		return err
	})
	if err != nil && !isDomainError(err) {
		return p, false, fmt.Errorf("start sending payout %d: %w", payoutID, err)
	}
	return p, send, err
}

// StuckPayouts returns Xendit payouts approved, being sent or accepted that have not changed
// since before, oldest first, at most limit.
func (s *Store) StuckPayouts(ctx context.Context, before time.Time, limit int) ([]lapak.Payout, error) {
	ps, err := queryPayouts(ctx, s.pool, `
		WHERE p.mode = 'xendit' AND p.status IN ('approved', 'sending', 'accepted') AND p.updated_at < $1
		ORDER BY p.updated_at LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("stuck payouts: %w", err)
	}
	return ps, nil
}

// OpenPayoutBatches returns, oldest first, the batches with payouts awaiting approval or approved
// and waiting for an owner's own transfer; each holds those payouts only.
func (s *Store) OpenPayoutBatches(ctx context.Context) ([]lapak.PayoutBatch, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, slot, mode, created_at FROM payout_batches b
		WHERE EXISTS (SELECT 1 FROM payouts p WHERE p.batch_id = b.id
		              AND (p.status = 'awaiting_approval' OR p.status = 'approved' AND p.mode = 'manual'))
		ORDER BY id LIMIT 20`)
	if err != nil {
		return nil, fmt.Errorf("open payout batches: %w", err)
	}
	var out []lapak.PayoutBatch
	var b lapak.PayoutBatch
	var slot *time.Time
	_, err = pgx.ForEachRow(rows, []any{&b.ID, &slot, &b.Mode, &b.CreatedAt}, func() error {
		b.Slot = time.Time{}
		if slot != nil {
			b.Slot = *slot
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open payout batches: %w", err)
	}
	for i := range out {
		out[i].Payouts, err = queryPayouts(ctx, s.pool, `
			WHERE p.batch_id = $1 AND (p.status = 'awaiting_approval' OR p.status = 'approved' AND p.mode = 'manual')
			ORDER BY p.id`, out[i].ID)
		if err != nil {
			return nil, fmt.Errorf("open payout batch %d: %w", out[i].ID, err)
		}
	}
	return out, nil
}

// PayoutTotals returns what the reseller has in open payouts, and what was paid to them since
// monthStart and not reversed.
func (s *Store) PayoutTotals(ctx context.Context, resellerID int64, monthStart time.Time) (inProcess, paid lapak.Money, err error) {
	err = s.pool.QueryRow(ctx, `
		SELECT coalesce(sum(amount) FILTER (WHERE status IN ('awaiting_approval', 'approved', 'sending', 'accepted')), 0),
		       coalesce(sum(amount) FILTER (WHERE status = 'paid' AND paid_at >= $2), 0)
		FROM payouts WHERE reseller_id = $1`, resellerID, monthStart).Scan(&inProcess, &paid)
	if err != nil {
		err = fmt.Errorf("payout totals of reseller %d: %w", resellerID, err)
	}
	return inProcess, paid, err
}

// resellerTxns is every ledger transaction that moved a reseller's commission, with what it did
// to all they are owed (pending, available and in transit together).
const resellerTxns = `
	WITH mine AS (
		SELECT t.id, t.kind, t.created_at, t.order_id, t.key, sum(e.amount) AS amount
		FROM ledger_entries e
		JOIN ledger_accounts a ON a.id = e.account_id
		JOIN ledger_transactions t ON t.id = e.txn_id
		WHERE a.holder = $1 AND a.kind IN ('reseller_pending', 'reseller_available', 'reseller_payout_in_transit')
		GROUP BY t.id
	)`

// Statement returns the reseller's commission from from (inclusive) to to (exclusive): the
// balances at both ends, what came in and went out between, and the latest lines movements that
// changed what they are owed (moves between their own accounts are left out).
func (s *Store) Statement(ctx context.Context, resellerID int64, from, to time.Time, lines int) (lapak.Statement, error) {
	st := lapak.Statement{From: from, To: to}
	err := s.pool.QueryRow(ctx, resellerTxns+`
		SELECT coalesce(sum(amount) FILTER (WHERE created_at < $2), 0),
		       coalesce(sum(amount) FILTER (WHERE created_at >= $2 AND created_at < $3 AND kind = 'payment'), 0),
		       -coalesce(sum(amount) FILTER (WHERE created_at >= $2 AND created_at < $3 AND kind = 'refund'), 0),
		       -coalesce(sum(amount) FILTER (WHERE created_at >= $2 AND created_at < $3 AND kind = 'payout_paid'), 0),
		       coalesce(sum(amount) FILTER (WHERE created_at >= $2 AND created_at < $3 AND kind = 'payout_reversed'), 0),
		       coalesce(sum(amount) FILTER (WHERE created_at < $3), 0),
		       count(*) FILTER (WHERE created_at >= $2 AND created_at < $3 AND amount <> 0)
		FROM mine`, resellerID, from, to).
		Scan(&st.Opening, &st.Credits, &st.Clawbacks, &st.Payouts, &st.Reversals, &st.Closing, &st.More)
	if err != nil {
		return st, fmt.Errorf("statement of reseller %d: %w", resellerID, err)
	}
	rows, err := s.pool.Query(ctx, resellerTxns+`
		SELECT m.created_at, m.kind, coalesce(o.ref, ''), coalesce(p.key, ''), m.amount
		FROM mine m
		LEFT JOIN orders o ON o.id = m.order_id
		LEFT JOIN payouts p ON p.id = CASE WHEN m.key LIKE 'payout:%' THEN split_part(m.key, ':', 2)::bigint END
		WHERE m.created_at >= $2 AND m.created_at < $3 AND m.amount <> 0
		ORDER BY m.created_at DESC, m.id DESC LIMIT $4`, resellerID, from, to, lines)
	if err != nil {
		return st, fmt.Errorf("statement lines of reseller %d: %w", resellerID, err)
	}
	var l lapak.StatementLine
	_, err = pgx.ForEachRow(rows, []any{&l.At, &l.Kind, &l.OrderRef, &l.Payout, &l.Amount}, func() error {
		st.Lines = append(st.Lines, l)
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("statement lines of reseller %d: %w", resellerID, err)
	}
	st.More -= len(st.Lines)
	return st, nil
}

// payoutFirstSet returns the first of ss that is not empty.
func payoutFirstSet(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// clipPayoutText cuts s to at most n characters.
func clipPayoutText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// nullablePayoutTime is t, or NULL when it is zero.
func nullablePayoutTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
