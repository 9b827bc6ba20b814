package i18n

// orders holds the messages of placing and keeping orders: why an order was refused, and the
// owner's shipping zones.
var orders = map[string]Text{
	"order.empty":            {"Keranjangmu masih kosong, belum ada yang bisa dipesan.", "Your cart is empty; there's nothing to order yet."},
	"order.too_many_lines":   {"Satu pesanan paling banyak %d macam barang. Pesan sisanya terpisah, ya.", "One order can have at most %d different items. Please order the rest separately."},
	"order.qty_invalid":      {"Jumlah %d tidak bisa dipesan; pesan 1 sampai %d per barang.", "A quantity of %d can't be ordered; order 1 to %d of each item."},
	"order.name_missing":     {"Nama penerima belum diisi.", "Please give the recipient's name."},
	"order.name_too_long":    {"Nama penerima maksimal %d huruf.", "The recipient's name can be at most %d letters."},
	"order.phone_invalid":    {"Nomor HP penerima tidak valid. Contoh: 0812 3456 7890", "The recipient's mobile number isn't valid. E.g. 0812 3456 7890"},
	"order.address_missing":  {"Alamat pengiriman belum diisi.", "Please give the shipping address."},
	"order.address_too_long": {"Tiap bagian alamat maksimal %d karakter.", "Each part of the address can be at most %d characters."},
	"order.notes_too_long":   {"Catatan maksimal %d karakter.", "Notes can be at most %d characters."},
	"order.sold_out":         {"Maaf, stok %s tidak cukup untuk pesananmu. Kurangi jumlahnya atau pilih produk lain, ya.", "Sorry, there isn't enough stock of %s for your order. Please order fewer or choose another product."},
	"order.unavailable":      {"Maaf, %s sudah tidak dijual. Hapus dari keranjang, ya.", "Sorry, %s is no longer for sale. Please remove it from your cart."},
	"order.variant_required": {"Pilih dulu varian %s (ukuran/warna), ya.", "Please choose a variant of %s (size/colour) first."},
	"order.zone_gone":        {"Wilayah ongkir yang kamu pilih baru saja diubah penjual. Pilih lagi, ya.", "The seller just changed the shipping area you chose. Please choose again."},
	"order.not_found":        {"Pesanan itu tidak ada. Cek lagi nomor pesanannya (contoh: LPK-7F3K2Q).", "That order doesn't exist. Please check the order number (e.g. LPK-7F3K2Q)."},
	"order.not_cancellable":  {"Pesanan %s sudah tidak bisa dibatalkan.", "Order %s can no longer be cancelled."},

	"shipping.zone_name":      {"Nama wilayah ongkir harus 1–%d karakter.", "A shipping area's name must be 1–%d characters."},
	"shipping.zone_duplicate": {"Wilayah %s tertulis dua kali.", "The area %s is listed twice."},
	"shipping.fee_invalid":    {"Ongkir untuk %s tidak valid.", "The shipping fee for %s isn't valid."},
	"shipping.too_many_zones": {"Paling banyak %d wilayah ongkir.", "At most %d shipping areas."},
}
