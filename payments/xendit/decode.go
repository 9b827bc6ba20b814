package xendit

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// decodeJSON decodes a Xendit body into v, ignoring unknown fields, tolerantly:
//
//   - A whole amount written with a fraction or an exponent (10000.0, 1e4) becomes an integer,
//     so it decodes into lapak.Money. A real fraction (150.45) is left alone and fails to decode
//     into Money, which is right for IDR.
//   - An object member that is "" or null is dropped, so an empty timestamp reads as the zero
//     time instead of failing; for every other field, absent and empty decode alike.
//
// Timestamps are RFC 3339, with milliseconds (invoices) or without (payouts); time.Time reads both.
func decodeJSON(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil {
		return err
	}
	clean, err := json.Marshal(tolerate(tree))
	if err != nil {
		return err
	}
	return json.Unmarshal(clean, v)
}

// tolerate rewrites a decoded JSON tree in place as decodeJSON describes.
func tolerate(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil || e == "" {
				delete(t, k)
				continue
			}
			t[k] = tolerate(e)
		}
	case []any:
		for i, e := range t {
			t[i] = tolerate(e)
		}
	case json.Number:
		return wholeNumber(t)
	}
	return v
}

// wholeNumber rewrites n as an integer literal when it is a whole number that float64 holds
// exactly, and returns it unchanged otherwise.
func wholeNumber(n json.Number) json.Number {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return n
	}
	return json.Number(strconv.FormatInt(int64(f), 10))
}
