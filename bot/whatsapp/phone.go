package whatsapp

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/types"
)

// LIDs finds the phone number behind a LID. The device store's LIDs (store.LIDStore) is one: it
// learns each pair whenever a message carries both.
type LIDs interface {
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
}

// PhoneOf returns the phone number, in international digits, of the WhatsApp user jid: its own
// user part for a phone-number JID, the number lids knows for a LID, and "" when none is known,
// which is not an error: WhatsApp does not always tell a LID's number.
func PhoneOf(ctx context.Context, lids LIDs, jid types.JID) (string, error) {
	switch jid.Server {
	case types.DefaultUserServer:
		return jid.User, nil
	case types.HiddenUserServer:
		if lids == nil {
			return "", nil
		}
		pn, err := lids.GetPNForLID(ctx, jid.ToNonAD())
		if err != nil {
			return "", fmt.Errorf("look up phone number of %s: %w", maskJID(jid.String()), err)
		}
		if pn.Server != types.DefaultUserServer {
			return "", nil
		}
		return pn.User, nil
	}
	return "", nil
}
