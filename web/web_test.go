package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func getPlayground(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestPlaygroundPage(t *testing.T) {
	res, body := getPlayground(t, PlaygroundPage(), "/playground")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`lang="id"`, `name="viewport"`,
		`/playground/static/playground.js`, `/playground/static/playground.css`,
		`data-testid="status"`, `data-testid="messages"`, `data-testid="input"`, `data-testid="send"`, `data-testid="list-sheet"`,
		`data-testid="attach"`, `type="file"`, `data-testid="file" accept="image/*"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q, want only Lapak's own scripts", csp)
	}
}

func TestPlaygroundPageLoadsNothingFromElsewhere(t *testing.T) {
	for _, path := range []string{"/playground/static/playground.js", "/playground/static/playground.css"} {
		_, body := getPlayground(t, PlaygroundAssets("/playground/static/"), path)
		if strings.Contains(body, "//cdn") || strings.Contains(body, "@import") || strings.Contains(body, "fonts.googleapis") {
			t.Errorf("%s loads something from elsewhere", path)
		}
	}
	_, page := getPlayground(t, PlaygroundPage(), "/playground")
	if strings.Contains(page, `src="http`) || strings.Contains(page, `href="http`) {
		t.Error("page loads something from elsewhere")
	}
}

func TestPlaygroundAssets(t *testing.T) {
	tests := []struct {
		path, status, contentType string
	}{
		{"/playground/static/playground.js", "200", "text/javascript"},
		{"/playground/static/playground.css", "200", "text/css"},
		{"/playground/static/missing.js", "404", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, _ := getPlayground(t, PlaygroundAssets("/playground/static/"), tt.path)
			if got := res.Status[:3]; got != tt.status {
				t.Fatalf("status %s, want %s", got, tt.status)
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), tt.contentType) {
				t.Errorf("content type %q, want %s", res.Header.Get("Content-Type"), tt.contentType)
			}
		})
	}
}

func TestPlaygroundScriptNeverParsesHTML(t *testing.T) {
	_, js := getPlayground(t, PlaygroundAssets("/playground/static/"), "/playground/static/playground.js")
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(js, sink) {
			t.Errorf("playground.js uses %s; Lapak's text must be set as text", sink)
		}
	}
}
