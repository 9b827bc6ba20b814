package bot

import "unicode/utf8"

// Longest texts a merged message may have: every channel takes 4096 characters of plain text, and
// WhatsApp takes 1024 in a message with buttons or a list.
const (
	maxMergedText        = 4096
	maxMergedTextButtons = 1024
)

// Coalesce merges a plain text reply into the reply after it when both go to the same chat, so
// that "here is the help" and the question that follows arrive as one message. A chat may get
// about one message a second, so each message saved is a second the user doesn't wait. Replies
// with a photo or a document are never merged, nor texts that would grow past what a channel
// takes in one message.
func Coalesce(out []Outbound) []Outbound {
	if len(out) < 2 {
		return out
	}
	merged := make([]Outbound, 0, len(out))
	for _, o := range out {
		if n := len(merged); n > 0 && mergeable(merged[n-1], o) {
			o.Reply.Text = merged[n-1].Reply.Text + "\n\n" + o.Reply.Text
			merged[n-1] = o
			continue
		}
		merged = append(merged, o)
	}
	return merged
}

func mergeable(first, next Outbound) bool {
	a, b := first.Reply, next.Reply
	if first.To != next.To || a.Text == "" || b.Text == "" ||
		a.Photo != nil || a.Document != nil || len(a.Options) > 0 || len(a.Links) > 0 ||
		b.Photo != nil || b.Document != nil {
		return false
	}
	limit := maxMergedText
	if len(b.Options) > 0 || len(b.Links) > 0 {
		limit = maxMergedTextButtons
	}
	return utf8.RuneCountInString(a.Text)+2+utf8.RuneCountInString(b.Text) <= limit
}
