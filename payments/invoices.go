package payments

// InvoiceStore keeps invoices and applies what Xendit says about them.
type InvoiceStore interface{}
