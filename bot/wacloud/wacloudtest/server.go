// Package wacloudtest is a recording fake of the WhatsApp Cloud API for tests: an httptest server
// that speaks the Graph API's wire format. It takes messages at POST /{version}/{phone-number-id}/messages,
// checks them as Meta does (the fields each type needs and their limits), answers with Meta's
// send response or error envelope, and records them; it takes uploads at …/media and read
// receipts at …/messages. Tests read back what was sent, make the next call fail, and deliver
// signed webhook notifications to the app as Meta would.
//
// It is safe for concurrent use.
package wacloudtest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// The fake's credentials and identity. Only Token is accepted; only PhoneNumberID exists.
const (
	Token              = "EAALapakFakeCloudToken0123456789abcdefZZ"
	PhoneNumberID      = "106540352242922"
	DisplayPhoneNumber = "15550783881"
	BusinessAccountID  = "102290129340398"
	AppSecret          = "test_app_secret"
	VerifyToken        = "lapak-verify-token"
	Version            = "v21.0"
)

// Server is a fake Graph API server.
type Server struct {
	srv   *httptest.Server
	nonce string // digits that keep the IDs of different servers apart

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change
	seq      int
	calls    int
	failures []*apiError
	sent     []Message
	reads    []Read
	uploads  []Upload
}

// New starts a fake server. With a testing.TB (at most one), it is closed when the test ends;
// without one, call Close.
func New(tb ...testing.TB) *Server {
	b := make([]byte, 3)
	rand.Read(b)
	s := &Server{nonce: fmt.Sprintf("%08d", int(b[0])<<16|int(b[1])<<8|int(b[2])), changed: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	if len(tb) > 0 && tb[0] != nil {
		tb[0].Cleanup(s.Close)
	}
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// URL returns the Graph API base URL with its version, as WHATSAPP_CLOUD_API_URL takes it.
func (s *Server) URL() string { return s.srv.URL + "/" + Version }

// FailNext makes the next call, whichever its endpoint, fail with HTTP status and Graph error
// code, such as (429, 130429) or (400, 131047). Several failures queue up in order.
func (s *Server) FailNext(status, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, newError(status, code, ""))
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Header.Get("Authorization") != "Bearer "+Token:
		writeError(w, newError(http.StatusUnauthorized, codeOAuth, ""))
	case len(parts) != 3 || !strings.HasPrefix(parts[0], "v"):
		writeError(w, unknownPath(r.URL.Path))
	case parts[1] != PhoneNumberID:
		writeError(w, noSuchObject(parts[1]))
	case r.Method != http.MethodPost || parts[2] != "messages" && parts[2] != "media":
		writeError(w, unknownPath("/"+parts[2]))
	default:
		s.call(w, r, parts[2])
	}
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, edge string) {
	if e := s.begin(); e != nil {
		writeError(w, e)
		return
	}
	var (
		result any
		e      *apiError
	)
	if edge == "media" {
		result, e = s.upload(r)
	} else {
		result, e = s.message(r)
	}
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, result)
}

// begin counts a call and returns the failure queued for it, if any.
func (s *Server) begin() *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.notifyLocked()
	if len(s.failures) == 0 {
		return nil
	}
	e := s.failures[0]
	s.failures = s.failures[1:]
	return e
}

// nextID returns a new ID with prefix, unique to this server.
func (s *Server) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s%s%06d", prefix, s.nonce, s.seq)
}

// nextMediaID returns a new media ID: digits, like Meta's.
func (s *Server) nextMediaID() string { return s.nextID("1") }

// notifyLocked wakes everyone waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
