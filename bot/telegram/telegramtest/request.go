package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// maxRequest caps one request, a little over the Bot API's 50 MB upload limit.
const maxRequest = 64 << 20

// request holds the parameters of one Bot API call, whichever way they came: a query string, a
// url-encoded or multipart form (https://core.telegram.org/bots/api#making-requests), or JSON.
type request struct {
	values map[string]string
	files  map[string]upload
}

// upload is a file sent as a multipart part.
type upload struct {
	name string
	data []byte
}

func parseRequest(r *http.Request) (*request, error) {
	req := &request{values: map[string]string{}, files: map[string]upload{}}
	r.Body = http.MaxBytesReader(nil, r.Body, maxRequest)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mediaType {
	case "multipart/form-data":
		err = req.readMultipart(r)
	case "application/json":
		err = req.readJSON(r)
	default:
		err = r.ParseForm()
		req.addValues(r.Form)
	}
	return req, err
}

func (req *request) addValues(form map[string][]string) {
	for k, v := range form {
		if len(v) > 0 {
			req.values[k] = v[0]
		}
	}
}

func (req *request) readMultipart(r *http.Request) error {
	if err := r.ParseMultipartForm(maxRequest); err != nil {
		return err
	}
	defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files only
	req.addValues(r.URL.Query())
	req.addValues(r.MultipartForm.Value)
	for field, headers := range r.MultipartForm.File {
		f, err := headers[0].Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return err
		}
		req.files[field] = upload{name: headers[0].Filename, data: data}
	}
	return nil
}

// readJSON takes a JSON object: strings as they are, anything else as its JSON text, the way
// the form encoding carries objects.
func (req *request) readJSON(r *http.Request) error {
	req.addValues(r.URL.Query())
	var fields map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&fields); err != nil {
		return err
	}
	for k, raw := range fields {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			req.values[k] = s
		} else {
			req.values[k] = string(raw)
		}
	}
	return nil
}

func (req *request) str(key string) string { return req.values[key] }

// int returns an integer parameter, or def when it is absent.
func (req *request) int(key string, def int) (int, *apiError) {
	v, ok := req.values[key]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("invalid %s specified", key))
	}
	return n, nil
}

// chatID returns the numeric chat_id. Channel usernames (@name) are not supported by the fake.
func (req *request) chatID() (int64, *apiError) {
	id, err := strconv.ParseInt(req.values["chat_id"], 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

func (req *request) bool(key string) bool {
	v, _ := strconv.ParseBool(req.values[key])
	return v
}

// strings decodes a JSON array of strings, such as allowed_updates.
func (req *request) strings(key string) []string {
	var out []string
	if v := req.values[key]; v != "" && v != "null" {
		if json.Unmarshal([]byte(v), &out) != nil {
			out = strings.Split(v, ",")
		}
	}
	return out
}
