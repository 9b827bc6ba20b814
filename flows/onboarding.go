package flows

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
)

const flowOnboarding = "onboarding"

// registration is what a new reseller tells us.
type registration struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	City  string `json:"city"`
}

// onboarding registers a reseller: name, phone, city, then the owners decide.
var onboarding = &Flow[registration]{
	Name: flowOnboarding,
	Steps: []Step[registration]{
		{
			Name: "name",
			Ask:  func(c *Conv, _ *registration) bot.Reply { return bot.Reply{Text: c.T("onboard.ask_name")} },
			Answer: func(c *Conv, d *registration, in bot.Inbound) Result {
				name, ok := cleanName(in.Text, 60)
				if !ok || in.Kind != bot.KindText {
					return Retry("onboard.bad_name")
				}
				d.Name = name
				return Next()
			},
		},
		{
			Name: "phone",
			Ask:  func(c *Conv, _ *registration) bot.Reply { return bot.Reply{Text: c.T("onboard.ask_phone")} },
			Answer: func(c *Conv, d *registration, in bot.Inbound) Result {
				p, ok := lapak.ParsePhone(in.Text)
				if !ok || in.Kind != bot.KindText {
					return Retry("onboard.bad_phone")
				}
				d.Phone = string(p)
				return Next()
			},
		},
		{
			Name: "city",
			Ask:  func(c *Conv, _ *registration) bot.Reply { return bot.Reply{Text: c.T("onboard.ask_city")} },
			Answer: func(c *Conv, d *registration, in bot.Inbound) Result {
				city, ok := cleanName(in.Text, 50)
				if !ok || in.Kind != bot.KindText {
					return Retry("onboard.bad_city")
				}
				d.City = city
				return Next()
			},
		},
	},
	Finish: submitRegistration,
}

// submitRegistration records the registration and sends every owner an approval card, in one
// transaction, then tells the reseller to wait.
func submitRegistration(c *Conv, d *registration) error {
	owners, err := c.e.cfg.Users.Owners(c.Ctx)
	if err != nil {
		return err
	}
	r := lapak.Reseller{UserID: c.User.ID, Name: d.Name, Phone: lapak.Phone(d.Phone), City: d.City}
	cards := make([]bot.Outbound, 0, len(owners))
	for _, o := range owners {
		cards = append(cards, approvalCard(o, r, c.User.Name))
	}
	_, err = c.e.cfg.Resellers.SubmitReseller(c.Ctx, r, cards)
	if lapak.KindOf(err) == lapak.KindConflict {
		c.SayText("onboard.already")
		return nil
	}
	if err != nil {
		return err
	}
	c.SayText("onboard.submitted", firstName(d.Name))
	return nil
}

// approvalCard asks an owner to approve or reject r. Its options name the reseller's user ID;
// the action checks again, when tapped, that the tapper is an owner and r is still pending.
func approvalCard(owner lapak.User, r lapak.Reseller, handle string) bot.Outbound {
	id := strconv.FormatInt(r.UserID, 10)
	return bot.Outbound{To: Address(owner), Reply: bot.Reply{
		Text: i18n.T(owner.Lang, "onboard.card", r.Name, string(r.Phone), r.City, handle),
		Options: []bot.Option{
			{ID: "rs:ok:" + id, Label: i18n.T(owner.Lang, "onboard.approve")},
			{ID: "rs:no:" + id, Label: i18n.T(owner.Lang, "onboard.reject")},
		},
	}}
}

func (e *Engine) registerOnboarding() {
	e.addFlow(onboarding)
	e.actions["rs"] = e.decideReseller
}

// decideReseller handles an owner's tap on an approval card: rs:ok:<userID> or rs:no:<userID>.
func (e *Engine) decideReseller(c *Conv, arg string) error {
	verdict, idText, _ := strings.Cut(arg, ":")
	userID, err := strconv.ParseInt(idText, 10, 64)
	if c.User.Role != lapak.RoleOwner {
		return lapak.Errorf(lapak.KindForbidden, "error.forbidden")
	}
	if err == nil && (verdict == "ok" || verdict == "no") {
		_, err = e.cfg.Users.User(c.Ctx, userID)
	}
	if err != nil && !errors.Is(err, lapak.ErrNotFound) {
		return err
	}
	if err != nil || (verdict != "ok" && verdict != "no") {
		c.SayText("option.expired")
		return e.reask(c)
	}
	approved := verdict == "ok"
	reseller, err := e.cfg.Users.User(c.Ctx, userID)
	if err != nil {
		return err
	}
	r, err := e.cfg.Resellers.DecideReseller(c.Ctx, userID, c.User.ID, approved, func(r lapak.Reseller) []bot.Outbound {
		if approved {
			return []bot.Outbound{To(reseller, "onboard.approved", r.Code)}
		}
		return []bot.Outbound{To(reseller, "onboard.rejected")}
	})
	switch {
	case errors.Is(err, lapak.ErrDecided):
		c.SayText("onboard.decided", r.Name, c.T("onboard.status."+string(r.Status)))
		return nil
	case errors.Is(err, lapak.ErrNotFound):
		c.SayText("option.expired")
		return e.reask(c)
	case err != nil:
		return err
	}
	if approved {
		c.SayText("onboard.done_approve", r.Name, r.Code)
	} else {
		c.SayText("onboard.done_reject", r.Name)
	}
	return nil
}

// listPending shows an owner every registration still waiting, each with its card.
func (e *Engine) listPending(c *Conv) error {
	pending, err := e.cfg.Resellers.PendingResellers(c.Ctx, 10)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		c.SayText("onboard.none_pending")
		return e.menu(c)
	}
	for _, r := range pending {
		c.out = append(c.out, approvalCard(c.User, r, "-"))
	}
	return nil
}

// cleanName trims and collapses spaces and accepts 2 to max characters with at least two
// letters and no control characters, so emoji-only or empty names are refused.
func cleanName(s string, max int) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	letters := 0
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	n := utf8.RuneCountInString(s)
	if letters < 2 || n < 2 || n > max || strings.HasPrefix(s, "/") {
		return "", false
	}
	return s, true
}
