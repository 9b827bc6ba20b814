package wacloud

// The webhook's notification, as far as Lapak reads it
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
type notification struct {
	Object string  `json:"object"`
	Entry  []entry `json:"entry"`
}

type entry struct {
	ID      string   `json:"id"` // the WhatsApp Business Account's ID
	Changes []change `json:"changes"`
}

type change struct {
	Field string      `json:"field"`
	Value changeValue `json:"value"`
}

type changeValue struct {
	MessagingProduct string       `json:"messaging_product"`
	Metadata         metadata     `json:"metadata"`
	Contacts         []contact    `json:"contacts"`
	Messages         []message    `json:"messages"`
	Statuses         []status     `json:"statuses"`
	Errors           []errorEntry `json:"errors"`
}

type metadata struct {
	DisplayPhoneNumber string `json:"display_phone_number"`
	PhoneNumberID      string `json:"phone_number_id"`
}

type contact struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID string `json:"wa_id"`
}

// message is one message a user sent. Its type names the object that holds its content.
type message struct {
	From        string       `json:"from"` // the user's number: digits, no plus sign
	ID          string       `json:"id"`   // wamid.…
	Timestamp   string       `json:"timestamp"`
	Type        string       `json:"type"`
	Text        *textIn      `json:"text"`
	Image       *mediaIn     `json:"image"`
	Document    *mediaIn     `json:"document"`
	Video       *mediaIn     `json:"video"`
	Interactive *interactIn  `json:"interactive"`
	Button      *buttonIn    `json:"button"`
	Reaction    *reactionIn  `json:"reaction"`
	Errors      []errorEntry `json:"errors"`
}

type textIn struct {
	Body string `json:"body"`
}

type mediaIn struct {
	ID       string `json:"id"`
	MIMEType string `json:"mime_type"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

type interactIn struct {
	Type        string   `json:"type"` // button_reply, list_reply, nfm_reply
	ButtonReply *replyIn `json:"button_reply"`
	ListReply   *replyIn `json:"list_reply"`
}

type replyIn struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// buttonIn is a tap on a quick-reply button of a template message.
type buttonIn struct {
	Text    string `json:"text"`
	Payload string `json:"payload"`
}

type reactionIn struct {
	MessageID string `json:"message_id"`
	Emoji     string `json:"emoji"` // empty when the user took the reaction back
}

// status tells what became of a message Lapak sent.
type status struct {
	ID          string       `json:"id"`
	Status      string       `json:"status"` // sent, delivered, read or failed
	Timestamp   string       `json:"timestamp"`
	RecipientID string       `json:"recipient_id"`
	Errors      []errorEntry `json:"errors"`
}

// errorEntry is an error in a webhook: on a failed status, a message or a whole change.
type errorEntry struct {
	Code      int    `json:"code"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

// outMessage is a message Lapak sends (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages).
type outMessage struct {
	MessagingProduct string       `json:"messaging_product"`
	RecipientType    string       `json:"recipient_type"`
	To               string       `json:"to"`
	Type             string       `json:"type"`
	Text             *textOut     `json:"text,omitempty"`
	Image            *mediaOut    `json:"image,omitempty"`
	Document         *mediaOut    `json:"document,omitempty"`
	Interactive      *interactive `json:"interactive,omitempty"`
	Template         *template    `json:"template,omitempty"`
}

type textOut struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

// mediaOut is an image or a document: by Link, or by the ID of an uploaded file.
type mediaOut struct {
	ID       string `json:"id,omitempty"`
	Link     string `json:"link,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
}

type interactive struct {
	Type   string  `json:"type"` // button or list
	Body   textObj `json:"body"`
	Action action  `json:"action"`
}

type textObj struct {
	Text string `json:"text"`
}

type action struct {
	Buttons  []button  `json:"buttons,omitempty"`
	Button   string    `json:"button,omitempty"` // the label of the button that opens a list
	Sections []section `json:"sections,omitempty"`
}

type button struct {
	Type  string `json:"type"` // reply
	Reply reply  `json:"reply"`
}

type reply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type section struct {
	Title string `json:"title,omitempty"`
	Rows  []row  `json:"rows"`
}

type row struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

type template struct {
	Name       string      `json:"name"`
	Language   language    `json:"language"`
	Components []component `json:"components,omitempty"`
}

type language struct {
	Policy string `json:"policy"`
	Code   string `json:"code"`
}

type component struct {
	Type       string      `json:"type"`
	Parameters []parameter `json:"parameters"`
}

type parameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// readReceipt marks a user's message read and shows "typing…" until Lapak replies, or for 25 s
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/typing-indicators).
type readReceipt struct {
	MessagingProduct string  `json:"messaging_product"`
	Status           string  `json:"status"`
	MessageID        string  `json:"message_id"`
	TypingIndicator  *typing `json:"typing_indicator,omitempty"`
}

type typing struct {
	Type string `json:"type"`
}

// sendResponse is the Cloud API's answer to a message it accepted.
type sendResponse struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}
