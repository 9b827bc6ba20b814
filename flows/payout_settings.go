package flows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const flowPayoutSettings = "payout_settings"

// payoutSetup is a schedule an owner is setting, step by step.
type payoutSetup struct {
	Schedule lapak.PayoutSchedule `json:"schedule"`
}

// payoutSettings lets an owner see and change how resellers are paid: the schedule (daily,
// weekly on a day, monthly on a date, at a time in their zone), the minimum, the amount under
// which payouts need no approval, Xendit or their own transfer, early withdrawals and e-wallets.
// Each change is saved at once, and the summary is shown again.
var payoutSettings = &Flow[payoutSetup]{
	Name: flowPayoutSettings,
	Steps: []Step[payoutSetup]{
		{Name: "hub", Ask: askPayoutHub, Answer: answerPayoutHub},
		{Name: "frequency", Ask: askFrequency, Answer: answerFrequency},
		{Name: "weekday", Skip: notPayoutFrequency(lapak.PayWeekly), Ask: askWeekday, Answer: answerWeekday},
		{Name: "monthday", Skip: notPayoutFrequency(lapak.PayMonthly), Ask: payoutAsk("payout.ask_monthday"), Answer: answerMonthday},
		{Name: "time", Ask: payoutAsk("payout.ask_time"), Answer: answerPayTime},
		{Name: "zone", Ask: askPayoutZone, Answer: answerPayoutZone},
		{Name: "minimum", Ask: payoutAsk("payout.ask_minimum"), Answer: answerPayoutMinimum},
		{Name: "auto", Ask: askAutoApprove, Answer: answerAutoApprove},
	},
}

// payoutSettingsCmd opens the payout settings for an owner.
func (e *Engine) payoutSettingsCmd(c *Conv, _ string) error {
	if !e.payoutsReady(c) {
		return nil
	}
	if c.User.Role != lapak.RoleOwner {
		c.SayText("payout.owners_only")
		return e.menu(c)
	}
	return c.Start(flowPayoutSettings)
}

func payoutAsk(key string) func(*Conv, *payoutSetup) bot.Reply {
	return func(c *Conv, _ *payoutSetup) bot.Reply { return bot.Reply{Text: c.T(key)} }
}

func notPayoutFrequency(f lapak.PayoutFrequency) func(*Conv, *payoutSetup) bool {
	return func(_ *Conv, d *payoutSetup) bool { return d.Schedule.Frequency != f }
}

func askPayoutHub(c *Conv, _ *payoutSetup) bot.Reply {
	set, err := c.e.cfg.Payouts.PayoutSettings(c.Ctx)
	if err != nil {
		return bot.Reply{Text: c.T("error.unavailable")}
	}
	loc := payoutZoneOf(set.Schedule, c.e.cfg.Location)
	schedule, next := c.T("payout.schedule_off"), "-"
	if set.Enabled {
		schedule, next = payoutScheduleText(c, set.Schedule), PayoutTime(set.Schedule.Next(c.e.now(), loc), loc)
	}
	auto := c.T("payout.auto_none")
	if set.AutoApproveBelow > 0 {
		auto = c.T("payout.auto_below", set.AutoApproveBelow)
	}
	text := c.T("payout.settings", schedule, next, set.Minimum, auto, c.T("payout.mode."+string(set.Mode)),
		c.T(payoutYesNo(set.AllowEarly)), c.T(payoutYesNo(set.AllowEwallets)))
	opt := func(id, key string) bot.Option { return bot.Option{ID: "ps:" + id, Label: c.T(key)} }
	opts := []bot.Option{opt("sched", "payout.set_schedule"), opt("min", "payout.set_minimum"), opt("auto", "payout.set_auto"),
		opt("mode", "payout.switch_to."+string(otherPayoutMode(set.Mode))),
		opt("early", "payout.toggle_early."+strconv.FormatBool(!set.AllowEarly)),
		opt("wallet", "payout.toggle_wallet."+strconv.FormatBool(!set.AllowEwallets))}
	if set.Enabled {
		opts = append(opts, opt("stop", "payout.stop_schedule"))
	}
	opts = append(opts, opt("open", "payout.show_open"), opt("done", "payout.done"))
	return bot.Reply{Text: text, Options: opts}
}

