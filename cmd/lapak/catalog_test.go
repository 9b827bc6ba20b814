package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

// photoUpdate is a photo sent in a private chat, with a caption.
func photoUpdate(id, user int, fileID, caption string, size int) map[string]any {
	u := textUpdate(id, user, "")
	msg := u["message"].(map[string]any)
	delete(msg, "text")
	msg["caption"] = caption
	msg["photo"] = []map[string]any{
		{"file_id": fileID + "-small", "file_unique_id": "s", "width": 90, "height": 60, "file_size": 1000},
		{"file_id": fileID, "file_unique_id": "b", "width": 900, "height": 600, "file_size": size},
	}
	return u
}

// tapButton taps the button labelled label on the newest message to chat that has one.
func (s *server) tapButton(fake *telegramtest.Server, chat int, label string) {
	s.t.Helper()
	sent := fake.Sent()
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].ChatID != int64(chat) {
			continue
		}
		for _, b := range sent[i].Buttons() {
			if strings.Contains(b.Text, label) && b.CallbackData != "" {
				s.postUpdate(tapUpdate(nextUpdateID(), chat, b.CallbackData))
				return
			}
		}
	}
	s.t.Fatalf("chat %d has no button %q:\n%s", chat, label, transcript(fake, chat))
}

// say sends text from chat and waits for a reply containing want.
func (s *server) say(fake *telegramtest.Server, chat int, text, want string) telegramtest.Message {
	s.t.Helper()
	s.postUpdate(textUpdate(nextUpdateID(), chat, text))
	return waitFor(s.t, fake, chat, want)
}

func testPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for x := range 300 {
		img.Set(x, x%200, color.RGBA{R: 20, G: 120, B: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestServeCatalogOwnerAddsResellerPricesAndShares(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	env := webhookEnv(t, fake)
	env["WHATSAPP_NUMBER"] = "0811 0000 1111"
	s := startServe(t, env)
	const reseller = 401

	// A reseller registers and is approved.
	s.say(fake, reseller, "/start", "Siapa nama lengkapmu?")
	s.say(fake, reseller, "Andi Saputra", "Nomor HP")
	s.say(fake, reseller, "0812 3456 7890", "kota apa")
	s.say(fake, reseller, "Bandung", "ditinjau")
	waitFor(t, fake, ownerID, "Reseller baru mendaftar")
	s.tapButton(fake, ownerID, "Setujui")
	done := waitFor(t, fake, ownerID, "Kodenya")
	code := regexp.MustCompile(`Kodenya: (\w+)`).FindStringSubmatch(done.Plain)[1]

	// The owner sends a photo with a caption and answers the questions.
	fake.AddFile("foto-kaos", testPNG(t))
	s.postUpdate(photoUpdate(nextUpdateID(), ownerID, "foto-kaos", "Kaos Polos Hitam", 40_000))
	waitFor(t, fake, ownerID, "Foto diterima")
	s.say(fake, ownerID, "Kaos Nusantara", "deskripsi singkat")
	s.say(fake, ownerID, "Katun combed 30s", "Kategorinya apa")
	s.say(fake, ownerID, "Kaos", "Harga dasar berapa")
	s.say(fake, ownerID, "50rb", "minimal Rp50.000")
	s.say(fake, ownerID, "75.000", "harga maksimal")
	s.tapButton(fake, ownerID, "Lewati")
	waitFor(t, fake, ownerID, "Komisi untuk reseller")
	s.say(fake, ownerID, "10%", "Ada varian")
	s.say(fake, ownerID, "S:5, M:10", "Berat per item")
	s.say(fake, ownerID, "200", "Cek dulu")
	s.tapButton(fake, ownerID, "Simpan")
	saved := waitFor(t, fake, ownerID, "Produk tersimpan")
	sku := regexp.MustCompile(`kode ([A-Z0-9-]+)\)`).FindStringSubmatch(saved.Plain)[1]

	// The reseller finds it, is refused a price below the floor, sets a good one and shares it.
	s.postUpdate(textUpdate(nextUpdateID(), reseller, "/menu"))
	waitFor(t, fake, reseller, "Menu reseller")
	s.tapButton(fake, reseller, "Katalog")
	waitFor(t, fake, reseller, "Pilih kategori")
	s.tapButton(fake, reseller, "Kaos (1)")
	waitFor(t, fake, reseller, "halaman 1 dari 1")
	s.tapButton(fake, reseller, "Kaos Polos Hitam")
	card := waitFor(t, fake, reseller, "Harga jualmu: Rp75.000")
	if card.Method != "sendPhoto" || card.Photo == nil || card.Photo.FileID != "foto-kaos" {
		t.Errorf("the card was not sent with the owner's photo: %+v", card)
	}
	s.tapButton(fake, reseller, "Atur harga")
	waitFor(t, fake, reseller, "Mau jual Kaos Polos Hitam berapa?")
	s.say(fake, reseller, "45rb", "tidak boleh di bawah harga dasar Rp50.000")
	s.say(fake, reseller, "Rp 85.000", "Untungmu Rp40.000")
	s.tapButton(fake, reseller, "Bagikan")
	kit := waitFor(t, fake, reseller, "Harga: Rp85.000")
	if !strings.Contains(kit.Plain, "start=b_"+code+"_"+sku) {
		t.Errorf("the Telegram link does not carry the codes: %s", kit.Plain)
	}
	var order string
	for _, b := range kit.Buttons() {
		if strings.HasPrefix(b.URL, "https://lapak.example.com/go/") {
			order = b.URL
		}
	}
	if order == "" {
		t.Fatalf("no order link in the share kit: %+v", kit.Buttons())
	}

	// The tracked link counts the click and opens WhatsApp with both codes typed in.
	client := noRedirects()
	resp, err := client.Get("http://" + s.addr + strings.TrimPrefix(order, "https://lapak.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	to, _ := url.Parse(resp.Header.Get("Location"))
	gotSKU, gotCode, ok := lapak.ParseOrderText(to.Query().Get("text"))
	if to.Host != "wa.me" || to.Path != "/6281100001111" || !ok || gotSKU != sku || gotCode != code {
		t.Fatalf("order link went to %s", to)
	}
}

func TestServeCatalogBadPhotos(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	s := startServe(t, webhookEnv(t, fake))
	s.postUpdate(photoUpdate(nextUpdateID(), ownerID, "huge", "Kaos", 11<<20))
	waitFor(t, fake, ownerID, "terlalu besar, maksimal 10 MB")
	pdf := textUpdate(nextUpdateID(), ownerID, "")
	delete(pdf["message"].(map[string]any), "text")
	pdf["message"].(map[string]any)["document"] = map[string]any{"file_id": "pdf-1", "file_unique_id": "p", "file_name": "katalog.pdf", "mime_type": "application/pdf", "file_size": 2000}
	s.postUpdate(pdf)
	waitFor(t, fake, ownerID, "bukan foto")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := fake.Wait(ctx, func() bool { return fake.Calls("getFile") == 0 }); err != nil {
		t.Error("a refused photo was downloaded")
	}
}

func TestServeOwnerImportsACSVInChat(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	s := startServe(t, webhookEnv(t, fake))
	send := func(fileID, name string, data []byte) {
		fake.AddFile(fileID, data)
		u := textUpdate(nextUpdateID(), ownerID, "")
		delete(u["message"].(map[string]any), "text")
		u["message"].(map[string]any)["document"] = map[string]any{"file_id": fileID, "file_unique_id": fileID, "file_name": name, "mime_type": "text/csv", "file_size": len(data)}
		s.postUpdate(u)
	}
	send("csv-good", "produk.csv", []byte("\ufeffsku;name;base_price;retail_price;supplier;stock\r\nKOPI-1;Kopi Arabika 250g;45rb;60.000;Kopi Nusantara;20\r\nKOPI-2;Kopi Robusta;-5;10000;Kopi Nusantara;5\r\n"))
	summary := waitFor(t, fake, ownerID, "Impor selesai")
	if !strings.Contains(summary.Plain, "1 produk baru") || !strings.Contains(summary.Plain, "Baris 3, kolom base_price: Harga tidak boleh minus") {
		t.Errorf("summary = %q, want one product imported and row 3 refused", summary.Plain)
	}
	send("csv-bad", "produk2.csv", []byte("nama,harga\r\nKopi,10000\r\n"))
	waitFor(t, fake, ownerID, "Kolom wajib")

	// The imported supplier is the owner's: its product is in their list.
	s.say(fake, ownerID, "/menu", "Menu pemilik")
	s.tapButton(fake, ownerID, "Produk saya")
	list := waitFor(t, fake, ownerID, "halaman 1 dari 1") // no categories: the list comes at once
	found := false
	for _, b := range list.Buttons() {
		found = found || strings.Contains(b.Text, "Kopi Arabika")
	}
	if !found {
		t.Errorf("the imported product is not in the owner's list: %+v", list.Buttons())
	}
}
