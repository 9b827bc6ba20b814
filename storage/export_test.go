package storage

// Exported for the tests of package storage_test.
var (
	Post         = post
	ErrOverdrawn = errOverdrawn
)
