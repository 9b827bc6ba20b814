package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"time"
)

// Upload answers POST multipart/form-data with the fields pane, caption (optional) and file: it
// keeps the file, hands the pane's photo or document update to the dispatcher and answers like
// Send. A file over MaxUpload is refused with 413.
func (a *API) Upload(w http.ResponseWriter, r *http.Request) {
	form, err := readUpload(w, r)
	if err != nil {
		writeJSON(w, uploadStatus(err), errorBody{err.Error()})
		return
	}
	in, err := a.sim.Attach(form.pane, form.caption, form.file)
	if err != nil {
		writeJSON(w, uploadStatus(err), errorBody{err.Error()})
		return
	}
	a.dispatch(w, r, form.pane, in)
}

// File answers GET with a file a pane's user sent, named by the {id} path value: a photo to show
// in the page, anything else as a download. A file no longer kept is 404.
func (a *API) File(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sim.files.get(r.PathValue("id"))
	if !ok {
		writeJSON(w, http.StatusNotFound, errorBody{ErrUnknownFile.Error()})
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, max-age=86400, immutable") // an ID never names other bytes
	if inlineImages[u.MIME] {
		h.Set("Content-Type", u.MIME)
	} else {
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": u.Name}))
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(u.Data))
}

// inlineImages are the types a browser shows as a photo; anything else, whatever the browser
// that sent it claimed, is only ever downloaded.
var inlineImages = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// uploadStatus is the HTTP status for a refused upload.
func uploadStatus(err error) int {
	var tooBig *http.MaxBytesError
	if errors.Is(err, ErrTooLarge) || errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// uploadForm is a POSTed upload.
type uploadForm struct {
	pane, caption string
	file          Attachment
}

var errNoFile = errors.New("read upload: the form has no file")

// readUpload reads the form a part at a time, taking at most MaxUpload bytes of the file and
// maxActionBytes of each other field, so an upload never costs more memory than the file itself.
func readUpload(w http.ResponseWriter, r *http.Request) (uploadForm, error) {
	var f uploadForm
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload+maxActionBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return f, fmt.Errorf("read upload: %w", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return f, fmt.Errorf("read upload: %w", err)
		}
		err = f.read(part)
		part.Close()
		if err != nil {
			return f, err
		}
	}
	if f.file.Data == nil { // an empty file part reads as non-nil, and Attach refuses it
		return f, errNoFile
	}
	return f, nil
}

// read takes one part of the form; parts it does not know are skipped.
func (f *uploadForm) read(part *multipart.Part) error {
	var err error
	switch part.FormName() {
	case "pane":
		f.pane, err = readField(part)
	case "caption":
		f.caption, err = readField(part)
	case "file":
		f.file.Name, f.file.MIME = part.FileName(), part.Header.Get("Content-Type")
		f.file.Data, err = io.ReadAll(io.LimitReader(part, MaxUpload+1))
		if err == nil && len(f.file.Data) > MaxUpload {
			return ErrTooLarge
		}
	}
	if err != nil {
		return fmt.Errorf("read upload field %q: %w", part.FormName(), err)
	}
	return nil
}

// readField reads a text field of at most maxActionBytes.
func readField(part io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, maxActionBytes+1))
	if err == nil && len(b) > maxActionBytes {
		err = fmt.Errorf("longer than %d bytes", maxActionBytes)
	}
	return string(b), err
}
