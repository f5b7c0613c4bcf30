// Package progress reports the progress of a long job with a known total, such
// as the cells of a grid search, on a terminal or in a log.
//
// On a terminal a Reporter redraws one line with a carriage return:
//
//	wheel-spy [========>           ] 412/1000 41% 37.2 cells/s ETA 16s
//
// Elsewhere (CI logs, Slurm output files, a pipe) it writes a plain line at most
// every Interval and at each 10% step:
//
//	wheel-spy: 412/1000 cells (41%), 37.2 cells/s, ETA 16s
//
// The rate counts only the work done since the Reporter was made (Add), not the
// units counted as done without work (Skip, such as cells a resumed run already
// has), so the ETA of a resumed run is not flattered by what it skipped.
//
// A Reporter starts no goroutine: it redraws inside Add and Skip when enough
// time has passed since it last wrote.
package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"
)

// Mode selects how a Reporter shows progress.
type Mode int

const (
	// Auto is Bar when the writer is a terminal and Lines otherwise.
	Auto Mode = iota
	// Bar redraws one line in place with a carriage return.
	Bar
	// Lines writes a new line at most every Interval and at each 10% step.
	Lines
	// Off writes nothing.
	Off
)

// String returns the mode's name: "auto", "bar", "lines" or "off".
func (m Mode) String() string {
	switch m {
	case Auto:
		return "auto"
	case Bar:
		return "bar"
	case Lines:
		return "lines"
	case Off:
		return "off"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Default intervals between writes, used when Options.Interval is zero.
const (
	DefaultBarInterval   = 200 * time.Millisecond
	DefaultLinesInterval = 10 * time.Second
)

// barWidth is the number of characters between the bar's brackets.
const barWidth = 20

// Options configures a Reporter. The zero value is usable.
type Options struct {
	// Label starts every line, e.g. the grid's name; empty for none.
	Label string
	// Unit names what is counted, plural; "cells" when empty.
	Unit string
	// Mode is how progress is shown; Auto by default.
	Mode Mode
	// Interval is the least time between two writes (except the 10% steps of
	// Lines and the final line); DefaultBarInterval or DefaultLinesInterval
	// when zero.
	Interval time.Duration
	// Now returns the current time; time.Now when nil. Tests inject a clock.
	Now func() time.Time
}

// Reporter shows the progress of a job with a known total. Its methods may be
// called from several goroutines. A nil *Reporter does nothing.
type Reporter struct {
	w        io.Writer
	total    int
	label    string
	unit     string
	mode     Mode
	interval time.Duration
	now      func() time.Time
	start    time.Time

	mu       sync.Mutex
	done     int       // units of work done this session (Add)
	skipped  int       // units counted as done without work (Skip)
	last     time.Time // time of the last write
	drawn    bool      // something has been written
	width    int       // Bar: length of the longest line drawn, to blank leftovers
	step     int       // Lines: highest 10% step written
	finished bool      // Done was called
}

// New returns a Reporter that shows progress of a job of total units on w.
// Nothing is written until the first Add or Skip.
func New(w io.Writer, total int, opt Options) *Reporter {
	r := &Reporter{w: w, total: total, label: opt.Label, unit: opt.Unit, mode: opt.Mode,
		interval: opt.Interval, now: opt.Now}
	if r.unit == "" {
		r.unit = "cells"
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.mode == Auto {
		r.mode = Lines
		if isTerminal(w) {
			r.mode = Bar
		}
	}
	if r.interval <= 0 {
		r.interval = DefaultLinesInterval
		if r.mode == Bar {
			r.interval = DefaultBarInterval
		}
	}
	if r.mode != Off {
		r.start = r.now()
		r.last = r.start
	}
	return r
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Mode returns the mode in use: Bar, Lines or Off (Auto resolved).
func (r *Reporter) Mode() Mode {
	if r == nil {
		return Off
	}
	return r.mode
}

// Add records n more units of work done.
func (r *Reporter) Add(n int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done += n
	r.update()
}

// Skip records n units counted as done without work, such as cells a resumed
// run finds already present. They count toward the total but not the rate.
func (r *Reporter) Skip(n int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skipped += n
	r.update()
}

// Done writes the final line: the count, the rate and the time taken (and how
// many units were skipped, if any). Later calls do nothing, and so do Add and
// Skip after it.
func (r *Reporter) Done() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	r.finished = true
	if r.mode == Off {
		return
	}
	now := r.now()
	word := "done in"
	if r.done+r.skipped < r.total {
		word = "stopped after"
	}
	tail := word + " " + formatSeconds(now.Sub(r.start).Seconds())
	if r.skipped > 0 {
		tail += fmt.Sprintf(" (%d skipped)", r.skipped)
	}
	if r.mode == Bar {
		r.draw(r.barLine(now, tail))
		io.WriteString(r.w, "\n")
		return
	}
	fmt.Fprintln(r.w, r.linesLine(now, tail))
}

// update writes a line if one is due; r.mu is held.
func (r *Reporter) update() {
	if r.mode == Off || r.finished {
		return
	}
	now := r.now()
	switch r.mode {
	case Bar:
		if !r.drawn || now.Sub(r.last) >= r.interval {
			r.draw(r.barLine(now, "ETA "+r.eta(now)))
			r.last = now
		}
	case Lines:
		step := r.step10()
		if step > r.step && step < 10 || now.Sub(r.last) >= r.interval {
			fmt.Fprintln(r.w, r.linesLine(now, "ETA "+r.eta(now)))
			r.last, r.drawn = now, true
			r.step = max(r.step, step)
		}
	}
}

// draw rewrites the bar line, blanking what is left of a longer earlier line.
func (r *Reporter) draw(line string) {
	pad := ""
	if n := len(line); n < r.width {
		pad = strings.Repeat(" ", r.width-n)
	} else {
		r.width = n
	}
	io.WriteString(r.w, "\r"+line+pad)
	r.drawn = true
}

// barLine is "label [====>     ] 412/1000 41% 37.2 cells/s " + tail.
func (r *Reporter) barLine(now time.Time, tail string) string {
	filled := barWidth
	if r.total > 0 {
		filled = min(max(r.completed()*barWidth/r.total, 0), barWidth)
	}
	bar := strings.Repeat("=", filled)
	if filled < barWidth {
		bar += ">" + strings.Repeat(" ", barWidth-filled-1)
	}
	prefix := ""
	if r.label != "" {
		prefix = r.label + " "
	}
	return fmt.Sprintf("%s[%s] %d/%d %d%% %s %s", prefix, bar, r.completed(), r.total, r.percent(), r.rateText(now), tail)
}

// linesLine is "label: 412/1000 cells (41%), 37.2 cells/s, " + tail.
func (r *Reporter) linesLine(now time.Time, tail string) string {
	prefix := ""
	if r.label != "" {
		prefix = r.label + ": "
	}
	return fmt.Sprintf("%s%d/%d %s (%d%%), %s, %s", prefix, r.completed(), r.total, r.unit, r.percent(), r.rateText(now), tail)
}

func (r *Reporter) completed() int { return r.done + r.skipped }

// percent is the whole percentage completed, rounded down and at most 100.
func (r *Reporter) percent() int {
	if r.total <= 0 {
		return 100
	}
	return min(max(r.completed()*100/r.total, 0), 100)
}

// step10 is the number of whole 10% steps completed.
func (r *Reporter) step10() int { return r.percent() / 10 }

// rate is units of work per second this session; ok is false before any.
func (r *Reporter) rate(now time.Time) (rate float64, ok bool) {
	s := now.Sub(r.start).Seconds()
	if r.done <= 0 || s <= 0 {
		return 0, false
	}
	return float64(r.done) / s, true
}

func (r *Reporter) rateText(now time.Time) string {
	if v, ok := r.rate(now); ok {
		return fmt.Sprintf("%.1f %s/s", v, r.unit)
	}
	return "-- " + r.unit + "/s"
}

// eta is the time left at the current rate, "--" before there is a rate.
func (r *Reporter) eta(now time.Time) string {
	v, ok := r.rate(now)
	if !ok {
		return "--"
	}
	return formatSeconds(float64(max(r.total-r.completed(), 0)) / v)
}

// formatSeconds writes s rounded to the second: "16s", "2m05s", "3h07m".
func formatSeconds(s float64) string {
	if math.IsNaN(s) || s > 1e9 {
		return "--"
	}
	n := int64(math.Round(max(s, 0)))
	switch {
	case n < 60:
		return fmt.Sprintf("%ds", n)
	case n < 3600:
		return fmt.Sprintf("%dm%02ds", n/60, n%60)
	}
	return fmt.Sprintf("%dh%02dm", n/3600, n%3600/60)
}
