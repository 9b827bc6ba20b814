package wacloudtest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Inbound is a message a user sends to the store, for Deliver. Build one with Text, ButtonReply,
// ListReply or Image, and change its fields as a test needs.
type Inbound struct {
	From       string    // the user's number: digits, no plus sign
	Name       string    // the user's profile name
	ID         string    // the wamid; the same ID delivered twice is the same message
	Time       time.Time // when the user sent it; the zero time means now
	Type       string    // text, interactive or image
	Text       string    // the text, or the image's caption
	ReplyType  string    // button_reply or list_reply, for interactive
	ReplyID    string    // the tapped button's or row's ID
	ReplyTitle string    // its title
	MediaID    string    // the image's media ID
	MIME       string    // the image's MIME type
}

// Text is a text message from a user.
func Text(from, body string) Inbound {
	return Inbound{From: from, Name: "Budi", ID: newWamid(), Type: "text", Text: body}
}

// ButtonReply is a tap on a reply button Lapak sent.
func ButtonReply(from, id, title string) Inbound {
	return Inbound{From: from, Name: "Budi", ID: newWamid(), Type: "interactive", ReplyType: "button_reply", ReplyID: id, ReplyTitle: title}
}

// ListReply is a pick from a list Lapak sent.
func ListReply(from, id, title string) Inbound {
	return Inbound{From: from, Name: "Budi", ID: newWamid(), Type: "interactive", ReplyType: "list_reply", ReplyID: id, ReplyTitle: title}
}

// Image is a photo from a user, with an optional caption.
func Image(from, mediaID, mime, caption string) Inbound {
	return Inbound{From: from, Name: "Budi", ID: newWamid(), Type: "image", MediaID: mediaID, MIME: mime, Text: caption}
}

// newWamid returns a random message ID shaped like Meta's.
func newWamid() string {
	b := make([]byte, 18)
	rand.Read(b)
	return "wamid." + base64.StdEncoding.EncodeToString(b)
}

// Notification returns the webhook body Meta posts for msgs: one entry, one change of the
// "messages" field, for PhoneNumberID.
func Notification(msgs ...Inbound) []byte {
	v := value{MessagingProduct: "whatsapp", Metadata: metadata{DisplayPhoneNumber: DisplayPhoneNumber, PhoneNumberID: PhoneNumberID}}
	seen := map[string]bool{}
	for _, m := range msgs {
		if !seen[m.From] {
			seen[m.From] = true
			c := contact{WaID: m.From}
			c.Profile.Name = m.Name
			v.Contacts = append(v.Contacts, c)
		}
		v.Messages = append(v.Messages, wireMessage(m))
	}
	n := notification{Object: "whatsapp_business_account", Entry: []entry{{ID: BusinessAccountID, Changes: []change{{Field: "messages", Value: v}}}}}
	body, _ := json.Marshal(n)
	return body
}

func wireMessage(m Inbound) message {
	at := m.Time
	if at.IsZero() {
		at = time.Now()
	}
	w := message{From: m.From, ID: m.ID, Timestamp: strconv.FormatInt(at.Unix(), 10), Type: m.Type}
	switch m.Type {
	case "text":
		w.Text = &struct {
			Body string `json:"body"`
		}{m.Text}
	case "image":
		w.Image = &image{ID: m.MediaID, MIMEType: m.MIME, Caption: m.Text}
	case "interactive":
		r := &reply{ID: m.ReplyID, Title: m.ReplyTitle}
		w.Interactive = &interactive{Type: m.ReplyType}
		if m.ReplyType == "list_reply" {
			w.Interactive.ListReply = r
		} else {
			w.Interactive.ButtonReply = r
		}
	}
	return w
}

// Sign returns the X-Hub-Signature-256 header Meta sends with body: "sha256=" and the hex
// HMAC-SHA256 of body under the app secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Deliver posts the notification of msgs to target (the app's POST /webhooks/whatsapp URL),
// signed with AppSecret as Meta signs it, and returns the status the app answered.
func Deliver(ctx context.Context, target string, msgs ...Inbound) (int, error) {
	return Post(ctx, target, Notification(msgs...))
}

// Post posts body to target signed with AppSecret, and returns the status the app answered.
func Post(ctx context.Context, target string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("wacloudtest: deliver: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", Sign(AppSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("wacloudtest: deliver: %w", err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// The webhook's wire format
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
type (
	notification struct {
		Object string  `json:"object"`
		Entry  []entry `json:"entry"`
	}
	entry struct {
		ID      string   `json:"id"`
		Changes []change `json:"changes"`
	}
	change struct {
		Value value  `json:"value"`
		Field string `json:"field"`
	}
	value struct {
		MessagingProduct string    `json:"messaging_product"`
		Metadata         metadata  `json:"metadata"`
		Contacts         []contact `json:"contacts"`
		Messages         []message `json:"messages"`
	}
	metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	}
	contact struct {
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
		WaID string `json:"wa_id"`
	}
	message struct {
		From      string `json:"from"`
		ID        string `json:"id"`
		Timestamp string `json:"timestamp"`
		Type      string `json:"type"`
		Text      *struct {
			Body string `json:"body"`
		} `json:"text,omitempty"`
		Image       *image       `json:"image,omitempty"`
		Interactive *interactive `json:"interactive,omitempty"`
	}
	image struct {
		ID       string `json:"id"`
		MIMEType string `json:"mime_type"`
		SHA256   string `json:"sha256,omitempty"`
		Caption  string `json:"caption,omitempty"`
	}
	interactive struct {
		Type        string `json:"type"`
		ButtonReply *reply `json:"button_reply,omitempty"`
		ListReply   *reply `json:"list_reply,omitempty"`
	}
	reply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
)
