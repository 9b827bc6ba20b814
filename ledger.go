package lapak

import (
	"fmt"
	"strconv"
	"time"
)

// AccountKind is what a ledger account holds.
type AccountKind string

// Ledger accounts, as DESIGN.md describes them.
const (
	// AccountClearing is money Xendit holds for the store: customers' payments debit it.
	AccountClearing AccountKind = "xendit_clearing"
	// AccountOwnerRevenue is what a supplier's sales earned (holder: the supplier; 0 the store
	// itself, which keeps the shipping fees).
	AccountOwnerRevenue AccountKind = "owner_revenue"
	// AccountResellerPending is a reseller's earnings on orders not yet completed and held.
	AccountResellerPending AccountKind = "reseller_pending"
	// AccountResellerAvailable is a reseller's earnings ready to be paid out. It goes below zero
	// only when earnings already released are clawed back by a refund.
	AccountResellerAvailable AccountKind = "reseller_available"
	// AccountPayoutInTransit is a reseller's payout on its way to their bank.
	AccountPayoutInTransit AccountKind = "reseller_payout_in_transit"
	// AccountPayoutBank is money that left for a bank account: payouts and refunds.
	AccountPayoutBank AccountKind = "payout_bank"
	// AccountFees is what Xendit charged.
	AccountFees AccountKind = "fees"
)

// Account is one ledger account: a kind and who it is for.
type Account struct {
	Kind   AccountKind
	Holder int64 // the supplier of owner revenue, the reseller of reseller accounts; 0 otherwise
}

func (a Account) String() string { return string(a.Kind) + "/" + strconv.FormatInt(a.Holder, 10) }

// Accounts of one holder.
func ClearingAccount() Account                { return Account{Kind: AccountClearing} }
func PayoutBankAccount() Account              { return Account{Kind: AccountPayoutBank} }
func RevenueAccount(supplierID int64) Account { return Account{AccountOwnerRevenue, supplierID} }
func PendingAccount(resellerID int64) Account {
	return Account{AccountResellerPending, resellerID}
}
func AvailableAccount(resellerID int64) Account {
	return Account{AccountResellerAvailable, resellerID}
}
func InTransitAccount(resellerID int64) Account {
	return Account{AccountPayoutInTransit, resellerID}
}

// Entry moves Amount into an account: positive credits it (the holder is owed more), negative
// debits it.
type Entry struct {
	Account Account
	Amount  Money
	Line    int    // the order line it is for, from 1; 0 for none
	Memo    string // how it was computed, for "why this amount"
}

// JournalKind is the business event a journal records.
type JournalKind string

// Journal kinds.
const (
	JournalPayment        JournalKind = "payment"
	JournalRelease        JournalKind = "release"
	JournalRefund         JournalKind = "refund"
	JournalPayout         JournalKind = "payout"
	JournalPayoutPaid     JournalKind = "payout_paid"
	JournalPayoutFailed   JournalKind = "payout_failed"
	JournalPayoutReversed JournalKind = "payout_reversed"
)

// Journal is one ledger transaction: entries that sum to zero, written once under a key named
// after the business fact it records, so recording the same fact twice records it once.
type Journal struct {
	Key     string
	Kind    JournalKind
	OrderID int64 // 0 when it is not about an order
	Memo    string
	Entries []Entry
}

// Sum is the sum of the entries; a balanced journal's is zero.
func (j Journal) Sum() Money {
	var s Money
	for _, e := range j.Entries {
		s += e.Amount
	}
	return s
}

// Check reports why j cannot be posted: no key, fewer than two entries, a zero entry, or entries
// that do not sum to zero.
func (j Journal) Check() error {
	switch {
	case j.Key == "":
		return fmt.Errorf("journal %s has no key", j.Kind)
	case len(j.Entries) < 2:
		return fmt.Errorf("journal %s has %d entries", j.Key, len(j.Entries))
	case j.Sum() != 0:
		return fmt.Errorf("journal %s sums to %d", j.Key, j.Sum())
	}
	for _, e := range j.Entries {
		if e.Amount == 0 {
			return fmt.Errorf("journal %s has a zero entry for %s", j.Key, e.Account)
		}
	}
	return nil
}

// add appends an entry unless its amount is zero.
func (j *Journal) add(a Account, amount Money, line int, memo string) {
	if amount != 0 {
		j.Entries = append(j.Entries, Entry{Account: a, Amount: amount, Line: line, Memo: memo})
	}
}