func answerPayoutHub(c *Conv, d *payoutSetup, in bot.Inbound) Result {
	choice, _ := strings.CutPrefix(in.Option, "ps:")
	if in.Kind != bot.KindOption {
		return Retry("payout.pick_option")
	}
	switch choice {
	case "sched":
		set, err := c.e.cfg.Payouts.PayoutSettings(c.Ctx)
		if err != nil {
			return retryErr(c, err, "error.unavailable")
		}
		d.Schedule = set.Schedule
		return Goto("frequency")
	case "min":
		return Goto("minimum")
	case "auto":
		return Goto("auto")
	case "mode", "early", "wallet", "stop":
		return c.e.payoutToggle(c, choice)
	case "open":
		if err := c.e.showOpenPayouts(c); err != nil {
			return retryErr(c, err, "error.unavailable")
		}
		return Done()
	}
	c.SayText("payout.settings_closed")
	return Done()
}

// toggle flips one of the owner's switches and shows the settings again.
func (e *Engine) payoutToggle(c *Conv, what string) Result {
	return e.changePayouts(c, func(s *lapak.PayoutSettings) {
		switch what {
		case "mode":
			s.Mode = otherPayoutMode(s.Mode)
		case "early":
			s.AllowEarly = !s.AllowEarly
		case "wallet":
			s.AllowEwallets = !s.AllowEwallets
		case "stop":
			s.Enabled = false
		}
	})
}

// changePayouts applies change to the current settings, saves them and goes back to the summary.
func (e *Engine) changePayouts(c *Conv, change func(*lapak.PayoutSettings)) Result {
	set, err := e.cfg.Payouts.PayoutSettings(c.Ctx)
	if err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	change(&set)
	if _, err := e.cfg.Payouts.SavePayoutSettings(c.Ctx, set, c.User.ID); err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	c.SayText("payout.settings_saved")
	return Goto("hub")
}

func otherPayoutMode(m lapak.PayoutMode) lapak.PayoutMode {
	if m == lapak.PayoutManual {
		return lapak.PayoutViaXendit
	}
	return lapak.PayoutManual
}

func payoutYesNo(b bool) string {
	if b {
		return "payout.yes"
	}
	return "payout.no"
}

func askFrequency(c *Conv, _ *payoutSetup) bot.Reply {
	var opts []bot.Option
	for _, f := range []lapak.PayoutFrequency{lapak.PayDaily, lapak.PayWeekly, lapak.PayMonthly} {
		opts = append(opts, bot.Option{ID: "f:" + string(f), Label: c.T("payout.frequency." + string(f))})
	}
	return bot.Reply{Text: c.T("payout.ask_frequency"), Options: opts}
}

func answerFrequency(_ *Conv, d *payoutSetup, in bot.Inbound) Result {
	f, _ := strings.CutPrefix(in.Option, "f:")
	switch lapak.PayoutFrequency(f) {
	case lapak.PayDaily, lapak.PayWeekly, lapak.PayMonthly:
		if in.Kind == bot.KindOption {
			d.Schedule.Frequency = lapak.PayoutFrequency(f)
			return Next()
		}
	}
	return Retry("payout.pick_option")
}

func askWeekday(c *Conv, _ *payoutSetup) bot.Reply {
	var opts []bot.Option
	for i := range 7 {
		wd := (i + 1) % 7 // Monday first, as Indonesians count the week
		opts = append(opts, bot.Option{ID: "wd:" + strconv.Itoa(wd), Label: c.T("payout.weekday." + strconv.Itoa(wd))})
	}
	return bot.Reply{Text: c.T("payout.ask_weekday"), Options: opts}
}

func answerWeekday(_ *Conv, d *payoutSetup, in bot.Inbound) Result {
	if i, ok := optionIndex(in, "wd:", 7); ok {
		d.Schedule.Weekday = time.Weekday(i)
		return Next()
	}
	return Retry("payout.pick_option")
}

func answerMonthday(_ *Conv, d *payoutSetup, in bot.Inbound) Result {
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(in.Text)), "tanggal")))
	if in.Kind != bot.KindText || err != nil || n < 1 || n > 31 {
		return Retry("payout.bad_day")
	}
	d.Schedule.Day = n
	return Next()
}

func answerPayTime(_ *Conv, d *payoutSetup, in bot.Inbound) Result {
	m, ok := parsePayoutClock(in.Text)
	if in.Kind != bot.KindText || !ok {
		return Retry("payout.bad_time")
	}
	d.Schedule.Minute = m
	return Next()
}

