package payments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/payments/xendit"
)

// This file is the Xendit side of payouts: sending approved payouts, the payout callback, and
// asking Xendit about payouts whose callback has not come.

// maxPayoutCallback is the largest callback body read; Xendit's are a few kilobytes.
const maxPayoutCallback = 1 << 20

// PayoutWebhook returns the handler of Xendit's payout callbacks (POST /webhooks/xendit/payout,
// https://docs.xendit.co/apidocs/payout-webhook-notification). A callback without the account's
// x-callback-token is refused with 401 and changes nothing. A callback is applied in one
// transaction with the ledger move and the messages it causes, and kept for audit: SUCCEEDED pays
// the payout, FAILED and CANCELLED give the money back to the reseller's available earnings,
// REVERSED after success does too and alerts the owners. Repeated and out-of-order callbacks
// change nothing twice. 200 says Xendit may stop sending it; 500, to send it again.
func (s *Service) PayoutWebhook() http.Handler { return http.HandlerFunc(s.payoutWebhook) }

// payoutWebhook handles one payout callback.
func (s *Service) payoutWebhook(w http.ResponseWriter, r *http.Request) {
	if !xendit.VerifyCallbackToken(r.Header.Get(xendit.CallbackTokenHeader), s.cfg.CallbackToken) {
		s.cfg.Logger.Warn("payout callback with a wrong token refused", "remote", r.RemoteAddr)
		http.Error(w, "invalid callback token", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayoutCallback))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	ev, err := xendit.ParsePayoutCallback(body)
	if err != nil {
		s.cfg.Logger.Warn("payout callback unreadable", "err", err)
		http.Error(w, "bad callback", http.StatusBadRequest)
		return
	}
	c := payoutChangeFrom(&ev.Data)
	c.Callback = body
	if err := s.applyPayoutChange(r.Context(), c); err != nil {
		s.cfg.Logger.Error("payout callback not applied", "xendit_id", ev.Data.ID, "reference_id", ev.Data.ReferenceID,
			"status", ev.Data.Status, "err", err)
		http.Error(w, "not applied", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// applyPayoutChange applies news from Xendit. A payout Lapak does not know (another system's on
// the same account), or news that contradicts it (another amount), is logged and ignored.
func (s *Service) applyPayoutChange(ctx context.Context, c PayoutChange) error {
	st, err := s.payouts()
	if err != nil {
		return err
	}
	p, moved, err := st.MovePayout(ctx, c, s.payoutMoved)
	switch {
	case errors.Is(err, lapak.ErrNotFound):
		s.cfg.Logger.Warn("news of an unknown payout ignored", "xendit_id", c.XenditID, "reference_id", c.Key, "status", c.XenditStatus)
		return nil
	case lapak.KindOf(err) == lapak.KindConflict:
		// Kept with the callback for an owner to look at; sending it again would not change it.
		s.cfg.Logger.Error("payout news refused", "xendit_id", c.XenditID, "reference_id", c.Key, "err", err)
		return nil
	case err != nil:
		return err
	case moved:
		s.cfg.Logger.Info("payout moved", "payout", p.Key, "status", p.Status, "failure_code", p.FailureCode)
	}
	return nil
}

// payoutChangeFrom turns a payout as Xendit reports it into a change.
func payoutChangeFrom(x *xendit.Payout) PayoutChange {
	c := PayoutChange{Key: x.ReferenceID, XenditID: x.ID, XenditStatus: string(x.Status), Amount: x.Amount, FailureCode: x.FailureCode}
	switch x.Status {
	case xendit.PayoutAccepted, xendit.PayoutRequested:
		c.To = lapak.PayoutAccepted
	case xendit.PayoutSucceeded:
		c.To = lapak.PayoutPaid
	case xendit.PayoutFailed:
		c.To = lapak.PayoutFailed
	case xendit.PayoutCancelled:
		c.To = lapak.PayoutFailed
		if c.FailureCode == "" {
			c.FailureCode = failureCancelled
		}
	case xendit.PayoutReversed:
		c.To = lapak.PayoutReversed
	}
	c.InvalidAccount = c.To == lapak.PayoutFailed && accountAtFault(c.FailureCode)
	return c
}

// accountAtFault reports whether a failure code says the account itself cannot be paid, so
// payouts wait until the reseller checks it and saves it again.
func accountAtFault(code string) bool {
	switch code {
	case xendit.FailureInvalidDestination, xendit.FailureAccountNameMismatch, xendit.FailureRejectedByChannel,
		xendit.FailureDestinationMaximumLimit, xendit.CodeChannelNotSupported:
		return true
	}
	return false
}

// SendPayout sends an approved payout to Xendit (POST /v2/payouts) with the payout's key as
// Idempotency-key and reference_id, and records Xendit's answer. The request is built from the
// payout alone, so a retry after a timeout sends the same key and body and Xendit answers with
// the payout it made the first time. Xendit refusing the payout for good (an unsupported bank,
// an amount outside the channel's limits) fails it and gives the money back. A payout past
// sending is left alone. Other errors are returned, for the job to retry.
func (s *Service) SendPayout(ctx context.Context, payoutID int64) error {
	st, err := s.payouts()
	if err != nil {
		return err
	}
	p, send, err := st.StartSending(ctx, payoutID)
	if err != nil || !send {
		return err
	}
	x, err := s.cfg.Xendit.CreatePayout(ctx, p.Key, payoutRequest(p, s.cfg.StoreName))
	if err == nil {
		c := payoutChangeFrom(x)
		c.PayoutID = p.ID
		return s.applyPayoutChange(ctx, c)
	}
	xerr, ok := xendit.AsError(err)
	switch {
	case ok && xerr.Code == xendit.CodeDuplicate:
		// The key is taken with another body: this payout's own earlier request differed, which
		// must not happen. Retrying cannot help; reconciliation asks Xendit by reference.
		return lapak.Errorf(lapak.KindConflict, "payout.duplicate_key").With(err)
	case ok && payoutRefusedForGood(xerr):
		s.cfg.Logger.Warn("Xendit refused a payout", "payout", p.Key, "code", xerr.Code, "message", xerr.Message)
		return s.applyPayoutChange(ctx, PayoutChange{PayoutID: p.ID, To: lapak.PayoutFailed, FailureCode: xerr.Code,
			InvalidAccount: accountAtFault(xerr.Code)})
	}
	return fmt.Errorf("send payout %s: %w", p.Key, err)
}

// payoutRefusedForGood reports whether Xendit refused a create-payout request in a way the same request
// will always be refused (https://docs.xendit.co/apidocs/create-payout, errors). A bad API key
// or missing permission is the operator's to fix and is retried.
func payoutRefusedForGood(e *xendit.Error) bool {
	switch e.Code {
	case xendit.CodeAPIValidation, xendit.CodeChannelNotSupported, xendit.CodeMinimumTransferLimit,
		xendit.CodeMaximumTransferLimit, "AMOUNT_INCREMENT_NOT_SUPPORTED":
		return true
	}
	return false
}

// payoutDescription is how many characters of the description every bank shows: BNI and
// Mandiri show 14.
const payoutDescription = 14

// payoutRequest is the create-payout request for p: the same for every attempt.
func payoutRequest(p lapak.Payout, storeName string) xendit.CreatePayoutRequest {
	desc := "Komisi " + storeName
	for utf8.RuneCountInString(desc) > payoutDescription {
		desc = string([]rune(desc)[:payoutDescription])
	}
	return xendit.CreatePayoutRequest{
		ReferenceID: p.Key,
		ChannelCode: p.Account.Channel,
		ChannelProperties: xendit.ChannelProperties{
			AccountNumber:     p.Account.Number,
			AccountHolderName: p.Account.Holder,
		},
		Amount:      p.Amount,
		Currency:    "IDR",
		Description: desc,
		Metadata: map[string]string{
			"payout_id":   strconv.FormatInt(p.ID, 10),
			"reseller_id": strconv.FormatInt(p.ResellerID, 10),
		},
	}
}

// Reconciliation: payouts without news for payoutStuckAfter are looked up, at most payoutStuckBatch a run,
// which keeps under Xendit's test-mode limit of 60 requests a minute.
const (
	payoutStuckAfter = 30 * time.Minute
	payoutStuckBatch = 30
)

// ReconcilePayouts asks Xendit about payouts whose callback has not come and applies what it
// says: an ACCEPTED or REQUESTED payout is fetched by its Xendit ID; one approved or being sent
// without an answer is sent again under its own key, which Xendit answers with the payout it
// made, if it made one. It reports how many payouts it looked at; one that fails is logged and
// the others go on.
func (s *Service) ReconcilePayouts(ctx context.Context) (int, error) {
	st, err := s.payouts()
	if err != nil {
		return 0, err
	}
	stuck, err := st.StuckPayouts(ctx, s.now().Add(-payoutStuckAfter), payoutStuckBatch)
	if err != nil {
		return 0, err
	}
	var failed error
	for _, p := range stuck {
		if err := s.reconcile(ctx, p); err != nil {
			s.cfg.Logger.Warn("payout reconciliation failed", "payout", p.Key, "err", err)
			failed = err
		}
	}
	if failed != nil && len(stuck) == 1 {
		return 1, failed
	}
	return len(stuck), nil
}

// reconcile asks Xendit about one payout.
func (s *Service) reconcile(ctx context.Context, p lapak.Payout) error {
	if p.XenditID == "" {
		return s.SendPayout(ctx, p.ID)
	}
	x, err := s.cfg.Xendit.GetPayout(ctx, p.XenditID)
	if err != nil {
		return err
	}
	c := payoutChangeFrom(x)
	c.PayoutID = p.ID
	return s.applyPayoutChange(ctx, c)
}
