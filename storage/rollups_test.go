package storage_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/reports"
)

// rollupFigures is what the whole store's report of one period says: its figures and the
// period before's headline.
type rollupFigures struct {
	Current  reports.Figures
	Previous reports.Headline
}

// rollupPeriods are periods of the report story in every zone: months, weeks, a range and days
// around the end of November.
func rollupPeriods(t *testing.T) []reports.Period {
	t.Helper()
	var ps []reports.Period
	for _, z := range reports.Zones {
		for _, code := range []string{"2025-10", "2025-11", "2025-12", "2025-W44", "2025-W47", "2025-W48", "2025-W49",
			"2025-11-10..2025-12-05", "2025-10-30..2025-11-02", "2025-10-15..2025-12-10", "2025-09-20..2025-11-05",
			"2025-11-30", "2025-12-01"} {
			p, err := reports.ParsePeriod(code, z)
			rptMust(t, err)
			ps = append(ps, p)
		}
	}
	return ps
}

func (s *reportShop) storeFigures(ps []reports.Period) map[string]rollupFigures {
	s.t.Helper()
	got := map[string]rollupFigures{}
	for _, p := range ps {
		f, prev, err := s.store.ReportFigures(s.ctx, reports.Scope{All: true}, p)
		rptMust(s.t, err)
		got[p.Code()+" "+string(p.Zone)] = rollupFigures{f, prev}
	}
	return got
}

func sameFigures(t *testing.T, when string, got, want map[string]rollupFigures) {
	t.Helper()
	for k, w := range want {
		if g := got[k]; !reflect.DeepEqual(g, w) {
			t.Errorf("%s, %s:\n got %+v\nwant %+v", when, k, g, w)
		}
	}
}

// leaderboards are Andi's figures, and every reseller's, for November and for December so far,
// as resellers' /laporan and their weekly summary read them.
func (s *reportShop) leaderboards() [][]reports.ResellerFigures {
	s.t.Helper()
	var all [][]reports.ResellerFigures
	for _, code := range []string{"2025-11", "2025-12"} {
		for _, only := range []int64{s.andi.ID, 0} {
			m := rptPeriod(s.t, code)
			figs, err := s.store.ResellerFigures(s.ctx, only, m, m)
			rptMust(s.t, err)
			all = append(all, figs)
		}
	}
	return all
}

