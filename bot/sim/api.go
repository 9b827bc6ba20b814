package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/lapak-id/lapak/bot"
)

// Dispatcher handles updates, each chat's in order; *bot.Dispatcher is one.
type Dispatcher interface {
	Dispatch(ctx context.Context, in bot.Inbound) <-chan error
}

var _ Dispatcher = (*bot.Dispatcher)(nil)

// API serves the playground page's calls: the transcripts, a stream of new entries, and what the
// user sends from a pane.
type API struct {
	sim       *Sim
	d         Dispatcher
	log       *slog.Logger
	heartbeat time.Duration
}

// API returns the HTTP handlers that drive s through d.
func (s *Sim) API(d Dispatcher) *API {
	return &API{sim: s, d: d, log: s.cfg.Logger, heartbeat: 15 * time.Second}
}

// maxActionBytes bounds a POSTed action: a chat message and some JSON around it.
const maxActionBytes = 64 << 10

// history is the answer to GET history.
type history struct {
	Run     string  `json:"run"`
	Panes   []Pane  `json:"panes"`
	Entries []Entry `json:"entries"`
}

// History answers GET with the run, the panes and every entry kept, oldest first.
func (a *API) History(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, history{Run: a.sim.RunID(), Panes: a.sim.Panes(), Entries: a.sim.History(0)})
}

// Send answers POST {pane, text} or {pane, option, label}: it records what the user sent, hands
// the update to the dispatcher and answers once it was handled and Lapak's replies recorded.
func (a *API) Send(w http.ResponseWriter, r *http.Request) {
	var act Action
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxActionBytes)).Decode(&act); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{"read action: " + err.Error()})
		return
	}
	in, err := a.sim.Act(act)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{err.Error()})
		return
	}
	a.dispatch(w, r, act.Pane, in)
}

// dispatch hands an update to the dispatcher and answers once it was handled, or asks the page to
// send it again.
func (a *API) dispatch(w http.ResponseWriter, r *http.Request, pane string, in bot.Inbound) {
	var err error
	select {
	case err = <-a.d.Dispatch(r.Context(), in):
	case <-r.Context().Done():
		return
	}
	if err != nil {
		a.log.Warn("playground update not handled", "pane", pane, "update_id", in.UpdateID, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, errorBody{"not handled, send it again"})
		return
	}
	writeJSON(w, http.StatusOK, struct {
		UpdateID string `json:"update_id"`
	}{in.UpdateID})
}

// Stream answers GET with Server-Sent Events: every entry after the Last-Event-ID header (or the
// "after" query parameter), then each new one as it comes, until the client leaves or the sim
// closes. A comment line every heartbeat keeps idle connections open.
func (a *API) Stream(w http.ResponseWriter, r *http.Request) {
	backlog, entries, cancel := a.sim.Subscribe(lastEventID(r))
	defer cancel()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	hello, _ := json.Marshal(struct {
		Run string `json:"run"`
	}{a.sim.RunID()})
	fmt.Fprintf(w, "event: hello\ndata: %s\n\n", hello)
	for _, e := range backlog {
		writeEvent(w, e)
	}
	if rc.Flush() != nil {
		return
	}
	a.pump(r.Context(), w, rc, entries)
}

// pump writes entries as they come, and heartbeats between them.
func (a *API) pump(ctx context.Context, w http.ResponseWriter, rc *http.ResponseController, entries <-chan Entry) {
	tick := time.NewTicker(a.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-entries:
			if !ok {
				return
			}
			writeEvent(w, e)
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, e Entry) {
	data, _ := json.Marshal(e) // an Entry always encodes
	fmt.Fprintf(w, "id: %d\ndata: %s\n\n", e.Seq, data)
}

// lastEventID is where a stream resumes: the browser's Last-Event-ID on a reconnect, else the
// page's "after" parameter, else the start.
func lastEventID(r *http.Request) int64 {
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			return n
		}
	}
	return 0
}

type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // fails only when the client is gone
}
