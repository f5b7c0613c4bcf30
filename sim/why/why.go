// Package why explains why a strategy trades rarely: it reads the decision
// log a run's strategy wrote (sim.Note, the results DB's decisions table) and
// counts, for each gate or filter that turned an entry down, on how many
// sessions it did. A user then reads "regime gate (bear_trend) on 489 of 502
// sessions" rather than an empty report.
//
// Each seed strategy logs its rejections in its own words; Diagnose knows the
// forms: optimus's ENTRY_EVAL gate lines (the failed gate and the value that
// failed most), ivrank's ENTRY_EVAL and earnings' EARNINGS_EVAL reasons, the
// CSP scanner's equity and options failures and its VIX deployment, the
// wheel's empty candidate lists and buying-power skips, and the monthly
// condor's VIX trigger (it logs only the days it fires, so the other sessions
// count as "no VIX spike"). Numbers in a reason are masked so that one reason
// with different values counts once; an example keeps the values of its first
// occurrence.
package why

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/optsweep/sweep/sim"
)

// Reason is one gate or filter and the sessions on which it rejected.
type Reason struct {
	Key      string // the reason with its numbers masked, e.g. "optimus gate regime (bear_trend)"
	Example  string // its first occurrence, values included
	Sessions int    // sessions on which it rejected at least once
}

// Diagnosis is what a run's decision log says about its entries.
type Diagnosis struct {
	Sessions int      // sessions in the run
	Reasons  []Reason // most sessions first, then by key
}

// Top returns the reason that rejected on the most sessions, and false when
// the log names none.
func (d *Diagnosis) Top() (Reason, bool) {
	if len(d.Reasons) == 0 {
		return Reason{}, false
	}
	return d.Reasons[0], true
}

// Lines returns the top n reasons as "KEY on S of N sessions (e.g. EXAMPLE)".
func (d *Diagnosis) Lines(n int) []string {
	var out []string
	for _, r := range d.Reasons[:min(n, len(d.Reasons))] {
		line := fmt.Sprintf("%s on %d of %d sessions", r.Key, r.Sessions, d.Sessions)
		if r.Example != "" && r.Example != r.Key {
			line += fmt.Sprintf(" (e.g. %q)", r.Example)
		}
		out = append(out, line)
	}
	return out
}

// Rare is the trade count below which a run's report explains itself: a
// strategy that closed fewer trades than this gets a "why no trade" section.
const Rare = 10

