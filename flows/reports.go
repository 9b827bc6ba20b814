package flows

import (
	"context"
	"errors"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/reports"
)

// ReportMaker makes sales reports for the people who ask for them.
type ReportMaker interface {
	// OwnerReport is the report of p on the suppliers owner u manages, in u's language: text,
	// chart and CSV. An owner of no supplier gets a KindNotFound error.
	OwnerReport(ctx context.Context, u lapak.User, p reports.Period) (reports.Files, error)
	// OwnerWorkbook is the same report as an XLSX workbook.
	OwnerWorkbook(ctx context.Context, u lapak.User, p reports.Period) (bot.Document, error)
	// ResellerReport is reseller r's own report of p, in u's language.
	ResellerReport(ctx context.Context, u lapak.User, r lapak.Reseller, p reports.Period) (string, error)
}

// ReportSchedules keeps which scheduled reports owners get, and in which time zone.
type ReportSchedules interface {
	Schedule(ctx context.Context, userID int64) (reports.Prefs, error)
	SetSchedule(ctx context.Context, userID int64, p reports.Prefs) error
}

// Reports makes sales reports, keeps owners' report schedules and records the funnel events flows
// see. Without it, /laporan answers that reports aren't set up.
type Reports interface {
	ReportMaker
	ReportSchedules
	// CartStarted records that a customer started a cart with a product, for their reseller's
	// funnel.
	CartStarted(ctx context.Context, customerUserID, productID int64) error
}

const flowReportRange = "report_range"

// registerReports adds /laporan (and /report), its period and schedule options, and the flow
// that asks for a range of dates.
func (e *Engine) registerReports() {
	e.commands["laporan"] = e.report
	e.commands["report"] = e.report
	e.actions["rpt"] = e.reportChoice
	e.actions["rptx"] = e.reportWorkbook
	e.actions["rpts"] = e.reportSchedule
	e.addFlow(reportRange)
}

// reportRange asks for the dates of a report, until they read as dates.
var reportRange = &Flow[struct{}]{
	Name: flowReportRange,
	Steps: []Step[struct{}]{{
		Name: "dates",
		Ask:  func(c *Conv, _ *struct{}) bot.Reply { return bot.Reply{Text: c.T("report.ask_range")} },
		Answer: func(c *Conv, _ *struct{}, in bot.Inbound) Result {
			z, err := c.e.reportZone(c)
			if err != nil {
				return retryErr(c, err, "error.unavailable")
			}
			p, err := reports.ParseChat(in.Text, c.e.now(), z)
			if in.Kind != bot.KindText || err != nil {
				return Retry("report.bad_range")
			}
			if err := c.e.sendReport(c, p); err != nil {
				return retryErr(c, err, "error.unavailable")
			}
			return Done()
		},
	}},
}

// reportsReady reports whether reports are set up, so the menu offers them.
func (e *Engine) reportsReady() bool { return e.cfg.Reports != nil }

// reportReader reports whether the user may read reports, saying why not when they may not, and
// returns their reseller registration when they are a reseller.
func (e *Engine) reportReader(c *Conv) (lapak.Reseller, bool, error) {
	if !e.reportsReady() {
		c.SayText("report.not_set_up")
		return lapak.Reseller{}, false, nil
	}
	switch c.User.Role {
	case lapak.RoleOwner:
		return lapak.Reseller{}, true, nil
	case lapak.RoleReseller:
		r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
		if err != nil && !errors.Is(err, lapak.ErrNotFound) {
			return r, false, err
		}
		if err == nil && r.Status == lapak.ResellerApproved {
			return r, true, nil
		}
	}
	c.SayText("report.not_for_you")
	return lapak.Reseller{}, false, nil
}

