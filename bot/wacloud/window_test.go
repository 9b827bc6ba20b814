package wacloud

import (
	"testing"
	"time"

	"github.com/lapak-id/lapak/storage/redis/redistest"
)

func TestWindows(t *testing.T) {
	clock := newClock(start)
	rdb, prefix := redistest.New(t)
	for name, w := range map[string]Window{"Memory": NewMemoryWindow(), "Redis": NewRedisWindow(rdb, prefix, clock)} {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			if last, err := w.Last(ctx, "628111"); err != nil || !last.IsZero() {
				t.Fatalf("never seen: %v, %v", last, err)
			}
			wrote := start.Add(-time.Hour).Truncate(time.Millisecond)
			if err := w.Touch(ctx, "628111", wrote); err != nil {
				t.Fatal(err)
			}
			if last, _ := w.Last(ctx, "628111"); !last.Equal(wrote) {
				t.Errorf("last %v, want %v", last, wrote)
			}
			if err := w.Touch(ctx, "628111", wrote.Add(-time.Minute)); err != nil { // an older message delivered late
				t.Fatal(err)
			}
			if last, _ := w.Last(ctx, "628111"); !last.Equal(wrote) {
				t.Errorf("a late delivery moved last back to %v", last)
			}
			if last, _ := w.Last(ctx, "628222"); !last.IsZero() {
				t.Errorf("other chat has %v", last)
			}
		})
	}
}

func TestRedisWindowKeepsADayFromTheMessage(t *testing.T) {
	clock := newClock(start)
	rdb, prefix := redistest.New(t)
	w := NewRedisWindow(rdb, prefix, clock)
	w.Touch(t.Context(), "628111", start.Add(-time.Hour))
	if ttl := rdb.PTTL(t.Context(), prefix+"wacloud:window:628111").Val(); ttl <= 22*time.Hour || ttl > 23*time.Hour {
		t.Errorf("kept %v, want the 23h left of the window", ttl)
	}
	w.Touch(t.Context(), "628222", start.Add(-25*time.Hour))
	if n := rdb.Exists(t.Context(), prefix+"wacloud:window:628222").Val(); n != 0 {
		t.Error("a message older than the window was kept")
	}
}
