package storage

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/lapak-id/lapak"
)

// tokenAlphabet is what image IDs and share-link tokens are made of: letters and digits only, so
// that no chat app takes part of a link for formatting.
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomToken returns n random letters and digits: about 5.95 bits each.
func randomToken(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < 4*len(tokenAlphabet) && len(out) < n { // 248: no bias toward early letters
				out = append(out, tokenAlphabet[int(b)%len(tokenAlphabet)])
			}
		}
	}
	return string(out)
}

// AddImage stores a product photo, already normalised to a JPEG (see package media), after the
// product's other photos; the first photo is the cover. It returns img with its new random ID.
func (s *Store) AddImage(ctx context.Context, img lapak.Image) (lapak.Image, error) {
	if len(img.JPEG) == 0 || img.Width <= 0 || img.Height <= 0 {
		return img, lapak.Errorf(lapak.KindInvalid, "photo.not_image")
	}
	img.ID = randomToken(16)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockProductID(ctx, tx, img.ProductID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO product_images (id, product_id, position, telegram_file_id, source_url, jpeg, width, height, created_at)
			SELECT $1, $2, coalesce(max(position) + 1, 0), $3, $4, $5, $6, $7, $8 FROM product_images WHERE product_id = $2`,
			img.ID, img.ProductID, img.TelegramFileID, img.SourceURL, img.JPEG, img.Width, img.Height, s.clock.Now())
		return err
	})
	if err != nil && !isDomainError(err) {
		return img, fmt.Errorf("add image to product %d: %w", img.ProductID, err)
	}
	return img, err
}

// lockProductID locks a product for update, so that its photos get positions one at a time.
func lockProductID(ctx context.Context, tx pgx.Tx, id int64) error {
	err := tx.QueryRow(ctx, "SELECT id FROM products WHERE id = $1 FOR UPDATE", id).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound("product.not_found")
	}
	return err
}

// Image returns a photo's JPEG. A photo that does not exist, or was imported as an address and
// not fetched yet, gives a KindNotFound error that is also lapak.ErrNotFound.
func (s *Store) Image(ctx context.Context, id string) ([]byte, error) {
	var jpeg []byte
	err := s.pool.QueryRow(ctx, "SELECT jpeg FROM product_images WHERE id = $1 AND jpeg IS NOT NULL", id).Scan(&jpeg)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("photo.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", id, err)
	}
	return jpeg, nil
}

// setImportedImage makes url the address of a product's imported photo: the first of its photos
// that has an address. A new address replaces the photo, to be fetched again; an empty one removes
// it. Photos sent in chat have no address and are never touched. It reports whether anything
// changed.
func setImportedImage(ctx context.Context, tx pgx.Tx, productID int64, url string) (bool, error) {
	var id, old string
	err := tx.QueryRow(ctx, `
		SELECT id, source_url FROM product_images WHERE product_id = $1 AND source_url <> ''
		ORDER BY position, id LIMIT 1`, productID).Scan(&id, &old)
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("find imported image of product %d: %w", productID, err)
	}
	switch {
	case old == url:
		return false, nil
	case url == "":
		_, err = tx.Exec(ctx, "DELETE FROM product_images WHERE id = $1", id)
	case found:
		_, err = tx.Exec(ctx, `
			UPDATE product_images SET source_url = $2, jpeg = NULL, width = 0, height = 0, telegram_file_id = ''
			WHERE id = $1`, id, url)
	default:
		_, err = tx.Exec(ctx, `
			INSERT INTO product_images (id, product_id, position, source_url)
			SELECT $1, $2, coalesce(max(position) + 1, 0), $3 FROM product_images WHERE product_id = $2`,
			randomToken(16), productID, url)
	}
	if err != nil {
		return false, fmt.Errorf("set imported image of product %d: %w", productID, err)
	}
	return true, nil
}

// importedImageURLs returns the address of each product's imported photo, by product ID.
func importedImageURLs(ctx context.Context, db DB, ps []lapak.Product) (map[int64]string, error) {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	rows, err := db.Query(ctx, `
		SELECT DISTINCT ON (product_id) product_id, source_url FROM product_images
		WHERE product_id = ANY($1) AND source_url <> '' ORDER BY product_id, position, id`, ids)
	if err != nil {
		return nil, fmt.Errorf("list imported images: %w", err)
	}
	out := make(map[int64]string, len(ps))
	var id int64
	var url string
	_, err = pgx.ForEachRow(rows, []any{&id, &url}, func() error {
		out[id] = url
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list imported images: %w", err)
	}
	return out, nil
}