// report handles /laporan: with a period ("kemarin", "1/11 - 15/11", "2026-11") it sends that
// period's report; without one it asks which.
func (e *Engine) report(c *Conv, arg string) error {
	if _, ok, err := e.reportReader(c); !ok || err != nil {
		return err
	}
	c.endFlow()
	if arg == "" {
		return e.askReportPeriod(c)
	}
	z, err := e.reportZone(c)
	if err != nil {
		return err
	}
	p, err := reports.ParseChat(arg, e.now(), z)
	if err != nil {
		c.SayText("report.bad_range")
		return e.askReportPeriod(c)
	}
	return e.sendReport(c, p)
}

// askReportPeriod offers the periods to report on; owners may also set their schedule.
func (e *Engine) askReportPeriod(c *Conv) error {
	r := bot.Reply{Text: c.T("report.choose")}
	for _, name := range reports.NamedPeriods {
		r.Options = append(r.Options, bot.Option{ID: "rpt:" + name, Label: c.T("report.period." + name)})
	}
	r.Options = append(r.Options, bot.Option{ID: "rpt:range", Label: c.T("report.period.range")})
	if c.User.Role == lapak.RoleOwner {
		r.Options = append(r.Options, bot.Option{ID: "rpt:schedule", Label: c.T("report.period.schedule")})
	}
	c.Ask(r)
	return nil
}

// reportZone is the zone the user's periods are cut in: an owner's own, or the store's.
func (e *Engine) reportZone(c *Conv) (reports.Zone, error) {
	if c.User.Role != lapak.RoleOwner {
		return reports.ZoneOf(e.cfg.Location), nil
	}
	p, err := e.cfg.Reports.Schedule(c.Ctx, c.User.ID)
	if err != nil {
		return "", err
	}
	return p.Zone, nil
}

// reportChoice handles a tap on a period, the range question or the schedule.
func (e *Engine) reportChoice(c *Conv, arg string) error {
	if _, ok, err := e.reportReader(c); !ok || err != nil {
		return err
	}
	c.endFlow()
	switch arg {
	case "menu":
		return e.askReportPeriod(c)
	case "range":
		return c.Start(flowReportRange)
	case "schedule":
		if c.User.Role == lapak.RoleOwner {
			return e.showSchedule(c)
		}
	}
	z, err := e.reportZone(c)
	if err != nil {
		return err
	}
	p, ok := reports.Named(arg, e.now(), z)
	if !ok {
		c.SayText("option.expired")
		return e.askReportPeriod(c)
	}
	return e.sendReport(c, p)
}

// sendReport sends the report of p: to an owner its text, its chart as a photo and its CSV as a
// document, with a button for the Excel file; to a reseller their own report.
func (e *Engine) sendReport(c *Conv, p reports.Period) error {
	if c.User.Role != lapak.RoleOwner {
		r, ok, err := e.reportReader(c)
		if !ok || err != nil {
			return err
		}
		text, err := e.cfg.Reports.ResellerReport(c.Ctx, c.User, r, p)
		if err != nil {
			return e.reportFailed(c, err)
		}
		c.Say(bot.Reply{Text: text, Options: []bot.Option{{ID: "rpt:menu", Label: c.T("report.more")}}})
		return nil
	}
	f, err := e.cfg.Reports.OwnerReport(c.Ctx, c.User, p)
	if err != nil {
		return e.reportFailed(c, err)
	}
	c.Say(bot.Reply{Text: f.Text})
	c.Say(bot.Reply{Text: f.ChartCaption, Photo: &bot.Photo{Bytes: f.Chart}})
	more := bot.Option{ID: "rpt:menu", Label: c.T("report.more")}
	if len(f.CSV) == 0 { // too many lines for chat: the caption says how to get them
		c.Say(bot.Reply{Text: f.CSVCaption, Options: []bot.Option{more}})
		return nil
	}
	c.Say(bot.Reply{Text: f.CSVCaption, Document: &bot.Document{Name: f.CSVName, Bytes: f.CSV}, Options: []bot.Option{
		{ID: "rptx:" + p.Code(), Label: c.T("report.xlsx")}, more,
	}})
	return nil
}

