package sim

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak/bot"
)

// echo is a dispatcher that answers every update in its chat, or fails with err.
type echo struct {
	sim *Sim
	err error
	mu  sync.Mutex
	got []bot.Inbound
}

func (d *echo) Dispatch(ctx context.Context, in bot.Inbound) <-chan error {
	d.mu.Lock()
	d.got = append(d.got, in)
	d.mu.Unlock()
	done := make(chan error, 1)
	if d.err == nil {
		d.sim.Send(ctx, in.Chat, bot.Reply{Text: "echo: " + in.Text, Options: options("Bahasa", "Bantuan")})
	}
	done <- d.err
	return done
}

func newServer(t *testing.T, s *Sim, d Dispatcher) *httptest.Server {
	t.Helper()
	api := s.API(d)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /history", api.History)
	mux.HandleFunc("GET /stream", api.Stream)
	mux.HandleFunc("POST /send", api.Send)
	mux.HandleFunc("POST /upload", api.Upload)
	mux.HandleFunc("GET /playground/api/file/{id}", api.File)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(s.Close) // runs first: streams end before the server closes
	return srv
}

func post(t *testing.T, srv *httptest.Server, body string) (int, map[string]string) {
	t.Helper()
	res, err := http.Post(srv.URL+"/send", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]string
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestSendEndpoint(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		fail    error
		status  int
		entries int // in the transcript afterwards
	}{
		{"TextIsHandledAndAnswered", `{"pane":"owner","text":"/start"}`, nil, http.StatusOK, 2},
		{"TapIsHandledAndAnswered", `{"pane":"customer","option":"m:help","label":"Bantuan"}`, nil, http.StatusOK, 2},
		{"UnknownPaneIsABadRequest", `{"pane":"admin","text":"hai"}`, nil, http.StatusBadRequest, 0},
		{"EmptyTextIsABadRequest", `{"pane":"owner","text":""}`, nil, http.StatusBadRequest, 0},
		{"BrokenJSONIsABadRequest", `{"pane":`, nil, http.StatusBadRequest, 0},
		{"TooLargeIsABadRequest", `{"pane":"owner","text":"` + strings.Repeat("a", maxActionBytes) + `"}`, nil, http.StatusBadRequest, 0},
		{"UnhandledUpdateSaysTryAgain", `{"pane":"owner","text":"/start"}`, errors.New("redis down"), http.StatusServiceUnavailable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t)
			d := &echo{sim: s, err: tt.fail}
			status, body := post(t, newServer(t, s, d), tt.body)
			if status != tt.status {
				t.Fatalf("status = %d (%v), want %d", status, body, tt.status)
			}
			if n := len(s.History(0)); n != tt.entries {
				t.Errorf("transcript has %d entries, want %d", n, tt.entries)
			}
			if status == http.StatusOK && (len(d.got) != 1 || body["update_id"] != d.got[0].UpdateID) {
				t.Errorf("answer %v, dispatched %+v", body, d.got)
			}
		})
	}
}

func TestHistoryEndpoint(t *testing.T) {
	s := newSim(t)
	srv := newServer(t, s, &echo{sim: s})
	post(t, srv, `{"pane":"customer","text":"halo"}`)
	res, err := http.Get(srv.URL + "/history")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct {
		Run   string `json:"run"`
		Panes []struct {
			ID   string      `json:"id"`
			Chat bot.Address `json:"chat"`
		} `json:"panes"`
		Entries []Entry `json:"entries"`
	}
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if h.Run != "r1" || len(h.Panes) != 2 || h.Panes[1].ID != "customer" || h.Panes[1].Chat != customerPane.Chat {
		t.Errorf("run and panes = %q %+v", h.Run, h.Panes)
	}
	if len(h.Entries) != 2 || h.Entries[0].Text != "halo" || h.Entries[1].Reply.Text != "echo: halo" {
		t.Fatalf("entries = %+v", h.Entries)
	}
	if got := h.Entries[1].Reply.Layout.Style; got != StyleButtons {
		t.Errorf("customer reply style = %q, want WhatsApp reply buttons", got)
	}
}

// event is one Server-Sent Event.
type event struct{ id, name, data string }

// stream connects to the stream and returns its events as they come.
func stream(t *testing.T, srv *httptest.Server, query, lastID string) <-chan event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/stream"+query, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	out := make(chan event, 16)
	go readEvents(res.Body, out)
	return out
}

func readEvents(body io.ReadCloser, out chan<- event) {
	defer close(out)
	defer body.Close()
	var e event
	sc := bufio.NewScanner(body)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if e.data != "" {
				out <- e
			}
			e = event{}
		case strings.HasPrefix(line, "id: "):
			e.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			e.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			e.data = line[6:]
		}
	}
}

// next returns the next entry of the stream, skipping other events.
func next(t *testing.T, events <-chan event) Entry {
	t.Helper()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("stream ended")
			}
			if ev.name != "" {
				continue
			}
			var e Entry
			if err := json.Unmarshal([]byte(ev.data), &e); err != nil {
				t.Fatalf("event %q: %v", ev.data, err)
			}
			return e
		case <-time.After(5 * time.Second):
			t.Fatal("no entry within 5s")
		}
	}
}

func TestStreamEndpoint(t *testing.T) {
	t.Run("SaysHelloWithTheRun", func(t *testing.T) {
		s := newSim(t)
		ev := <-stream(t, newServer(t, s, &echo{sim: s}), "", "")
		if ev.name != "hello" || ev.data != `{"run":"r1"}` {
			t.Fatalf("first event = %+v, want hello with the run", ev)
		}
	})
	t.Run("StreamsNewEntriesAsTheyCome", func(t *testing.T) {
		s := newSim(t)
		srv := newServer(t, s, &echo{sim: s})
		events := stream(t, srv, "", "")
		post(t, srv, `{"pane":"owner","text":"/start"}`)
		user, reply := next(t, events), next(t, events)
		if user.Seq != 1 || user.Text != "/start" || reply.Seq != 2 || reply.Reply.Text != "echo: /start" {
			t.Fatalf("entries %+v then %+v", user, reply)
		}
		if reply.Reply.Layout.Style != StyleKeyboard {
			t.Errorf("owner reply style %q, want a Telegram keyboard", reply.Reply.Layout.Style)
		}
	})
	t.Run("ResumesAfterTheQueryParameter", func(t *testing.T) {
		s := newSim(t)
		srv := newServer(t, s, &echo{sim: s})
		post(t, srv, `{"pane":"owner","text":"satu"}`)
		post(t, srv, `{"pane":"owner","text":"dua"}`)
		if e := next(t, stream(t, srv, "?after=2", "")); e.Seq != 3 || e.Text != "dua" {
			t.Fatalf("first entry %+v, want seq 3", e)
		}
	})
	t.Run("LastEventIDWinsOnReconnect", func(t *testing.T) {
		s := newSim(t)
		srv := newServer(t, s, &echo{sim: s})
		post(t, srv, `{"pane":"owner","text":"satu"}`)
		post(t, srv, `{"pane":"owner","text":"dua"}`)
		if e := next(t, stream(t, srv, "?after=0", "3")); e.Seq != 4 {
			t.Fatalf("first entry %+v, want seq 4", e)
		}
	})
	t.Run("EndsWhenTheSimCloses", func(t *testing.T) {
		s := newSim(t)
		events := stream(t, newServer(t, s, &echo{sim: s}), "", "")
		<-events // hello
		s.Close()
		select {
		case _, ok := <-events:
			if ok {
				t.Fatal("got an event after close")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("stream still open 5s after close")
		}
	})
}
