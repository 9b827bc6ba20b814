package xendittest

import (
	"encoding/json"
	"fmt"
)

// payoutEnvelope is the body of a payout callback, shaped as Xendit's example
// (payout_callback_succeeded.json).
type payoutEnvelope struct {
	Event      string `json:"event"`
	BusinessID string `json:"business_id"`
	Created    string `json:"created"`
	Data       Payout `json:"data"`
}

// Test-mode account numbers that decide how a payout ends
// (https://docs.xendit.co/docs/test-scenarios-payouts). Any other number succeeds.
const (
	AccountInvalidDestination = "121212" // FAILED INVALID_DESTINATION
	AccountTemporaryError     = "123456" // FAILED TEMPORARY_TRANSFER_ERROR
	AccountRejectedByChannel  = "999999" // FAILED REJECTED_BY_CHANNEL
	AccountReversed           = "654321" // SUCCEEDED, then REVERSED
	AccountStaysAccepted      = "131313" // stays ACCEPTED, to test cancelling
)

// outcome is a status a payout moves to, with its callback event and failure code.
type outcome struct {
	status, event, failureCode string
}

// outcomes lists what settling a payout to account does, in order.
func outcomes(account string) []outcome {
	failed := func(code string) []outcome { return []outcome{{"FAILED", "payout.failed", code}} }
	succeeded := outcome{"SUCCEEDED", "payout.succeeded", ""}
	switch account {
	case AccountInvalidDestination:
		return failed("INVALID_DESTINATION")
	case AccountTemporaryError:
		return failed("TEMPORARY_TRANSFER_ERROR")
	case AccountRejectedByChannel:
		return failed("REJECTED_BY_CHANNEL")
	case AccountReversed:
		return []outcome{succeeded, {"REVERSED", "payout.reversed", ""}}
	case AccountStaysAccepted:
		return nil
	}
	return []outcome{succeeded}
}

// SettlePayout finishes an ACCEPTED payout as Xendit's test mode does for its account number
// (see the Account constants) and sends one callback per status it passes through: 654321 sends
// payout.succeeded and then payout.reversed; 131313 stays ACCEPTED and sends nothing.
func (s *Server) SettlePayout(id string) error {
	events, err := s.settle(id)
	if err != nil {
		return fmt.Errorf("settle payout %s: %w", id, err)
	}
	s.publish(events...)
	return nil
}

// settle applies the outcomes to the stored payout and returns their callbacks.
func (s *Server) settle(id string) ([]event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payouts[id]
	switch {
	case !ok:
		return nil, ErrNotFound
	case p.Status != "ACCEPTED":
		return nil, fmt.Errorf("payout is %s", p.Status)
	}
	var events []event
	for _, o := range outcomes(p.ChannelProperties.AccountNumber) {
		now := s.now().Format(payoutTime)
		p.Status, p.FailureCode, p.Updated = o.status, o.failureCode, now
		body, _ := json.Marshal(payoutEnvelope{Event: o.event, BusinessID: s.cfg.BusinessID, Created: now, Data: *p})
		events = append(events, event{kind: payoutEvent, name: o.event, id: id, body: body})
	}
	return events, nil
}

// Payouts returns every payout, oldest first.
func (s *Server) Payouts() []Payout {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Payout, 0, len(s.payOrder))
	for _, id := range s.payOrder {
		out = append(out, *s.payouts[id])
	}
	return out
}
