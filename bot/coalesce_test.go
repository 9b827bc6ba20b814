package bot

import (
	"strings"
	"testing"
)

func TestCoalesce(t *testing.T) {
	ann := Address{Channel: "telegram", ChatID: "1"}
	budi := Address{Channel: "telegram", ChatID: "2"}
	text := func(to Address, s string) Outbound { return Outbound{To: to, Reply: Reply{Text: s}} }
	ask := func(to Address, s string) Outbound {
		return Outbound{To: to, Reply: Reply{Text: s, Options: []Option{{ID: "menu:help", Label: "Bantuan"}}}}
	}
	photo := Outbound{To: ann, Reply: Reply{Text: "Kopi", Photo: &Photo{URL: "http://x/1.jpg"}}}

	tests := []struct {
		name string
		in   []Outbound
		want []string // the texts of the messages sent, in order
	}{
		{"help then the menu", []Outbound{text(ann, "Bantuan: /menu"), ask(ann, "Mau apa?")}, []string{"Bantuan: /menu\n\nMau apa?"}},
		{"three texts", []Outbound{text(ann, "a"), text(ann, "b"), ask(ann, "c")}, []string{"a\n\nb\n\nc"}},
		{"other chat between", []Outbound{text(ann, "a"), text(budi, "kartu"), ask(ann, "c")}, []string{"a", "kartu", "c"}},
		{"question first", []Outbound{ask(ann, "Mau apa?"), text(ann, "b")}, []string{"Mau apa?", "b"}},
		{"photo never merged", []Outbound{text(ann, "a"), photo, text(ann, "b")}, []string{"a", "Kopi", "b"}},
		{"too long for buttons", []Outbound{text(ann, strings.Repeat("x", 1020)), ask(ann, "Mau apa?")}, []string{strings.Repeat("x", 1020), "Mau apa?"}},
		{"long plain texts", []Outbound{text(ann, strings.Repeat("x", 1000)), text(ann, "b")}, []string{strings.Repeat("x", 1000) + "\n\nb"}},
		{"too long for a message", []Outbound{text(ann, strings.Repeat("x", 4000)), text(ann, strings.Repeat("y", 100))}, []string{strings.Repeat("x", 4000), strings.Repeat("y", 100)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Coalesce(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("%d messages, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, o := range got {
				if o.Reply.Text != tt.want[i] {
					t.Errorf("message %d = %q, want %q", i, o.Reply.Text, tt.want[i])
				}
			}
		})
	}
	merged := Coalesce([]Outbound{text(ann, "a"), ask(ann, "b")})
	if len(merged[0].Reply.Options) != 1 {
		t.Errorf("the merged message lost the question's buttons: %+v", merged[0])
	}
}
