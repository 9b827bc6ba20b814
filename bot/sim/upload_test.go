package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"

	"github.com/lapak-id/lapak/bot"
)

// postUpload posts a multipart form as the page does; nil data leaves the file part out.
func postUpload(t *testing.T, srv *httptest.Server, pane, caption, name, mimeType string, data []byte) (int, map[string]string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("pane", pane)
	mw.WriteField("caption", caption)
	if data != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		h.Set("Content-Type", mimeType)
		part, _ := mw.CreatePart(h)
		part.Write(data)
	}
	mw.Close()
	res, err := http.Post(srv.URL+"/upload", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]string
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestUploadEndpoint(t *testing.T) {
	tests := []struct {
		name     string
		pane     string
		mimeType string
		data     []byte
		status   int
		kind     bot.InboundKind // dispatched, when the status is 200
	}{
		{"PhotoIsHandledAndAnswered", "owner", "image/png", pngBytes, http.StatusOK, bot.KindPhoto},
		{"NonImageIsADocument", "owner", "application/pdf", []byte("%PDF-1.4"), http.StatusOK, bot.KindDocument},
		{"Over10MBIsTooLarge", "owner", "image/jpeg", make([]byte, MaxUpload+1), http.StatusRequestEntityTooLarge, ""},
		{"FarOver10MBIsTooLarge", "owner", "image/jpeg", make([]byte, MaxUpload+2*maxActionBytes), http.StatusRequestEntityTooLarge, ""},
		{"NoFileIsABadRequest", "owner", "", nil, http.StatusBadRequest, ""},
		{"EmptyFileIsABadRequest", "owner", "image/png", []byte{}, http.StatusBadRequest, ""},
		{"UnknownPaneIsABadRequest", "admin", "image/png", pngBytes, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t)
			d := &echo{sim: s}
			status, body := postUpload(t, newServer(t, s, d), tt.pane, "Kaos Polos Hitam", "kaos.png", tt.mimeType, tt.data)
			if status != tt.status {
				t.Fatalf("status = %d (%v), want %d", status, body, tt.status)
			}
			if status != http.StatusOK {
				if len(d.got) != 0 || len(s.History(0)) != 0 || body["error"] == "" {
					t.Errorf("refused upload: dispatched %+v, recorded %+v, answer %v; want nothing and an error", d.got, s.History(0), body)
				}
				if status == http.StatusRequestEntityTooLarge && !strings.Contains(body["error"], "10 MB") {
					t.Errorf("error = %q, want it to name the 10 MB limit", body["error"])
				}
				return
			}
			if len(d.got) != 1 || d.got[0].Kind != tt.kind || d.got[0].Text != "Kaos Polos Hitam" || d.got[0].Media == nil || body["update_id"] != d.got[0].UpdateID {
				t.Fatalf("dispatched %+v, answered %v; want one %s with the caption", d.got, body, tt.kind)
			}
			if m := d.got[0].Media; m.Name != "kaos.png" || m.MIME != tt.mimeType || m.Size != int64(len(tt.data)) {
				t.Errorf("media = %+v, want the file's name, type and size", m)
			}
		})
	}
}

func TestFileEndpoint(t *testing.T) {
	s := newSim(t)
	srv := newServer(t, s, &echo{sim: s})
	photo, _ := s.Attach("owner", "", Attachment{Name: "kaos.png", MIME: "image/png", Data: pngBytes})
	page, _ := s.Attach("owner", "", Attachment{Name: "evil.html", MIME: "text/html", Data: []byte("<script>alert(1)</script>")})
	tests := []struct {
		name, id, status, contentType, disposition string
		body                                       []byte
	}{
		{"PhotoShowsInline", photo.Media.FileID, "200", "image/png", "", pngBytes},
		{"AnythingElseIsOnlyDownloaded", page.Media.FileID, "200", "application/octet-stream", `attachment; filename=evil.html`, []byte("<script>alert(1)</script>")},
		{"UnknownIsNotFound", "nope", "404", "application/json", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Get(srv.URL + "/playground/api/file/" + tt.id)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			h := res.Header
			if res.Status[:3] != tt.status || h.Get("Content-Type") != tt.contentType || h.Get("Content-Disposition") != tt.disposition {
				t.Fatalf("status %s, type %q, disposition %q; want %s, %q, %q", res.Status, h.Get("Content-Type"), h.Get("Content-Disposition"), tt.status, tt.contentType, tt.disposition)
			}
			if tt.body != nil && (!bytes.Equal(body, tt.body) || h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox")) {
				t.Errorf("body %q, headers %v; want the file, not sniffed, sandboxed", body, h)
			}
		})
	}
}
