package telegram

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

// sleeps records the pauses the poller asks for, without pausing.
type sleeps struct {
	mu   sync.Mutex
	took []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.took = append(s.took, d)
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.took)
}

// poll runs a.Poll until the returned stop is called; stop returns what Poll returned.
func poll(t *testing.T, a *Adapter, d Dispatcher) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan error, 1)
	go func() { result <- a.Poll(ctx, d) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-result:
			case <-time.After(5 * time.Second):
				err = errors.New("poll did not stop within 5s of its context ending")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// pushFixture queues a fixture update and returns the update_id the fake gave it.
func pushFixture(t *testing.T, fake *telegramtest.Server, name string) int {
	t.Helper()
	return fake.PushUpdate(readFixture(t, name))
}

// waitConfirmed waits until the fake holds exactly the pending updates want.
func waitConfirmed(t *testing.T, fake *telegramtest.Server, want ...int) {
	t.Helper()
	err := fake.Wait(testContext(t), func() bool {
		got := fake.Pending()
		return len(got) == len(want) && (len(want) == 0 || reflect.DeepEqual(got, want))
	})
	if err != nil {
		t.Fatalf("pending updates %v, want %v: %v", fake.Pending(), want, err)
	}
}

func TestPollHandlesUpdatesThenConfirmsThem(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	rec := newRecorder(nil)
	pushFixture(t, fake, "telegram_update_message.json")
	pushFixture(t, fake, "telegram_update_callback_current_shape.json")
	stop := poll(t, a, rec)

	got := []bot.Inbound{rec.next(t), rec.next(t)}
	slices.SortFunc(got, func(a, b bot.Inbound) int { return strings.Compare(a.UpdateID, b.UpdateID) })
	if got[0].Text != "/start" || got[1].Option != "buy:SKU123:1" {
		t.Errorf("dispatched %+v, want the message and the tap", got)
	}
	waitConfirmed(t, fake)
	err := fake.Wait(testContext(t), func() bool { return len(fake.Answers()) == 1 })
	if err != nil || fake.Answers()[0].CallbackQueryID != "4382bfdwdsb323b2d9" {
		t.Errorf("answers %+v, want the tapped button's callback answered", fake.Answers())
	}
	if err := stop(); err != nil {
		t.Errorf("poll returned %v after its context ended, want nil", err)
	}
}

func TestPollFetchesAFailedUpdateAgainWithoutConfirmingIt(t *testing.T) {
	var pendingAtRetry []int
	fails := 1
	var fake *telegramtest.Server
	rec := newRecorder(func(in bot.Inbound) error {
		if in.Text != "/start" {
			return nil
		}
		if fails > 0 {
			fails--
			return errors.New("redis down")
		}
		pendingAtRetry = fake.Pending()
		return nil
	})
	pause := &sleeps{}
	a, fake := startAdapter(t, Config{Sleep: pause.sleep})
	failing := pushFixture(t, fake, "telegram_update_message.json")
	after := pushFixture(t, fake, "telegram_update_start_deeplink.json")
	poll(t, a, rec)

	seen := map[string]int{}
	for range 4 { // each update of the batch twice: the failed one and the one after it
		seen[rec.next(t).UpdateID]++
	}
	if want := map[string]int{strconv.Itoa(failing): 2, strconv.Itoa(after): 2}; !reflect.DeepEqual(seen, want) {
		t.Errorf("dispatched %v, want %v", seen, want)
	}
	if !reflect.DeepEqual(pendingAtRetry, []int{failing, after}) {
		t.Errorf("pending when the failed update came again: %v, want %v unconfirmed", pendingAtRetry, []int{failing, after})
	}
	waitConfirmed(t, fake)
	if got := pause.all(); len(got) != 1 || got[0] != time.Second {
		t.Errorf("pauses %v, want one of 1s before fetching the failed update again", got)
	}
	rec.none(t)
}

func TestPollStoppedBeforeHandlingLeavesTheUpdateUnconfirmed(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	received, release := make(chan bot.Inbound, 1), make(chan struct{})
	defer close(release)
	blocked := dispatchFunc(func(_ context.Context, in bot.Inbound) error {
		received <- in
		<-release // the process dies before the handler finishes
		return nil
	})
	id := pushFixture(t, fake, "telegram_update_message.json")
	stop := poll(t, a, blocked)
	select {
	case <-received:
	case <-time.After(5 * time.Second):
		t.Fatal("update never dispatched")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := fake.Pending(); !reflect.DeepEqual(got, []int{id}) {
		t.Errorf("pending after the crash: %v, want update %d still unconfirmed", got, id)
	}
}

func TestPollAnswersATapOnlyOnceItWasHandled(t *testing.T) {
	var fake *telegramtest.Server
	var answeredAtRetry []telegramtest.Answer
	attempts := 0
	rec := newRecorder(func(bot.Inbound) error {
		attempts++
		if attempts == 1 {
			return errors.New("redis down")
		}
		answeredAtRetry = fake.Answers()
		return nil
	})
	a, fake := startAdapter(t, Config{Sleep: (&sleeps{}).sleep})
	pushFixture(t, fake, "telegram_update_callback_current_shape.json")
	poll(t, a, rec)
	rec.next(t)
	rec.next(t)
	if len(answeredAtRetry) != 0 {
		t.Errorf("the tap was answered while its handling had failed: %+v", answeredAtRetry)
	}
	if err := fake.Wait(testContext(t), func() bool { return len(fake.Answers()) == 1 }); err != nil {
		t.Fatalf("the tap was not answered once handled: %v", err)
	}
}

func TestPollDropsGroupMessagesAndConfirmsThem(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	rec := newRecorder(nil)
	pushFixture(t, fake, "telegram_update_group_message.json")
	pushFixture(t, fake, "telegram_update_inline_query.json")
	pushFixture(t, fake, "telegram_update_message.json")
	poll(t, a, rec)
	if in := rec.next(t); in.Text != "/start" {
		t.Errorf("dispatched %+v, want only the private message", in)
	}
	waitConfirmed(t, fake)
	rec.none(t)
}

func TestPollBacksOffOnErrors(t *testing.T) {
	pause := &sleeps{}
	a, fake := startAdapter(t, Config{Sleep: pause.sleep})
	for range 3 {
		fake.FailNext("getUpdates", 502, 0)
	}
	fake.FailNext("getUpdates", 429, 7)
	rec := newRecorder(nil)
	pushFixture(t, fake, "telegram_update_message.json")
	poll(t, a, rec)
	rec.next(t)
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 7 * time.Second}
	if got := pause.all(); !reflect.DeepEqual(got, want) {
		t.Errorf("pauses %v, want %v", got, want)
	}
}

func TestPollGivesUpWhenTheTokenIsRejected(t *testing.T) {
	a, fake := startAdapter(t, Config{})
	fake.FailNext("getUpdates", 401, 0)
	err := a.Poll(testContext(t), newRecorder(nil))
	if err == nil || !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("poll returned %v, want an Unauthorized error", err)
	}
}

func TestPollLogsWithoutTheToken(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(testContext(t))
	a, fake := startAdapter(t, Config{Logger: logger, Sleep: func(context.Context, time.Duration) error {
		cancel() // stop after the first failure
		return context.Canceled
	}})
	fake.Close()
	if err := a.Poll(ctx, newRecorder(nil)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "get updates") {
		t.Fatalf("no error logged: %s", logs.String())
	}
	if strings.Contains(logs.String(), telegramtest.Token) {
		t.Errorf("log leaks the bot token: %s", logs.String())
	}
}