// TestRollupsChangeNoFigure checks that the whole store's reports say the same with the days
// rolled up as from the orders alone, for every kind of period in every zone, with some of a
// period's days rolled up or all of them, and after a late payment lands in a rolled-up day.
func TestRollupsChangeNoFigure(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	periods := rollupPeriods(t)
	fromOrders := s.storeFigures(periods)
	boards := s.leaderboards()

	// Up to the 19th of November first, then up to the 30th: 1 December 08:00 WIB less the grace
	// is 02:00 WIB, when 30 November is over in every zone.
	made, err := s.store.MakeRollups(s.ctx, rptAt(11, 20, 7, 0), 10_000)
	rptMust(t, err)
	if want := 3 * (31 + 19 + 1); made != want { // the days of October to 19 November and October, in three zones
		t.Errorf("made %d days and months of rollups up to 19 November, want %d", made, want)
	}
	sameFigures(t, "rolled up to 19 November", s.storeFigures(periods), fromOrders)
	made, err = s.store.MakeRollups(s.ctx, rptAt(12, 1, 8, 0), 10_000)
	rptMust(t, err)
	if want := 3 * (11 + 1); made != want { // 20 to 30 November, and November
		t.Errorf("made %d more days and months of rollups, want %d", made, want)
	}
	sameFigures(t, "rolled up to 30 November", s.storeFigures(periods), fromOrders)
	if got := s.leaderboards(); !reflect.DeepEqual(got, boards) {
		t.Errorf("resellers' figures with rollups:\n got %+v\nwant %+v", got, boards)
	}
	if again, err := s.store.MakeRollups(s.ctx, rptAt(12, 1, 8, 0), 10_000); err != nil || again != 0 {
		t.Errorf("made %d days again (%v)", again, err)
	}
	if n := s.count("SELECT sum(sales)::int FROM report_days WHERE zone = 'WIB' AND day BETWEEN '2025-11-01' AND '2025-11-30'"); n != 345_000 {
		t.Errorf("November's rolled-up sales in WIB: %d", n)
	}
	// The reports read them: a rupiah more in a day's rollup shows in the month.
	s.exec("UPDATE report_days SET sales = sales + 1 WHERE zone = 'WIB' AND day = '2025-11-15'")
	f, _, err := s.store.ReportFigures(s.ctx, reports.Scope{All: true}, rptPeriod(t, "2025-11"))
	rptMust(t, err)
	if f.Sales != 345_001 {
		t.Errorf("November's sales with a rupiah more rolled up: %s", f.Sales)
	}
	s.exec("UPDATE report_days SET sales = sales - 1 WHERE zone = 'WIB' AND day = '2025-11-15'")
	// A month's best resellers come from the month's rollups.
	s.exec("UPDATE report_month_resellers SET sales = sales + 1 WHERE zone = 'WIB' AND month = '2025-11-01'")
	f, _, err = s.store.ReportFigures(s.ctx, reports.Scope{All: true}, rptPeriod(t, "2025-11"))
	rptMust(t, err)
	if len(f.TopResellers) != 1 || f.TopResellers[0].Sales != 120_001 {
		t.Errorf("November's best resellers with a rupiah more rolled up: %+v", f.TopResellers)
	}
	s.exec("UPDATE report_month_resellers SET sales = sales - 1 WHERE zone = 'WIB' AND month = '2025-11-01'")
	// So does its funnel, and October's orders placed.
	s.exec("UPDATE report_month_funnel SET clicks = clicks + 1 WHERE zone = 'WIB' AND month = '2025-11-01'")
	s.exec("UPDATE report_months SET created = created + 1 WHERE zone = 'WIB' AND month = '2025-10-01'")
	f, prev, err := s.store.ReportFigures(s.ctx, reports.Scope{All: true}, rptPeriod(t, "2025-11"))
	rptMust(t, err)
	if f.FunnelTotal.Clicks != 4 || f.Funnel[0].Clicks != 4 || prev.Created != 2 {
		t.Errorf("November's funnel with a click more rolled up: %+v; October's orders placed %d", f.FunnelTotal, prev.Created)
	}
	s.exec("UPDATE report_month_funnel SET clicks = clicks - 1 WHERE zone = 'WIB' AND month = '2025-11-01'")
	s.exec("UPDATE report_months SET created = created - 1 WHERE zone = 'WIB' AND month = '2025-10-01'")
	// What was owed at the end of October is what is owed now less November's rolled-up changes.
	oct := fromOrders["2025-10 WIB"].Current.Payouts.Owed
	s.exec("UPDATE report_days SET owed = owed + 1 WHERE zone = 'WIB' AND day = '2025-11-15'")
	f, _, err = s.store.ReportFigures(s.ctx, reports.Scope{All: true}, rptPeriod(t, "2025-10"))
	rptMust(t, err)
	if f.Payouts.Owed != oct-1 {
		t.Errorf("owed at the end of October with a rupiah more rolled up in November: %s, want %s", f.Payouts.Owed, oct-1)
	}
	s.exec("UPDATE report_days SET owed = owed - 1 WHERE zone = 'WIB' AND day = '2025-11-15'")

	t.Run("LatePaymentDropsTheDayItLandsIn", func(t *testing.T) {
		s.lateEvents() // O7, paid at 23:55 WIB on 30 November, is recorded on 1 December
		if n := s.count("SELECT count(*) FROM report_days WHERE zone = 'WIB' AND day = '2025-11-30'"); n != 0 {
			t.Error("30 November's rollups in WIB were kept after a payment landed in it")
		}
		if n := s.count("SELECT count(*) FROM report_days WHERE zone = 'WIB' AND day = '2025-11-29'"); n != 1 {
			t.Error("29 November's rollups were dropped too")
		}
		if n := s.count("SELECT count(*) FROM report_months WHERE zone = 'WIB' AND month = '2025-11-01'"); n != 0 {
			t.Error("November's rollups in WIB were kept after a payment landed in it")
		}
		if n := s.count("SELECT count(*) FROM report_months WHERE zone = 'WIT' AND month = '2025-11-01'"); n != 1 {
			t.Error("November's rollups in WIT were dropped, though the payment is on 1 December there")
		}
		withRollups := s.storeFigures(periods)
		if nov := withRollups["2025-11 WIB"].Current; nov.Sales != 405_000 || nov.Paid != 3 {
			t.Errorf("November after O7's payment: sales %s, paid %d", nov.Sales, nov.Paid)
		}
		made, err := s.store.MakeRollups(s.ctx, rptAt(12, 2, 8, 0), 10_000)
		rptMust(t, err)
		remade := s.storeFigures(periods)
		s.exec("DELETE FROM report_days")
		fromOrders := s.storeFigures(periods)
		sameFigures(t, "after the late payment", withRollups, fromOrders)
		sameFigures(t, "rolled up again", remade, fromOrders)
		if made == 0 {
			t.Error("30 November was not rolled up again")
		}
	})
}

