package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lapak-id/lapak/web"
)

// routes is every HTTP route Lapak serves in every mode, after start; serve and playground add
// their channels'.
func (a *app) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.ready(r.Context()); err != nil {
			a.log.Warn("health check failed", "err", err)
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{}))
	catalog := web.NewCatalog(web.CatalogConfig{
		Storefronts: a.store, Links: a.store, Photos: a.store,
		PublicURL: a.cfg.PublicURL, WhatsApp: a.cfg.WhatsAppNumber, Logger: a.log.With("component", "web"),
	})
	mux.HandleFunc("GET /r/{code}", catalog.Storefront)
	mux.HandleFunc("GET /r/{code}/p/{sku}", catalog.Product)
	mux.HandleFunc("GET /go/{token}", catalog.Order)
	mux.HandleFunc("GET /img/{id}", catalog.Image)
	if a.payments != nil {
		mux.Handle("POST "+invoiceWebhookPath, a.payments.InvoiceWebhook())
		mux.Handle("POST "+payoutWebhookPath, a.payments.PayoutWebhook())
	}
	return mux
}

// invoiceWebhookPath is where Xendit posts invoice callbacks: PUBLIC_URL plus this path is the URL
// to set in Xendit's dashboard (Settings > Webhooks, invoices paid and expired).
const invoiceWebhookPath = "/webhooks/xendit/invoice"

// payoutWebhookPath is where Xendit posts payout callbacks: PUBLIC_URL plus this path is the URL to
// set in Xendit's dashboard for Payouts.
const payoutWebhookPath = "/webhooks/xendit/payout"

// healthcheck asks the local server's /healthz, for container health checks.
func healthcheck(ctx context.Context, cfg Config) error {
	_, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %q: %w", cfg.HTTPAddr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health check: %s", resp.Status)
	}
	return nil
}
