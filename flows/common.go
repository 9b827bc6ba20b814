package flows

import (
	"errors"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// registerCommon adds the commands that work from any step, the menu and the language switch.
func (e *Engine) registerCommon() {
	e.commands["start"] = e.start
	e.commands["menu"] = func(c *Conv, _ string) error { c.endFlow(); return e.menu(c) }
	e.commands["help"] = e.help
	e.commands["bantuan"] = e.help
	e.commands["cancel"] = e.cancel
	e.commands["batal"] = e.cancel
	e.commands["bahasa"] = e.chooseLang
	e.commands["language"] = e.chooseLang
	e.actions["m"] = e.menuChoice
	e.actions["lang"] = e.setLang
}

// start greets each role; a new user on Telegram starts reseller registration, and a start link
// may carry an owner invite.
func (e *Engine) start(c *Conv, payload string) error {
	c.endFlow()
	if token, ok := strings.CutPrefix(payload, invitePrefix); ok {
		return e.acceptInvite(c, token)
	}
	if rest, ok := strings.CutPrefix(payload, buyPrefix); ok {
		if handled, err := e.startBuy(c, rest); handled || err != nil {
			return err
		}
	}
	switch c.User.Role {
	case lapak.RoleOwner:
		c.SayText("greet.owner", firstName(c.User.Name))
		return e.menu(c)
	case lapak.RoleReseller:
		r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
		if err != nil {
			return err
		}
		c.SayText("greet.reseller", firstName(r.Name), r.Code)
		return e.menu(c)
	}
	if c.In.Chat.Channel == lapak.WhatsApp {
		if e.isCustomerChat(c) {
			return e.customerMessage(c)
		}
		c.SayText("greet.customer")
		return e.menu(c)
	}
	r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
	switch {
	case err == nil && r.Status == lapak.ResellerPending:
		return e.menu(c)
	case err != nil && !errors.Is(err, lapak.ErrNotFound):
		return err
	}
	c.SayText("onboard.welcome")
	return c.Start(flowOnboarding)
}

// menu shows what the user can do, by role.
func (e *Engine) menu(c *Conv) error {
	role := c.User.Role
	title := "menu.title." + string(role)
	var opts []bot.Option
	opt := func(id, key string) { opts = append(opts, bot.Option{ID: "m:" + id, Label: c.T(key)}) }
	switch role {
	case lapak.RoleOwner:
		if e.catalogReady() {
			opt("addprod", "menu.add_product")
			opt("products", "menu.products")
		}
		if e.shopReady() {
			opt("zones", "menu.zones")
		}
		opts = append(opts, e.fulfilmentMenu(c)...)
		opts = append(opts, e.payoutMenu(c)...)
		if e.reportsReady() {
			opt("report", "menu.report")
		}
		opt("pending", "menu.pending")
		opt("invite", "menu.invite_owner")
	case lapak.RoleReseller:
		if e.catalogReady() {
			opt("catalog", "menu.catalog")
			opt("search", "menu.search")
			opt("markup", "menu.markup")
			if e.cfg.PublicURL != "" {
				opt("shop", "menu.shop")
			}
		}
		opts = append(opts, e.fulfilmentMenu(c)...)
		opts = append(opts, e.payoutMenu(c)...)
		if e.reportsReady() {
			opt("report", "menu.report")
		}
		opt("code", "menu.my_code")
	case lapak.RoleCustomer:
		if e.isCustomerChat(c) {
			return e.customerMenu(c)
		}
		if c.In.Chat.Channel == lapak.WhatsApp {
			title = "menu.title.customer"
			break
		}
		fallthrough
	default:
		title = "menu.title.guest"
		r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
		if err != nil && !errors.Is(err, lapak.ErrNotFound) {
			return err
		}
		if err == nil && r.Status == lapak.ResellerPending {
			title = "menu.title.pending"
		} else {
			opt("register", "menu.register")
		}
	}
	opt("lang", "menu.language")
	opt("help", "menu.help")
	c.Ask(bot.Reply{Text: c.T(title), Options: opts})
	return nil
}

// menuChoice handles a tap on a menu option, checking the role again: menus can be old.
func (e *Engine) menuChoice(c *Conv, choice string) error {
	c.endFlow()
	owner := c.User.Role == lapak.RoleOwner
	reseller := c.User.Role == lapak.RoleReseller
	switch {
	case choice == "lang":
		return e.chooseLang(c, "")
	case choice == "help":
		return e.help(c, "")
	case choice == "register" && c.User.Role == lapak.RoleCustomer && c.In.Chat.Channel != lapak.WhatsApp:
		return e.start(c, "")
	case choice == "code" && reseller:
		r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
		if err != nil {
			return err
		}
		c.SayText("onboard.my_code", r.Code)
		return nil
	case choice == "addprod" && owner && e.catalogReady():
		return c.Start(flowAddProduct)
	case (choice == "products" && owner || choice == "catalog" && reseller) && e.catalogReady():
		return c.Start(flowBrowse)
	case choice == "search" && reseller && e.catalogReady():
		c.SayText("browse.ask_search")
		return c.StartWith(flowBrowse, &browsing{Chosen: true, Search: ""})
	case choice == "markup" && reseller && e.catalogReady():
		return c.Start(flowMarkup)
	case choice == "shop" && reseller && e.cfg.PublicURL != "":
		r, err := e.cfg.Resellers.ResellerByUser(c.Ctx, c.User.ID)
		if err != nil {
			return err
		}
		c.SayText("resell.shop_link", e.cfg.PublicURL+"/r/"+r.Code)
		return nil
	case choice == "zones" && owner && e.shopReady():
		return c.Start(flowZones)
	case choice == "pending" && owner:
		return e.listPending(c)
	case choice == "invite" && owner:
		return e.invite(c)
	case choice == "report" && (owner || reseller) && e.reportsReady():
		return e.report(c, "")
	}
	if handled, err := e.fulfilmentChoice(c, choice); handled {
		return err
	}
	if handled, err := e.payoutChoice(c, choice); handled {
		return err
	}
	c.SayText("option.expired")
	return e.menu(c)
}

func (e *Engine) help(c *Conv, _ string) error {
	switch c.User.Role {
	case lapak.RoleOwner:
		c.SayText("help.owner")
	case lapak.RoleReseller:
		c.SayText("help.reseller")
	default:
		if c.In.Chat.Channel == lapak.WhatsApp {
			c.SayText("help.customer")
			break
		}
		c.SayText("help.guest")
	}
	return e.reask(c)
}

func (e *Engine) cancel(c *Conv, _ string) error {
	if !c.InFlow() {
		c.SayText("cmd.nothing")
		return e.menu(c)
	}
	c.endFlow()
	c.SayText("cmd.cancelled")
	return e.menu(c)
}

func (e *Engine) chooseLang(c *Conv, arg string) error {
	if lang, ok := lapak.ParseLang(strings.ToLower(arg)); ok {
		return e.setLang(c, string(lang))
	}
	c.Say(bot.Reply{Text: c.T("lang.choose"), Options: []bot.Option{
		{ID: "lang:id", Label: c.T("lang.id")},
		{ID: "lang:en", Label: c.T("lang.en")},
	}})
	return nil
}

func (e *Engine) setLang(c *Conv, code string) error {
	lang, ok := lapak.ParseLang(code)
	if !ok {
		c.SayText("option.expired")
		return e.reask(c)
	}
	if err := e.cfg.Users.SetLang(c.Ctx, c.User.ID, lang); err != nil {
		return err
	}
	c.User.Lang = lang
	c.SayText("lang.set")
	return e.reask(c)
}

// firstName is the first word of a name, for a friendly greeting.
func firstName(name string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	if first == "" {
		return "Kak"
	}
	return first
}
