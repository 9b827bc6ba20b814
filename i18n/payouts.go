package i18n

// payouts holds the messages of bank accounts, payout schedules and payouts.
var payouts = map[string]Text{}
