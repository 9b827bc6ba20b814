package lapak

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the user should be told. One table in package bot maps each
// kind to a chat reply.
type Kind string

// Error kinds.
const (
	KindInvalid     Kind = "invalid"     // the user sent something Lapak cannot use
	KindNotFound    Kind = "not_found"   // what the user asked for does not exist
	KindConflict    Kind = "conflict"    // the state changed under the user (double tap, already decided)
	KindForbidden   Kind = "forbidden"   // the user may not do this
	KindUnavailable Kind = "unavailable" // a service Lapak needs is down; try again later
	KindInternal    Kind = "internal"    // a bug; the user gets an apology
)

// Error is a domain error: a kind, a message key the user may see (translated by package i18n),
// its arguments, and the cause, which is only logged.
type Error struct {
	Kind Kind
	Key  string
	Args []any
	Err  error
}

// Errorf returns an Error of kind with a user message key and its arguments.
func Errorf(kind Kind, key string, args ...any) *Error {
	return &Error{Kind: kind, Key: key, Args: args}
}

// Error returns the kind, the key and the cause, for logs.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.Key, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Key)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first Error in err's chain, and KindInternal when there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrNotFound is returned by stores when a row does not exist.
var ErrNotFound = errors.New("not found")

// ErrStale is returned when a save loses a race with a newer save; the caller retries.
var ErrStale = errors.New("stale")

// With returns a copy of e caused by err.
func (e *Error) With(err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// ErrDecided is returned when an owner decides something another owner already decided.
var ErrDecided = errors.New("already decided")
