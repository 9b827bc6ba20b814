package reports

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/i18n"
)

// Zone is one of Indonesia's three time zones, which report periods are cut in. None of them
// keeps summer time, so each is a fixed offset from UTC.
type Zone string

// Indonesia's time zones.
const (
	WIB  Zone = "WIB"  // Western Indonesia: Java, Sumatra, West and Central Kalimantan, UTC+7
	WITA Zone = "WITA" // Central Indonesia: Bali, Nusa Tenggara, Sulawesi, UTC+8
	WIT  Zone = "WIT"  // Eastern Indonesia: Maluku, Papua, UTC+9
)

// Zones are the time zones an owner can choose, west to east.
var Zones = []Zone{WIB, WITA, WIT}

// ParseZone reads a zone's name in any letter case.
func ParseZone(s string) (Zone, bool) {
	z := Zone(strings.ToUpper(strings.TrimSpace(s)))
	switch z {
	case WIB, WITA, WIT:
		return z, true
	}
	return "", false
}

// Offset is the zone's distance from UTC; an unknown zone is WIB's.
func (z Zone) Offset() time.Duration {
	switch z {
	case WITA:
		return 8 * time.Hour
	case WIT:
		return 9 * time.Hour
	}
	return 7 * time.Hour
}

// Location is the zone as a time.Location that prints its name.
func (z Zone) Location() *time.Location {
	if _, ok := ParseZone(string(z)); !ok {
		z = WIB
	}
	return time.FixedZone(string(z), int(z.Offset()/time.Second))
}

// ZoneOf is the Indonesian zone with loc's offset from UTC, and WIB for any other place.
func ZoneOf(loc *time.Location) Zone {
	if loc == nil {
		return WIB
	}
	_, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone()
	for _, z := range Zones {
		if time.Duration(off)*time.Second == z.Offset() {
			return z
		}
	}
	return WIB
}

// Span is the length of a period.
type Span string

// Spans of periods.
const (
	SpanDay   Span = "day"
	SpanWeek  Span = "week" // Monday to Sunday
	SpanMonth Span = "month"
	SpanRange Span = "range" // whole days chosen by the user
)

