package i18n

// common holds the messages every role and flow shares: greetings, menus, commands, errors.
var common = map[string]Text{
	"error.invalid":     {"Maaf, itu belum bisa kami proses. Coba lagi, ya.", "Sorry, we couldn't use that. Please try again."},
	"error.not_found":   {"Maaf, yang kamu cari tidak ada.", "Sorry, we couldn't find that."},
	"error.conflict":    {"Data ini sudah berubah. Silakan cek lagi.", "This has changed in the meantime. Please check again."},
	"error.forbidden":   {"Maaf, kamu tidak punya akses untuk itu.", "Sorry, you can't do that."},
	"error.unavailable": {"Sistem sedang sibuk. Coba lagi beberapa saat lagi, ya.", "We're busy right now. Please try again in a moment."},
	"error.internal":    {"Maaf, ada gangguan di sistem kami. Tim kami sudah diberi tahu. Coba lagi sebentar lagi, ya.", "Sorry, something went wrong on our side. We've been told. Please try again shortly."},

	"cmd.unknown":          {"Perintah %s tidak dikenal. Ketik /menu untuk melihat pilihan.", "Unknown command %s. Type /menu to see your options."},
	"cmd.cancelled":        {"Oke, dibatalkan.", "OK, cancelled."},
	"cmd.nothing":          {"Tidak ada yang sedang berjalan.", "There's nothing to cancel."},
	"option.expired":       {"Tombol itu sudah tidak berlaku. Ini pilihan yang ada sekarang:", "That button has expired. Here are your options now:"},
	"input.too_long":       {"Pesannya terlalu panjang (maksimal %d karakter).", "That message is too long (at most %d characters)."},
	"input.unsupported":    {"Maaf, kami hanya bisa membaca teks dan foto.", "Sorry, we can only read text and photos."},
	"input.not_understood": {"Maaf, kami belum paham. Pilih dari menu atau ketik /help.", "Sorry, we didn't get that. Choose from the menu or type /help."},

	"lang.choose": {"Pilih bahasa:", "Choose your language:"},
	"lang.set":    {"Bahasa diganti ke Bahasa Indonesia.", "Language set to English."},
	"lang.id":     {"Bahasa Indonesia", "Bahasa Indonesia"},
	"lang.en":     {"English", "English"},

	"menu.title.owner":    {"Menu pemilik. Mau apa hari ini?", "Owner menu. What would you like to do?"},
	"menu.title.reseller": {"Menu reseller. Mau apa hari ini?", "Reseller menu. What would you like to do?"},
	"menu.title.pending":  {"Pendaftaranmu sedang ditinjau pemilik. Kami kabari begitu disetujui.", "Your registration is being reviewed. We'll let you know once it's approved."},
	"menu.title.customer": {"Pemesanan lewat chat ini segera dibuka. Sementara itu, pesan lewat reseller langganan kamu, ya.", "Ordering in this chat opens soon. Meanwhile, please order through your reseller."},
	"menu.title.guest":    {"Halo! Mau daftar jadi reseller?", "Hi! Would you like to become a reseller?"},
	"menu.register":       {"Daftar reseller", "Register as reseller"},
	"menu.pending":        {"Reseller menunggu", "Pending resellers"},
	"menu.invite_owner":   {"Undang pemilik", "Invite an owner"},
	"menu.my_code":        {"Kode saya", "My code"},
	"menu.language":       {"Bahasa", "Language"},
	"menu.help":           {"Bantuan", "Help"},

	"help.owner":    {"Perintah:\n/menu  menu utama\n/laporan  laporan penjualan\n/pesanan LPK-…  buka pesanan (kirim, selesai, refund)\n/pencairan  jadwal pencairan komisi\n/bahasa  ganti bahasa\n/cancel  batalkan langkah yang sedang berjalan\n/help  bantuan ini", "Commands:\n/menu  main menu\n/laporan  sales reports\n/pesanan LPK-…  open an order (ship, complete, refund)\n/pencairan  commission payout schedule\n/bahasa  change language\n/cancel  cancel what you're doing\n/help  this help"},
	"help.reseller": {"Perintah:\n/menu  menu utama\n/saldo  saldo komisi\n/laporan  laporan penjualanmu\n/why LPK-…  rincian komisi satu pesanan\n/rekening  rekening pencairan\n/tarik  tarik komisi lebih awal\n/riwayat  riwayat komisi\n/bahasa  ganti bahasa\n/cancel  batalkan langkah yang sedang berjalan\n/help  bantuan ini\n\nAda pertanyaan? Tulis saja di sini, pemilik akan membalas.", "Commands:\n/menu  main menu\n/saldo  commission balance\n/laporan  your sales report\n/why LPK-…  commission on one order\n/rekening  payout account\n/tarik  withdraw early\n/riwayat  commission statement\n/bahasa  change language\n/cancel  cancel what you're doing\n/help  this help\n\nQuestions? Just write here and the owner will answer."},
	"help.customer": {"Ketik /menu untuk melihat pilihan, atau /bahasa untuk ganti bahasa.", "Type /menu to see your options, or /bahasa to change language."},
	"help.guest":    {"Lapak membantu kamu berjualan produk pemilik dengan harga dan untungmu sendiri. Ketik /start untuk daftar jadi reseller.", "Lapak helps you sell the owner's products at your own price and profit. Type /start to register as a reseller."},

	"greet.customer": {"Halo! 👋 Selamat datang di toko kami.", "Hi! 👋 Welcome to our shop."},
	"greet.owner":    {"Halo, %s! Kamu masuk sebagai pemilik toko.", "Hi %s! You're signed in as a store owner."},
	"greet.reseller": {"Halo, %s! Selamat datang kembali. Kode resellermu: %s", "Hi %s! Welcome back. Your reseller code: %s"},
}
