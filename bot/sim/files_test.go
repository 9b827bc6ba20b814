package sim

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/lapak-id/lapak/bot"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake but sniffed as PNG")

func TestAttach(t *testing.T) {
	tests := []struct {
		name     string
		upload   Attachment
		wantKind bot.InboundKind
		wantMIME string
	}{
		{"ImageIsAPhoto", Attachment{Name: "kaos.png", MIME: "image/png", Data: pngBytes}, bot.KindPhoto, "image/png"},
		{"OtherFileIsADocument", Attachment{Name: "harga.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4")}, bot.KindDocument, "application/pdf"},
		{"NoTypeIsSniffed", Attachment{Name: "kaos", Data: pngBytes}, bot.KindPhoto, "image/png"},
		{"TypeParametersAreDropped", Attachment{Name: "a.txt", MIME: "text/plain; charset=utf-8", Data: []byte("hai")}, bot.KindDocument, "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t)
			in, err := s.Attach("owner", "Kaos Polos Hitam", tt.upload)
			if err != nil {
				t.Fatal(err)
			}
			if in.Kind != tt.wantKind || in.Text != "Kaos Polos Hitam" || in.Chat != ownerPane.Chat || in.UserID != "1001" || in.UpdateID == "" {
				t.Fatalf("inbound = %+v, want a %s with the caption from the owner", in, tt.wantKind)
			}
			m := in.Media
			if m == nil || m.FileID == "" || m.Name != tt.upload.Name || m.MIME != tt.wantMIME || m.Size != int64(len(tt.upload.Data)) {
				t.Fatalf("media = %+v, want the file's ID, name, %s and size", m, tt.wantMIME)
			}
			got, err := s.Fetch(context.Background(), in.Chat, *m)
			if err != nil || !bytes.Equal(got, tt.upload.Data) {
				t.Fatalf("Fetch = %q, %v; want the bytes sent", got, err)
			}
			h := s.History(0)
			if len(h) != 1 || h[0].From != FromUser || h[0].Text != "Kaos Polos Hitam" {
				t.Fatalf("history = %+v, want the user's file with its caption", h)
			}
			url := "/playground/api/file/" + m.FileID
			if in.Kind == bot.KindPhoto && h[0].Photo != url || in.Kind == bot.KindDocument && (h[0].Document == nil || h[0].Document.URL != url || h[0].Document.Name != tt.upload.Name) {
				t.Errorf("entry = %+v, want the file at %s", h[0], url)
			}
		})
	}
}

func TestAttachRefuses(t *testing.T) {
	tests := map[string]struct {
		pane string
		data []byte
		err  error
	}{
		"UnknownPane": {"admin", pngBytes, ErrUnknownPane},
		"EmptyFile":   {"owner", []byte{}, ErrEmptyFile},
		"Over10MB":    {"owner", make([]byte, MaxUpload+1), ErrTooLarge},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newSim(t)
			if _, err := s.Attach(tt.pane, "", Attachment{Name: "x.png", MIME: "image/png", Data: tt.data}); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if h := s.History(0); len(h) != 0 {
				t.Errorf("refused file was recorded: %+v", h)
			}
		})
	}
}

func TestAttachTakesExactly10MB(t *testing.T) {
	s := newSim(t)
	if _, err := s.Attach("owner", "", Attachment{Name: "big.jpg", MIME: "image/jpeg", Data: make([]byte, MaxUpload)}); err != nil {
		t.Fatalf("a 10 MB photo was refused: %v", err)
	}
}

func TestFetchUnknownFile(t *testing.T) {
	s := newSim(t)
	if _, err := s.Fetch(context.Background(), ownerPane.Chat, bot.Media{FileID: "AgACAgUAAxkB"}); !errors.Is(err, ErrUnknownFile) {
		t.Fatalf("err = %v, want ErrUnknownFile", err)
	}
}

func TestFetchReturnsACopy(t *testing.T) {
	s := newSim(t)
	in, _ := s.Attach("owner", "", Attachment{Name: "a.png", MIME: "image/png", Data: bytes.Clone(pngBytes)})
	got, _ := s.Fetch(context.Background(), in.Chat, *in.Media)
	got[0] = 'X'
	again, _ := s.Fetch(context.Background(), in.Chat, *in.Media)
	if !bytes.Equal(again, pngBytes) {
		t.Fatal("changing fetched bytes changed the kept file")
	}
}

func TestFilesKeepTheNewestWithinTheBudget(t *testing.T) {
	tests := map[string]struct {
		keepFiles int
		keepBytes int64
		sizes     []int
		kept      []bool
	}{
		"ByCount":              {keepFiles: 2, keepBytes: 1 << 20, sizes: []int{10, 10, 10}, kept: []bool{false, true, true}},
		"ByBytes":              {keepFiles: 50, keepBytes: 25, sizes: []int{10, 10, 10}, kept: []bool{false, true, true}},
		"NewestEvenOverBudget": {keepFiles: 50, keepBytes: 5, sizes: []int{10, 10}, kept: []bool{false, true}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := New(Config{Panes: []Pane{ownerPane}, KeepFiles: tt.keepFiles, KeepFileBytes: tt.keepBytes, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, n := range tt.sizes {
				in, err := s.Attach("owner", "", Attachment{Name: "f.bin", MIME: "application/octet-stream", Data: bytes.Repeat([]byte{1}, n)})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, in.Media.FileID)
			}
			for i, id := range ids {
				_, err := s.Fetch(context.Background(), ownerPane.Chat, bot.Media{FileID: id})
				if (err == nil) != tt.kept[i] {
					t.Errorf("file %d: Fetch err = %v, want kept %v", i, err, tt.kept[i])
				}
			}
		})
	}
}

func TestSendShowsPhotosTheSimKeepsByFileID(t *testing.T) {
	s := newSim(t)
	in, _ := s.Attach("owner", "", Attachment{Name: "kaos.png", MIME: "image/png", Data: pngBytes})
	ctx := context.Background()
	s.Send(ctx, ownerPane.Chat, bot.Reply{Text: "kept", Photo: &bot.Photo{FileID: in.Media.FileID, URL: "http://localhost:8080/img/abc"}})
	s.Send(ctx, ownerPane.Chat, bot.Reply{Text: "not kept", Photo: &bot.Photo{FileID: "AgACAgUAAxkB", URL: "http://localhost:8080/img/abc"}})
	h := s.History(0)
	if got, want := h[1].Reply.Photo, "/playground/api/file/"+in.Media.FileID; got != want {
		t.Errorf("photo of a kept file = %q, want %q", got, want)
	}
	if got := h[2].Reply.Photo; got != "http://localhost:8080/img/abc" {
		t.Errorf("photo of a file the sim does not keep = %q, want its URL", got)
	}
}

func TestFileName(t *testing.T) {
	tests := map[string]string{
		"kaos.png":               "kaos.png",
		`C:\fakepath\kaos.png`:   "kaos.png",
		"../../etc/passwd":       "passwd",
		"  ":                     "file",
		"":                       "file",
		"foto\xffbaru.jpg":       "foto_baru.jpg",
		strings.Repeat("a", 300): strings.Repeat("a", 199) + "…",
	}
	for in, want := range tests {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}
