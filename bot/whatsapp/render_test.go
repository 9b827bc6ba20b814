package whatsapp

import (
	"bytes"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow"

	"github.com/lapak-id/lapak/bot"
)

const hint = "Balas dengan angka atau nama pilihan."

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    bot.Reply
		want string
	}{
		{"Text", bot.Reply{Text: "Halo kak! 👋"}, "Halo kak! 👋"},
		{"Options", bot.Reply{Text: "Pilih warna:", Options: []bot.Option{{ID: "v:0", Label: "Kaos Hitam"}, {ID: "v:1", Label: "Kaos Putih"}}},
			"Pilih warna:\n\n1. Kaos Hitam\n2. Kaos Putih\n" + hint},
		{"OptionsWithoutText", bot.Reply{Options: []bot.Option{{ID: "q:1", Label: "1"}}}, "1. 1\n" + hint},
		{"Links", bot.Reply{Text: "Total Rp150.000", Links: []bot.Link{{Label: "Bayar", URL: "https://checkout.xendit.co/web/inv_123"}, {URL: "https://lapak.example.com/s/ANDI7"}}},
			"Total Rp150.000\n\nBayar: https://checkout.xendit.co/web/inv_123\nhttps://lapak.example.com/s/ANDI7"},
		{"OptionsThenLinks", bot.Reply{Text: "Pesananmu", Options: []bot.Option{{ID: "menu", Label: "Menu"}}, Links: []bot.Link{{Label: "Lacak", URL: "https://cekresi.example/JNE123"}}},
			"Pesananmu\n\n1. Menu\n" + hint + "\n\nLacak: https://cekresi.example/JNE123"},
		{"TrimsText", bot.Reply{Text: "  Halo\n\n"}, "Halo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(tc.r, hint); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	photo := &bot.Photo{URL: "https://lapak.example.com/img/kaos.jpg"}
	doc := &bot.Document{Name: "produk.csv", Bytes: []byte("sku,name\n")}
	long := strings.Repeat("a", maxCaption+1)
	type want struct {
		text       string
		photo, doc bool
	}
	for _, tc := range []struct {
		name string
		r    bot.Reply
		want []want
	}{
		{"Text", bot.Reply{Text: "Halo"}, []want{{text: "Halo"}}},
		{"PhotoWithCaption", bot.Reply{Text: "Kaos Hitam Rp75.000", Photo: photo, Options: []bot.Option{{ID: "buy", Label: "Beli"}}},
			[]want{{text: "Kaos Hitam Rp75.000\n\n1. Beli\n" + hint, photo: true}}},
		{"PhotoAlone", bot.Reply{Photo: photo}, []want{{photo: true}}},
		{"CaptionTooLong", bot.Reply{Text: long, Photo: photo}, []want{{photo: true}, {text: long}}},
		{"PhotoAndDocument", bot.Reply{Text: "Katalog", Photo: photo, Document: doc}, []want{{photo: true}, {text: "Katalog", doc: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts, err := plan(tc.r, hint)
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != len(tc.want) {
				t.Fatalf("%d parts, want %d: %+v", len(parts), len(tc.want), parts)
			}
			for i, p := range parts {
				if p.text != tc.want[i].text || (p.photo != nil) != tc.want[i].photo || (p.doc != nil) != tc.want[i].doc {
					t.Errorf("part %d = %+v, want %+v", i, p, tc.want[i])
				}
			}
		})
	}
	for name, r := range map[string]bot.Reply{
		"Empty":         {},
		"EmptyDocument": {Text: "x", Document: &bot.Document{Name: "a.csv"}},
	} {
		if _, err := plan(r, hint); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestMessages(t *testing.T) {
	up := whatsmeow.UploadResponse{
		URL:           "https://mmg.whatsapp.net/o1/v/t62.7118-24/f1/m231/up-oil-image.enc",
		DirectPath:    "/o1/v/t62.7118-24/f1/m231/up-oil-image.enc",
		MediaKey:      bytes.Repeat([]byte{1}, 32),
		FileEncSHA256: bytes.Repeat([]byte{2}, 32),
		FileSHA256:    bytes.Repeat([]byte{3}, 32),
		FileLength:    48213,
	}
	t.Run("Text", func(t *testing.T) {
		m := textMessage("Halo kak")
		if m.GetConversation() != "Halo kak" || m.ExtendedTextMessage != nil {
			t.Errorf("got %v", m)
		}
	})
	t.Run("ImageWithCaption", func(t *testing.T) {
		img := imageMessage(up, "image/jpeg", "Kaos Hitam").GetImageMessage()
		if img.GetCaption() != "Kaos Hitam" || img.GetMimetype() != "image/jpeg" || img.GetURL() != up.URL ||
			img.GetDirectPath() != up.DirectPath || !bytes.Equal(img.GetMediaKey(), up.MediaKey) ||
			!bytes.Equal(img.GetFileEncSHA256(), up.FileEncSHA256) || !bytes.Equal(img.GetFileSHA256(), up.FileSHA256) ||
			img.GetFileLength() != 48213 {
			t.Errorf("got %v", img)
		}
	})
	t.Run("ImageWithoutCaption", func(t *testing.T) {
		if img := imageMessage(up, "image/png", "").GetImageMessage(); img.Caption != nil {
			t.Errorf("caption = %q, want none", img.GetCaption())
		}
	})
	t.Run("Document", func(t *testing.T) {
		doc := documentMessage(up, "text/plain; charset=utf-8", "produk.csv", "").GetDocumentMessage()
		if doc.GetFileName() != "produk.csv" || doc.Caption != nil || doc.GetDirectPath() != up.DirectPath || doc.GetFileLength() != 48213 {
			t.Errorf("got %v", doc)
		}
		if doc := documentMessage(up, "application/pdf", "", "Invoice").GetDocumentMessage(); doc.GetFileName() != "document" || doc.GetCaption() != "Invoice" {
			t.Errorf("unnamed: %v", doc)
		}
	})
}