// parseClock reads a time of day as people type it: 10, 9.30, 09:30, jam 14.00, pukul 7.
func parsePayoutClock(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"jam", "pukul"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	h, m, hasMinutes := strings.Cut(strings.ReplaceAll(s, ":", "."), ".")
	hour, err := strconv.Atoi(h)
	if err != nil || len(h) > 2 || hour < 0 || hour > 23 {
		return 0, false
	}
	minute := 0
	if hasMinutes {
		if minute, err = strconv.Atoi(m); err != nil || len(m) != 2 || minute > 59 {
			return 0, false
		}
	}
	return hour*60 + minute, true
}

// payoutZones are Indonesia's three time zones, by the names Indonesians use.
var payoutZones = []struct{ abbr, zone string }{{"WIB", "Asia/Jakarta"}, {"WITA", "Asia/Makassar"}, {"WIT", "Asia/Jayapura"}}

func askPayoutZone(c *Conv, _ *payoutSetup) bot.Reply {
	var opts []bot.Option
	for _, z := range payoutZones {
		opts = append(opts, bot.Option{ID: "tz:" + z.abbr, Label: z.abbr})
	}
	return bot.Reply{Text: c.T("payout.ask_zone"), Options: opts}
}

func answerPayoutZone(c *Conv, d *payoutSetup, in bot.Inbound) Result {
	abbr, _ := strings.CutPrefix(in.Option, "tz:")
	if in.Kind == bot.KindText {
		abbr = strings.ToUpper(strings.TrimSpace(in.Text))
	}
	for _, z := range payoutZones {
		if z.abbr == abbr {
			d.Schedule.Zone = z.zone
			return c.e.changePayouts(c, func(s *lapak.PayoutSettings) { s.Schedule, s.Enabled = d.Schedule, true })
		}
	}
	return Retry("payout.pick_option")
}

func answerPayoutMinimum(c *Conv, _ *payoutSetup, in bot.Inbound) Result {
	m, bad := priceAnswer(in)
	if bad != nil {
		return *bad
	}
	if m < lapak.MinPayout {
		return Retry("payout.minimum_low", lapak.MinPayout)
	}
	return c.e.changePayouts(c, func(s *lapak.PayoutSettings) { s.Minimum = m })
}

func askAutoApprove(c *Conv, _ *payoutSetup) bot.Reply {
	return bot.Reply{Text: c.T("payout.ask_auto"), Options: []bot.Option{{ID: "none", Label: c.T("payout.auto_off")}}}
}

func answerAutoApprove(c *Conv, _ *payoutSetup, in bot.Inbound) Result {
	var m lapak.Money
	if !(in.Kind == bot.KindOption && in.Option == "none" || in.Kind == bot.KindText && isSkip(in.Text)) {
		var bad *Result
		if m, bad = priceAnswer(in); bad != nil {
			return *bad
		}
	}
	return c.e.changePayouts(c, func(s *lapak.PayoutSettings) { s.AutoApproveBelow = m })
}

// payoutScheduleText says a schedule as owners would: every Friday, 10.00 WIB.
func payoutScheduleText(c *Conv, s lapak.PayoutSchedule) string {
	at := fmt.Sprintf("%02d.%02d %s", s.Minute/60, s.Minute%60, payoutZoneAbbr(s.Zone))
	switch s.Frequency {
	case lapak.PayWeekly:
		return c.T("payout.every_week", c.T("payout.weekday."+strconv.Itoa(int(s.Weekday))), at)
	case lapak.PayMonthly:
		return c.T("payout.every_month", s.Day, at)
	}
	return c.T("payout.every_day", at)
}

// payoutZoneAbbr is WIB, WITA or WIT for Indonesia's zones, the zone's name otherwise.
func payoutZoneAbbr(zone string) string {
	for _, z := range payoutZones {
		if z.zone == zone {
			return z.abbr
		}
	}
	return zone
}

// payoutZoneOf is the schedule's time zone, or fallback when it cannot be loaded.
func payoutZoneOf(s lapak.PayoutSchedule, fallback *time.Location) *time.Location {
	if loc, err := time.LoadLocation(s.Zone); err == nil && s.Zone != "" {
		return loc
	}
	return fallback
}
