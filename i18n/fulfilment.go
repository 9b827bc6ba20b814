package i18n

// fulfilment holds the messages of shipping, completing and refunding orders, and of a
// reseller's balance.
var fulfilment = map[string]Text{}
