package wacloudtest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// mediaLimits are the file types WhatsApp takes and the largest size of each
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#supported-media-types).
var mediaLimits = map[string]int64{
	"image/jpeg":               5 << 20,
	"image/png":                5 << 20,
	"image/webp":               500 << 10,
	"text/plain":               100 << 20,
	"application/pdf":          100 << 20,
	"application/vnd.ms-excel": 100 << 20,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100 << 20,
	"application/msword": 100 << 20,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   100 << 20,
	"application/vnd.ms-powerpoint":                                             100 << 20,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": 100 << 20,
}

// maxUpload caps an upload request.
const maxUpload = 101 << 20

// upload handles a call to …/media: a multipart form with messaging_product, type and file.
func (s *Server) upload(r *http.Request) (any, *apiError) {
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return nil, invalid("(#100) Upload must be multipart/form-data: " + err.Error())
	}
	if r.FormValue("messaging_product") != "whatsapp" {
		return nil, invalid("The parameter messaging_product is required.")
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return nil, invalid("The parameter file is required.")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, invalid("can't read file: " + err.Error())
	}
	mime := r.FormValue("type")
	if mime == "" {
		mime = h.Header.Get("Content-Type")
	}
	mime, _, _ = strings.Cut(mime, ";")
	limit, ok := mediaLimits[mime]
	switch {
	case !ok:
		return nil, newError(http.StatusBadRequest, 131053, fmt.Sprintf("Param file must be a file with one of the following types: %s. Received file of type '%s'.", typeList(), mime))
	case int64(len(data)) > limit:
		return nil, newError(http.StatusBadRequest, 131053, fmt.Sprintf("File is too big: %d bytes, at most %d for %s.", len(data), limit, mime))
	}
	u := Upload{ID: s.nextMediaID(), MIME: mime, Name: h.Filename, Data: data}
	s.mu.Lock()
	s.uploads = append(s.uploads, u)
	s.notifyLocked()
	s.mu.Unlock()
	return map[string]string{"id": u.ID}, nil
}

func typeList() string {
	var types []string
	for t := range mediaLimits {
		types = append(types, t)
	}
	return strings.Join(types, ", ")
}
