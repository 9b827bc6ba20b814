package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/flows"
)

var _ flows.Sessions = (*Sessions)(nil)

// Sessions keeps each chat's conversation as JSON with a version. A save whose version is not the
// stored one is refused with lapak.ErrStale, so two instances never overwrite each other.
type Sessions struct {
	rdb    goredis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewSessions returns conversation state under prefix that expires after ttl of inactivity.
func NewSessions(rdb goredis.UniversalClient, prefix string, ttl time.Duration) *Sessions {
	return &Sessions{rdb: rdb, prefix: prefix, ttl: ttl}
}

func (s *Sessions) key(chat string) string { return s.prefix + "session:" + chat }

// Load returns the chat's conversation, or a zero Session (version 0) when there is none.
func (s *Sessions) Load(ctx context.Context, chat string) (flows.Session, error) {
	var sess flows.Session
	raw, err := s.rdb.HGet(ctx, s.key(chat), "data").Bytes()
	if errors.Is(err, goredis.Nil) {
		return sess, nil
	}
	if err != nil {
		return sess, lapak.Errorf(lapak.KindUnavailable, "error.unavailable").With(err)
	}
	if err := json.Unmarshal(raw, &sess); err != nil {
		return flows.Session{}, nil // unreadable state restarts the conversation
	}
	return sess, nil
}

var saveScript = goredis.NewScript(`
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1] + 1, 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`)

// Save stores sess if the stored version is still sess.Version, and bumps it.
func (s *Sessions) Save(ctx context.Context, chat string, sess flows.Session) error {
	next := sess
	next.Version++
	raw, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	ok, err := saveScript.Run(ctx, s.rdb, []string{s.key(chat)}, sess.Version, raw, s.ttl.Milliseconds()).Int()
	if err != nil {
		return lapak.Errorf(lapak.KindUnavailable, "error.unavailable").With(err)
	}
	if ok == 0 {
		return lapak.ErrStale
	}
	return nil
}
