package wacloud

import (
	"context"
	"time"

	"github.com/lapak-id/lapak/bot"
)

// Menus remembers the options Lapak last offered in each chat, so that a number or a label typed
// back chooses one. Save with no options forgets the chat's menu. Package bot/menus has the
// memory and Redis implementations and the matching rule.
type Menus interface {
	Save(ctx context.Context, chat string, opts []bot.Option) error
	Load(ctx context.Context, chat string) ([]bot.Option, error)
}

// menuTTL is how long a menu is remembered: as long as the customer-service window lasts.
const menuTTL = 24 * time.Hour