// TestBackdatedRecordsDropTheirDay checks that a ledger transaction, an order, a link click or a
// funnel event written with an old time (as a hand, a test or the playground's demo might)
// drops the rollups of its day, and of its month.
func TestBackdatedRecordsDropTheirDay(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	_, err := s.store.MakeRollups(s.ctx, rptAt(12, 1, 8, 0), 10_000)
	rptMust(t, err)
	s.post(lapak.Journal{Key: "payout:2:reserve", Kind: lapak.JournalPayout, Entries: []lapak.Entry{
		{Account: lapak.AvailableAccount(s.andi.ID), Amount: -1_000}, {Account: lapak.InTransitAccount(s.andi.ID), Amount: 1_000},
	}}, rptAt(11, 20, 10, 0))
	if n := s.count("SELECT count(*) FROM report_days WHERE day = '2025-11-20'"); n != 0 {
		t.Errorf("20 November's rollups kept in %d zones after a transaction was written into it", n)
	}
	s.order("O8", rptAt(11, 21, 10, 0), s.siti, s.andi.ID, rptItem(s.kaos, 1))
	s.click(s.kaos, rptAt(11, 22, 10, 0))
	s.cart(s.siti, s.kaos, rptAt(11, 23, 10, 0))
	for _, day := range []string{"2025-11-21", "2025-11-22", "2025-11-23"} {
		if n := s.count("SELECT count(*) FROM report_days WHERE day = '" + day + "'"); n != 0 {
			t.Errorf("%s's rollups kept in %d zones after a record was written into it", day, n)
		}
	}
	if n := s.count("SELECT count(*) FROM report_days WHERE day = '2025-11-24'"); n != 3 {
		t.Errorf("24 November's rollups in %d zones, want 3", n)
	}
	if n := s.count("SELECT count(*) FROM report_months WHERE month = '2025-11-01'"); n != 0 {
		t.Errorf("November's rollups kept in %d zones", n)
	}
}

// TestRollupsWaitForALateChangeInFlight checks that a late payment recorded while a day's
// rollups are being made is either in them or drops them: never lost.
func TestRollupsWaitForALateChangeInFlight(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	s.clock.Set(rptAt(12, 1, 8, 0))
	// O7's payment is recorded, not committed yet, as the job starts.
	tx, err := s.pool.Begin(s.ctx)
	rptMust(t, err)
	defer tx.Rollback(s.ctx) //nolint:errcheck // committed below
	if _, err := tx.Exec(s.ctx, "UPDATE orders SET status = 'paid', paid_at = $2 WHERE id = $1", s.orders["O7"].ID, rptAt(11, 30, 23, 55)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.store.MakeRollups(s.ctx, rptAt(12, 1, 8, 0), 10_000)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("rollups were made while a change to their days was in flight (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	rptMust(t, tx.Commit(s.ctx))
	rptMust(t, <-done)
	nov := rptPeriod(t, "2025-11")
	f, _, err := s.store.ReportFigures(s.ctx, reports.Scope{All: true}, nov)
	rptMust(t, err)
	if f.Sales != 405_000 || f.Paid != 3 {
		t.Errorf("November with O7 paid in flight: sales %s, paid %d; want Rp405.000 and 3", f.Sales, f.Paid)
	}
}

// TestRollupsAreMadeOnceByInstancesAtOnce runs the job on four connections at once.
func TestRollupsAreMadeOnceByInstancesAtOnce(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Go(func() {
			n, err := s.store.MakeRollups(s.ctx, rptAt(12, 1, 8, 0), 10_000)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	days, months := s.count("SELECT count(*) FROM report_days"), s.count("SELECT count(*) FROM report_months")
	if total != days+months || days != 3*(31+30) || months != 3*2 {
		t.Errorf("%d days and months made by four runs, %d days and %d months in the tables; want %d and %d",
			total, days, months, 3*(31+30), 3*2)
	}
	var dup int
	err := pgx.BeginFunc(s.ctx, s.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(s.ctx, `SELECT count(*) FROM (SELECT zone, day, reseller_id FROM report_day_resellers
			GROUP BY 1, 2, 3 HAVING count(*) > 1) d`).Scan(&dup)
	})
	rptMust(t, err)
	if dup != 0 {
		t.Errorf("%d resellers' days made twice", dup)
	}
}

// TestShippingAnOldOrderDoesNotWaitForRollups checks that a change to an order paid long ago that
// moves no figure of a past day (shipping, completing) goes through while the rollups are being
// made: an owner's tap never waits for the job.
func TestShippingAnOldOrderDoesNotWaitForRollups(t *testing.T) {
	s := newReportShop(t)
	s.seedUntilDecember()
	job, err := s.pool.Begin(s.ctx)
	rptMust(t, err)
	defer job.Rollback(s.ctx) //nolint:errcheck // only holds the lock
	if _, err := job.Exec(s.ctx, "LOCK TABLE report_days IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.pool.Exec(s.ctx, "UPDATE orders SET status = 'shipped', shipped_at = now(), courier = 'JNE', resi = 'JN123' WHERE id = $1",
			s.orders["O2"].ID)
		done <- err
	}()
	select {
	case err := <-done:
		rptMust(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("shipping an order paid in November waited for the rollups")
	}
}
