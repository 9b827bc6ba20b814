package reports

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
	"github.com/lapak-id/lapak/i18n"
)

// Source reads a period's figures and order lines for a scope.
type Source interface {
	// ReportFigures returns p's figures and the period before's comparable headline.
	ReportFigures(ctx context.Context, sc Scope, p Period) (Figures, Headline, error)
	// ReportLines returns at most limit of the lines of the orders placed or paid in p; all of
	// them when limit is 0.
	ReportLines(ctx context.Context, sc Scope, p Period, limit int) ([]Line, error)
}

// ResellerSource reads resellers' own figures for period p, with their rank on the leaderboard
// of month: one reseller's (always, even without activity), or with only 0 every approved
// reseller who had a click, chat, cart or order in p.
type ResellerSource interface {
	ResellerFigures(ctx context.Context, only int64, p, month Period) ([]ResellerFigures, error)
}

// Scopes tells whose figures a user sees.
type Scopes interface {
	// ReportScope is the suppliers userID manages, or the whole store when that is all of them.
	ReportScope(ctx context.Context, userID int64) (Scope, error)
}

// Schedules keeps owners' report schedules.
type Schedules interface {
	// ReportPrefs returns userID's schedule, and false when they never chose one.
	ReportPrefs(ctx context.Context, userID int64) (Prefs, bool, error)
	SetReportPrefs(ctx context.Context, userID int64, p Prefs) error
	// ReportRecipients returns every owner with their schedule.
	ReportRecipients(ctx context.Context) ([]Recipient, error)
}

// Archive keeps the scheduled reports made, each once per recipient, kind and period.
type Archive interface {
	// SentReport returns the report of kind made for userID for the period starting at start,
	// when it was made, and false when there is none.
	SentReport(ctx context.Context, userID int64, kind Kind, start time.Time) (Report, time.Time, bool, error)
	// ReportSent reports whether that report was made already.
	ReportSent(ctx context.Context, userID int64, kind Kind, start time.Time) (bool, error)
	// BatchSent reports whether any report of kind was made for the period starting at start.
	BatchSent(ctx context.Context, kind Kind, start time.Time) (bool, error)
	// SaveReports records the reports not made yet, with the jobs that send them, and returns how
	// many were new.
	SaveReports(ctx context.Context, runs []Run) (int, error)
}

// Funnel records the funnel events the database does not derive itself.
type Funnel interface {
	// CartStarted records that a customer bound to a reseller started a cart with a product.
	CartStarted(ctx context.Context, customerUserID, productID int64) error
}

// Store is everything the Service reads and keeps. storage.Store is one.
type Store interface {
	Source
	ResellerSource
	Scopes
	Schedules
	Archive
	Funnel
}

// Run is a scheduled report as recorded and sent: for its recipient, what it said (Snapshot, a
// Report or ResellerFigures, kept as JSON) and the messages that deliver it.
type Run struct {
	UserID   int64
	Kind     Kind
	Period   Period
	Snapshot any
	Files
}

// Files are a report rendered for one reader: the chat text, the chart (PNG) and the spreadsheet
// (CSV), each file with its caption. A reseller's report has text only.
type Files struct {
	Text         string
	Chart        []byte
	ChartCaption string
	CSV          []byte
	CSVName      string
	CSVCaption   string
}

// Config configures a Service.
type Config struct {
	// Store reads the figures and keeps schedules and sent reports. Required.
	Store Store
	// Zone is the store's time zone: owners' until they choose theirs, and resellers'. Default WIB.
	Zone Zone
	// Clock tells the time. Default: the wall clock.
	Clock lapak.Clock
}

// Service builds reports, renders them for their readers, and sends the scheduled ones that are
// due. Its methods are what flows and jobs need of reports.
type Service struct {
	cfg Config
}

// NewService returns a Service with cfg's defaults filled in.
func NewService(cfg Config) *Service {
	if _, ok := ParseZone(string(cfg.Zone)); !ok {
		cfg.Zone = WIB
	}
	if cfg.Clock == nil {
		cfg.Clock = lapak.SystemClock{}
	}
	return &Service{cfg: cfg}
}

// Zone is the store's time zone.
func (s *Service) Zone() Zone { return s.cfg.Zone }

