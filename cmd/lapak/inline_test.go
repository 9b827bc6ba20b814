package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

// inlineQueryUpdate is user typing "@bot query" in some chat.
func inlineQueryUpdate(id, user int, query string) map[string]any {
	return map[string]any{"update_id": id, "inline_query": map[string]any{
		"id":        fmt.Sprint("iq", id),
		"from":      map[string]any{"id": user, "is_bot": false, "first_name": "Andi", "language_code": "id"},
		"query":     query,
		"offset":    "",
		"chat_type": "group",
	}}
}

// waitInlineAnswer waits until the inline query of update u was answered, and returns the answer.
func waitInlineAnswer(t *testing.T, fake *telegramtest.Server, u map[string]any) telegramtest.InlineAnswer {
	t.Helper()
	id := u["inline_query"].(map[string]any)["id"].(string)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var found telegramtest.InlineAnswer
	err := fake.Wait(ctx, func() bool {
		for _, a := range fake.InlineAnswers() {
			if a.InlineQueryID == id {
				found = a
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("inline query %s never answered: %v", id, err)
	}
	return found
}

// importCSV imports a product CSV into the server's database with `lapak products import`.
func importCSV(t *testing.T, env map[string]string, csv string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "produk.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"products", "import", file}, func(k string) string { return env[k] }, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
}

func TestServeInlineMode(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	env := testEnv(t, fake, map[string]string{ // long polling, with order links
		"PUBLIC_URL":      "https://lapak.example.com",
		"WHATSAPP_NUMBER": "0811 0000 1111",
	})
	s := startServe(t, env)
	importCSV(t, env, "sku,name,base_price,retail_price,commission,supplier\n"+
		"KAOS-1,Kaos Polos Hitam,50rb,75.000,10%,Kaos Nusantara\n"+
		"SAMBAL-1,Sambal Bawang,25.000,35rb,,Dapur Mbok Darmi\n")

	const reseller, customer = 301, 302
	for _, text := range []string{"/start", "Andi Saputra", "0812 3456 7890", "Bandung"} {
		fake.PushUpdate(textUpdate(0, reseller, text))
	}
	card := waitFor(t, fake, ownerID, "Reseller baru mendaftar")
	fake.PushUpdate(tapUpdate(nextUpdateID(), ownerID, card.Buttons()[0].CallbackData))
	code := regexp.MustCompile(`Kodenya: (\w+)`).FindStringSubmatch(waitFor(t, fake, ownerID, "Kodenya").Plain)[1]

	t.Run("ResellerGetsTheirCardWithTheirOrderLink", func(t *testing.T) {
		u := inlineQueryUpdate(nextUpdateID(), reseller, "kaos hitm")
		fake.PushUpdate(u)
		ans := waitInlineAnswer(t, fake, u)
		if len(ans.Results) != 1 || !ans.IsPersonal || ans.CacheTime != 30 {
			t.Fatalf("answer %+v, want one personal result cached 30s", ans)
		}
		r := ans.Results[0]
		if r.Type != "article" || r.Title != "Kaos Polos Hitam" || r.Description != "Rp75.000 · untung Rp30.000" {
			t.Errorf("result %+v, want the product without photo as an article, at the reseller's price", r)
		}
		if !strings.Contains(r.Plain, "Harga: Rp75.000") || !strings.Contains(r.Plain, "https://t.me/"+telegramtest.Username+"?start=b_"+code+"_KAOS-1") {
			t.Errorf("message %q, want the share caption", r.Plain)
		}
		if b := r.Buttons(); len(b) != 1 || !strings.HasPrefix(b[0].URL, "https://lapak.example.com/go/") {
			t.Fatalf("buttons %+v, want the order link", b)
		}
		// The order button, opened on this server, leads to WhatsApp with the reseller's code.
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get("http://" + s.addr + strings.TrimPrefix(r.Buttons()[0].URL, "https://lapak.example.com"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		to, _ := url.Parse(resp.Header.Get("Location"))
		sku, gotCode, ok := lapak.ParseOrderText(to.Query().Get("text"))
		if resp.StatusCode != http.StatusFound || !ok || sku != "KAOS-1" || gotCode != code {
			t.Errorf("order link answered %d to %s, want WhatsApp with KAOS-1 and %s", resp.StatusCode, to, code)
		}
	})

	t.Run("CustomerGetsNoCards", func(t *testing.T) {
		fake.PushUpdate(textUpdate(0, customer, "/start"))
		waitFor(t, fake, customer, "Selamat datang")
		u := inlineQueryUpdate(nextUpdateID(), customer, "kaos")
		fake.PushUpdate(u)
		if ans := waitInlineAnswer(t, fake, u); len(ans.Results) != 0 {
			t.Errorf("a customer got %+v", ans.Results)
		}
	})
}
