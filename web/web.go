// Package web owns Lapak's browser pages, embedded in the binary with no build step and nothing
// loaded from elsewhere: the catalog pages, and the playground, where the owner, a reseller and a
// customer chat with Lapak side by side, each pane looking like the app its user has (Telegram
// or WhatsApp).
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed playground
var playgroundFiles embed.FS

// playgroundHeaders forbid scripts, styles and connections from anywhere but Lapak itself; images
// may also be data: URLs or photos on the web.
func playgroundHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https: http:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
}

// PlaygroundPage serves the playground page.
func PlaygroundPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		playgroundHeaders(w.Header())
		http.ServeFileFS(w, r, playgroundFiles, "playground/index.html")
	})
}

// PlaygroundAssets serves the page's script and styles, mounted under prefix (such as
// "/playground/static/").
func PlaygroundAssets(prefix string) http.Handler {
	sub, err := fs.Sub(playgroundFiles, "playground/static")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	files := http.StripPrefix(prefix, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		playgroundHeaders(w.Header())
		files.ServeHTTP(w, r)
	})
}
