package i18n

// pricing holds the messages about prices, quantities and commission rules.
var pricing = map[string]Text{
	"price.empty":        {"Harganya belum diisi. Tulis harga, misalnya 150.000 atau 150rb.", "Please enter a price, for example 150.000 or 150rb."},
	"price.ambiguous":    {"Harga itu bisa dibaca dua cara. Tulis semua angkanya (150.000) atau pakai satuan (1,5jt, 150rb).", "That price could mean two amounts. Write all the digits (150.000) or use a unit (1,5jt, 150rb)."},
	"price.invalid":      {"Harga itu tidak bisa kami baca. Contoh: 150.000, Rp150.000, 150rb, 1,5jt.", "We couldn't read that price. Examples: 150.000, Rp150.000, 150rb, 1,5jt."},
	"price.negative":     {"Harga tidak boleh minus.", "A price can't be negative."},
	"price.too_large":    {"Jumlahnya terlalu besar (maksimal %s).", "That amount is too large (at most %s)."},
	"price.fraction":     {"Harga harus dalam rupiah utuh, tanpa sen.", "Prices must be whole rupiah, without cents."},
	"price.below_floor":  {"Harga jualmu tidak boleh di bawah harga dasar %s.", "Your selling price can't be below the base price of %s."},
	"price.above_max":    {"Harga jualmu tidak boleh di atas harga maksimal %s.", "Your selling price can't be above the maximum price of %s."},
	"quantity.invalid":   {"Jumlah %d tidak valid; minimal 1.", "A quantity of %d isn't valid; it must be at least 1."},
	"commission.invalid": {"Aturan komisi tidak valid: isi persen (0 sampai 100) atau nominal tetap, salah satu saja.", "Invalid commission rule: set either a percent (0 to 100) or a fixed amount, not both."},
}
