package menus

import (
	"context"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

var kaos = []bot.Option{
	{ID: "v:0", Label: "Kaos Hitam"},
	{ID: "v:1", Label: "Kaos  Putih"},
	{ID: "v:2", Label: "Kemeja Batik"},
}

func TestMatch(t *testing.T) {
	qty := []bot.Option{{ID: "q:3", Label: "3"}, {ID: "q:5", Label: "5"}, {ID: "q:10", Label: "10"}}
	for _, tc := range []struct {
		name string
		opts []bot.Option
		text string
		want string // option ID; "" for no match
	}{
		{"Number", kaos, "2", "v:1"},
		{"NumberWithSpaces", kaos, "  3 ", "v:2"},
		{"NumberWithDot", kaos, "1.", "v:0"},
		{"NumberWithParen", kaos, "1)", "v:0"},
		{"LabelIgnoresCase", kaos, "kaos hitam", "v:0"},
		{"LabelIgnoresExtraSpaces", kaos, " KAOS   putih ", "v:1"},
		{"NumberOutOfRange", kaos, "4", ""},
		{"Zero", kaos, "0", ""},
		{"NegativeNumber", kaos, "-1", ""},
		{"LeadingZeroIsNotTheNumber", kaos, "02", ""},
		{"PartOfALabel", kaos, "kaos", ""},
		{"Sentence", kaos, "mau yang 2", ""},
		{"Empty", kaos, "", ""},
		{"NoMenu", nil, "1", ""},
		{"LabelWinsOverTheNumber", qty, "3", "q:3"},
		{"NumericLabelBeyondTheMenu", qty, "10", "q:10"},
		{"NumberWhenNoLabelMatches", qty, "2", "q:5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Match(tc.opts, tc.text)
			if ok != (tc.want != "") || got.ID != tc.want {
				t.Errorf("Match(%q) = %+v, %v; want %q", tc.text, got, ok, tc.want)
			}
		})
	}
}

type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

const chat = "6281234567890@s.whatsapp.net"

func TestMemory(t *testing.T) {
	ctx := context.Background()
	clock := &stepClock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	m := NewMemory(time.Hour, clock)

	t.Run("RemembersTheLastMenuPerChat", func(t *testing.T) {
		other := "12345@lid"
		m.Save(ctx, chat, kaos[:1])
		m.Save(ctx, chat, kaos)
		m.Save(ctx, other, kaos[2:])
		if got, _ := m.Load(ctx, chat); len(got) != 3 || got[1].ID != "v:1" {
			t.Errorf("menu = %+v", got)
		}
		if got, _ := m.Load(ctx, other); len(got) != 1 || got[0].ID != "v:2" {
			t.Errorf("other chat's menu = %+v", got)
		}
	})
	t.Run("SavingNoOptionsForgets", func(t *testing.T) {
		m.Save(ctx, chat, kaos)
		m.Save(ctx, chat, nil)
		if got, _ := m.Load(ctx, chat); got != nil {
			t.Errorf("menu = %+v, want none", got)
		}
	})
	t.Run("Expires", func(t *testing.T) {
		m.Save(ctx, chat, kaos)
		clock.now = clock.now.Add(59 * time.Minute)
		if got, _ := m.Load(ctx, chat); len(got) != 3 {
			t.Errorf("menu before ttl = %+v", got)
		}
		clock.now = clock.now.Add(time.Minute)
		if got, _ := m.Load(ctx, chat); got != nil {
			t.Errorf("menu after ttl = %+v, want none", got)
		}
	})
	t.Run("CallersCannotChangeIt", func(t *testing.T) {
		opts := append([]bot.Option(nil), kaos...)
		m.Save(ctx, chat, opts)
		opts[0].Label = "changed"
		got, _ := m.Load(ctx, chat)
		got[1].Label = "changed"
		if again, _ := m.Load(ctx, chat); again[0].Label != "Kaos Hitam" || again[1].Label != "Kaos  Putih" {
			t.Errorf("stored menu changed: %+v", again)
		}
	})
}

func TestRedis(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ctx := context.Background()
	r := NewRedis(rdb, prefix, time.Hour)

	if got, err := r.Load(ctx, chat); err != nil || got != nil {
		t.Fatalf("no menu yet: %+v, %v", got, err)
	}
	if err := r.Save(ctx, chat, kaos); err != nil {
		t.Fatal(err)
	}
	got, err := r.Load(ctx, chat)
	if err != nil || len(got) != 3 || got[2] != kaos[2] {
		t.Fatalf("menu = %+v, %v", got, err)
	}
	if ttl := rdb.TTL(ctx, prefix+"menu:"+chat).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("ttl = %s, want about an hour", ttl)
	}
	if err := r.Save(ctx, chat, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := r.Load(ctx, chat); err != nil || got != nil {
		t.Errorf("after forgetting: %+v, %v", got, err)
	}
	rdb.Set(ctx, prefix+"menu:"+chat, "not json", time.Hour)
	if got, err := r.Load(ctx, chat); err != nil || got != nil {
		t.Errorf("unreadable menu: %+v, %v, want none", got, err)
	}
}