// Period is a stretch of whole days in a zone: from Start, a midnight there, up to End, the
// midnight after its last day.
type Period struct {
	Span  Span      `json:"span"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Zone  Zone      `json:"zone"`
}

// midnight is the start of t's day in zone z.
func midnight(t time.Time, z Zone) time.Time {
	t = t.In(z.Location())
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// Day is the day t falls on in zone z.
func Day(t time.Time, z Zone) Period {
	start := midnight(t, z)
	return Period{Span: SpanDay, Start: start, End: start.AddDate(0, 0, 1), Zone: z}
}

// Week is the Monday-to-Sunday week t falls in, in zone z.
func Week(t time.Time, z Zone) Period {
	start := midnight(t, z)
	start = start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
	return Period{Span: SpanWeek, Start: start, End: start.AddDate(0, 0, 7), Zone: z}
}

// Month is the calendar month t falls in, in zone z.
func Month(t time.Time, z Zone) Period {
	t = t.In(z.Location())
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
	return Period{Span: SpanMonth, Start: start, End: start.AddDate(0, 1, 0), Zone: z}
}

// maxRangeDays is the longest range of days a report covers.
const maxRangeDays = 366

// Range is the days from first to last, both included, in zone z. It refuses a last day before
// the first and ranges over 366 days.
func Range(first, last time.Time, z Zone) (Period, error) {
	start, end := midnight(first, z), midnight(last, z).AddDate(0, 0, 1)
	if !end.After(start) {
		return Period{}, errors.New("the last day is before the first")
	}
	if end.Sub(start) > maxRangeDays*24*time.Hour {
		return Period{}, fmt.Errorf("at most %d days", maxRangeDays)
	}
	p := Period{Span: SpanRange, Start: start, End: end, Zone: z}
	if p.Days() == 1 {
		p.Span = SpanDay
	}
	return p, nil
}

// Days is how many days the period has.
func (p Period) Days() int { return int(p.End.Sub(p.Start) / (24 * time.Hour)) }

// Previous is the period just before p, of the same span: the day, week or month before, or as
// many days before a range.
func (p Period) Previous() Period {
	switch p.Span {
	case SpanDay:
		return Day(p.Start.AddDate(0, 0, -1), p.Zone)
	case SpanWeek:
		return Week(p.Start.AddDate(0, 0, -7), p.Zone)
	case SpanMonth:
		return Month(p.Start.AddDate(0, 0, -1), p.Zone)
	}
	return Period{Span: SpanRange, Start: p.Start.AddDate(0, 0, -p.Days()), End: p.Start, Zone: p.Zone}
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// Hourly reports whether the period's chart and series go by the hour: a single day does.
func (p Period) Hourly() bool { return p.Days() == 1 }

// Bucket is the length of one bar of the period's chart.
func (p Period) Bucket() time.Duration {
	if p.Hourly() {
		return time.Hour
	}
	return 24 * time.Hour
}

// Buckets is how many bars the period's chart has.
func (p Period) Buckets() int { return int(p.End.Sub(p.Start) / p.Bucket()) }

// Code names the period in the forms ParsePeriod reads: 2026-11, 2026-11-27, 2026-W48, or
// 2026-11-01..2026-11-15 for a range.
func (p Period) Code() string {
	start := p.Start.In(p.Zone.Location())
	switch p.Span {
	case SpanDay:
		return start.Format("2006-01-02")
	case SpanWeek:
		y, w := start.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case SpanMonth:
		return start.Format("2006-01")
	}
	return start.Format("2006-01-02") + ".." + p.last().Format("2006-01-02")
}

// last is the period's last day, at its midnight.
func (p Period) last() time.Time { return p.End.In(p.Zone.Location()).AddDate(0, 0, -1) }

// Label is the period as a person reads it: "Jumat, 27 Nov 2026", "23–29 Nov 2026",
// "November 2026".
func (p Period) Label(lang lapak.Lang) string {
	start := p.Start.In(p.Zone.Location())
	switch p.Span {
	case SpanDay:
		return i18n.T(lang, "report.weekday."+strconv.Itoa(int(start.Weekday()))) + ", " + dayLabel(start, lang, true)
	case SpanMonth:
		return i18n.T(lang, "report.month."+strconv.Itoa(int(start.Month()))) + " " + strconv.Itoa(start.Year())
	}
	last := p.last()
	switch {
	case start.Year() != last.Year():
		return dayLabel(start, lang, true) + " – " + dayLabel(last, lang, true)
	case start.Month() != last.Month():
		return dayLabel(start, lang, false) + " – " + dayLabel(last, lang, true)
	}
	return strconv.Itoa(start.Day()) + "–" + dayLabel(last, lang, true)
}

// dayLabel is "27 Nov 2026", or "27 Nov" without the year.
func dayLabel(t time.Time, lang lapak.Lang, year bool) string {
	s := strconv.Itoa(t.Day()) + " " + i18n.T(lang, "report.mon."+strconv.Itoa(int(t.Month())))
	if year {
		s += " " + strconv.Itoa(t.Year())
	}
	return s
}

// ShortDay is "27 Nov" or, for a bucket of an hourly chart, "14.00".
func (p Period) shortBucket(i int, lang lapak.Lang) string {
	t := p.Start.Add(time.Duration(i) * p.Bucket()).In(p.Zone.Location())
	if p.Hourly() {
		return t.Format("15.04")
	}
	return dayLabel(t, lang, false)
}

var (
	monthCode = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	weekCode  = regexp.MustCompile(`^(\d{4})-[Ww](\d{1,2})$`)
	dayCode   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// ParsePeriod reads a period's code, as Code writes it, in zone z: 2026-11 (a month),
// 2026-11-27 (a day), 2026-W48 (an ISO week), 2026-11-01..2026-11-15 (a range of days).
func ParsePeriod(code string, z Zone) (Period, error) {
	code = strings.TrimSpace(code)
	loc := z.Location()
	if first, last, ok := strings.Cut(code, ".."); ok {
		a, err1 := time.ParseInLocation("2006-01-02", first, loc)
		b, err2 := time.ParseInLocation("2006-01-02", last, loc)
		if err1 != nil || err2 != nil {
			return Period{}, fmt.Errorf("period %q: want two dates such as 2026-11-01..2026-11-15", code)
		}
		p, err := Range(a, b, z)
		if err != nil {
			return Period{}, fmt.Errorf("period %q: %w", code, err)
		}
		return p, nil
	}
	if m := monthCode.FindStringSubmatch(code); m != nil {
		t, err := time.ParseInLocation("2006-01", code, loc)
		if err != nil {
			return Period{}, fmt.Errorf("period %q: no such month", code)
		}
		return Month(t, z), nil
	}
	if m := weekCode.FindStringSubmatch(code); m != nil {
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		return isoWeek(y, w, z, code)
	}
	if dayCode.MatchString(code) {
		t, err := time.ParseInLocation("2006-01-02", code, loc)
		if err != nil {
			return Period{}, fmt.Errorf("period %q: no such day", code)
		}
		return Day(t, z), nil
	}
	return Period{}, fmt.Errorf("period %q: want a month (2026-11), a day (2026-11-27), a week (2026-W48) or days (2026-11-01..2026-11-15)", code)
}

// isoWeek is week w of ISO year y: the week with that year's first Thursday is week 1.
func isoWeek(y, w int, z Zone, code string) (Period, error) {
	jan4 := time.Date(y, time.January, 4, 12, 0, 0, 0, z.Location())
	p := Week(jan4, z)
	p = Week(p.Start.AddDate(0, 0, 7*(w-1)), z)
	if gy, gw := p.Start.ISOWeek(); w < 1 || gy != y || gw != w {
		return Period{}, fmt.Errorf("period %q: %d has no week %d", code, y, w)
	}
	return p, nil
}

// Named periods an owner picks in chat.
const (
	Today     = "today"
	Yesterday = "yesterday"
	ThisWeek  = "week"
	ThisMonth = "month"
	LastMonth = "lastmonth"
)

// NamedPeriods are the names Named knows, in the order a menu offers them.
var NamedPeriods = []string{Today, Yesterday, ThisWeek, ThisMonth, LastMonth}

// Named is the period a name means at now in zone z: today, yesterday, this week (Monday to
// Sunday), this month or last month.
func Named(name string, now time.Time, z Zone) (Period, bool) {
	switch name {
	case Today:
		return Day(now, z), true
	case Yesterday:
		return Day(now, z).Previous(), true
	case ThisWeek:
		return Week(now, z), true
	case ThisMonth:
		return Month(now, z), true
	case LastMonth:
		return Month(now, z).Previous(), true
	}
	return Period{}, false
}

// words are what people type after /laporan, in either language, for each named period.
var words = map[string]string{
	"hari ini": Today, "today": Today, "hariini": Today,
	"kemarin": Yesterday, "yesterday": Yesterday,
	"minggu ini": ThisWeek, "this week": ThisWeek, "pekan ini": ThisWeek, "week": ThisWeek,
	"bulan ini": ThisMonth, "this month": ThisMonth, "month": ThisMonth,
	"bulan lalu": LastMonth, "last month": LastMonth,
}

var (
	dateRE  = `(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?`
	rangeRE = regexp.MustCompile(`^` + dateRE + `\s*(?:-|–|—|s/?d|sampai|to|until|\.\.)\s*` + dateRE + `$`)
	oneRE   = regexp.MustCompile(`^` + dateRE + `$`)
)

// ParseChat reads what someone typed to ask for a period, at now in zone z: a name ("kemarin",
// "bulan lalu", "last month"), a code ParsePeriod reads, one date ("27/11", "27/11/2026") or a
// range of dates ("1/11 - 15/11", "1/11/2026 s/d 15/11/2026"). Dates are day first, as
// Indonesians write them; a date without a year is the latest one not after today.
func ParseChat(text string, now time.Time, z Zone) (Period, error) {
	s := strings.ToLower(strings.Join(strings.Fields(text), " "))
	if name, ok := words[s]; ok {
		p, _ := Named(name, now, z)
		return p, nil
	}
	if p, err := ParsePeriod(s, z); err == nil {
		return p, nil
	}
	if m := oneRE.FindStringSubmatch(s); m != nil {
		d, err := chatDate(m[1], m[2], m[3], now, z)
		if err != nil {
			return Period{}, err
		}
		return Day(d, z), nil
	}
	m := rangeRE.FindStringSubmatch(s)
	if m == nil {
		return Period{}, errors.New("not a period")
	}
	last, err := chatDate(m[4], m[5], m[6], now, z)
	if err != nil {
		return Period{}, err
	}
	first, err := chatDate(m[1], m[2], m[3], last, z)
	if err != nil {
		return Period{}, err
	}
	return Range(first, last, z)
}

// chatDate is day d of month m, in year y or, without one, the latest such date not after ref.
func chatDate(d, m, y string, ref time.Time, z Zone) (time.Time, error) {
	day, _ := strconv.Atoi(d)
	month, _ := strconv.Atoi(m)
	ref = ref.In(z.Location())
	year := ref.Year()
	if y != "" {
		year, _ = strconv.Atoi(y)
		if year < 100 {
			year += 2000
		}
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, z.Location())
	if t.Day() != day || int(t.Month()) != month || month < 1 || year < 2000 || year > 2200 {
		return time.Time{}, fmt.Errorf("no such date %s/%s", d, m)
	}
	if y == "" && t.After(ref) {
		t = t.AddDate(-1, 0, 0)
	}
	return t, nil
}
