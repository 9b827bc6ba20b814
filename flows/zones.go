package flows

import (
	"fmt"
	"strings"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

const flowZones = "zones"

// zones lets an owner set the flat shipping fee per area, all at once, one area a line.
var zones = &Flow[struct{}]{
	Name:  flowZones,
	Steps: []Step[struct{}]{{Name: "zones", Ask: askZones, Answer: answerZones}},
}

func askZones(c *Conv, _ *struct{}) bot.Reply {
	current, _ := c.e.cfg.Orders.ShippingZones(c.Ctx)
	now := c.T("zones.none")
	if len(current) > 0 {
		now = zoneList(current)
	}
	return bot.Reply{Text: c.T("zones.ask", now), Options: []bot.Option{{ID: "free", Label: c.T("zones.free")}}}
}

func zoneList(zs []lapak.ShippingZone) string {
	var lines []string
	for _, z := range zs {
		lines = append(lines, fmt.Sprintf("%s: %s", z.Name, z.Fee))
	}
	return strings.Join(lines, "\n")
}

// parseZones reads "Jawa: 15rb" lines; a name is 2–40 characters, a fee what ParsePrice takes.
func parseZones(text string) ([]lapak.ShippingZone, string, bool) {
	var out []lapak.ShippingZone
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, fee, ok := strings.Cut(line, ":")
		name = strings.Join(strings.Fields(name), " ")
		if !ok || len([]rune(name)) < 2 || len([]rune(name)) > 40 {
			return nil, line, false
		}
		m, err := lapak.ParsePrice(fee)
		if err != nil {
			return nil, line, false
		}
		out = append(out, lapak.ShippingZone{Name: name, Fee: m})
	}
	return out, "", len(out) > 0 && len(out) <= 10
}

func answerZones(c *Conv, _ *struct{}, in bot.Inbound) Result {
	var zs []lapak.ShippingZone
	if !(in.Kind == bot.KindOption && in.Option == "free") {
		var bad string
		var ok bool
		if zs, bad, ok = parseZones(in.Text); !ok || in.Kind != bot.KindText {
			return Retry("zones.bad", strings.TrimSpace(clip(bad, 60)))
		}
	}
	if err := c.e.cfg.Orders.SetShippingZones(c.Ctx, zs); err != nil {
		return retryErr(c, err, "zones.bad")
	}
	if len(zs) == 0 {
		c.SayText("zones.cleared")
	} else {
		c.SayText("zones.saved", zoneList(zs))
	}
	return Done()
}