// Build makes the report of kind for scope sc and period p: p's figures and the period before's
// comparable headline. A scheduled report for userID also carries how the period before's
// figures changed since its report of the same kind was made: payments recorded late.
func (s *Service) Build(ctx context.Context, kind Kind, sc Scope, p Period, userID int64) (Report, error) {
	r := Report{Kind: kind, Scope: sc, Period: p, MadeAt: s.cfg.Clock.Now()}
	var err error
	if r.Current, r.Previous, err = s.cfg.Store.ReportFigures(ctx, sc, p); err != nil {
		return r, err
	}
	if kind == OnDemand || userID == 0 {
		return r, nil
	}
	sent, at, ok, err := s.cfg.Store.SentReport(ctx, userID, kind, p.Previous().Start)
	if err != nil || !ok {
		return r, err
	}
	if d := r.Previous.Minus(sent.Current.Comparable()); !d.IsZero() {
		r.Adjustment = &Adjustment{Period: sent.Period, SentAt: at, Delta: d}
	}
	return r, nil
}

// MaxChatLines is the most order lines a spreadsheet sent in chat has: about 15 MB of CSV, well
// under Telegram's 50 MB for a document. A period with more gets a note saying how to get them
// with `lapak report` instead.
const MaxChatLines = 100_000

// Render renders r for a reader of lang: its text, its chart and its order lines as CSV.
func (s *Service) Render(ctx context.Context, r Report, lang lapak.Lang) (Files, error) {
	chart, err := Chart(r.Period, r.Current.Series, lang)
	if err != nil {
		return Files{}, err
	}
	label := r.Period.Label(lang)
	f := Files{Text: Text(r, lang), Chart: chart, ChartCaption: i18n.T(lang, "report.chart_caption", label)}
	lines, err := s.chatLines(ctx, r.Scope, r.Period)
	if errors.Is(err, errTooManyLines) {
		f.CSVCaption = i18n.T(lang, "report.too_many_lines", MaxChatLines, r.Period.Code())
		return f, nil
	}
	if err != nil {
		return Files{}, err
	}
	if f.CSV, err = CSV(lines, r.Period.Zone); err != nil {
		return Files{}, err
	}
	f.CSVName, f.CSVCaption = FileName(r.Period, "csv"), i18n.T(lang, "report.csv_caption", label)
	return f, nil
}

// errTooManyLines says a period has more lines than a spreadsheet in chat holds.
var errTooManyLines = errors.New("too many lines for chat")

// chatLines returns the period's lines for a spreadsheet sent in chat, or errTooManyLines.
func (s *Service) chatLines(ctx context.Context, sc Scope, p Period) ([]Line, error) {
	lines, err := s.cfg.Store.ReportLines(ctx, sc, p, MaxChatLines+1)
	if err == nil && len(lines) > MaxChatLines {
		err = errTooManyLines
	}
	return lines, err
}

// ownerScope is whose figures u sees, or a KindNotFound error with the key report.no_scope when
// they manage no supplier.
func (s *Service) ownerScope(ctx context.Context, u lapak.User) (Scope, error) {
	sc, err := s.cfg.Store.ReportScope(ctx, u.ID)
	if err != nil {
		return sc, err
	}
	if !sc.All && len(sc.SupplierIDs) == 0 {
		return sc, lapak.Errorf(lapak.KindNotFound, "report.no_scope")
	}
	return sc, nil
}

// OwnerReport is the report of period p for owner u, on the suppliers they manage, rendered in
// their language.
func (s *Service) OwnerReport(ctx context.Context, u lapak.User, p Period) (Files, error) {
	sc, err := s.ownerScope(ctx, u)
	if err != nil {
		return Files{}, err
	}
	r, err := s.Build(ctx, OnDemand, sc, p, u.ID)
	if err != nil {
		return Files{}, err
	}
	return s.Render(ctx, r, u.Lang)
}

// OwnerWorkbook is OwnerReport as an XLSX workbook.
func (s *Service) OwnerWorkbook(ctx context.Context, u lapak.User, p Period) (bot.Document, error) {
	sc, err := s.ownerScope(ctx, u)
	if err != nil {
		return bot.Document{}, err
	}
	r, err := s.Build(ctx, OnDemand, sc, p, u.ID)
	if err != nil {
		return bot.Document{}, err
	}
	lines, err := s.chatLines(ctx, sc, p)
	if errors.Is(err, errTooManyLines) {
		return bot.Document{}, lapak.Errorf(lapak.KindInvalid, "report.too_many_lines", MaxChatLines, p.Code())
	}
	if err != nil {
		return bot.Document{}, err
	}
	data, err := Workbook(r, lines, u.Lang)
	if err != nil {
		return bot.Document{}, err
	}
	return bot.Document{Name: FileName(p, "xlsx"), Bytes: data}, nil
}

