package xendittest

import (
	"net/http"
	"slices"
	"strings"
)

// PayoutChannel is one entry of GET /payouts_channels
// (https://docs.xendit.co/apidocs/get-payout-channels).
type PayoutChannel struct {
	ChannelCode     string       `json:"channel_code"`
	ChannelCategory string       `json:"channel_category"`
	Currency        string       `json:"currency"`
	ChannelName     string       `json:"channel_name"`
	AmountLimits    AmountLimits `json:"amount_limits"`
}

// AmountLimits bounds a payout's amount on one channel.
type AmountLimits struct {
	Minimum          int64 `json:"minimum"`
	Maximum          int64 `json:"maximum"`
	MinimumIncrement int64 `json:"minimum_increment"`
}

// Bank limits are those of the API reference's ID_BSI example. E-wallets are capped at Bank
// Indonesia's Rp20.000.000 balance limit for registered accounts.
var (
	bankLimits    = AmountLimits{Minimum: 10_000, Maximum: 1_999_999_999_999, MinimumIncrement: 1}
	ewalletLimits = AmountLimits{Minimum: 10_000, Maximum: 20_000_000, MinimumIncrement: 1}
)

// channels are the Indonesian payout channels the fake accepts, sorted by code as Xendit sorts
// them. Codes and names follow Xendit's Indonesian channel list.
var channels = func() []PayoutChannel {
	banks := [][2]string{
		{"ID_ALLO", "Allo Bank Indonesia"},
		{"ID_BALI", "Bank Pembangunan Daerah Bali"},
		{"ID_BCA", "Bank Central Asia (BCA)"},
		{"ID_BCA_DIGITAL", "Bank Central Asia Digital (BluBCA)"},
		{"ID_BCA_SYR", "Bank Central Asia (BCA) Syariah"},
		{"ID_BJB", "Bank BJB"},
		{"ID_BJB_SYR", "Bank BJB Syariah"},
		{"ID_BNC", "Bank Neo Commerce"},
		{"ID_BNI", "Bank Negara Indonesia (BNI)"},
		{"ID_BRI", "Bank Rakyat Indonesia (BRI)"},
		{"ID_BSI", "Bank Syariah Indonesia (BSI)"},
		{"ID_BTN", "Bank Tabungan Negara (BTN)"},
		{"ID_BUKOPIN", "Bank Bukopin"},
		{"ID_CIMB", "Bank CIMB Niaga"},
		{"ID_CIMB_UUS", "Bank CIMB Niaga Syariah (UUS)"},
		{"ID_DANAMON", "Bank Danamon"},
		{"ID_DANAMON_UUS", "Bank Danamon Syariah (UUS)"},
		{"ID_DBS", "Bank DBS Indonesia"},
		{"ID_DKI", "Bank DKI"},
		{"ID_HANA", "Bank Hana"},
		{"ID_HSBC", "HSBC Indonesia"},
		{"ID_JAGO", "Bank Jago"},
		{"ID_JAWA_TENGAH", "Bank Pembangunan Daerah Jawa Tengah"},
		{"ID_JAWA_TIMUR", "Bank Pembangunan Daerah Jawa Timur"},
		{"ID_MANDIRI", "Bank Mandiri"},
		{"ID_MAYAPADA", "Bank Mayapada International"},
		{"ID_MAYBANK", "Bank Maybank"},
		{"ID_MEGA", "Bank Mega"},
		{"ID_MUAMALAT", "Bank Muamalat Indonesia"},
		{"ID_NATIONALNOBU", "Bank Nationalnobu"},
		{"ID_OCBC", "Bank OCBC NISP"},
		{"ID_PANIN", "Bank Panin"},
		{"ID_PERMATA", "Bank Permata"},
		{"ID_SAHABAT_SAMPOERNA", "Bank Sahabat Sampoerna"},
		{"ID_SEABANK", "Bank Seabank Indonesia"},
		{"ID_SINARMAS", "Bank Sinarmas"},
	}
	wallets := [][2]string{
		{"ID_DANA", "DANA"},
		{"ID_GOPAY", "GoPay"},
		{"ID_LINKAJA", "LinkAja"},
		{"ID_OVO", "OVO"},
		{"ID_SHOPEEPAY", "ShopeePay"},
	}
	var out []PayoutChannel
	for _, b := range banks {
		out = append(out, PayoutChannel{b[0], "BANK", "IDR", b[1], bankLimits})
	}
	for _, e := range wallets {
		out = append(out, PayoutChannel{e[0], "EWALLET", "IDR", e[1], ewalletLimits})
	}
	slices.SortFunc(out, func(a, b PayoutChannel) int { return strings.Compare(a.ChannelCode, b.ChannelCode) })
	return out
}()

// channelByCode finds a payout channel.
func channelByCode(code string) (PayoutChannel, bool) {
	i := slices.IndexFunc(channels, func(c PayoutChannel) bool { return c.ChannelCode == code })
	if i < 0 {
		return PayoutChannel{}, false
	}
	return channels[i], true
}

// listChannels handles GET /payouts_channels?currency=&channel_category=&channel_code=, each
// filter optional; an unmatched filter gives an empty array.
func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	out := []PayoutChannel{}
	for _, c := range channels {
		if matches(q.Get("currency"), c.Currency) && matchesAny(q["channel_category"], c.ChannelCategory) &&
			matches(q.Get("channel_code"), c.ChannelCode) {
			out = append(out, c)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// matches reports whether a comma-separated filter is empty or lists v.
func matches(filter, v string) bool {
	if filter == "" {
		return true
	}
	for f := range strings.SplitSeq(filter, ",") {
		if strings.TrimSpace(f) == v {
			return true
		}
	}
	return false
}

// matchesAny is matches for a repeated query parameter.
func matchesAny(filters []string, v string) bool {
	if len(filters) == 0 {
		return true
	}
	return slices.ContainsFunc(filters, func(f string) bool { return matches(f, v) })
}
