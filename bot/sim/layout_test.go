package sim

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

func options(labels ...string) []bot.Option {
	out := make([]bot.Option, len(labels))
	for i, l := range labels {
		out[i] = bot.Option{ID: fmt.Sprint("o", i+1), Label: l}
	}
	return out
}

// rowsOf returns the labels of a layout's rows.
func rowsOf(l Layout) [][]string {
	var out [][]string
	for _, row := range l.Rows {
		var labels []string
		for _, b := range row {
			labels = append(labels, b.Label)
		}
		out = append(out, labels)
	}
	return out
}

func TestLayout(t *testing.T) {
	many := options("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11")
	tests := []struct {
		name    string
		channel lapak.Channel
		options []bot.Option
		style   Style
		rows    [][]string
	}{
		{"NoOptionsNoStyle", lapak.Telegram, nil, StyleNone, nil},
		{"TelegramShortLabelsShareARow", lapak.Telegram, options("Setujui", "Tolak"), StyleKeyboard, [][]string{{"Setujui", "Tolak"}}},
		{"TelegramThreeToARow", lapak.Telegram, options("A", "B", "C", "D"), StyleKeyboard, [][]string{{"A", "B", "C"}, {"D"}}},
		{
			"TelegramLongLabelGetsItsOwnRow", lapak.Telegram,
			options("Reseller menunggu", "Undang pemilik", "Bahasa", "Bantuan"), StyleKeyboard,
			[][]string{{"Reseller menunggu"}, {"Undang pemilik"}, {"Bahasa", "Bantuan"}},
		},
		{"WhatsAppUpToThreeReplyButtons", lapak.WhatsApp, options("Ya", "Ubah", "Batal"), StyleButtons, [][]string{{"Ya"}, {"Ubah"}, {"Batal"}}},
		{"WhatsAppButtonTitleCutAt20", lapak.WhatsApp, options("Lihat semua produk terbaru"), StyleButtons, [][]string{{"Lihat semua produk…"}}},
		{"WhatsAppFourOptionsMakeAList", lapak.WhatsApp, options("A", "B", "C", "D"), StyleList, [][]string{{"A"}, {"B"}, {"C"}, {"D"}}},
		{"WhatsAppListRowTitleCutAt24", lapak.WhatsApp, options("A", "B", "C", "Kopi Arabika Gayo 250 gram"), StyleList, [][]string{{"A"}, {"B"}, {"C"}, {"Kopi Arabika Gayo 250 g…"}}},
		{"WhatsAppTenRowsStillAList", lapak.WhatsApp, many[:10], StyleList, rowsOf(Layout{Rows: oneARow(many[:10], 0)})},
		{"WhatsAppMoreThanTenIsNumbered", lapak.WhatsApp, many, StyleNumbered, rowsOf(Layout{Rows: oneARow(many, 0)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := layout(tt.channel, bot.Reply{Text: "pilih", Options: tt.options})
			if l.Style != tt.style {
				t.Errorf("style = %q, want %q", l.Style, tt.style)
			}
			if got := rowsOf(l); !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows = %q, want %q", got, tt.rows)
			}
		})
	}
}

func TestLayoutKeepsOptionIDs(t *testing.T) {
	for _, ch := range []lapak.Channel{lapak.Telegram, lapak.WhatsApp} {
		l := layout(ch, bot.Reply{Options: options("Kopi Arabika Gayo 250 gram", "Teh")})
		if got := l.Rows[0][0].ID; got != "o1" {
			t.Errorf("%s: first button id = %q, want o1", ch, got)
		}
	}
}

func TestLayoutLinksComeAfterOptions(t *testing.T) {
	r := bot.Reply{Options: options("Bayar"), Links: []bot.Link{{Label: "Buka invoice", URL: "https://checkout.example/inv"}}}
	for _, ch := range []lapak.Channel{lapak.Telegram, lapak.WhatsApp} {
		l := layout(ch, r)
		want := []Button{{Label: "Buka invoice", URL: "https://checkout.example/inv"}}
		if !reflect.DeepEqual(l.Links, want) {
			t.Errorf("%s: links = %+v, want %+v", ch, l.Links, want)
		}
	}
}
