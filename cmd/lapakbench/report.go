package main

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Targets.
const (
	minRatio = 0.5                   // Lapak's updates/s at least this share of the bare handler's
	maxP99   = 50 * time.Millisecond // Lapak's p99 at the latency phase's rate at most this
)

func (r *trial) failures() (n int, first error) {
	for _, err := range r.errs {
		if err != nil {
			if n++; first == nil {
				first = err
			}
		}
	}
	return n, first
}

// perSecond is how many updates were answered per second.
func (r *trial) perSecond() float64 {
	failed, _ := r.failures()
	return float64(len(r.items)-failed) / r.elapsed.Seconds()
}

// percentile returns the latency that p of the answered updates stayed within (nearest rank).
func (r *trial) percentile(p float64) time.Duration {
	var answered []time.Duration
	for i, d := range r.latencies {
		if r.errs[i] == nil {
			answered = append(answered, d)
		}
	}
	if len(answered) == 0 {
		return 0
	}
	slices.Sort(answered)
	rank := int(math.Ceil(p*float64(len(answered)))) - 1
	return answered[min(max(rank, 0), len(answered)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// round is one throughput round: lapak's trial, then the bare handler's on the same updates.
type round struct{ lapak, bare *trial }

func (r round) ratio() float64 { return r.lapak.perSecond() / r.bare.perSecond() }

// median returns the round with the median ratio (the lower middle one of an even count).
func median(rounds []round) round {
	sorted := slices.Clone(rounds)
	slices.SortFunc(sorted, func(a, b round) int { return cmp.Compare(a.ratio(), b.ratio()) })
	return sorted[(len(sorted)-1)/2]
}

// report prints the table and a verdict per target. Throughput is the median round's.
func (b *bench) report(rounds []round, lapakAt, bareAt *trial) {
	o := b.opts
	fmt.Fprintf(b.out, "\nLapak's Telegram webhook vs a bare go-telegram-bot-api echo handler, same fake Bot API\n")
	fmt.Fprintf(b.out, "machine   %d CPUs, GOMAXPROCS %d, %s %s/%s; PostgreSQL %s, Redis %s, all on this machine\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, b.stores.postgresVer, b.stores.redisVer)
	fmt.Fprintf(b.out, "load      1-minute load average %s before the phases, %s after: other work on the machine skews the figures\n", b.loadBefore, loadAverage())
	fmt.Fprintf(b.out, "workload  %d chats warmed with /start; measured updates alternate /menu and /help in each chat\n", o.users)
	fmt.Fprintf(b.out, "pacing    TELEGRAM_MAX_PER_SECOND=%d instead of Telegram's ~30/s: the limiter still runs, with its Redis\n", maxPerSecond)
	fmt.Fprintf(b.out, "          round trips, but never waits; updates are spread so no chat goes past 1 message/s, bursts of 3\n")
	ratios := make([]string, len(rounds))
	for i, r := range rounds {
		ratios[i] = fmt.Sprintf("%.2f×", r.ratio())
	}
	fmt.Fprintf(b.out, "rounds    %d throughput rounds, lapak then bare in each; lapak/bare per round: %s; the median round is shown\n\n",
		len(rounds), strings.Join(ratios, ", "))
	mid := median(rounds)
	lapakMax, bareMax, ratio := mid.lapak, mid.bare, mid.ratio()
	row := func(label, lapak, bare, ratio string) {
		fmt.Fprintf(b.out, "%-44s %10s %10s %10s\n", label, lapak, bare, ratio)
	}
	row("", "lapak", "bare", "lapak/bare")
	row(fmt.Sprintf("updates/s, %d updates, %d in flight", o.updates, o.concurrency),
		fmt.Sprintf("%.0f", lapakMax.perSecond()), fmt.Sprintf("%.0f", bareMax.perSecond()), fmt.Sprintf("%.2f×", ratio))
	for _, p := range []float64{0.50, 0.99} {
		row(fmt.Sprintf("  latency p%.0f, %d in flight", p*100, o.concurrency), ms(lapakMax.percentile(p)), ms(bareMax.percentile(p)), "")
	}
	for _, p := range []float64{0.50, 0.95, 0.99, 1} {
		row(fmt.Sprintf("latency %s at %d/s, %d updates", quantile(p), o.rate, len(lapakAt.items)), ms(lapakAt.percentile(p)), ms(bareAt.percentile(p)), "")
	}
	fmt.Fprintf(b.out, "\n%s  throughput: lapak handles %.2f× the bare handler's updates/s (median of %d rounds; target ≥ %.2f×)\n", verdict(ratio >= minRatio), ratio, len(rounds), minRatio)
	p99 := lapakAt.percentile(0.99)
	fmt.Fprintf(b.out, "%s  latency: lapak's p99 is %s at %d updates/s (target ≤ %s)\n", verdict(p99 <= maxP99), ms(p99), o.rate, ms(maxP99))
}

// loadAverage is the machine's 1-minute load average, or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if fields := strings.Fields(string(data)); err == nil && len(fields) > 0 {
		return fields[0]
	}
	return "unknown"
}

func quantile(p float64) string {
	if p == 1 {
		return "max"
	}
	return fmt.Sprintf("p%.0f", p*100)
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}
