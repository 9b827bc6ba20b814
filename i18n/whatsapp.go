package i18n

// whatsapp holds the messages of the WhatsApp linked-device channel: the line under a numbered
// menu, the owners' alerts when WhatsApp stops or works again, and `lapak whatsapp link|status`.
var whatsapp = map[string]Text{
	"whatsapp.menu_hint": {
		"Balas dengan angka atau nama pilihan.",
		"Reply with the number or the name of your choice.",
	},

	"whatsapp.alert.logged_out": {
		"⚠️ WhatsApp toko terputus: perangkat Lapak dikeluarkan dari HP (Perangkat tertaut). Pesan WhatsApp tidak terkirim sampai nomor toko dipasangkan lagi dengan `lapak whatsapp link` dan Lapak dijalankan ulang.",
		"⚠️ The store's WhatsApp is disconnected: Lapak's device was logged out on the phone (Linked devices). WhatsApp messages are not sent until the store's number is paired again with `lapak whatsapp link` and Lapak is restarted.",
	},
	"whatsapp.alert.outdated": {
		"⚠️ WhatsApp menolak versi Lapak ini (client outdated). Perbarui Lapak ke versi terbaru lalu jalankan ulang; sampai itu pesan WhatsApp tidak terkirim.",
		"⚠️ WhatsApp refuses this version of Lapak (client outdated). Upgrade Lapak to the latest version and restart it; until then WhatsApp messages are not sent.",
	},
	"whatsapp.alert.banned": {
		"⛔ WhatsApp memblokir sementara nomor toko (kode %d). Lapak berhenti mengirim pesan WhatsApp. Tunggu blokirnya selesai, lalu jalankan ulang Lapak; jangan pasangkan nomor lain untuk menghindarinya.",
		"⛔ WhatsApp temporarily banned the store's number (code %d). Lapak stopped sending WhatsApp messages. Wait for the ban to end, then restart Lapak; don't pair another number to get around it.",
	},
	"whatsapp.alert.banned_for": {
		"⛔ WhatsApp memblokir sementara nomor toko (kode %d) selama sekitar %d jam. Lapak berhenti mengirim pesan WhatsApp. Setelah itu jalankan ulang Lapak; jangan pasangkan nomor lain untuk menghindarinya.",
		"⛔ WhatsApp temporarily banned the store's number (code %d) for about %d hours. Lapak stopped sending WhatsApp messages. Restart Lapak after that; don't pair another number to get around it.",
	},
	"whatsapp.alert.failed": {
		"⚠️ WhatsApp menolak sambungan toko (%s). Lapak berhenti mengirim pesan WhatsApp; periksa log, lalu jalankan ulang Lapak.",
		"⚠️ WhatsApp refused the store's connection (%s). Lapak stopped sending WhatsApp messages; check the logs, then restart Lapak.",
	},
	"whatsapp.alert.replaced": {
		"⚠️ Sesi WhatsApp toko dipakai program lain dengan kunci yang sama. Lapak ini berhenti mengirim pesan WhatsApp. Hentikan program lain itu (hanya satu Lapak boleh tersambung), lalu jalankan ulang Lapak.",
		"⚠️ Another program took over the store's WhatsApp session with the same keys. This Lapak stopped sending WhatsApp messages. Stop that program (only one Lapak may be connected), then restart Lapak.",
	},
	"whatsapp.alert.back": {
		"✅ WhatsApp toko tersambung lagi; pesan WhatsApp terkirim seperti biasa.",
		"✅ The store's WhatsApp is connected again; WhatsApp messages are sent as usual.",
	},

	"whatsapp.link.qr": {
		"Pindai kode QR ini dengan HP nomor toko: WhatsApp → Setelan → Perangkat tertaut → Tautkan perangkat. Kode berganti setiap %d detik.",
		"Scan this QR code with the store's phone: WhatsApp → Settings → Linked devices → Link a device. The code changes every %d seconds.",
	},
	"whatsapp.link.code": {
		"Di HP nomor %s, buka notifikasi WhatsApp atau WhatsApp → Setelan → Perangkat tertaut → Tautkan perangkat → Tautkan dengan nomor telepon, lalu ketik kode ini: %s",
		"On the phone of %s, open the WhatsApp notification or WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, and type this code: %s",
	},
	"whatsapp.link.wait": {
		"Menunggu konfirmasi dari HP (sekitar 2 menit)…",
		"Waiting for the phone to confirm (about 2 minutes)…",
	},
	"whatsapp.link.done": {
		"Berhasil! Nomor toko terpasang sebagai %s. Jalankan ulang `lapak serve` dengan WHATSAPP_TRANSPORT=whatsmeow.",
		"Done! The store's number is paired as %s. Restart `lapak serve` with WHATSAPP_TRANSPORT=whatsmeow.",
	},
	"whatsapp.link.timeout": {
		"Waktu habis sebelum HP mengonfirmasi. Jalankan `lapak whatsapp link` lagi.",
		"Time ran out before the phone confirmed. Run `lapak whatsapp link` again.",
	},
	"whatsapp.link.already": {
		"Nomor toko sudah terpasang sebagai %s. Untuk memasangkan nomor lain, keluarkan perangkat Lapak di HP (Perangkat tertaut), tunggu Lapak melaporkannya, lalu jalankan perintah ini lagi.",
		"The store's number is already paired as %s. To pair another number, log Lapak's device out on the phone (Linked devices), wait for Lapak to report it, then run this command again.",
	},
	"whatsapp.link.outdated": {
		"WhatsApp menolak versi Lapak ini (client outdated). Perbarui Lapak, lalu coba lagi.",
		"WhatsApp refuses this version of Lapak (client outdated). Upgrade Lapak, then try again.",
	},

	"whatsapp.status.paired": {
		"WhatsApp: terpasang sebagai %s",
		"WhatsApp: paired as %s",
	},
	"whatsapp.status.not_paired": {
		"WhatsApp: belum terpasang. Pasangkan nomor toko dengan `lapak whatsapp link`.",
		"WhatsApp: not paired. Pair the store's number with `lapak whatsapp link`.",
	},
	"whatsapp.status.name":     {"Nama", "Name"},
	"whatsapp.status.lid":      {"LID", "LID"},
	"whatsapp.status.platform": {"Platform HP", "Phone platform"},
	"whatsapp.status.connected": {
		"Sambungan: dipegang Lapak yang sedang berjalan",
		"Connection: held by a running Lapak",
	},
	"whatsapp.status.free": {
		"Sambungan: tidak ada Lapak yang tersambung",
		"Connection: no running Lapak is connected",
	},
}
