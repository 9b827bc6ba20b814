package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxDownload caps a download: the Bot API serves files of up to 20 MB.
const maxDownload = 20 << 20

// Download fetches a file a user sent, by its file ID (bot.Media.FileID): getFile, then the file
// from FileEndpoint. The library's File.Link is not used: it ignores a custom endpoint.
func (a *Adapter) Download(ctx context.Context, fileID string) ([]byte, error) {
	api, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	if a.cfg.FileEndpoint == "" {
		return nil, errors.New("download file: no file endpoint configured")
	}
	f, err := api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return nil, a.apiError("get file "+fileID, err)
	}
	data, err := a.fetch(ctx, fmt.Sprintf(a.cfg.FileEndpoint, a.cfg.Token, f.FilePath))
	return data, a.apiError("download file "+fileID, err)
}

func (a *Adapter) fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err == nil && len(data) > maxDownload {
		err = fmt.Errorf("file is over %d bytes", maxDownload)
	}
	return data, err
}
