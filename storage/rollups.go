package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak/reports"
)

// RollupGrace is how long after a day ends its rollups are made. Payment callbacks that arrive
// late land well within it; one that lands later drops the day's rollups again (see
// 0007_report_rollups.sql), and the next run makes them anew.
const RollupGrace = 6 * time.Hour

// dateLayout is how a day is written to and read from a date column.
const dateLayout = "2006-01-02"

// MakeRollups makes the missing rollups of the days, in each zone, from the month of the first order
// up to the last day that was over by RollupGrace at now (or at the database's own time, if
// earlier): oldest first, at most limit days per zone, each in a transaction of its own; then
// those of the months whose every day has them. It returns how many days and months it made.
// Instances running it at once make each once.
func (s *Store) MakeRollups(ctx context.Context, now time.Time, limit int) (int, error) {
	var first *time.Time
	var dbNow time.Time
	if err := s.pool.QueryRow(ctx, "SELECT (SELECT min(created_at) FROM orders), now()").Scan(&first, &dbNow); err != nil {
		return 0, fmt.Errorf("rollups: %w", err)
	}
	if first == nil {
		return 0, nil
	}
	horizon := now
	if dbNow.Before(horizon) {
		horizon = dbNow
	}
	horizon = horizon.Add(-RollupGrace)
	made := 0
	for _, z := range reports.Zones {
		days := 0
		missing, err := s.missingDays(ctx, z, reports.Month(*first, z).Start, reports.Day(horizon, z).Start)
		if err != nil {
			return made, err
		}
		for _, day := range missing {
			if days >= limit {
				break
			}
			ok, err := s.makeRollup(ctx, reports.Day(day, z))
			if err != nil {
				return made, err
			}
			if ok {
				made, days = made+1, days+1
			}
		}
		months, err := s.makeMonths(ctx, z)
		if err != nil {
			return made, err
		}
		made += months
	}
	return made, nil
}

// makeMonths adds up the rollups of zone z's months whose every day has them, and returns how
// many months it made.
func (s *Store) makeMonths(ctx context.Context, z reports.Zone) (int, error) {
	made := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE report_days IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT month FROM (SELECT date_trunc('month', day)::date AS month, count(*) AS days FROM report_days WHERE zone = $1 GROUP BY 1) d
			WHERE days = extract(day FROM month + interval '1 month' - interval '1 day')
				AND NOT EXISTS (SELECT 1 FROM report_months m WHERE m.zone = $1 AND m.month = d.month)`, string(z))
		if err != nil {
			return err
		}
		months, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
		if err != nil {
			return err
		}
		for _, m := range months {
			args := []any{string(z), m.Format(dateLayout)}
			start := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, z.Location())
			batch := &pgx.Batch{}
			// The funnel's $2 and $3 are the month's bounds; $1 is unused there.
			batch.Queue(`
				WITH `+funnelCTEs(newScoped(reports.Scope{All: true}))+`,
				month AS (
					INSERT INTO report_months (zone, month, created, created_paid)
					SELECT $4, $5::date, coalesce(sum(orders), 0), coalesce(sum(paid), 0) FROM o RETURNING 1)
				INSERT INTO report_month_funnel (zone, month, reseller_id, clicks, chats, carts, orders, paid)
				SELECT $4, $5::date, id, clicks, chats, carts, orders, paid FROM a WHERE $1::int = 0 AND EXISTS (SELECT 1 FROM month)`,
				0, start, start.AddDate(0, 1, 0), string(z), m.Format(dateLayout))
			batch.Queue(`INSERT INTO report_month_resellers (zone, month, reseller_id, paid, sales, earning)
				SELECT $1, $2::date, reseller_id, sum(paid), sum(sales), sum(earning) FROM report_day_resellers
				WHERE zone = $1 AND day >= $2::date AND day < ($2::date + interval '1 month')::date GROUP BY reseller_id`, args...)
			batch.Queue(`INSERT INTO report_month_products (zone, month, product_id, qty, sales)
				SELECT $1, $2::date, product_id, sum(qty), sum(sales) FROM report_day_products
				WHERE zone = $1 AND day >= $2::date AND day < ($2::date + interval '1 month')::date GROUP BY product_id`, args...)
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
			made++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rollups of the months in %s: %w", z, err)
	}
	return made, nil
}

// missingDays lists the days of zone z from the one starting at from up to the one before the
// one starting at to that have no rollups.
func (s *Store) missingDays(ctx context.Context, z reports.Zone, from, to time.Time) ([]time.Time, error) {
	rows, err := s.pool.Query(ctx, "SELECT day FROM report_days WHERE zone = $1 AND day >= $2::date AND day < $3::date",
		string(z), from.Format(dateLayout), to.Format(dateLayout))
	if err != nil {
		return nil, fmt.Errorf("rollups of %s: %w", z, err)
	}
	made := map[string]bool{}
	var day time.Time
	if _, err := pgx.ForEachRow(rows, []any{&day}, func() error {
		made[day.Format(dateLayout)] = true
		return nil
	}); err != nil {
		return nil, fmt.Errorf("rollups of %s: %w", z, err)
	}
	var missing []time.Time
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if !made[d.Format(dateLayout)] {
			missing = append(missing, d)
		}
	}
	return missing, nil
}

// makeRollup makes day d's rollups, unless another run made them first; it reports whether it
// made them. It locks report_days against changes for the few milliseconds it takes: a late
// change to an order of the day waits, and then drops what was made here, rather than slipping
// in unseen.
func (s *Store) makeRollup(ctx context.Context, d reports.Period) (bool, error) {
	made := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE report_days IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		// A day is small: reading it in parallel costs more than it saves.
		if _, err := tx.Exec(ctx, "SET LOCAL max_parallel_workers_per_gather = 0"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			WITH l AS MATERIALIZED (
				SELECT o.reseller_id, i.line, i.product_id, i.qty, i.unit_price * i.qty AS amount, i.reseller_earning AS earning
				FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.paid_at >= $3 AND o.paid_at < $4),
			refunded AS (
				SELECT count(DISTINCT i.order_id) AS orders, coalesce(sum(i.unit_price * i.qty), 0) AS amount,
					coalesce(sum(i.reseller_earning), 0) AS earning
				FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.refunded_at >= $3 AND o.refunded_at < $4),
			day AS (
				INSERT INTO report_days (zone, day, paid, sales, accrued, expired, cancelled, refunded, refunds, reversed, released, owed)
				SELECT $1, $2::date,
					(SELECT count(*) FILTER (WHERE line = 1) FROM l), (SELECT coalesce(sum(amount), 0) FROM l),
					(SELECT coalesce(sum(earning), 0) FROM l),
					(SELECT count(*) FROM orders o WHERE o.status = 'expired'
						AND coalesce(o.cancelled_at, o.released_at) >= $3 AND coalesce(o.cancelled_at, o.released_at) < $4),
					(SELECT count(*) FROM orders o WHERE o.status = 'cancelled' AND o.paid_at IS NULL
						AND coalesce(o.cancelled_at, o.released_at) >= $3 AND coalesce(o.cancelled_at, o.released_at) < $4),
					r.orders, r.amount, r.earning,
					(SELECT coalesce(sum(i.reseller_earning), 0) FROM orders o JOIN order_items i ON i.order_id = o.id
						WHERE o.earnings_released_at >= $3 AND o.earnings_released_at < $4),
					(SELECT coalesce(sum(le.amount), 0) FROM ledger_transactions t JOIN ledger_entries le ON le.txn_id = t.id
						JOIN ledger_accounts la ON la.id = le.account_id
						WHERE t.created_at >= $3 AND t.created_at < $4
							AND la.kind IN ('reseller_pending', 'reseller_available', 'reseller_payout_in_transit'))
				FROM refunded r
				ON CONFLICT DO NOTHING
				RETURNING 1),
			resellers AS (
				INSERT INTO report_day_resellers (zone, day, reseller_id, paid, sales, earning)
				SELECT $1, $2::date, reseller_id, count(*) FILTER (WHERE line = 1), sum(amount), sum(earning) FROM l
				WHERE reseller_id IS NOT NULL AND EXISTS (SELECT 1 FROM day) GROUP BY reseller_id),
			products AS (
				INSERT INTO report_day_products (zone, day, product_id, qty, sales)
				SELECT $1, $2::date, product_id, sum(qty), sum(amount) FROM l WHERE EXISTS (SELECT 1 FROM day) GROUP BY product_id)
			SELECT count(*) > 0 FROM day`, string(d.Zone), d.Start.Format(dateLayout), d.Start, d.End).Scan(&made)
	})
	if err != nil {
		return false, fmt.Errorf("rollups of %s in %s: %w", d.Code(), d.Zone, err)
	}
	return made, nil
}

