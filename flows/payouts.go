package flows

// Payouts pays resellers their available commission by bank transfer on the owner's schedule.
// Without it, payout commands answer that payouts aren't set up.
type Payouts interface{}

// registerPayouts adds the commands and actions of bank accounts, schedules and payouts.
func (e *Engine) registerPayouts() {}
