// Package telegramtest is a recording fake of the Telegram Bot API for tests: an httptest server
// that speaks the real wire format (url-encoded, multipart and JSON requests; {"ok":…} answers
// with error codes and retry_after). Tests push updates for getUpdates, read back every message
// the bot sent, and make the next call of a method fail, with a 429 for instance.
//
// It serves getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, sendMessage, sendPhoto,
// sendDocument, editMessageText, answerCallbackQuery, answerInlineQuery (photo and article
// results), sendChatAction, getFile and file downloads.
// It is safe for concurrent use and fast enough for throughput benchmarks.
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Token is the only bot token the fake accepts; others get 401 Unauthorized.
const Token = "123456789:AAFakeTokenForLapakTests_0123456789"

// The fake bot's identity, as getMe tells it.
const (
	BotID    = 123456789
	Username = "lapak_test_bot"
)

// firstUpdateID is the ID of the first pushed update.
const firstUpdateID = 1000

// Server is a fake Bot API server.
type Server struct {
	srv       *httptest.Server
	closing   chan struct{}
	closeOnce sync.Once

	mu             sync.Mutex
	changed        chan struct{} // closed and replaced on every change
	calls          map[string]int
	failures       map[string][]*apiError
	lastUpdate     int
	queue          []queued // updates not confirmed yet, oldest first
	lastMessage    int
	sent           []Message
	current        map[int]Message // the latest version of each message, by ID
	answers        []Answer
	answered       map[string]bool
	inlineAnswers  []InlineAnswer
	inlineAnswered map[string]bool
	actions        []ChatAction
	webhook        WebhookInfo
	lastFile       int
	files          map[string]storedFile // by file ID
	paths          map[string]string     // file path to file ID
}

// New starts a fake server. With a testing.TB (at most one), it is closed when the test ends;
// without one, call Close.
func New(tb ...testing.TB) *Server {
	s := &Server{
		closing:        make(chan struct{}),
		changed:        make(chan struct{}),
		calls:          map[string]int{},
		failures:       map[string][]*apiError{},
		lastUpdate:     firstUpdateID - 1,
		current:        map[int]Message{},
		answered:       map[string]bool{},
		inlineAnswered: map[string]bool{},
		files:          map[string]storedFile{},
		paths:          map[string]string{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	if len(tb) > 0 && tb[0] != nil {
		tb[0].Cleanup(s.Close)
	}
	return s
}

// Close ends pending long polls and shuts the server down.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.srv.Close()
	})
}

// URL returns the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Endpoint returns the Bot API endpoint to configure a client with: a Sprintf format taking the
// token, then the method, like tgbotapi.APIEndpoint.
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// FileEndpoint returns the file download endpoint: a Sprintf format taking the token, then the
// file path, like tgbotapi.FileEndpoint.
func (s *Server) FileEndpoint() string { return s.srv.URL + "/file/bot%s/%s" }

// FailNext makes the next call of method fail with code, and with parameters.retry_after when
// retryAfter > 0. Several failures queue up in order.
func (s *Server) FailNext(method string, code, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	method = strings.ToLower(method)
	s.failures[method] = append(s.failures[method], &apiError{Code: code, Description: describe(code, retryAfter), RetryAfter: retryAfter})
}

// handler serves one Bot API method.
type handler func(s *Server, ctx context.Context, req *request) (any, *apiError)

// methods are the Bot API methods the fake serves, by lower-case name: method names are
// case-insensitive.
var methods = map[string]handler{
	"getme":               (*Server).getMe,
	"getupdates":          (*Server).getUpdates,
	"setwebhook":          (*Server).setWebhook,
	"deletewebhook":       (*Server).deleteWebhook,
	"getwebhookinfo":      (*Server).getWebhookInfo,
	"sendmessage":         (*Server).sendMessage,
	"sendphoto":           (*Server).sendPhoto,
	"senddocument":        (*Server).sendDocument,
	"editmessagetext":     (*Server).editMessageText,
	"answercallbackquery": (*Server).answerCallbackQuery,
	"answerinlinequery":   (*Server).answerInlineQuery,
	"sendchataction":      (*Server).sendChatAction,
	"getfile":             (*Server).getFile,
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.download(w, rest)
		return
	}
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	h, known := methods[strings.ToLower(method)]
	switch {
	case !ok || !strings.HasPrefix(r.URL.Path, "/bot"):
		writeError(w, &apiError{Code: http.StatusNotFound, Description: "Not Found"})
	case token != Token:
		writeError(w, &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"})
	case !known:
		writeError(w, &apiError{Code: http.StatusNotFound, Description: "Not Found: method not found"})
	default:
		s.call(w, r, method, h)
	}
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, method string, h handler) {
	req, err := parseRequest(r)
	if err != nil {
		writeError(w, badRequest("can't parse request: "+err.Error()))
		return
	}
	if e := s.begin(method); e != nil {
		writeError(w, e)
		return
	}
	result, e := h(s, r.Context(), req)
	if e != nil {
		writeError(w, e)
		return
	}
	writeResult(w, result)
}

// begin counts a call and returns the failure queued for it, if any.
func (s *Server) begin(method string) *apiError {
	method = strings.ToLower(method)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	s.notifyLocked()
	queue := s.failures[method]
	if len(queue) == 0 {
		return nil
	}
	s.failures[method] = queue[1:]
	return queue[0]
}

// apiError is a failed call, as Telegram describes it.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
}

func badRequest(what string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + what}
}

// describe returns Telegram's description for an error code.
func describe(code, retryAfter int) string {
	switch code {
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	}
	return "Internal Server Error"
}

// response is the envelope of every answer (https://core.telegram.org/bots/api#making-requests).
type response struct {
	OK          bool        `json:"ok"`
	Result      any         `json:"result,omitempty"`
	ErrorCode   int         `json:"error_code,omitempty"`
	Description string      `json:"description,omitempty"`
	Parameters  *parameters `json:"parameters,omitempty"`
}

type parameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

// described is a result that comes with a description, as setWebhook's "Webhook was set".
type described struct {
	result      any
	description string
}

func writeResult(w http.ResponseWriter, result any) {
	resp := response{OK: true, Result: result}
	if d, ok := result.(described); ok {
		resp.Result, resp.Description = d.result, d.description
	}
	writeJSON(w, http.StatusOK, resp)
}

func writeError(w http.ResponseWriter, e *apiError) {
	resp := response{ErrorCode: e.Code, Description: e.Description}
	if e.RetryAfter > 0 {
		resp.Parameters = &parameters{RetryAfter: e.RetryAfter}
	}
	writeJSON(w, e.Code, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