// ResellerReport is reseller r's report of period p, with their rank on this month's
// leaderboard, as a chat message in u's language.
func (s *Service) ResellerReport(ctx context.Context, u lapak.User, r lapak.Reseller, p Period) (string, error) {
	figs, err := s.cfg.Store.ResellerFigures(ctx, r.ID, p, Month(s.cfg.Clock.Now(), p.Zone))
	if err != nil {
		return "", err
	}
	if len(figs) == 0 {
		return "", lapak.Errorf(lapak.KindNotFound, "reseller.not_found")
	}
	return ResellerText(figs[0], u.Lang, false), nil
}

// Schedule returns userID's report schedule, the default one until they choose.
func (s *Service) Schedule(ctx context.Context, userID int64) (Prefs, error) {
	p, found, err := s.cfg.Store.ReportPrefs(ctx, userID)
	if err != nil || !found {
		return DefaultPrefs(s.cfg.Zone), err
	}
	return p, nil
}

// SetSchedule records userID's report schedule.
func (s *Service) SetSchedule(ctx context.Context, userID int64, p Prefs) error {
	return s.cfg.Store.SetReportPrefs(ctx, userID, p)
}

// CartStarted records that a customer started a cart with a product.
func (s *Service) CartStarted(ctx context.Context, customerUserID, productID int64) error {
	return s.cfg.Store.CartStarted(ctx, customerUserID, productID)
}

// SendDue makes and records the scheduled reports due at now that were not made yet, each with
// the job that sends it: every owner's, by their schedule and in their zone, and on Mondays the
// resellers' weekly summaries. Recording is what makes a report go once: a report that another
// instance made first is not made again. It returns how many reports it recorded. A report that
// fails does not stop the others; the failures are returned together.
func (s *Service) SendDue(ctx context.Context, now time.Time) (int, error) {
	recipients, err := s.cfg.Store.ReportRecipients(ctx)
	if err != nil {
		return 0, err
	}
	var errs []error
	sent := 0
	for _, rc := range recipients {
		prefs := rc.Prefs
		if !rc.Chosen {
			prefs = DefaultPrefs(s.cfg.Zone)
		}
		for _, d := range DueAt(prefs, now) {
			n, err := s.sendOwner(ctx, rc.User, d, now)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s report %s for user %d: %w", d.Kind, d.Period.Code(), rc.User.ID, err))
			}
			sent += n
		}
	}
	n, err := s.sendResellers(ctx, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("resellers' weekly summaries: %w", err))
	}
	return sent + n, errors.Join(errs...)
}

// sendOwner makes owner u's report d unless it was made already.
func (s *Service) sendOwner(ctx context.Context, u lapak.User, d Due, now time.Time) (int, error) {
	done, err := s.cfg.Store.ReportSent(ctx, u.ID, d.Kind, d.Period.Start)
	if err != nil || done {
		return 0, err
	}
	sc, err := s.ownerScope(ctx, u)
	if err != nil && lapak.KindOf(err) == lapak.KindNotFound {
		return 0, nil // an owner of no supplier has nothing to report
	}
	if err != nil {
		return 0, err
	}
	r, err := s.Build(ctx, d.Kind, sc, d.Period, u.ID)
	if err != nil {
		return 0, err
	}
	r.MadeAt = now
	files, err := s.Render(ctx, r, u.Lang)
	if err != nil {
		return 0, err
	}
	return s.cfg.Store.SaveReports(ctx, []Run{{UserID: u.ID, Kind: d.Kind, Period: d.Period, Snapshot: r, Files: files}})
}

// sendResellers makes the weekly summaries of every reseller who had any activity last week, on
// Mondays from 07:00 in the store's zone, once.
func (s *Service) sendResellers(ctx context.Context, now time.Time) (int, error) {
	moment, p := lastMoment(ResellerWeekly, now, s.cfg.Zone)
	if now.Sub(moment) >= Window {
		return 0, nil
	}
	done, err := s.cfg.Store.BatchSent(ctx, ResellerWeekly, p.Start)
	if err != nil || done {
		return 0, err
	}
	figs, err := s.cfg.Store.ResellerFigures(ctx, 0, p, Month(p.End.Add(-time.Nanosecond), p.Zone))
	if err != nil {
		return 0, err
	}
	runs := make([]Run, len(figs))
	for i, f := range figs {
		runs[i] = Run{UserID: f.User.ID, Kind: ResellerWeekly, Period: p, Snapshot: f,
			Files: Files{Text: ResellerText(f, f.User.Lang, true)}}
	}
	return s.cfg.Store.SaveReports(ctx, runs)
}
