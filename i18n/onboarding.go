package i18n

// onboarding holds the messages of reseller registration and owner approval.
var onboarding = map[string]Text{
	"onboard.welcome":         {"Halo! Selamat datang di Lapak. Yuk daftar jadi reseller, cuma 3 langkah.", "Hi! Welcome to Lapak. Let's sign you up as a reseller; it takes 3 steps."},
	"onboard.ask_name":        {"Siapa nama lengkapmu?", "What's your full name?"},
	"onboard.bad_name":        {"Nama harus 2–60 huruf. Coba tulis lagi, ya.", "Your name must be 2–60 letters. Please try again."},
	"onboard.ask_phone":       {"Nomor HP/WhatsApp kamu? Contoh: 0812 3456 7890", "Your mobile/WhatsApp number? For example: 0812 3456 7890"},
	"onboard.bad_phone":       {"Nomor itu belum benar. Tulis nomor HP Indonesia, contoh 0812 3456 7890.", "That number doesn't look right. Send an Indonesian mobile number, e.g. 0812 3456 7890."},
	"onboard.ask_city":        {"Kamu tinggal di kota apa?", "Which city do you live in?"},
	"onboard.bad_city":        {"Nama kota harus 2–50 huruf. Coba lagi, ya.", "The city must be 2–50 letters. Please try again."},
	"onboard.submitted":       {"Terima kasih, %s! Pendaftaranmu sudah kami terima dan sedang ditinjau pemilik. Kami kabari di sini.", "Thanks, %s! We've got your registration and the owner is reviewing it. We'll tell you here."},
	"onboard.already":         {"Pendaftaranmu sudah kami terima dan sedang ditinjau. Sabar, ya!", "We already have your registration and it's being reviewed. Hang tight!"},
	"onboard.card":            {"Reseller baru mendaftar:\nNama: %s\nHP: %s\nKota: %s\nTelegram: %s", "A new reseller registered:\nName: %s\nPhone: %s\nCity: %s\nTelegram: %s"},
	"onboard.approve":         {"Setujui", "Approve"},
	"onboard.reject":          {"Tolak", "Reject"},
	"onboard.approved":        {"Selamat, pendaftaranmu disetujui! 🎉\nKode resellermu: %s\nBagikan kode ini ke pelangganmu. Ketik /menu untuk mulai.", "Congratulations, you're approved! 🎉\nYour reseller code: %s\nShare it with your customers. Type /menu to start."},
	"onboard.rejected":        {"Maaf, pendaftaranmu belum bisa disetujui saat ini. Kamu bisa daftar lagi nanti dengan /start.", "Sorry, your registration wasn't approved this time. You can register again later with /start."},
	"onboard.done_approve":    {"%s disetujui. Kodenya: %s", "%s approved. Their code: %s"},
	"onboard.done_reject":     {"%s ditolak.", "%s rejected."},
	"onboard.decided":         {"%s sudah diputuskan sebelumnya (%s).", "%s was already decided (%s)."},
	"onboard.none_pending":    {"Tidak ada reseller yang menunggu.", "No resellers are waiting."},
	"onboard.status.approved": {"disetujui", "approved"},
	"onboard.status.rejected": {"ditolak", "rejected"},
	"onboard.my_code":         {"Kode resellermu: %s", "Your reseller code: %s"},

	"invite.link":    {"Kirim tautan ini ke calon pemilik. Berlaku 7 hari, sekali pakai:\n%s", "Send this link to the new owner. It works once, for 7 days:\n%s"},
	"invite.used":    {"Tautan undangan itu sudah tidak berlaku.", "That invite link is no longer valid."},
	"invite.welcome": {"Selamat datang, %s! Kamu sekarang pemilik toko.", "Welcome, %s! You're now a store owner."},
	"invite.joined":  {"%s bergabung sebagai pemilik.", "%s joined as an owner."},
}
