package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"

	waLog "go.mau.fi/whatsmeow/util/log"
)

// slogger writes whatsmeow's logs to slog, with the phone numbers and LIDs they carry masked.
type slogger struct {
	log    *slog.Logger
	module string
}

// waLogger returns a whatsmeow logger over log.
func waLogger(log *slog.Logger, module string) waLog.Logger {
	return &slogger{log: log, module: module}
}

// longNumber is a run of digits as long as a phone number or a LID.
var longNumber = regexp.MustCompile(`\d{8,}`)

func (s *slogger) write(level slog.Level, msg string, args []any) {
	if !s.log.Enabled(context.Background(), level) {
		return
	}
	text := longNumber.ReplaceAllStringFunc(fmt.Sprintf(msg, args...), maskJID)
	s.log.Log(context.Background(), level, text, "module", s.module)
}

// Errorf logs at error level.
func (s *slogger) Errorf(msg string, args ...any) { s.write(slog.LevelError, msg, args) }

// Warnf logs at warn level.
func (s *slogger) Warnf(msg string, args ...any) { s.write(slog.LevelWarn, msg, args) }

// Infof logs at info level.
func (s *slogger) Infof(msg string, args ...any) { s.write(slog.LevelInfo, msg, args) }

// Debugf logs at debug level.
func (s *slogger) Debugf(msg string, args ...any) { s.write(slog.LevelDebug, msg, args) }

// Sub returns a logger for a part of whatsmeow, named after its module.
func (s *slogger) Sub(module string) waLog.Logger {
	return &slogger{log: s.log, module: s.module + "/" + module}
}
