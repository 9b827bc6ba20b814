package i18n

// payments holds the messages of paying for an order: the payment link, receipts, expiry.
var payments = map[string]Text{}