// rolled is how much of a period has rollups: its days from the start up to end, and among them
// the whole months from monthsFrom up to monthsTo (equal when there are none).
type rolled struct {
	start, end           time.Time
	monthsFrom, monthsTo time.Time
}

// any reports whether some of the period is rolled up.
func (r rolled) any() bool { return r.end.After(r.start) }

// rolledUp says how much of p its figures take from rollups: the run of p's days, from its first,
// that have them, and the whole months among those days that have theirs. Only the whole store is
// rolled up, by the day and the month, so a supplier's figures and a single day's (charted by the
// hour) come from the orders alone.
func rolledUp(ctx context.Context, tx DB, sc reports.Scope, p reports.Period) (rolled, error) {
	r := rolled{start: p.Start, end: p.Start, monthsFrom: p.Start, monthsTo: p.Start}
	if !sc.All || p.Hourly() {
		return r, nil
	}
	rows, err := tx.Query(ctx, `
		SELECT day, false FROM report_days WHERE zone = $1 AND day >= $2::date AND day < $3::date
		UNION ALL
		SELECT month, true FROM report_months WHERE zone = $1 AND month >= $2::date AND month < $3::date
		ORDER BY 2, 1`,
		string(p.Zone), p.Start.Format(dateLayout), p.End.In(p.Zone.Location()).Format(dateLayout))
	if err != nil {
		return r, fmt.Errorf("rollups: %w", err)
	}
	have := map[bool]map[string]bool{false: {}, true: {}} // days, months
	var day time.Time
	var month bool
	if _, err := pgx.ForEachRow(rows, []any{&day, &month}, func() error {
		have[month][day.Format(dateLayout)] = true
		return nil
	}); err != nil {
		return r, fmt.Errorf("rollups: %w", err)
	}
	for r.end.Before(p.End) && have[false][r.end.Format(dateLayout)] {
		r.end = r.end.AddDate(0, 0, 1)
	}
	from := time.Date(p.Start.Year(), p.Start.Month(), 1, 0, 0, 0, 0, p.Start.Location())
	if from.Before(p.Start) {
		from = from.AddDate(0, 1, 0)
	}
	to := from
	for have[true][to.Format(dateLayout)] && !to.AddDate(0, 1, 0).After(r.end) {
		to = to.AddDate(0, 1, 0)
	}
	if to.After(from) {
		r.monthsFrom, r.monthsTo = from, to
	}
	return r, nil
}
