package xendit

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/lapak-id/lapak"
)

// Payout channel categories.
const (
	ChannelBank    = "BANK"
	ChannelEwallet = "EWALLET"
	ChannelOTC     = "OTC"
)

// PayoutChannel is a bank or e-wallet Xendit can pay out to
// (https://docs.xendit.co/apidocs/get-payout-channels).
type PayoutChannel struct {
	ChannelCode     string       `json:"channel_code"`     // such as ID_BCA
	ChannelCategory string       `json:"channel_category"` // ChannelBank, ChannelEwallet or ChannelOTC
	Currency        string       `json:"currency"`
	ChannelName     string       `json:"channel_name"` // such as Bank Central Asia (BCA)
	AmountLimits    AmountLimits `json:"amount_limits"`
}

// AmountLimits bounds a payout's amount on one channel.
type AmountLimits struct {
	Minimum          lapak.Money `json:"minimum"`
	Maximum          lapak.Money `json:"maximum"`
	MinimumIncrement lapak.Money `json:"minimum_increment"` // the amount must be a multiple of it
}

// PayoutChannels lists the channels that take payouts in currency (default IDR), sorted by
// channel code (GET /payouts_channels?currency=). Xendit advises reading this list rather than
// hard-coding bank codes.
func (c *Client) PayoutChannels(ctx context.Context, currency string) ([]PayoutChannel, error) {
	if currency == "" {
		currency = "IDR"
	}
	var list []PayoutChannel
	r := request{
		method: http.MethodGet,
		path:   "/payouts_channels",
		query:  url.Values{"currency": {currency}},
		retry:  true,
	}
	if err := c.do(ctx, r, &list); err != nil {
		return nil, fmt.Errorf("list payout channels %s: %w", currency, err)
	}
	return list, nil
}
