package telegram

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// readFixture returns the bytes of a file in testdata.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// loadUpdate decodes an update fixture the way the library decodes getUpdates and webhooks.
func loadUpdate(t testing.TB, name string) tgbotapi.Update {
	t.Helper()
	var u tgbotapi.Update
	if err := json.Unmarshal(readFixture(t, name), &u); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return u
}

func telegramChat(id string) bot.Address { return bot.Address{Channel: lapak.Telegram, ChatID: id} }

func TestToInbound(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		change func(*tgbotapi.Update) // derives a case from a fixture
		want   bot.Inbound
		ok     bool
	}{
		{
			name: "CommandArrivesAsText", file: "telegram_update_message.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname Test Lastname",
				UpdateID: "10000", Kind: bot.KindText, Text: "/start"},
		},
		{
			name: "DeepLinkKeepsPayloadAndLanguage", file: "telegram_update_start_deeplink.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname", LangCode: "id",
				UpdateID: "10002", Kind: bot.KindText, Text: "/start ref_R123-abc"},
		},
		{
			name: "TapOnButtonIsOptionWithItsLabel", file: "telegram_update_callback_current_shape.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname Test Lastname", LangCode: "id",
				UpdateID: "10001", Kind: bot.KindOption, Option: "buy:SKU123:1", Text: "Beli 1"},
		},
		{
			name: "TapUnderInlineMessageGoesToTheUsersChat", file: "telegram_update_callback.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname Test Lastname",
				UpdateID: "10000", Kind: bot.KindOption, Option: "Data from button callback"},
		},
		{
			name: "PhotoTakesLargestSizeAndCaption", file: "telegram_update_photo.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname Test Lastname", LangCode: "id",
				UpdateID: "10003", Kind: bot.KindPhoto, Text: "Kaos polos hitam, stok 12",
				Media: &bot.Media{FileID: "AgACAgIAAxkBAAIBXXXXXXXXXXXXXXXXXXXXXXXXXXXXAAMCAAN4AAM1BA", Size: 28591}},
		},
		{
			name: "DocumentKeepsNameTypeAndSize", file: "telegram_update_document.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname Test Lastname",
				UpdateID: "10000", Kind: bot.KindDocument,
				Media: &bot.Media{FileID: "AwADBAADbXXXXXXXXXXXGBdhD2l6_XX", Name: "Testfile.pdf", MIME: "application/pdf", Size: 536392}},
		},
		{
			name: "VoiceNoteIsOther", file: "telegram_update_voice.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname Test Lastname",
				UpdateID: "10000", Kind: bot.KindOther},
		},
		{
			name: "StickerIsOther", file: "telegram_update_sticker.json", ok: true,
			want: bot.Inbound{Chat: telegramChat("1111111"), UserID: "1111111", UserName: "Test Firstname", LangCode: "en",
				UpdateID: "10005", Kind: bot.KindOther},
		},
		{name: "GroupMessageIsIgnored", file: "telegram_update_group_message.json"},
		{name: "EditedMessageIsIgnored", file: "telegram_update_edited_message.json"},
		{name: "InlineQueryIsIgnored", file: "telegram_update_inline_query.json"},
		{
			name: "TapInGroupIsIgnored", file: "telegram_update_callback_current_shape.json",
			change: func(u *tgbotapi.Update) { u.CallbackQuery.Message.Chat.Type = "group" },
		},
		{
			name: "PinServiceMessageIsIgnored", file: "telegram_update_message.json",
			change: func(u *tgbotapi.Update) {
				u.Message.Text, u.Message.PinnedMessage = "", &tgbotapi.Message{MessageID: 1}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := loadUpdate(t, tt.file)
			if tt.change != nil {
				tt.change(&u)
			}
			got, ok := ToInbound(u)
			if ok != tt.ok {
				t.Fatalf("served = %v, want %v", ok, tt.ok)
			}
			if ok && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestToInboundCoversEveryFixture keeps the table above honest: a fixture added to testdata must
// get a case.
func TestToInboundCoversEveryFixture(t *testing.T) {
	tested := map[string]bool{
		"telegram_update_message.json": true, "telegram_update_start_deeplink.json": true,
		"telegram_update_callback_current_shape.json": true, "telegram_update_callback.json": true,
		"telegram_update_photo.json": true, "telegram_update_document.json": true, "telegram_update_voice.json": true,
		"telegram_update_sticker.json": true, "telegram_update_group_message.json": true,
		"telegram_update_edited_message.json": true, "telegram_update_inline_query.json": true,
	}
	files, err := filepath.Glob(filepath.Join("testdata", "telegram_update_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !tested[filepath.Base(f)] {
			t.Errorf("fixture %s has no conversion case", filepath.Base(f))
		}
	}
}
