package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// statementPeriod is the reseller whose statement is asked for.
type statementPeriod struct {
	ResellerID int64 `json:"reseller_id"`
}

// payoutStatement asks which month, then shows the reseller's statement for it.
var payoutStatement = &Flow[statementPeriod]{
	Name: flowStatement,
	Steps: []Step[statementPeriod]{{
		Name: "period",
		Ask: func(c *Conv, _ *statementPeriod) bot.Reply {
			return bot.Reply{Text: c.T("payout.ask_period"), Options: []bot.Option{
				{ID: "this", Label: c.T("payout.period_this")},
				{ID: "last", Label: c.T("payout.period_last")},
			}}
		},
		Answer: answerStatementPeriod,
	}},
}

// statementCmd handles /riwayat.
func (e *Engine) statementCmd(c *Conv, _ string) error {
	r, ok, err := e.payoutReseller(c)
	if !ok || err != nil {
		return err
	}
	return c.StartWith(flowStatement, &statementPeriod{ResellerID: r.ID})
}

func answerStatementPeriod(c *Conv, d *statementPeriod, in bot.Inbound) Result {
	loc, err := c.e.cfg.Payouts.PayoutZone(c.Ctx)
	if err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	now := c.e.now().In(loc)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	switch {
	case in.Kind == bot.KindOption && in.Option == "last":
		month = month.AddDate(0, -1, 0)
	case in.Kind == bot.KindOption && in.Option == "this":
	default:
		m, ok := parseStatementMonth(in.Text, loc)
		if in.Kind != bot.KindText || !ok {
			return Retry("payout.bad_period")
		}
		month = m
	}
	st, err := c.e.cfg.Payouts.Statement(c.Ctx, d.ResellerID, month, month.AddDate(0, 1, 0))
	if err != nil {
		return retryErr(c, err, "error.unavailable")
	}
	c.Say(bot.Reply{Text: payoutStatementText(c, st, loc)})
	return Done()
}

// parseMonth reads a month as 03/2025, 3-2025 or 2025-03.
func parseStatementMonth(s string, loc *time.Location) (time.Time, bool) {
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == '/' || r == '-' || r == ' ' || r == '.' })
	if len(parts) != 2 {
		return time.Time{}, false
	}
	if len(parts[0]) == 4 {
		parts[0], parts[1] = parts[1], parts[0]
	}
	m, err1 := strconv.Atoi(parts[0])
	y, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || y < 2000 || y > 2100 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc), true
}

// payoutStatementText shows a statement: the balances, the totals, and the latest movements.
func payoutStatementText(c *Conv, st lapak.Statement, loc *time.Location) string {
	last := st.To.Add(-time.Nanosecond).In(loc)
	text := c.T("payout.statement", st.From.In(loc).Format("02/01"), last.Format("02/01/2006"),
		st.Opening, st.Credits, st.Clawbacks, st.Payouts, st.Reversals, st.Closing)
	if len(st.Lines) == 0 {
		return text + "\n\n" + c.T("payout.statement_empty")
	}
	lines := []string{c.T("payout.statement_lines")}
	for _, l := range st.Lines {
		what := c.T("payout.line."+string(l.Kind), payoutFirst(l.OrderRef, l.Payout))
		lines = append(lines, l.At.In(loc).Format("02/01")+" "+what+" "+payoutSigned(l.Amount))
	}
	if st.More > 0 {
		lines = append(lines, c.T("payout.statement_more", st.More))
	}
	return text + "\n\n" + strings.Join(lines, "\n")
}

// signed shows an amount with its sign: +Rp30.000, -Rp100.000.
func payoutSigned(m lapak.Money) string {
	if m > 0 {
		return "+" + m.String()
	}
	return m.String()
}

// firstOf returns the first of ss that is not empty.
func payoutFirst(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return "-"
}
