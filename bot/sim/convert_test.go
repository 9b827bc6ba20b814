package sim

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

var (
	ownerPane    = Pane{ID: "owner", Chat: bot.Address{Channel: lapak.Telegram, ChatID: "1001"}, UserID: "1001", UserName: "Bu Rina", LangCode: "id"}
	customerPane = Pane{ID: "customer", Chat: bot.Address{Channel: lapak.WhatsApp, ChatID: "6281200000001"}, UserID: "6281200000001", UserName: "Dewi"}
)

func TestToInbound(t *testing.T) {
	menu := []bot.Option{{ID: "p:1", Label: "Kopi Arabika"}, {ID: "p:2", Label: "Teh Melati"}}
	tests := []struct {
		name   string
		pane   Pane
		action Action
		menu   []bot.Option
		want   bot.Inbound
		err    error
	}{
		{
			name:   "TypedTextOnTelegram",
			pane:   ownerPane,
			action: Action{Pane: "owner", Text: "/start"},
			want:   bot.Inbound{Chat: ownerPane.Chat, UserID: "1001", UserName: "Bu Rina", LangCode: "id", UpdateID: "u1", Kind: bot.KindText, Text: "/start"},
		},
		{
			name:   "TextIsSentAsTyped",
			pane:   customerPane,
			action: Action{Pane: "customer", Text: "  halo  "},
			want:   bot.Inbound{Chat: customerPane.Chat, UserID: "6281200000001", UserName: "Dewi", UpdateID: "u1", Kind: bot.KindText, Text: "  halo  "},
		},
		{
			name:   "TappedOptionCarriesItsLabel",
			pane:   ownerPane,
			action: Action{Pane: "owner", Option: "rs:ok:7", Label: "Setujui"},
			want:   bot.Inbound{Chat: ownerPane.Chat, UserID: "1001", UserName: "Bu Rina", LangCode: "id", UpdateID: "u1", Kind: bot.KindOption, Option: "rs:ok:7", Text: "Setujui"},
		},
		{
			name:   "OptionWinsOverText",
			pane:   customerPane,
			action: Action{Pane: "customer", Text: "ignored", Option: "m:help", Label: "Bantuan"},
			want:   bot.Inbound{Chat: customerPane.Chat, UserID: "6281200000001", UserName: "Dewi", UpdateID: "u1", Kind: bot.KindOption, Option: "m:help", Text: "Bantuan"},
		},
		{
			name:   "NumberChoosesFromNumberedMenu",
			pane:   customerPane,
			action: Action{Pane: "customer", Text: " 2 "},
			menu:   menu,
			want:   bot.Inbound{Chat: customerPane.Chat, UserID: "6281200000001", UserName: "Dewi", UpdateID: "u1", Kind: bot.KindOption, Option: "p:2", Text: "Teh Melati"},
		},
		{
			name:   "LabelChoosesFromNumberedMenu",
			pane:   customerPane,
			action: Action{Pane: "customer", Text: "kopi arabika"},
			menu:   menu,
			want:   bot.Inbound{Chat: customerPane.Chat, UserID: "6281200000001", UserName: "Dewi", UpdateID: "u1", Kind: bot.KindOption, Option: "p:1", Text: "Kopi Arabika"},
		},
		{
			name:   "NumberOutsideMenuIsText",
			pane:   customerPane,
			action: Action{Pane: "customer", Text: "3"},
			menu:   menu,
			want:   bot.Inbound{Chat: customerPane.Chat, UserID: "6281200000001", UserName: "Dewi", UpdateID: "u1", Kind: bot.KindText, Text: "3"},
		},
		{
			name:   "NumberWithoutMenuIsText",
			pane:   customerPane,
			action: Action{Pane: "customer", Text: "1"},
			want:   bot.Inbound{Chat: customerPane.Chat, UserID: "6281200000001", UserName: "Dewi", UpdateID: "u1", Kind: bot.KindText, Text: "1"},
		},
		{name: "EmptyTextIsRefused", pane: ownerPane, action: Action{Pane: "owner", Text: " \n\t"}, err: ErrEmpty},
		{name: "NothingIsRefused", pane: ownerPane, action: Action{Pane: "owner"}, err: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toInbound(tt.pane, tt.action, "u1", tt.menu)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("inbound =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}