// reportFailed tells the user a report could not be made when the reason is theirs to know
// (no supplier yet), and passes any other error on.
func (e *Engine) reportFailed(c *Conv, err error) error {
	var de *lapak.Error
	if errors.As(err, &de) && de.Kind != lapak.KindInternal && de.Kind != lapak.KindUnavailable {
		c.SayText(de.Key, de.Args...)
		return nil
	}
	return err
}

// reportWorkbook sends the Excel workbook of the period the button names.
func (e *Engine) reportWorkbook(c *Conv, code string) error {
	if _, ok, err := e.reportReader(c); !ok || err != nil {
		return err
	}
	if c.User.Role != lapak.RoleOwner {
		c.SayText("report.not_for_you")
		return nil
	}
	z, err := e.reportZone(c)
	if err != nil {
		return err
	}
	p, err := reports.ParsePeriod(code, z)
	if err != nil {
		c.SayText("option.expired")
		return e.askReportPeriod(c)
	}
	doc, err := e.cfg.Reports.OwnerWorkbook(c.Ctx, c.User, p)
	if err != nil {
		return e.reportFailed(c, err)
	}
	c.Say(bot.Reply{Text: c.T("report.xlsx_caption", p.Label(c.Lang())), Document: &doc})
	return nil
}

// showSchedule shows an owner's report schedule with a button per report and per zone.
func (e *Engine) showSchedule(c *Conv) error {
	p, err := e.cfg.Reports.Schedule(c.Ctx, c.User.ID)
	if err != nil {
		return err
	}
	state := func(on bool) string {
		if on {
			return c.T("report.on")
		}
		return c.T("report.off")
	}
	mark := func(on bool) string {
		if on {
			return " ✅"
		}
		return ""
	}
	r := bot.Reply{Text: c.T("report.schedule", p.Zone, state(p.Daily), state(p.Weekly), state(p.Monthly)), Options: []bot.Option{
		{ID: "rpts:daily", Label: c.T("report.opt.daily") + mark(p.Daily)},
		{ID: "rpts:weekly", Label: c.T("report.opt.weekly") + mark(p.Weekly)},
		{ID: "rpts:monthly", Label: c.T("report.opt.monthly") + mark(p.Monthly)},
	}}
	for _, z := range reports.Zones {
		r.Options = append(r.Options, bot.Option{ID: "rpts:" + string(z), Label: string(z) + mark(p.Zone == z)})
	}
	r.Options = append(r.Options, bot.Option{ID: "rpts:done", Label: c.T("report.opt.done")})
	c.Ask(r)
	return nil
}

// reportSchedule switches one of an owner's scheduled reports on or off, or sets their zone.
func (e *Engine) reportSchedule(c *Conv, arg string) error {
	if _, ok, err := e.reportReader(c); !ok || err != nil {
		return err
	}
	if c.User.Role != lapak.RoleOwner {
		c.SayText("report.not_for_you")
		return nil
	}
	if arg == "done" {
		return e.menu(c)
	}
	p, err := e.cfg.Reports.Schedule(c.Ctx, c.User.ID)
	if err != nil {
		return err
	}
	switch arg {
	case "daily":
		p.Daily = !p.Daily
	case "weekly":
		p.Weekly = !p.Weekly
	case "monthly":
		p.Monthly = !p.Monthly
	default:
		z, ok := reports.ParseZone(arg)
		if !ok {
			c.SayText("option.expired")
			return e.showSchedule(c)
		}
		p.Zone = z
	}
	if err := e.cfg.Reports.SetSchedule(c.Ctx, c.User.ID, p); err != nil {
		return e.reportFailed(c, err)
	}
	return e.showSchedule(c)
}

// cartStarted records, for the reseller's funnel, that a customer put a product in their cart.
// A failure is logged and shopping goes on: the funnel is worth less than the sale.
func (e *Engine) cartStarted(c *Conv, productID int64) {
	if e.cfg.Reports == nil {
		return
	}
	if err := e.cfg.Reports.CartStarted(c.Ctx, c.User.ID, productID); err != nil {
		e.cfg.Logger.Warn("record cart for the funnel", "chat", c.In.Chat.Masked(), "err", err)
	}
}
