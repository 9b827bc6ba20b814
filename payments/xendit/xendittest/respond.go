package xendittest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// apiError is Xendit's error body (https://docs.xendit.co/apidocs/create-payout, errors).
type apiError struct {
	ErrorCode string `json:"error_code"`
	Message   string `json:"message"`
	Errors    []any  `json:"errors,omitempty"`
}

// fieldError is one entry of a payout validation error's errors list.
type fieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Messages Xendit documents for these codes.
const (
	msgValidation    = "Inputs are failing validation. The errors field contains details about which fields are violating validation."
	msgInvalidJSON   = "The request body is not a valid JSON format."
	msgMinimalAmount = "Could not create invoice because amount is below Rp10000."
	msgMaximumAmount = "Could not create invoice because amount is above Rp1000000000."
	msgDuplicate     = "A payout with this idempotency key already exists. If you meant to execute a different request, please use another idempotency key"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string, details ...any) {
	writeJSON(w, status, apiError{ErrorCode: code, Message: message, Errors: details})
}

// notFound answers unknown paths in Xendit's error shape.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource was not found: "+r.Method+" "+r.URL.Path)
}

// readBody reads a request body; the record middleware has already capped its size.
func readBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

// decodeBody reads a JSON request body into v, keeping numbers exact. It answers 400
// INVALID_JSON_FORMAT and returns false when the body is not JSON.
func decodeBody(w http.ResponseWriter, body []byte, v any) bool {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_JSON_FORMAT", msgInvalidJSON)
		return false
	}
	return true
}
