package wacloud

import (
	"reflect"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/storage/redis/redistest"
)

func TestChooseOption(t *testing.T) {
	menu := []bot.Option{{ID: "sku:1", Label: "Kaos Hitam"}, {ID: "sku:2", Label: "Kaos Putih "}, {ID: "sku:3", Label: "Topi"}}
	quantities := []bot.Option{{ID: "q:5", Label: "5"}, {ID: "q:10", Label: "10"}, {ID: "q:2", Label: "2"}}
	tests := []struct {
		name string
		menu []bot.Option
		text string
		want string // the chosen option's ID; empty when none
	}{
		{"Number", menu, "2", "sku:2"},
		{"NumberWithSpaces", menu, "  3 \n", "sku:3"},
		{"NumberWithDot", menu, "1.", "sku:1"},
		{"Label", menu, "Kaos Hitam", "sku:1"},
		{"LabelOtherCase", menu, "kaos putih", "sku:2"},
		{"LabelWithSpaces", menu, "  TOPI ", "sku:3"},
		{"NumberTooHigh", menu, "4", ""},
		{"Zero", menu, "0", ""},
		{"Negative", menu, "-1", ""},
		{"PartOfLabel", menu, "kaos", ""},
		{"Sentence", menu, "saya mau 2", ""},
		{"Empty", menu, " ", ""},
		{"NoMenu", nil, "1", ""},
		{"LabelWinsOverNumber", quantities, "2", "q:2"},
		{"NumberWhenNoLabelMatches", quantities, "1", "q:5"},
		{"LabelThatIsABigNumber", quantities, "10", "q:10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, ok := chooseOption(tt.menu, tt.text)
			if got := o.ID; ok != (tt.want != "") || got != tt.want {
				t.Errorf("chooseOption(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}

// menusUnderTest are the implementations of Menus, each fresh.
func menusUnderTest(t *testing.T, clock *testClock) map[string]Menus {
	rdb, prefix := redistest.New(t)
	return map[string]Menus{"Memory": NewMemoryMenus(clock), "Redis": NewRedisMenus(rdb, prefix)}
}

func TestMenus(t *testing.T) {
	opts := []bot.Option{{ID: "m:help", Label: "Bantuan"}, {ID: "m:lang", Label: "Bahasa"}}
	for name, menus := range menusUnderTest(t, newClock(start)) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			if got, err := menus.Load(ctx, "628111"); err != nil || got != nil {
				t.Fatalf("unknown chat: %v, %v", got, err)
			}
			if err := menus.Save(ctx, "628111", opts); err != nil {
				t.Fatal(err)
			}
			if got, err := menus.Load(ctx, "628111"); err != nil || !reflect.DeepEqual(got, opts) {
				t.Errorf("loaded %v, %v; want %v", got, err, opts)
			}
			if got, _ := menus.Load(ctx, "628222"); got != nil {
				t.Errorf("other chat has menu %v", got)
			}
			if err := menus.Save(ctx, "628111", nil); err != nil {
				t.Fatal(err)
			}
			if got, err := menus.Load(ctx, "628111"); err != nil || got != nil {
				t.Errorf("after forgetting: %v, %v", got, err)
			}
		})
	}
}

func TestMenusExpireAfterADay(t *testing.T) {
	clock := newClock(start)
	m := NewMemoryMenus(clock)
	m.Save(t.Context(), "628111", []bot.Option{{ID: "a", Label: "A"}})
	clock.Add(24*time.Hour - time.Second)
	if got, _ := m.Load(t.Context(), "628111"); got == nil {
		t.Error("menu forgotten before a day passed")
	}
	clock.Add(time.Second)
	if got, _ := m.Load(t.Context(), "628111"); got != nil {
		t.Errorf("menu %v kept after a day", got)
	}

	rdb, prefix := redistest.New(t)
	NewRedisMenus(rdb, prefix).Save(t.Context(), "628111", []bot.Option{{ID: "a", Label: "A"}})
	if ttl := rdb.TTL(t.Context(), prefix+"wacloud:menu:628111").Val(); ttl <= 23*time.Hour || ttl > 24*time.Hour {
		t.Errorf("redis menu lives %v, want 24h", ttl)
	}
}
