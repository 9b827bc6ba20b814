package payments

// FulfilmentStore ships, completes and refunds orders and releases earnings.
type FulfilmentStore interface{}
