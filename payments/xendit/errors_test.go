package xendit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lapak-id/lapak/payments/xendit"
)

func TestErrorFixturesDecodeIntoTypedErrors(t *testing.T) {
	tests := []struct {
		file    string
		status  int
		code    string
		message string // a part of it
		details int
	}{
		{"error_duplicate.json", 400, xendit.CodeDuplicate, "idempotency key already exists", 0},
		{"error_duplicate_error_message.json", 400, xendit.CodeDuplicate, "idempotency key already exists", 0},
		{"error_invalid_api_key.json", 401, xendit.CodeInvalidAPIKey, "API key format is invalid", 0},
		{"error_invoice_not_found.json", 404, xendit.CodeInvoiceNotFound, "Invoice not found", 0},
		{"error_minimal_amount_invoice.json", 400, xendit.CodeMinimalTransferAmount, "below Rp10000", 0},
		{"error_payout_not_found.json", 404, xendit.CodeDataNotFound, "Could not find payout", 0},
		{"error_rate_limit.json", 429, xendit.CodeRateLimitExceeded, "Rate limit exceeded", 0},
		{"error_request_forbidden.json", 403, xendit.CodeRequestForbidden, "forbidden", 0},
		{"error_validation.json", 400, xendit.CodeAPIValidation, "Inputs are failing validation", 1},
		{"error_validation_payout.json", 400, xendit.CodeAPIValidation, `required property "channel_code"`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := replay(t, tt.status, fixture(t, tt.file)).GetPayout(context.Background(), "disb-1")
			apiErr, ok := xendit.AsError(err)
			if !ok {
				t.Fatalf("got %v, want an *xendit.Error", err)
			}
			if apiErr.Status != tt.status || apiErr.Code != tt.code || !strings.Contains(apiErr.Message, tt.message) {
				t.Errorf("got %d %s %q, want %d %s containing %q", apiErr.Status, apiErr.Code, apiErr.Message, tt.status, tt.code, tt.message)
			}
			if len(apiErr.Errors) != tt.details {
				t.Errorf("%d details, want %d", len(apiErr.Errors), tt.details)
			}
			if !xendit.IsCode(err, tt.code) || xendit.IsCode(err, "SOMETHING_ELSE") {
				t.Errorf("IsCode does not single out %s", tt.code)
			}
			if !strings.Contains(err.Error(), tt.code) || !strings.HasPrefix(err.Error(), "get payout disb-1: ") {
				t.Errorf("error text %q", err)
			}
		})
	}
}

func TestPayoutValidationDetailsKeepTheirShape(t *testing.T) {
	_, err := replay(t, 400, fixture(t, "error_validation_payout.json")).GetPayout(context.Background(), "disb-1")
	apiErr, _ := xendit.AsError(err)
	var detail struct{ Path, Message string }
	if apiErr == nil || json.Unmarshal(apiErr.Errors[0], &detail) != nil || detail.Path != "channel_code" {
		t.Errorf("details %v", err)
	}
}

func TestErrorFieldSpellings(t *testing.T) {
	tests := []struct {
		body, code, message string
	}{
		{`{"errorCode":"DUPLICATE_ERROR","errorMessage":"dup"}`, "DUPLICATE_ERROR", "dup"},
		{`{"error":"SERVER_ERROR","error_message":"oops"}`, "SERVER_ERROR", "oops"},
		{`{"error_code":"X","message":"m","errors":{"field":"bad"}}`, "X", "m"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			_, err := replay(t, 400, []byte(tt.body)).GetInvoice(context.Background(), "x")
			apiErr, ok := xendit.AsError(err)
			if !ok || apiErr.Code != tt.code || apiErr.Message != tt.message {
				t.Errorf("got %v, want %s %s", err, tt.code, tt.message)
			}
		})
	}
}

func TestNonJSONErrorBodyStillGivesStatus(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		message string
	}{
		{http.StatusBadGateway, "<html><body>502 Bad Gateway</body></html>\n<hr>nginx", "<html><body>502 Bad Gateway</body></html>"},
		{http.StatusServiceUnavailable, "", "Service Unavailable"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			_, err := replay(t, tt.status, []byte(tt.body)).GetInvoice(context.Background(), "x")
			apiErr, ok := xendit.AsError(err)
			if !ok || apiErr.Status != tt.status || apiErr.Code != "" || apiErr.Message != tt.message {
				t.Errorf("got %#v", err)
			}
			if !apiErr.Temporary() {
				t.Error("a 5xx should be temporary")
			}
		})
	}
}

func TestWrongKeyIsTypedAndNeverShown(t *testing.T) {
	const wrong = "xnd_development_WRONGsecretKEYthatMustNotLeak"
	e := newEnv(t, func(c *xendit.Config) { c.SecretKey = wrong })
	_, err := e.client.GetInvoice(context.Background(), "579c8d61f23fa4ca35e52da4")
	apiErr, ok := xendit.AsError(err)
	if !ok || apiErr.Status != http.StatusUnauthorized || !xendit.IsCode(err, xendit.CodeInvalidAPIKey) {
		t.Fatalf("got %v, want 401 INVALID_API_KEY", err)
	}
	if apiErr.Temporary() || len(e.fake.Requests()) != 1 {
		t.Errorf("a 401 was retried: %d requests", len(e.fake.Requests()))
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error shows the key: %v", err)
	}
}

func TestSecretKeyNeverAppearsInErrorsOrLogs(t *testing.T) {
	const secret = "xnd_development_TOPsecretKEY123"
	// A server that echoes the Authorization header back in its error message.
	echo := replayFunc(t, func(w http.ResponseWriter, r *http.Request) {
		user, _, _ := r.BasicAuth()
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"error_code":"SERVER_ERROR","message":"bad key %s","errors":["%s"]}`, user, user)
	})
	var logs strings.Builder
	sleep := &sleeper{}
	c := xendit.New(xendit.Config{BaseURL: echo, SecretKey: secret, Sleep: sleep.Sleep, Logger: newTextLogger(&logs)})
	_, getErr := c.GetInvoice(context.Background(), "x")
	closed := xendit.New(xendit.Config{BaseURL: "http://127.0.0.1:1", SecretKey: secret, Retries: -1})
	_, netErr := closed.GetInvoice(context.Background(), "x")
	apiErr, _ := xendit.AsError(getErr)

	cfg := xendit.Config{SecretKey: secret}
	newTextLogger(&logs).Info("config", "xendit", cfg)
	texts := map[string]string{
		"api error":     fmt.Sprint(getErr),
		"details":       fmt.Sprint(apiErr.Errors),
		"network error": fmt.Sprint(netErr),
		"logs":          logs.String(),
		"config %v":     fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg),
	}
	for name, text := range texts {
		if strings.Contains(text, secret) {
			t.Errorf("%s shows the secret key: %s", name, text)
		}
	}
	if netErr == nil || !strings.Contains(logs.String(), "retrying") {
		t.Errorf("expected a network error and retry logs, got %v and %q", netErr, logs.String())
	}
}

func TestHelpersIgnoreOtherErrors(t *testing.T) {
	plain := errors.New("DUPLICATE_ERROR")
	if xendit.IsCode(plain, xendit.CodeDuplicate) || xendit.IsCode(nil, "") || xendit.OutcomeUnknown(plain) || xendit.OutcomeUnknown(nil) {
		t.Error("a helper matched an error that is not from Xendit")
	}
}