// PaymentKey names the fact that an invoice was paid.
func PaymentKey(invoiceID string) string { return "xendit:invoice:" + invoiceID + ":paid" }

// ReleaseKey names the fact that an order's earnings were released.
func ReleaseKey(orderID int64) string { return "order:" + strconv.FormatInt(orderID, 10) + ":release" }

// RefundKey names the fact that an order was refunded.
func RefundKey(orderID int64) string { return "order:" + strconv.FormatInt(orderID, 10) + ":refund" }

// PaymentJournal records that the customer paid order o's total through Xendit invoice
// invoiceID: the total comes out of clearing; each line credits its supplier's revenue with the
// owner's share and the reseller's pending earnings with theirs; the shipping fee goes to the
// store. supplierOf maps each line's product to its supplier.
func PaymentJournal(o Order, invoiceID string, supplierOf map[int64]int64) Journal {
	j := Journal{Key: PaymentKey(invoiceID), Kind: JournalPayment, OrderID: o.ID, Memo: o.Ref + " paid, invoice " + invoiceID}
	j.add(ClearingAccount(), -o.Total, 0, "paid by the customer")
	for i, it := range o.Items {
		line := i + 1
		j.add(RevenueAccount(supplierOf[it.ProductID]), it.Earnings.Owner, line, lineMemo(it, "owner share"))
		if o.ResellerID != 0 {
			j.add(PendingAccount(o.ResellerID), it.Earnings.Reseller, line, lineMemo(it, "reseller earning"))
		}
	}
	j.add(RevenueAccount(0), o.Shipping, 0, "shipping "+o.ShippingZone)
	return j
}

// lineMemo says how a line's share was computed.
func lineMemo(it OrderItem, what string) string {
	e := it.Earnings
	return fmt.Sprintf("%s: %s × %d, base %s, price %s, commission %s (%s)",
		what, it.SKU, it.Qty, e.Base, e.Price, e.Rule, e.Rounding)
}

// Earned is what the reseller earned on o: the sum of the lines' reseller earnings, or zero when
// the owner sold it.
func (o Order) Earned() Money {
	if o.ResellerID == 0 {
		return 0
	}
	var m Money
	for _, it := range o.Items {
		m += it.Earnings.Reseller
	}
	return m
}

// ReleaseJournal moves the reseller's earnings on o from pending to available.
func ReleaseJournal(o Order) Journal {
	j := Journal{Key: ReleaseKey(o.ID), Kind: JournalRelease, OrderID: o.ID, Memo: o.Ref + " completed and held"}
	j.add(PendingAccount(o.ResellerID), -o.Earned(), 0, "released")
	j.add(AvailableAccount(o.ResellerID), o.Earned(), 0, "released")
	return j
}

// RefundJournal reverses exactly what payment credited for o, from the reseller's pending
// earnings or, once released, their available earnings (which may then go negative), and records
// the total leaving for the customer's bank with reference ref.
func RefundJournal(o Order, released bool, supplierOf map[int64]int64, ref string) Journal {
	j := Journal{Key: RefundKey(o.ID), Kind: JournalRefund, OrderID: o.ID, Memo: o.Ref + " refunded, " + ref}
	earnings := PendingAccount(o.ResellerID)
	if released {
		earnings = AvailableAccount(o.ResellerID)
	}
	for i, it := range o.Items {
		line := i + 1
		j.add(RevenueAccount(supplierOf[it.ProductID]), -it.Earnings.Owner, line, lineMemo(it, "owner share reversed"))
		if o.ResellerID != 0 {
			j.add(earnings, -it.Earnings.Reseller, line, lineMemo(it, "reseller earning reversed"))
		}
	}
	j.add(RevenueAccount(0), -o.Shipping, 0, "shipping refunded")
	j.add(PayoutBankAccount(), o.Total, 0, "refunded to the customer, "+ref)
	return j
}

// Balance is where a reseller's commission stands.
type Balance struct {
	Pending   Money // on orders not yet completed and held
	Available Money // ready for the next payout; negative after a clawback
	InTransit Money // on its way to their bank
	Paid      Money // paid out, ever
}

// Why explains a reseller's commission on one order.
type Why struct {
	Order     Order
	ReleaseAt time.Time // when the earnings become available; zero until the order completes
	Released  bool      // the earnings are available
	Reversed  bool      // the order was refunded and its earnings taken back
}
