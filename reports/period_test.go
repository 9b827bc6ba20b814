package reports

import (
	"testing"
	"time"

	"github.com/lapak-id/lapak"
)

func wibTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, WIB.Location())
}

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		code, zone  string
		start, end  string // RFC 3339
		span        Span
		wantCode    string
		labelID     string
		labelEN     string
		previousOne string // the previous period's code
	}{
		{"2026-11", "WIB", "2026-11-01T00:00:00+07:00", "2026-12-01T00:00:00+07:00", SpanMonth, "2026-11", "November 2026", "November 2026", "2026-10"},
		{"2026-01", "WIT", "2026-01-01T00:00:00+09:00", "2026-02-01T00:00:00+09:00", SpanMonth, "2026-01", "Januari 2026", "January 2026", "2025-12"},
		{"2026-11-27", "WITA", "2026-11-27T00:00:00+08:00", "2026-11-28T00:00:00+08:00", SpanDay, "2026-11-27", "Jumat, 27 Nov 2026", "Friday, 27 Nov 2026", "2026-11-26"},
		{"2026-W48", "WIB", "2026-11-23T00:00:00+07:00", "2026-11-30T00:00:00+07:00", SpanWeek, "2026-W48", "23–29 Nov 2026", "23–29 Nov 2026", "2026-W47"},
		{"2026-w01", "WIB", "2025-12-29T00:00:00+07:00", "2026-01-05T00:00:00+07:00", SpanWeek, "2026-W01", "29 Des 2025 – 4 Jan 2026", "29 Dec 2025 – 4 Jan 2026", "2025-W52"},
		{"2026-10-30..2026-11-02", "WIB", "2026-10-30T00:00:00+07:00", "2026-11-03T00:00:00+07:00", SpanRange, "2026-10-30..2026-11-02", "30 Okt – 2 Nov 2026", "30 Oct – 2 Nov 2026", "2026-10-26..2026-10-29"},
	} {
		z, _ := ParseZone(tc.zone)
		p, err := ParsePeriod(tc.code, z)
		if err != nil {
			t.Errorf("%s: %v", tc.code, err)
			continue
		}
		start, _ := time.Parse(time.RFC3339, tc.start)
		end, _ := time.Parse(time.RFC3339, tc.end)
		if !p.Start.Equal(start) || !p.End.Equal(end) || p.Span != tc.span {
			t.Errorf("%s in %s: %s %s to %s", tc.code, tc.zone, p.Span, p.Start, p.End)
		}
		if p.Code() != tc.wantCode || p.Label(lapak.Indonesian) != tc.labelID || p.Label(lapak.English) != tc.labelEN {
			t.Errorf("%s: code %q, labels %q / %q", tc.code, p.Code(), p.Label(lapak.Indonesian), p.Label(lapak.English))
		}
		if got := p.Previous().Code(); got != tc.previousOne {
			t.Errorf("%s: previous %s, want %s", tc.code, got, tc.previousOne)
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-W54", "2025-W53", "2026-02-30", "2026-11-02..2026-11-01", "2024-01-01..2026-01-01", "november"} {
		if p, err := ParsePeriod(bad, WIB); err == nil {
			t.Errorf("%q read as %s", bad, p.Code())
		}
	}
}

func TestParseChat(t *testing.T) {
	now := wibTime(2026, 11, 27, 10, 0) // a Friday
	for text, want := range map[string]string{
		"kemarin":                  "2026-11-26",
		"Hari ini":                 "2026-11-27",
		"minggu  ini":              "2026-W48",
		"BULAN LALU":               "2026-10",
		"this month":               "2026-11",
		"2026-11":                  "2026-11",
		"27/11":                    "2026-11-27",
		"28/11":                    "2025-11-28", // not after today: last year's
		"1/11 - 15/11":             "2026-11-01..2026-11-15",
		"25/12 - 5/1":              "2025-12-25..2026-01-05",
		"1/11/2026 s/d 15/11/2026": "2026-11-01..2026-11-15",
		"01.11.26 sampai 02.11.26": "2026-11-01..2026-11-02",
		"1-11-2026 to 1-11-2026":   "2026-11-01",
	} {
		p, err := ParseChat(text, now, WIB)
		if err != nil || p.Code() != want {
			t.Errorf("%q: %s, %v; want %s", text, p.Code(), err, want)
		}
	}
	for _, bad := range []string{"besok lusa", "31/2", "32/1 - 2/2", "1/1/2020 - 1/1/2026"} {
		if p, err := ParseChat(bad, now, WIB); err == nil {
			t.Errorf("%q read as %s", bad, p.Code())
		}
	}
}

func TestZones(t *testing.T) {
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	makassar, _ := time.LoadLocation("Asia/Makassar")
	if jakarta != nil && ZoneOf(jakarta) != WIB || makassar != nil && ZoneOf(makassar) != WITA {
		t.Errorf("ZoneOf: %s %s", ZoneOf(jakarta), ZoneOf(makassar))
	}
	if ZoneOf(time.FixedZone("X", 9*3600)) != WIT || ZoneOf(time.UTC) != WIB {
		t.Error("ZoneOf of fixed zones")
	}
	if z, ok := ParseZone("wita"); !ok || z != WITA || z.Offset() != 8*time.Hour {
		t.Errorf("ParseZone(wita) = %s %v", z, ok)
	}
	// 23:30 WIB on the 30th is 00:30 WITA on the 1st.
	at := wibTime(2026, 11, 30, 23, 30)
	if Month(at, WIB).Code() != "2026-11" || Month(at, WITA).Code() != "2026-12" {
		t.Errorf("months of %s: %s in WIB, %s in WITA", at, Month(at, WIB).Code(), Month(at, WITA).Code())
	}
}

func TestDueAt(t *testing.T) {
	all := Prefs{Daily: true, Weekly: true, Monthly: true, Zone: WIB}
	// Monday 1 December 2025 is the first of the month and a Monday: everything is due at 07:00.
	for _, tc := range []struct {
		name  string
		prefs Prefs
		now   time.Time
		want  []string
	}{
		{"JustBefore7", all, wibTime(2025, 12, 1, 6, 59), nil},
		{"At7", all, wibTime(2025, 12, 1, 7, 0), []string{"daily 2025-11-30", "weekly 2025-W48", "monthly 2025-11"}},
		{"CatchesUpUntil19", all, wibTime(2025, 12, 1, 18, 59), []string{"daily 2025-11-30", "weekly 2025-W48", "monthly 2025-11"}},
		{"NotAfter19", all, wibTime(2025, 12, 1, 19, 0), nil},
		{"Tuesday", all, wibTime(2025, 12, 2, 7, 30), []string{"daily 2025-12-01"}},
		{"OnlyWhatIsOn", Prefs{Monthly: true, Zone: WIB}, wibTime(2025, 12, 1, 8, 0), []string{"monthly 2025-11"}},
		// 07:00 WIT is 05:00 WIB: the report comes two hours earlier by Jakarta's clock.
		{"InWIT", Prefs{Daily: true, Zone: WIT}, wibTime(2025, 12, 2, 5, 0), []string{"daily 2025-12-01"}},
		{"InWITNotYet", Prefs{Daily: true, Zone: WIT}, wibTime(2025, 12, 2, 4, 59), nil},
	} {
		var got []string
		for _, d := range DueAt(tc.prefs, tc.now) {
			got = append(got, string(d.Kind)+" "+d.Period.Code())
		}
		if len(got) != len(tc.want) || len(got) > 0 && !equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
