package xendittest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Request is one call the fake received.
type Request struct {
	Method string
	Path   string      // as sent on the wire, such as /invoices/579c…/expire!
	Query  url.Values  // parsed query string
	Header http.Header // every header but Authorization, which holds the secret key
	Body   []byte
	At     time.Time // by the fake's clock
}

// maxRecorded bounds the request record of a long-running fake, such as the playground's.
const maxRecorded = 10_000

// Requests returns the calls received so far, oldest first: all of them, or the last
// maxRecorded (10 000) in a long run.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// RequestsTo returns the calls received for method and path (a trailing slash is ignored).
func (s *Server) RequestsTo(method, path string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == method && samePath(r.Path, path) {
			out = append(out, r)
		}
	}
	return out
}

// record keeps a copy of every request, without the Authorization header.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		h := r.Header.Clone()
		h.Del("Authorization")
		s.mu.Lock()
		if len(s.requests) >= maxRecorded {
			s.requests = slices.Delete(s.requests, 0, maxRecorded/2)
		}
		s.requests = append(s.requests, Request{
			Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(),
			Header: h, Body: body, At: s.now(),
		})
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// authenticate answers 401 INVALID_API_KEY unless the Basic auth username is the secret key.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _, ok := r.BasicAuth()
		if !ok || user != s.cfg.SecretKey {
			writeError(w, http.StatusUnauthorized, "INVALID_API_KEY", "API key format is invalid")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// rateLimitWindow and rateLimit are Xendit's test-mode limit: 60 requests a minute per endpoint.
const (
	rateLimitWindow = time.Minute
	rateLimit       = 60
)

// InjectedRateLimitReset is the Rate-Limit-Reset an injected 429 carries.
const InjectedRateLimitReset = 1500 * time.Millisecond

// rateLimitHeaders adds Xendit's Rate-Limit-* headers, counting this path's requests in the
// last minute. The fake never enforces the limit; FailNext injects a 429.
func (s *Server) rateLimitHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		used, reset := s.window(r.URL.EscapedPath())
		w.Header().Set("Rate-Limit-Limit", fmt.Sprint(rateLimit))
		w.Header().Set("Rate-Limit-Remaining", fmt.Sprint(max(rateLimit-used, 0)))
		w.Header().Set("Rate-Limit-Reset", seconds(reset))
		next.ServeHTTP(w, r)
	})
}

// window counts the requests to path in the last minute and says when the oldest ages out.
func (s *Server) window(path string) (used int, reset time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	reset = rateLimitWindow
	for _, r := range s.requests {
		if age := now.Sub(r.At); r.Path == path && age < rateLimitWindow {
			if used == 0 {
				reset = rateLimitWindow - age
			}
			used++
		}
	}
	return used, reset
}

// failure is an injected error answer for the next request to path.
type failure struct {
	path         string
	status       int
	code         string
	afterHandled bool // let the call take effect, then lose its answer
}

// FailNext makes the next request to path (any method; a trailing slash is ignored) fail with
// status and error_code code, without taking effect. Each call queues one failure. A 429
// carries Rate-Limit-Reset of InjectedRateLimitReset.
func (s *Server) FailNext(path string, status int, code string) {
	s.addFailure(failure{path: path, status: status, code: code})
}

// FailNextAfterHandling is FailNext for a request that does take effect (an invoice or payout is
// created) but whose answer is lost and replaced by the error, as when Xendit acts and the
// connection then times out.
func (s *Server) FailNextAfterHandling(path string, status int, code string) {
	s.addFailure(failure{path: path, status: status, code: code, afterHandled: true})
}

func (s *Server) addFailure(f failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f)
}

// takeFailure removes and returns the first failure queued for path.
func (s *Server) takeFailure(path string) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.failures {
		if samePath(f.path, path) {
			s.failures = append(s.failures[:i], s.failures[i+1:]...)
			return f, true
		}
	}
	return failure{}, false
}

// injectFailures answers with a queued failure, before or after running next.
func (s *Server) injectFailures(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.takeFailure(r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.afterHandled {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		if f.status == http.StatusTooManyRequests {
			w.Header().Set("Rate-Limit-Remaining", "0")
			w.Header().Set("Rate-Limit-Reset", seconds(InjectedRateLimitReset))
		}
		writeError(w, f.status, f.code, injectedMessage(f.status))
	})
}

func injectedMessage(status int) string {
	if status == http.StatusTooManyRequests {
		return "Rate limit exceeded"
	}
	return "Injected failure: " + http.StatusText(status)
}

// samePath compares two paths, ignoring a trailing slash and percent-escaping.
func samePath(a, b string) bool {
	ua, erra := url.PathUnescape(a)
	ub, errb := url.PathUnescape(b)
	if erra != nil || errb != nil {
		ua, ub = a, b
	}
	return strings.TrimSuffix(ua, "/") == strings.TrimSuffix(ub, "/")
}

// seconds formats d the way Rate-Limit-Reset does, as fractional seconds.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f", d.Seconds())
}
