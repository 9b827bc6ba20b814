package whatsapp

import (
	"context"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/menus"
)

// handle is the adapter's one event handler. It returns false only for a message that could not
// be handled, so that WhatsApp delivers it again.
func (a *Adapter) handle(evt any) bool {
	switch v := evt.(type) {
	case *events.Message:
		return a.receive(v)
	case *events.Connected:
		a.connected()
	case *events.Disconnected:
		a.setDown(ErrNotConnected)
	case *events.LoggedOut, *events.ClientOutdated, *events.TemporaryBan, *events.ConnectFailure,
		*events.StreamReplaced, *events.CATRefreshError:
		a.stop(stopOf(v))
	}
	return true
}

// stopOf says why a permanent disconnect stops sending, and what the owners are told.
func stopOf(evt any) *StoppedError {
	switch v := evt.(type) {
	case *events.LoggedOut:
		return &StoppedError{Reason: "logged out: " + v.Reason.String(), Key: "whatsapp.alert.logged_out"}
	case *events.ClientOutdated:
		return &StoppedError{Reason: "client outdated", Key: "whatsapp.alert.outdated"}
	case *events.TemporaryBan:
		if v.Expire <= 0 {
			return &StoppedError{Reason: v.String(), Key: "whatsapp.alert.banned", Args: []any{int(v.Code)}}
		}
		hours := int((v.Expire + time.Hour - 1) / time.Hour)
		return &StoppedError{Reason: v.String(), Key: "whatsapp.alert.banned_for", Args: []any{int(v.Code), hours}}
	case *events.ConnectFailure:
		return &StoppedError{Reason: "connect failure: " + v.Reason.String(), Key: "whatsapp.alert.failed", Args: []any{v.Reason.String()}}
	case *events.StreamReplaced:
		return &StoppedError{Reason: "stream replaced by another connection with the same keys", Key: "whatsapp.alert.replaced"}
	case *events.CATRefreshError:
		return &StoppedError{Reason: "CAT refresh failed", Key: "whatsapp.alert.failed", Args: []any{"CAT refresh failed"}}
	}
	return nil
}

// stop stops sending and alerts the owners.
func (a *Adapter) stop(s *StoppedError) {
	a.setDown(s)
	a.cfg.Logger.Error("whatsapp stopped; messages are not sent until it is fixed", "reason", s.Reason)
	a.alert(s.Key, s.Args...)
}

// connected allows sending again, and tells the owners when WhatsApp had stopped.
func (a *Adapter) connected() {
	a.mu.Lock()
	_, wasStopped := a.down.(*StoppedError)
	a.down = nil
	a.mu.Unlock()
	a.cfg.Logger.Info("connected to WhatsApp")
	if wasStopped {
		a.alert("whatsapp.alert.back")
	}
}

// receive dispatches a customer's message and waits until it was handled.
func (a *Adapter) receive(evt *events.Message) bool {
	in, ok := ToInbound(evt)
	if !ok {
		return true
	}
	a.mu.Lock()
	ctx, d, lids, wa := a.ctx, a.d, a.lids, a.wa
	a.mu.Unlock()
	if in.UserID == in.Chat.ChatID {
		phone, err := PhoneOf(ctx, lids, evt.Info.Chat)
		if err != nil {
			a.cfg.Logger.Warn("find a customer's phone number", "chat", maskJID(in.Chat.ChatID), "err", err)
		}
		if phone != "" {
			in.UserID = phone
		}
	}
	if err := a.cfg.Seen.Saw(ctx, in.Chat.ChatID, a.cfg.Clock.Now()); err != nil {
		a.cfg.Logger.Warn("message not handled, whatsapp delivers it again", "chat", maskJID(in.Chat.ChatID), "update_id", in.UpdateID, "err", err)
		return false
	}
	a.pickOption(ctx, &in)
	a.acknowledge(ctx, wa, evt.Info)
	if err := <-d.Dispatch(ctx, in); err != nil {
		a.cfg.Logger.Warn("message not handled, whatsapp delivers it again", "chat", maskJID(in.Chat.ChatID), "update_id", in.UpdateID, "err", err)
		return false
	}
	return true
}

// pickOption reads a typed number or label of the chat's last menu as that option.
func (a *Adapter) pickOption(ctx context.Context, in *bot.Inbound) {
	if in.Kind != bot.KindText {
		return
	}
	opts, err := a.cfg.Menus.Load(ctx, in.Chat.ChatID)
	if err != nil {
		a.cfg.Logger.Warn("load the chat's menu; reading the answer as text", "chat", maskJID(in.Chat.ChatID), "err", err)
		return
	}
	if o, ok := menus.Match(opts, in.Text); ok {
		in.Kind, in.Option, in.Text = bot.KindOption, o.ID, o.Label
	}
}

// acknowledge marks the message read and shows "typing…", as a person's phone would. Both are
// best effort.
func (a *Adapter) acknowledge(ctx context.Context, wa client, info types.MessageInfo) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := wa.MarkRead(ctx, []types.MessageID{info.ID}, a.cfg.Clock.Now(), info.Chat, info.Sender); err != nil {
		a.cfg.Logger.Debug("mark message read", "err", err)
	}
	if err := wa.SendChatPresence(ctx, info.Chat, types.ChatPresenceComposing, types.ChatPresenceMediaText); err != nil {
		a.cfg.Logger.Debug("show typing", "err", err)
	}
}
