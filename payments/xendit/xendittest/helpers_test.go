package xendittest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lapak-id/lapak/payments/xendit"
	"github.com/lapak-id/lapak/payments/xendit/xendittest"
)

var t0 = time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a fake on a fixed clock, a client for it, and a callback receiver wired to it.
type env struct {
	fake   *xendittest.Server
	client *xendit.Client
	clock  *clock
	inbox  *inbox
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{clock: &clock{t: t0}, inbox: &inbox{status: http.StatusOK}}
	cb := httptest.NewServer(e.inbox)
	t.Cleanup(cb.Close)
	e.fake = xendittest.New(xendittest.Config{
		Now:                e.clock.Now,
		InvoiceCallbackURL: cb.URL + "/invoice",
		PayoutCallbackURL:  cb.URL + "/payout",
	})
	t.Cleanup(e.fake.Close)
	e.client = xendit.New(xendit.Config{BaseURL: e.fake.URL(), SecretKey: e.fake.SecretKey()})
	return e
}

// inbox is a callback receiver that keeps every body it gets, in arrival order.
type inbox struct {
	mu     sync.Mutex
	status int   // answer to give
	fails  int   // answer 500 this many times first
	gate   *gate // when set, each arrival waits for all of them
	bodies [][]byte
	tokens []string
}

func (in *inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	in.mu.Lock()
	in.bodies = append(in.bodies, body)
	in.tokens = append(in.tokens, r.Header.Get("x-callback-token"))
	status, gate := in.status, in.gate
	if in.fails > 0 {
		in.fails--
		status = http.StatusInternalServerError
	}
	in.mu.Unlock()
	if gate != nil && !gate.arrive() {
		status = http.StatusServiceUnavailable
	}
	w.WriteHeader(status)
}

// gate opens when want callers have arrived.
type gate struct {
	mu   sync.Mutex
	n    int
	want int
	open chan struct{}
}

func newGate(want int) *gate { return &gate{want: want, open: make(chan struct{})} }

// arrive counts the caller and waits until all have arrived, or gives up after five seconds.
func (g *gate) arrive() bool {
	g.mu.Lock()
	if g.n++; g.n == g.want {
		close(g.open)
	}
	g.mu.Unlock()
	select {
	case <-g.open:
		return true
	case <-time.After(5 * time.Second):
		return false
	}
}

func (in *inbox) Bodies() [][]byte {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([][]byte(nil), in.bodies...)
}

// call sends a raw request to the fake with the given key, and decodes the JSON answer.
func call(t *testing.T, f *xendittest.Server, method, path, key string, header http.Header, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL()+path, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if key != "" {
		req.SetBasicAuth(key, "")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// fixture reads one of the client package's Xendit payloads.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (in *inbox) Tokens() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.tokens...)
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
