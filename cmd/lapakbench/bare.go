package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak/bot/telegram/telegramtest"
)

// bareServer is the baseline: the webhook of a minimal go-telegram-bot-api echo bot, with the
// library's defaults, served on a loopback port of its own.
type bareServer struct {
	srv *http.Server
	url string
}

// startBare starts the echo bot against the Bot API at endpoint.
func startBare(endpoint string) (*bareServer, error) {
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(telegramtest.Token, endpoint)
	if err != nil {
		return nil, fmt.Errorf("bare handler: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bare handler: %w", err)
	}
	b := &bareServer{srv: &http.Server{Handler: echo(api), ReadHeaderTimeout: 10 * time.Second}, url: "http://" + ln.Addr().String() + "/"}
	go func() { _ = b.srv.Serve(ln) }() // a server that stops serving fails the requests, and so the run
	return b, nil
}

// echo decodes the update and sends its text back to its chat, before it answers.
func echo(api *tgbotapi.BotAPI) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := api.HandleUpdate(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if u.Message != nil {
			if _, err := api.Send(tgbotapi.NewMessage(u.Message.Chat.ID, u.Message.Text)); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}

func (b *bareServer) close(ctx context.Context) error {
	return b.srv.Shutdown(ctx)
}
