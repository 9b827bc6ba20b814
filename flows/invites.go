package flows

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// invitePrefix starts the payload of an owner invite link: t.me/<bot>?start=own_<token>.
const invitePrefix = "own_"

// inviteTTL is how long an owner invite works.
const inviteTTL = 7 * 24 * time.Hour

// invite makes a single-use link that turns whoever opens it into an owner.
func (e *Engine) invite(c *Conv) error {
	b := make([]byte, 16)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := e.cfg.Invites.CreateInvite(c.Ctx, token, c.User.ID, e.now().Add(inviteTTL)); err != nil {
		return err
	}
	c.SayText("invite.link", e.cfg.InviteLink(token))
	return nil
}

// acceptInvite makes the user an owner with a valid invite and tells the other owners.
func (e *Engine) acceptInvite(c *Conv, token string) error {
	if c.User.Role == lapak.RoleOwner {
		c.SayText("greet.owner", firstName(c.User.Name))
		return e.menu(c)
	}
	owners, err := e.cfg.Users.Owners(c.Ctx)
	if err != nil {
		return err
	}
	notify := make([]bot.Outbound, 0, len(owners))
	for _, o := range owners {
		notify = append(notify, To(o, "invite.joined", c.User.Name))
	}
	if err := e.cfg.Invites.UseInvite(c.Ctx, clip(token, 64), c.User.ID, notify); err != nil {
		return err
	}
	c.User.Role = lapak.RoleOwner
	c.SayText("invite.welcome", firstName(c.User.Name))
	return e.menu(c)
}
