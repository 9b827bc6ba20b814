package reports

import (
	"time"

	"github.com/lapak-id/lapak"
)

// Prefs are which scheduled reports an owner gets, and the zone their periods are cut in.
type Prefs struct {
	Daily   bool `json:"daily"`
	Weekly  bool `json:"weekly"`
	Monthly bool `json:"monthly"`
	Zone    Zone `json:"zone"`
}

// DefaultPrefs are an owner's until they choose: the weekly and monthly reports, in zone z.
func DefaultPrefs(z Zone) Prefs { return Prefs{Weekly: true, Monthly: true, Zone: z} }

// Recipient is an owner and their report schedule; Chosen is false while they never chose one.
type Recipient struct {
	User   lapak.User
	Prefs  Prefs
	Chosen bool
}

// SendHour is the hour, in the recipient's zone, scheduled reports go out: the daily one every
// day for the day before, the weekly one on Mondays for the week before, the monthly one on the
// 1st for the month before.
const SendHour = 7

// Window is how long after its moment a scheduled report is still sent: an instance that was down
// at 07:00 catches up until 19:00, and not later, so a report never arrives a day late.
const Window = 12 * time.Hour

// Due is a scheduled report to send: its kind and period.
type Due struct {
	Kind   Kind
	Period Period
}

// DueAt returns the scheduled reports of the kinds p enables whose moment passed less than
// Window before now.
func DueAt(p Prefs, now time.Time) []Due {
	var out []Due
	for _, k := range []struct {
		on   bool
		kind Kind
	}{{p.Daily, Daily}, {p.Weekly, Weekly}, {p.Monthly, Monthly}} {
		if !k.on {
			continue
		}
		if moment, period := lastMoment(k.kind, now, p.Zone); now.Sub(moment) < Window {
			out = append(out, Due{Kind: k.kind, Period: period})
		}
	}
	return out
}

// lastMoment is the latest moment at or before now that a report of kind is sent, and the
// period that report covers.
func lastMoment(kind Kind, now time.Time, z Zone) (time.Time, Period) {
	current := func(t time.Time) Period {
		switch kind {
		case Weekly, ResellerWeekly:
			return Week(t, z)
		case Monthly:
			return Month(t, z)
		}
		return Day(t, z)
	}
	p := current(now)
	moment := p.Start.Add(SendHour * time.Hour)
	if now.Before(moment) {
		p = p.Previous()
		moment = p.Start.Add(SendHour * time.Hour)
	}
	return moment, p.Previous()
}
