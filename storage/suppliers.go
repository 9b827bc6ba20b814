package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/lapak-id/lapak"
)

// SuppliersOf returns the suppliers userID manages, by name.
func (s *Store) SuppliersOf(ctx context.Context, userID int64) ([]lapak.Supplier, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT s.id, s.name FROM suppliers s JOIN supplier_members m ON m.supplier_id = s.id
		WHERE m.user_id = $1 ORDER BY lower(s.name), s.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list suppliers of user %d: %w", userID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[lapak.Supplier])
}

// CreateSupplier creates a supplier named name, managed by ownerUserID. Names are unique without
// regard to case: a name taken already gives a KindConflict error with the key supplier.taken.
func (s *Store) CreateSupplier(ctx context.Context, name string, ownerUserID int64) (lapak.Supplier, error) {
	name, err := supplierName(name)
	if err != nil {
		return lapak.Supplier{}, err
	}
	var out lapak.Supplier
	err = s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, "INSERT INTO suppliers (name) VALUES ($1) RETURNING id, name", name).Scan(&out.ID, &out.Name)
		if isUniqueViolation(err, "suppliers_name_key") {
			return lapak.Errorf(lapak.KindConflict, "supplier.taken", name)
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO supplier_members (supplier_id, user_id) VALUES ($1, $2)", out.ID, ownerUserID)
		return err
	})
	if err != nil && !isDomainError(err) {
		return out, fmt.Errorf("create supplier %q for user %d: %w", name, ownerUserID, err)
	}
	return out, err
}

// supplierName trims a supplier's name and checks its length.
func supplierName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if n := utf8.RuneCountInString(name); n < 2 || n > 60 {
		return "", lapak.Errorf(lapak.KindInvalid, "supplier.name_length")
	}
	return name, nil
}

// supplierByName returns the supplier called name, whatever its case, creating it when there is
// none.
func supplierByName(ctx context.Context, db DB, name string) (lapak.Supplier, error) {
	name, err := supplierName(name)
	if err != nil {
		return lapak.Supplier{}, err
	}
	const find = "SELECT id, name FROM suppliers WHERE lower(name) = lower($1)"
	var sup lapak.Supplier
	err = db.QueryRow(ctx, find, name).Scan(&sup.ID, &sup.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		err = db.QueryRow(ctx, "INSERT INTO suppliers (name) VALUES ($1) ON CONFLICT ((lower(name))) DO NOTHING RETURNING id, name", name).Scan(&sup.ID, &sup.Name)
	}
	if errors.Is(err, pgx.ErrNoRows) { // created by someone else since the first look
		err = db.QueryRow(ctx, find, name).Scan(&sup.ID, &sup.Name)
	}
	if err != nil {
		return sup, fmt.Errorf("find or create supplier %q: %w", name, err)
	}
	return sup, nil
}

// onlySupplier returns the one supplier there is, and false when there are none or several.
func onlySupplier(ctx context.Context, db DB) (int64, bool, error) {
	var ids []int64
	rows, err := db.Query(ctx, "SELECT id FROM suppliers ORDER BY id LIMIT 2")
	if err != nil {
		return 0, false, fmt.Errorf("count suppliers: %w", err)
	}
	if ids, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return 0, false, fmt.Errorf("count suppliers: %w", err)
	}
	if len(ids) != 1 {
		return 0, false, nil
	}
	return ids[0], true, nil
}

// isDomainError reports whether err is a *lapak.Error, which callers pass on unwrapped.
func isDomainError(err error) bool {
	var e *lapak.Error
	return errors.As(err, &e)
}

// notFound returns a KindNotFound error with a message key that is also lapak.ErrNotFound.
func notFound(key string, args ...any) error {
	return &lapak.Error{Kind: lapak.KindNotFound, Key: key, Args: args, Err: lapak.ErrNotFound}
}

// isForeignKeyViolation reports whether err is a foreign-key violation: a row refers to one that
// does not exist.
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

// AdoptOrphanSuppliers makes userID a member of every supplier that has no member yet, such as
// the suppliers a spreadsheet import created, so the owner who imported sees their products.
// It returns how many suppliers were adopted.
func (s *Store) AdoptOrphanSuppliers(ctx context.Context, userID int64) (int, error) {
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO supplier_members (supplier_id, user_id)
		SELECT id, $1 FROM suppliers s
		WHERE NOT EXISTS (SELECT 1 FROM supplier_members m WHERE m.supplier_id = s.id)`, userID)
	if err != nil {
		return 0, fmt.Errorf("adopt suppliers for user %d: %w", userID, err)
	}
	return int(tag.RowsAffected()), nil
}
