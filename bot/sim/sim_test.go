package sim

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var testTime = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func newSim(t *testing.T) *Sim {
	t.Helper()
	s, err := New(Config{
		Panes:  []Pane{ownerPane, customerPane},
		Keep:   50,
		Clock:  fixedClock{testTime},
		Logger: slog.New(slog.DiscardHandler),
		RunID:  "r1",
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewRefusesBadPanes(t *testing.T) {
	tests := map[string][]Pane{
		"NoPanes":     nil,
		"EmptyID":     {{Chat: ownerPane.Chat}},
		"SameIDTwice": {ownerPane, {ID: "owner", Chat: customerPane.Chat}},
		"SameChat":    {ownerPane, {ID: "other", Chat: ownerPane.Chat}},
	}
	for name, panes := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := New(Config{Panes: panes}); err == nil {
				t.Fatal("New accepted the panes")
			}
		})
	}
}

func TestSendersCoverThePanesChannels(t *testing.T) {
	s := newSim(t)
	got := s.Senders()
	if len(got) != 2 || got[lapak.Telegram] == nil || got[lapak.WhatsApp] == nil {
		t.Fatalf("senders = %v, want telegram and whatsapp", got)
	}
}

func TestSendRecordsReplyInItsPane(t *testing.T) {
	s := newSim(t)
	png := []byte("\x89PNG\r\n\x1a\n0000")
	err := s.Send(context.Background(), customerPane.Chat, bot.Reply{
		Text:     "Katalog <b>baru</b>",
		Photo:    &bot.Photo{Bytes: png},
		Document: &bot.Document{Name: "nota.pdf", Bytes: []byte("%PDF-1.4 nota")},
		Options:  options("Ya", "Tidak"),
		Links:    []bot.Link{{Label: "Bayar", URL: "https://pay.example/x"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := s.History(0)
	if len(h) != 1 || h[0].Pane != "customer" || h[0].From != FromBot || !h[0].At.Equal(testTime) {
		t.Fatalf("history = %+v, want one bot entry in the customer pane", h)
	}
	m := h[0].Reply
	if m.Text != "Katalog <b>baru</b>" {
		t.Errorf("text = %q, want it as sent", m.Text)
	}
	if want := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png); m.Photo != want {
		t.Errorf("photo = %q, want %q", m.Photo, want)
	}
	if m.Document == nil || m.Document.Name != "nota.pdf" || !strings.HasPrefix(m.Document.URL, "data:application/pdf;base64,") {
		t.Errorf("document = %+v, want a PDF data URL", m.Document)
	}
	if m.Layout.Style != StyleButtons || len(m.Options) != 2 || len(m.Layout.Links) != 1 {
		t.Errorf("layout = %+v, want two WhatsApp reply buttons and a link", m.Layout)
	}
}

func TestSendKeepsPhotoURLsAndFileIDs(t *testing.T) {
	s := newSim(t)
	s.Send(context.Background(), ownerPane.Chat, bot.Reply{Text: "a", Photo: &bot.Photo{URL: "https://img.example/kopi.jpg"}})
	s.Send(context.Background(), ownerPane.Chat, bot.Reply{Text: "b", Photo: &bot.Photo{FileID: "AgACAgUAAxkB"}})
	h := s.History(0)
	if h[0].Reply.Photo != "https://img.example/kopi.jpg" || h[1].Reply.PhotoID != "AgACAgUAAxkB" || h[1].Reply.Photo != "" {
		t.Fatalf("photos = %q, %q/%q", h[0].Reply.Photo, h[1].Reply.Photo, h[1].Reply.PhotoID)
	}
}

func TestSendToChatWithoutPaneIsDropped(t *testing.T) {
	var logs bytes.Buffer
	s, _ := New(Config{Panes: []Pane{ownerPane}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	err := s.Send(context.Background(), bot.Address{Channel: lapak.WhatsApp, ChatID: "6281299990009"}, bot.Reply{Text: "hai"})
	if err != nil {
		t.Fatalf("err = %v, want the reply dropped quietly", err)
	}
	if h := s.History(0); len(h) != 0 {
		t.Fatalf("history = %+v, want nothing", h)
	}
	if strings.Contains(logs.String(), "6281299990009") || !strings.Contains(logs.String(), "+62********009") {
		t.Errorf("log does not mask the phone number: %s", logs.String())
	}
}

func TestActRecordsWhatTheUserSent(t *testing.T) {
	s := newSim(t)
	in1, err := s.Act(Action{Pane: "owner", Text: "/start"})
	if err != nil {
		t.Fatal(err)
	}
	in2, _ := s.Act(Action{Pane: "owner", Option: "rs:ok:7", Label: "Setujui"})
	if in1.UpdateID == in2.UpdateID || !strings.HasPrefix(in1.UpdateID, "sim-r1-") {
		t.Errorf("update ids %q and %q, want unique ones of this run", in1.UpdateID, in2.UpdateID)
	}
	h := s.History(0)
	want := []Entry{
		{Seq: 1, Pane: "owner", At: testTime, From: FromUser, Text: "/start"},
		{Seq: 2, Pane: "owner", At: testTime, From: FromUser, Text: "Setujui", Option: "rs:ok:7"},
	}
	if len(h) != 2 || h[0] != want[0] || h[1] != want[1] {
		t.Fatalf("history =\n%+v\nwant\n%+v", h, want)
	}
}

func TestActRefusesUnknownPaneAndEmptyText(t *testing.T) {
	s := newSim(t)
	if _, err := s.Act(Action{Pane: "nobody", Text: "hai"}); err == nil {
		t.Error("unknown pane accepted")
	}
	if _, err := s.Act(Action{Pane: "owner", Text: "  "}); err == nil {
		t.Error("empty text accepted")
	}
	if h := s.History(0); len(h) != 0 {
		t.Errorf("refused actions were recorded: %+v", h)
	}
}

func TestNumberedMenuAnswersTypedNumbers(t *testing.T) {
	s := newSim(t)
	ctx := context.Background()
	many := options("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "Teh Melati")
	s.Send(ctx, customerPane.Chat, bot.Reply{Text: "Pilih produk", Options: many})
	in, _ := s.Act(Action{Pane: "customer", Text: "11"})
	if in.Kind != bot.KindOption || in.Option != "o11" {
		t.Fatalf("typed 11 gave %+v, want option o11", in)
	}
	s.Send(ctx, customerPane.Chat, bot.Reply{Text: "Berapa banyak?"})
	if in, _ := s.Act(Action{Pane: "customer", Text: "11"}); in.Kind != bot.KindText {
		t.Fatalf("after a question without options, 11 gave %+v, want text", in)
	}
}
