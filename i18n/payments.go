package i18n

// payments holds the messages of paying for an order: the payment link, receipts, expiry.
var payments = map[string]Text{
	// On Xendit's checkout page.
	"pay.description":   {"Pesanan %s di %s", "Order %s at %s"},
	"pay.shipping_item": {"Ongkir %s", "Shipping %s"},

	// To the customer.
	"pay.link":        {"💳 Link pembayaran pesanan %s sudah siap. Total %s, bayar sebelum %s. Tap Bayar lalu pilih cara bayarnya, ya.", "💳 The payment link for order %s is ready. Total %s, pay by %s. Tap Pay and choose how to pay."},
	"pay.reminder":    {"⏰ Pesanan %s (%s) belum dibayar. Stok kami simpan sampai %s; lewat dari itu pesanan batal otomatis.", "⏰ Order %s (%s) isn't paid yet. We hold the stock until %s; after that the order is cancelled automatically."},
	"pay.link_button": {"Bayar %s", "Pay %s"},
	"pay.check":       {"Cek pembayaran", "Check payment"},
	"pay.cancel":      {"Batalkan pesanan", "Cancel order"},
	"pay.expired":     {"⌛ Pesanan %s batal otomatis karena belum dibayar sampai %s, dan stoknya kami lepas. Masih mau? Tap Pesan lagi, ya.", "⌛ Order %s was cancelled automatically because it wasn't paid by %s, and its stock was released. Still want it? Tap Order again."},
	"pay.again":       {"Pesan lagi", "Order again"},
	"pay.receipt":     {"✅ Pembayaran diterima, terima kasih! Pesanan %s sudah lunas.\n\n%s\n\nDibayar %s lewat %s.\nDikirim ke: %s, %s\nNomor resi kami kabari di chat ini, ya.", "✅ Payment received, thank you! Order %s is paid.\n\n%s\n\nPaid %s by %s.\nShipping to: %s, %s\nWe'll send the tracking number in this chat."},
	"pay.receipt_short": {"Catatan: stok sebagian barang sudah habis saat pembayaran masuk. Penjual akan menghubungimu untuk kirim susulan atau pengembalian dana.",
		"Note: some items ran out of stock before the payment arrived. The seller will contact you to ship them later or refund you."},
	"pay.method_card":     {"kartu kredit/debit", "credit/debit card"},
	"pay.refused_min":     {"Maaf, total pesanan %s (%s) di bawah minimal pembayaran online %s, jadi pesanan kami batalkan dan stoknya dikembalikan. Tambah barang lalu pesan lagi, ya.", "Sorry, order %s (%s) is below the minimum online payment of %s, so we cancelled it and released its stock. Add more items and order again."},
	"pay.refused_max":     {"Maaf, total pesanan %s (%s) melebihi batas pembayaran online, jadi pesanan kami batalkan dan stoknya dikembalikan. Hubungi penjual untuk cara bayar lain, ya.", "Sorry, order %s (%s) is above the online payment limit, so we cancelled it and released its stock. Please contact the seller for another way to pay."},
	"pay.refused":         {"Maaf, link pembayaran pesanan %s tidak bisa dibuat, jadi pesanan kami batalkan dan stoknya dikembalikan. Penjual sudah kami kabari.", "Sorry, we couldn't make a payment link for order %s, so we cancelled it and released its stock. The seller has been told."},
	"pay.link_pending":    {"Link pembayaran pesanan %s sedang dibuat, sebentar lagi muncul di chat ini.", "The payment link for order %s is being made; it will show up in this chat shortly."},
	"pay.no_link":         {"Pesanan %s belum punya link pembayaran. Hubungi penjual, ya.", "Order %s has no payment link. Please contact the seller."},
	"pay.already_paid":    {"Pesanan %s sudah dibayar, terima kasih! Kalau ada masalah, hubungi penjual.", "Order %s is paid already, thank you! If something is wrong, please contact the seller."},
	"pay.order_expired":   {"Pesanan %s sudah kedaluwarsa. Pesan lagi, ya.", "Order %s has expired. Please order again."},
	"pay.order_cancelled": {"Pesanan %s sudah dibatalkan.", "Order %s was cancelled."},
	"pay.xendit_down":     {"Sistem pembayaran sedang tidak bisa dihubungi. Coba lagi sebentar lagi, ya.", "The payment system can't be reached right now. Please try again in a moment."},

	// To the reseller.
	"pay.reseller_paid": {"💰 Komisi %s masuk (menunggu) dari pesanan %s atas nama %s, total %s. Total komisi menunggu: %s. Cair setelah pesanan selesai.", "💰 Commission %s in (pending) from order %s for %s, total %s. Pending commission: %s. It becomes available once the order completes."},

	// To the owners.
	"pay.owner_paid":        {"💰 Pesanan %s LUNAS (%s) via %s. Siap dikirim:\n%s\n\nKirim ke: %s, %s\n%s", "💰 Order %s is PAID (%s) via %s. Ready to ship:\n%s\n\nShip to: %s, %s\n%s"},
	"pay.via_store":         {"toko", "the store"},
	"pay.ship":              {"Input resi", "Enter tracking no."},
	"pay.owner_refused":     {"⚠️ Xendit menolak membuat link pembayaran pesanan %s (%s): %s. Pesanan dibatalkan dan stoknya kembali.", "⚠️ Xendit refused to make the payment link for order %s (%s): %s. The order was cancelled and its stock released."},
	"pay.alert_short":       {"⚠️ Pesanan %s dibayar setelah kedaluwarsa, tapi stok %s sudah habis. Uangnya sudah masuk: restock lalu kirim, atau refund pelanggan.", "⚠️ Order %s was paid after it expired, but %s ran out of stock. The money has arrived: restock and ship, or refund the customer."},
	"pay.alert_after_close": {"⚠️ Pesanan %s dibayar setelah dibatalkan. Uangnya sudah masuk dan pesanan kami tandai lunas: kirim, atau refund pelanggan.", "⚠️ Order %s was paid after it was cancelled. The money has arrived and the order is marked paid: ship it, or refund the customer."},
	"pay.alert_mismatch":    {"⚠️ Pembayaran pesanan %s tidak cocok: Xendit %s, pesanan %s. Tidak ada yang dikreditkan. Cek invoice %s di dashboard Xendit.", "⚠️ The payment of order %s doesn't match: Xendit %s, order %s. Nothing was credited. Check invoice %s in Xendit's dashboard."},
	"pay.alert_unknown":     {"⚠️ Xendit melaporkan pembayaran %s sebesar %s untuk invoice %s (%s) yang bukan milik pesanan mana pun. Tidak ada yang dikreditkan. Cek di dashboard Xendit.", "⚠️ Xendit reports a %s payment of %s on invoice %s (%s), which belongs to no order. Nothing was credited. Check it in Xendit's dashboard."},
}
