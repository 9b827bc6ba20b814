// Package lapak holds Lapak's domain nouns: money, languages, roles, users, resellers, phone numbers
// and error kinds. It does no I/O; every other package depends on it and not on each other.
package lapak

import "time"

// Lang is a user's chosen language. Indonesian is the default.
type Lang string

// Languages Lapak speaks.
const (
	Indonesian Lang = "id"
	English    Lang = "en"
)

// ParseLang returns the language for a code, and false when Lapak does not speak it.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case Indonesian, English:
		return Lang(s), true
	}
	return "", false
}

// Channel names the chat network a user talks through.
type Channel string

// Channels Lapak serves.
const (
	Telegram Channel = "telegram"
	WhatsApp Channel = "whatsapp"
	Sim      Channel = "sim"
)

// Role is what a user is to the business.
type Role string

// Roles, from the most to the least trusted.
const (
	RoleOwner    Role = "owner"
	RoleReseller Role = "reseller"
	RoleCustomer Role = "customer"
)

// User is a person who talks to Lapak on one channel.
type User struct {
	ID         int64
	Channel    Channel
	ExternalID string // the channel's user ID: a Telegram user ID, a WhatsApp JID
	ChatID     string // where to write to them on that channel
	Name       string
	Lang       Lang
	Role       Role
	CreatedAt  time.Time
}

// ResellerStatus is where a reseller's registration stands.
type ResellerStatus string

// Reseller registration states.
const (
	ResellerPending  ResellerStatus = "pending"
	ResellerApproved ResellerStatus = "approved"
	ResellerRejected ResellerStatus = "rejected"
)

// Reseller is a user who sells the owners' products at their own price.
type Reseller struct {
	ID        int64
	UserID    int64
	Name      string
	Phone     Phone
	City      string
	Code      string // short, unique and readable, like ANDI7; empty until approved
	Status    ResellerStatus
	CreatedAt time.Time
	DecidedAt *time.Time
	DecidedBy *int64
}

// Clock tells the time. Tests inject a fixed or stepping clock.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
