package payments

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/lapak-id/lapak/payments/xendit"
)

// maxInvoiceCallbackBody bounds an invoice callback's body; Xendit's are a few kilobytes.
const maxInvoiceCallbackBody = 1 << 20

// InvoiceWebhook handles Xendit's invoice callbacks (POST /webhooks/xendit/invoice, the URL set
// in Xendit's dashboard for invoices paid and expired, https://docs.xendit.co/apidocs/webhook-behavior).
//
// A request without the account's x-callback-token, compared in constant time, gets 401 and is
// neither stored nor acted on. Every other callback is stored as it came, for audit, then applied
// (see applyCallback) and its outcome recorded. The answer is 200 only once what the callback
// changed is committed; a failure to store or apply it answers 500, so Xendit sends it again. A
// body that is not an invoice callback is stored and answered 400.
func (s *Service) InvoiceWebhook() http.Handler {
	return http.HandlerFunc(s.invoiceCallback)
}

func (s *Service) invoiceCallback(w http.ResponseWriter, r *http.Request) {
	if !xendit.VerifyCallbackToken(r.Header.Get(xendit.CallbackTokenHeader), s.cfg.CallbackToken) {
		s.cfg.Logger.Warn("xendit callback refused: wrong or missing callback token", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInvoiceCallbackBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	cb, parseErr := xendit.ParseInvoiceCallback(body)
	var id, status string
	if parseErr == nil {
		id, status = cb.ID, string(cb.Status)
	}
	auditID, err := s.cfg.Store.RecordInvoiceCallback(ctx, id, status, body)
	if err != nil {
		s.cfg.Logger.Error("store xendit callback", "invoice", id, "status", status, "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	if parseErr != nil {
		s.cfg.Logger.Warn("xendit callback is not an invoice callback", "callback", auditID, "err", parseErr)
		s.setOutcome(ctx, auditID, "invalid: "+parseErr.Error())
		http.Error(w, "not an invoice callback", http.StatusBadRequest)
		return
	}
	outcome, err := s.applyCallback(ctx, cb)
	if err != nil {
		s.cfg.Logger.Error("apply xendit callback", "callback", auditID, "invoice", id, "status", status, "err", err)
		s.setOutcome(ctx, auditID, "failed: "+err.Error())
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	s.setOutcome(ctx, auditID, outcome)
	s.cfg.Logger.Info("xendit callback", "callback", auditID, "invoice", id, "status", status, "outcome", outcome)
	w.Write([]byte("ok\n"))
}

// setOutcome records what was done with a callback. The callback's effects are committed
// already, so a failure here is only logged.
func (s *Service) setOutcome(ctx context.Context, auditID int64, outcome string) {
	if err := s.cfg.Store.SetInvoiceCallbackOutcome(context.WithoutCancel(ctx), auditID, outcome); err != nil {
		s.cfg.Logger.Warn("record xendit callback outcome", "callback", auditID, "err", err)
	}
}
