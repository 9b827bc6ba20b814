package telegramtest

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strings"
)

// storedFile is a file the fake can serve through getFile.
type storedFile struct {
	path string
	data []byte
}

// AddFile makes a file available under fileID, as if a user had sent it: getFile describes it and
// the file endpoint serves its bytes.
func (s *Server) AddFile(fileID string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastFile++
	s.storeLocked(fileID, fmt.Sprintf("documents/file_%d", s.lastFile), data)
}

func (s *Server) storeLocked(fileID, filePath string, data []byte) {
	if old, ok := s.files[fileID]; ok {
		delete(s.paths, old.path)
	}
	s.files[fileID] = storedFile{path: filePath, data: data}
	s.paths[filePath] = fileID
}

// inputFile reads an InputFile parameter (https://core.telegram.org/bots/api#inputfile): an
// upload, which gets a new file ID, an attach:// reference to one, a URL, or a file ID.
func (s *Server) inputFile(req *request, field string) (*File, *apiError) {
	if up, ok := req.files[field]; ok {
		return s.storeUpload(field, up), nil
	}
	v := req.str(field)
	if name, ok := strings.CutPrefix(v, "attach://"); ok {
		up, found := req.files[name]
		if !found {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		return s.storeUpload(field, up), nil
	}
	switch {
	case v == "":
		return nil, badRequest("there is no " + field + " in the request")
	case strings.HasPrefix(v, "http://"), strings.HasPrefix(v, "https://"):
		return &File{URL: v}, nil
	}
	return &File{FileID: v}, nil
}

func (s *Server) storeUpload(kind string, up upload) *File {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastFile++
	id := fmt.Sprintf("fake-%s-%d", kind, s.lastFile)
	s.storeLocked(id, fmt.Sprintf("%ss/file_%d%s", kind, s.lastFile, path.Ext(up.name)), up.data)
	return &File{FileID: id, Name: up.name, Data: up.data}
}

func (s *Server) getFile(_ context.Context, req *request) (any, *apiError) {
	id := req.str("file_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	return wireFile{FileID: id, FileUniqueID: "u-" + id, FileSize: len(f.data), FilePath: f.path}, nil
}

// download serves /file/bot<token>/<file_path>.
func (s *Server) download(w http.ResponseWriter, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	id, ok := s.paths[filePath]
	data := s.files[id].data
	s.mu.Unlock()
	if token != Token || !ok {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data)
}
