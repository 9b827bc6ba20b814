package whatsapp

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types/events"
)

// Store is the linked device's store: whatsmeow's tables (whatsmeow_device, whatsmeow_sessions,
// …) in Lapak's own Postgres database, in the schema the connection uses. They hold the device's
// encryption keys: guard and back them up like a password.
type Store struct {
	c   *sqlstore.Container
	log *slog.Logger
}

// OpenStore creates or upgrades whatsmeow's tables in db, a database/sql handle on Postgres
// through pgx (stdlib.OpenDBFromPool of Lapak's pool). Closing db is the caller's.
func OpenStore(ctx context.Context, db *sql.DB, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	c := sqlstore.NewWithDB(db, "postgres", waLogger(log, "store"))
	if err := c.Upgrade(ctx); err != nil {
		return nil, fmt.Errorf("create or upgrade the whatsapp store: %w", err)
	}
	return &Store{c: c, log: log}, nil
}

// Device is the store's paired device, as `lapak whatsapp status` shows it.
type Device struct {
	JID          string // the store's number and the device: 6281234567890:12@s.whatsapp.net
	LID          string // the number's LID, once WhatsApp told it
	PushName     string // the name WhatsApp shows for the number
	BusinessName string // the WhatsApp Business name, if any
	Platform     string // the phone's platform: android, iphone, smba (Business on Android), …
}

// ErrNotPaired is returned when the store holds no paired device: run `lapak whatsapp link`.
var ErrNotPaired = errors.New("whatsapp is not paired: run `lapak whatsapp link` to pair the store's number")

// Device returns the paired device, or ErrNotPaired.
func (s *Store) Device(ctx context.Context) (Device, error) {
	dev, err := s.device(ctx)
	if err != nil {
		return Device{}, err
	}
	return deviceOf(dev), nil
}

// device returns the store's first device, or ErrNotPaired.
func (s *Store) device(ctx context.Context) (*store.Device, error) {
	dev, err := s.c.GetFirstDevice(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the whatsapp store: %w", err)
	}
	if dev.ID == nil {
		return nil, ErrNotPaired
	}
	return dev, nil
}

func deviceOf(dev *store.Device) Device {
	d := Device{JID: dev.GetJID().String(), PushName: dev.PushName, BusinessName: dev.BusinessName, Platform: dev.Platform}
	if lid := dev.GetLID(); !lid.IsEmpty() {
		d.LID = lid.String()
	}
	return d
}

// LinkEvents is what Link shows the person pairing the store's number.
type LinkEvents struct {
	// QR shows code as a QR code to scan from the phone, until the next code after timeout.
	QR func(code string, timeout time.Duration)
	// PairingCode shows the code to type on the phone, when pairing by phone number.
	PairingCode func(code string)
}

// Errors of Link.
var (
	ErrAlreadyPaired = errors.New("whatsapp is already paired; unlink the device on the phone first to pair again")
	ErrLinkTimeout   = errors.New("whatsapp pairing timed out: no phone confirmed the code in time")
	ErrOutdated      = errors.New("whatsapp refused this version of Lapak (client outdated): upgrade Lapak")
)

// pairName is how the device appears under Linked devices on the phone when paired by code; the
// server accepts only "Browser (OS)" names of common browsers.
const pairName = "Chrome (Linux)"

// Link pairs the store's number as a new linked device, like WhatsApp Web: with phone empty it
// shows QR codes to scan (Settings → Linked devices → Link a device); with phone, the number in
// international digits (6281234567890), it shows a code to type on that phone instead ("Link with
// phone number"). It returns once the phone confirmed, or with ErrLinkTimeout when WhatsApp
// stopped offering codes (about 160 seconds), or when ctx ends.
func (s *Store) Link(ctx context.Context, phone string, ev LinkEvents) (Device, error) {
	dev, err := s.c.GetFirstDevice(ctx)
	if err != nil {
		return Device{}, fmt.Errorf("read the whatsapp store: %w", err)
	}
	if dev.ID != nil {
		return deviceOf(dev), ErrAlreadyPaired
	}
	cli := whatsmeow.NewClient(dev, waLogger(s.log, "link"))
	connected := make(chan struct{}, 1)
	cli.AddEventHandler(func(evt any) {
		if _, ok := evt.(*events.Connected); ok {
			select {
			case connected <- struct{}{}:
			default:
			}
		}
	})
	codes, err := cli.GetQRChannel(ctx)
	if err != nil {
		return Device{}, fmt.Errorf("start pairing: %w", err)
	}
	if err := cli.ConnectContext(ctx); err != nil {
		return Device{}, fmt.Errorf("connect to whatsapp: %w", err)
	}
	defer cli.Disconnect()
	if err := s.awaitPairing(ctx, cli, codes, phone, ev); err != nil {
		return Device{}, err
	}
	// The server reconnects after pairing; the first login finishes the device's setup.
	select {
	case <-connected:
	case <-time.After(30 * time.Second):
		s.log.Warn("paired, but the first login did not finish; it will when Lapak connects")
	case <-ctx.Done():
	}
	return deviceOf(dev), nil
}

// awaitPairing shows the codes WhatsApp offers until the phone confirms one.
func (s *Store) awaitPairing(ctx context.Context, cli *whatsmeow.Client, codes <-chan whatsmeow.QRChannelItem, phone string, ev LinkEvents) error {
	asked := false
	for item := range codes {
		switch item.Event {
		case whatsmeow.QRChannelEventCode:
			if phone == "" {
				ev.QR(item.Code, item.Timeout)
				continue
			}
			if asked {
				continue
			}
			code, err := cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, pairName)
			if err != nil {
				return fmt.Errorf("ask for a pairing code: %w", err)
			}
			ev.PairingCode(code)
			asked = true
		case whatsmeow.QRChannelSuccess.Event:
			return nil
		case whatsmeow.QRChannelTimeout.Event:
			return ErrLinkTimeout
		case whatsmeow.QRChannelClientOutdated.Event:
			return ErrOutdated
		case whatsmeow.QRChannelScannedWithoutMultidevice.Event:
			s.log.Warn("the phone scanned the code without multi-device; update WhatsApp on the phone and scan again")
		case whatsmeow.QRChannelEventError:
			return fmt.Errorf("pairing failed: %w", item.Error)
		default:
			return fmt.Errorf("pairing failed: %s", item.Event)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return ErrLinkTimeout
}
