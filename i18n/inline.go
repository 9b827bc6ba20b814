package i18n

// inline holds the messages of inline mode: the list of cards a reseller picks from after typing
// the bot's name in any chat. The cards themselves are in Indonesian, for customers.
var inline = map[string]Text{
	"inline.description": {"%s · untung %s", "%s · profit %s"},
	"inline.sold_out":    {"%s · untung %s · habis", "%s · profit %s · sold out"},
}