var (
	number  = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}|[-+]?\$?[0-9][0-9,]*(\.[0-9]+)?%?|NaN`)
	failed  = regexp.MustCompile(`signal=NO_TRADE failed=(\S+)`)
	gate    = regexp.MustCompile(`name=(\S+) value=(\S+) .*result=FAIL`)
	optFail = regexp.MustCompile(`0 passed; failed: ([^;]*)`)
)

// mask replaces the values in s with '#': numbers, except those right after
// a letter or an opening parenthesis, which name a setting (SMA(20), SMA8).
func mask(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range number.FindAllStringIndex(s, -1) {
		if m[0] > 0 {
			if c := s[m[0]-1]; c == '(' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				continue
			}
		}
		b.WriteString(s[last:m[0]])
		b.WriteByte('#')
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// Diagnose reads the decision log of one run of strategy over sessions
// sessions.
func Diagnose(strategy string, sessions int, notes []sim.Note) Diagnosis {
	c := counter{days: map[string]map[int32]bool{}, example: map[string]string{}}
	gateValue := map[string]map[string]int{} // optimus: gate -> failing value -> count
	gateExample := map[string]string{}
	spikes := map[int32]bool{}
	for _, n := range notes {
		switch {
		case n.Kind == "ENTRY_EVAL" && strings.Contains(n.Text, "result=FAIL"):
			if m := gate.FindStringSubmatch(n.Text); m != nil {
				if gateValue[m[1]] == nil {
					gateValue[m[1]] = map[string]int{}
					gateExample[m[1]] = n.Text
				}
				gateValue[m[1]][mask(m[2])]++
			}
		case n.Kind == "ENTRY_EVAL" && strings.Contains(n.Text, "result=PASS"):
			// a gate passed: not a rejection
		case n.Kind == "ENTRY_EVAL" && failed.MatchString(n.Text):
			c.add(n.Day, "optimus gate "+failed.FindStringSubmatch(n.Text)[1], "")
		case n.Kind == "WARMUP":
			c.add(n.Day, "warm-up (indicators not ready)", n.Text)
		case n.Kind == "ENTRY_EVAL" || n.Kind == "EARNINGS_EVAL":
			c.add(n.Day, after(n.Text), after(n.Text))
		case n.Kind == "equity" && strings.HasPrefix(n.Text, "fail: "):
			for _, r := range strings.Split(strings.TrimPrefix(n.Text, "fail: "), "; ") {
				c.add(n.Day, "equity filter: "+r, r)
			}
		case n.Kind == "options" && optFail.MatchString(n.Text):
			for _, r := range strings.Split(optFail.FindStringSubmatch(n.Text)[1], ", ") {
				c.add(n.Day, "options filter: "+strings.TrimRight(strings.TrimRight(r, "0123456789"), " "), n.Text)
			}
		case n.Kind == "entry" && strings.HasPrefix(n.Text, "no cash to deploy"):
			c.add(n.Day, "no cash to deploy (VIX deployment table)", n.Text)
		case n.Kind == "candidates" && strings.HasPrefix(n.Text, "0 "):
			c.add(n.Day, "no candidate: "+n.Text, n.Text)
		case n.Kind == "buying_power":
			c.add(n.Day, "not enough buying power", n.Text)
		case n.Kind == "SKIP":
			c.add(n.Day, "entry skipped: "+n.Text, n.Text)
		case n.Kind == "VIX_SPIKE":
			spikes[n.Day] = true
		}
	}
	d := Diagnosis{Sessions: sessions}
	for key, days := range c.days {
		k, ex := key, c.example[key]
		if g, ok := strings.CutPrefix(key, "optimus gate "); ok {
			ex = gateExample[g]
			if v := mostCommon(gateValue[g]); v != "" && v != "#" {
				k = fmt.Sprintf("%s (most often %s)", key, v)
			}
		}
		d.Reasons = append(d.Reasons, Reason{Key: k, Example: ex, Sessions: len(days)})
	}
	if strategy == "condor-monthly" && sessions > len(spikes) {
		d.Reasons = append(d.Reasons, Reason{Key: "no VIX spike (vix_spike_pct not reached)", Sessions: sessions - len(spikes)})
	}
	d.Reasons = merge(d.Reasons)
	sort.Slice(d.Reasons, func(i, j int) bool {
		a, b := d.Reasons[i], d.Reasons[j]
		return a.Sessions > b.Sessions || a.Sessions == b.Sessions && a.Key < b.Key
	})
	return d
}

// counter collects the sessions of each reason.
type counter struct {
	days    map[string]map[int32]bool
	example map[string]string
}

func (c *counter) add(day int32, key, example string) {
	key = strings.TrimSpace(key)
	mk := mask(key)
	if c.days[mk] == nil {
		c.days[mk] = map[int32]bool{}
		c.example[mk] = example
	}
	c.days[mk][day] = true
}

// merge keeps one reason per key, with the most sessions: the counter keys
// by masked text already, so only a relabelled optimus gate could repeat one.
func merge(rs []Reason) []Reason {
	seen := map[string]int{}
	var out []Reason
	for _, r := range rs {
		if k, ok := seen[r.Key]; ok {
			out[k].Sessions = max(out[k].Sessions, r.Sessions)
			continue
		}
		seen[r.Key] = len(out)
		out = append(out, r)
	}
	return out
}

// after returns the text after the first ": " (a reason after its context).
func after(s string) string {
	if k := strings.Index(s, ": "); k >= 0 {
		return s[k+2:]
	}
	return s
}

// mostCommon returns the key of m with the largest count ("" for none).
func mostCommon(m map[string]int) string {
	best, n := "", 0
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}
