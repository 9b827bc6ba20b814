package wacloudtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
)

// Graph error codes the fake answers with.
const (
	codeUnknown          = 1
	codeInvalidParameter = 100
	codeOAuth            = 190
	codeUnknownPath      = 2500
	codeParamFormat      = 132018
)

// apiError is a failed call, as the Graph API describes it.
type apiError struct {
	status  int
	code    int
	subcode int
	typ     string
	message string
	details string
}

// newError returns the error Meta answers for code; details, when given, replaces Meta's.
func newError(status, code int, details string) *apiError {
	e := &apiError{status: status, code: code, typ: "OAuthException", message: "An unknown error occurred", details: details}
	if d, ok := described[code]; ok {
		e.message = d.message
		if e.details == "" {
			e.details = d.details
		}
	}
	return e
}

// noSuchObject is Meta's answer to a call on an ID that does not exist, or is not the caller's.
func noSuchObject(id string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeInvalidParameter, subcode: 33, typ: "GraphMethodException",
		message: fmt.Sprintf("Unsupported post request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", id)}
}

// unknownPath is Meta's answer to a path the Graph API does not have.
func unknownPath(path string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeUnknownPath, typ: "OAuthException", message: "Unknown path components: " + path}
}

// described are the messages Meta gives for the codes tests use
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
var described = map[int]struct{ message, details string }{
	codeUnknown:          {"An unknown error occurred", ""},
	codeInvalidParameter: {"(#100) Invalid parameter", "Invalid parameter"},
	codeOAuth:            {"Invalid OAuth access token - Cannot parse access token", ""},
	4:                    {"(#4) Application request limit reached", ""},
	80007:                {"(#80007) Rate limit issues", ""},
	130429:               {"(#130429) Rate limit hit", "Cloud API message throughput has been reached."},
	131026:               {"Message undeliverable", "Message failed to send because the recipient's phone number is not a WhatsApp phone number or they have not accepted the new Terms of Service."},
	131047:               {"(#131047) Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
	131053:               {"(#131053) Media upload error", "Unsupported media type"},
	131056:               {"(#131056) (Business Account, Consumer Account) pair rate limit hit", "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."},
	codeParamFormat:      {"(#132018) There was an issue with the parameters in your template.", "Param text cannot have new-line/tab characters or more than 4 consecutive spaces"},
}

// envelope is how the Graph API answers an error.
type envelope struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Message   string     `json:"message"`
	Type      string     `json:"type"`
	Code      int        `json:"code"`
	Subcode   int        `json:"error_subcode,omitempty"`
	ErrorData *errorData `json:"error_data,omitempty"`
	TraceID   string     `json:"fbtrace_id"`
}

type errorData struct {
	MessagingProduct string `json:"messaging_product"`
	Details          string `json:"details"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	b := make([]byte, 12)
	rand.Read(b)
	body := errorBody{Message: e.message, Type: e.typ, Code: e.code, Subcode: e.subcode, TraceID: "A" + hex.EncodeToString(b)}
	if e.details != "" {
		body.ErrorData = &errorData{MessagingProduct: "whatsapp", Details: e.details}
	}
	writeJSON(w, e.status, envelope{Error: body})
}

// invalid is Meta's answer to a request that breaks a rule of the API.
func invalid(details string) *apiError {
	return newError(http.StatusBadRequest, codeInvalidParameter, details)
}
