package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source for Options.Now.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	tick time.Duration // added after each reading
}

func newClock() *clock { return &clock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.tick)
	return t
}

// at sets the clock to start+d.
func (c *clock) at(start time.Time, d time.Duration) {
	c.mu.Lock()
	c.t = start.Add(d)
	c.mu.Unlock()
}

func TestBar(t *testing.T) {
	c := newClock()
	t0 := c.t
	var buf bytes.Buffer
	r := New(&buf, 1000, Options{Label: "wheel-spy", Mode: Bar, Now: c.now})
	if r.Mode() != Bar || r.interval != 200*time.Millisecond {
		t.Fatalf("mode %v interval %v", r.Mode(), r.interval)
	}
	steps := []struct {
		at   time.Duration
		skip bool
		n    int
		want string // what this step writes
	}{
		// A resumed run skips 100 cells: 100*20/1000 = 2 bar cells, 10%, no work yet
		// so no rate and no ETA. The first call always draws.
		{500 * time.Millisecond, true, 100, "\rwheel-spy [==>                 ] 100/1000 10% -- cells/s ETA --"},
		// 0.1s after the last draw: under the 200ms interval, nothing.
		{600 * time.Millisecond, false, 5, ""},
		// 10 done in 1s: 10.0 cells/s; 1000-110 = 890 left / 10 = 89s = 1m29s;
		// 110*20/1000 = 2 bar cells, 11%.
		{1 * time.Second, false, 5, "\rwheel-spy [==>                 ] 110/1000 11% 10.0 cells/s ETA 1m29s"},
		// 200 done in 2.5s: 80.0 cells/s; 700 left / 80 = 8.75s -> 9s; 300*20/1000 = 6
		// bar cells. The tail "300/1000 30% 80.0 cells/s ETA 9s" (32 chars) is 3
		// shorter than "110/1000 11% 10.0 cells/s ETA 1m29s" (35): 3 blanks.
		{2500 * time.Millisecond, false, 190, "\rwheel-spy [======>             ] 300/1000 30% 80.0 cells/s ETA 9s   "},
		// 900 done in 10s: 90.0 cells/s, nothing left: ETA 0s; full bar; tail of 34
		// chars: 1 blank.
		{10 * time.Second, false, 700, "\rwheel-spy [====================] 1000/1000 100% 90.0 cells/s ETA 0s "},
	}
	for i, s := range steps {
		c.at(t0, s.at)
		buf.Reset()
		if s.skip {
			r.Skip(s.n)
		} else {
			r.Add(s.n)
		}
		if got := buf.String(); got != s.want {
			t.Errorf("step %d:\ngot  %q\nwant %q", i, got, s.want)
		}
	}
	buf.Reset()
	r.Done()
	want := "\rwheel-spy [====================] 1000/1000 100% 90.0 cells/s done in 10s (100 skipped)\n"
	if got := buf.String(); got != want {
		t.Errorf("Done:\ngot  %q\nwant %q", got, want)
	}
	buf.Reset()
	r.Add(1)
	r.Done()
	if buf.Len() != 0 {
		t.Errorf("after Done: %q", buf.String())
	}
}

func TestLines(t *testing.T) {
	c := newClock()
	t0 := c.t
	var buf bytes.Buffer
	r := New(&buf, 1000, Options{Label: "wheel-spy", Now: c.now}) // Auto on a buffer: Lines, every 10s
	if r.Mode() != Lines || r.interval != 10*time.Second {
		t.Fatalf("mode %v interval %v", r.Mode(), r.interval)
	}
	steps := []struct {
		at   time.Duration
		skip bool
		n    int
		want string
	}{
		// 5%, 1s: no 10% step crossed, interval not reached.
		{1 * time.Second, false, 50, ""},
		// 110 = 11% crosses the 10% step. 110 in 2s = 55.0/s; 890/55 = 16.2s -> 16s.
		{2 * time.Second, false, 60, "wheel-spy: 110/1000 cells (11%), 55.0 cells/s, ETA 16s\n"},
		// 11.5%, 3s after the last line: nothing.
		{5 * time.Second, false, 5, ""},
		// 10s after the last line (at 2s). 120 in 12s = 10.0/s; 880/10 = 88s = 1m28s.
		{12 * time.Second, false, 5, "wheel-spy: 120/1000 cells (12%), 10.0 cells/s, ETA 1m28s\n"},
		// Skipping 700 jumps to 82%, crossing steps 2..8: one line. The rate still
		// counts only the 120 done: 120/14 = 8.571 -> 8.6/s; 180 left / (120/14)
		// = 180*14/120 = 21s.
		{14 * time.Second, true, 700, "wheel-spy: 820/1000 cells (82%), 8.6 cells/s, ETA 21s\n"},
	}
	for i, s := range steps {
		c.at(t0, s.at)
		buf.Reset()
		if s.skip {
			r.Skip(s.n)
		} else {
			r.Add(s.n)
		}
		if got := buf.String(); got != s.want {
			t.Errorf("step %d:\ngot  %q\nwant %q", i, got, s.want)
		}
	}
	// Stopped short of the total at 20s: 120/20 = 6.0/s.
	c.at(t0, 20*time.Second)
	buf.Reset()
	r.Done()
	want := "wheel-spy: 820/1000 cells (82%), 6.0 cells/s, stopped after 20s (700 skipped)\n"
	if got := buf.String(); got != want {
		t.Errorf("Done:\ngot  %q\nwant %q", got, want)
	}
}

// TestConcurrentAdd adds from 8 goroutines while the clock moves 1ms per
// reading. Every reading happens under the Reporter's lock, so the output is
// the same whatever the interleaving: New reads t0, the k-th Add reads t0+k ms.
func TestConcurrentAdd(t *testing.T) {
	c := newClock()
	c.tick = time.Millisecond
	var buf bytes.Buffer
	r := New(&buf, 8000, Options{Label: "load", Mode: Lines, Now: c.now})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				r.Add(1)
			}
		})
	}
	wg.Wait()
	r.Done()
	// At 800k units (k = 1..9) the time is 0.8k s: 1000.0/s, and the 8000-800k
	// left take 8-0.8k s: 7.2, 6.4, 5.6, 4.8, 4.0, 3.2, 2.4, 1.6, 0.8 -> rounded.
	// 100% is left to Done, read at 8.001s: 8000/8.001 = 999.875 -> 999.9/s.
	want := "load: 800/8000 cells (10%), 1000.0 cells/s, ETA 7s\n" +
		"load: 1600/8000 cells (20%), 1000.0 cells/s, ETA 6s\n" +
		"load: 2400/8000 cells (30%), 1000.0 cells/s, ETA 6s\n" +
		"load: 3200/8000 cells (40%), 1000.0 cells/s, ETA 5s\n" +
		"load: 4000/8000 cells (50%), 1000.0 cells/s, ETA 4s\n" +
		"load: 4800/8000 cells (60%), 1000.0 cells/s, ETA 3s\n" +
		"load: 5600/8000 cells (70%), 1000.0 cells/s, ETA 2s\n" +
		"load: 6400/8000 cells (80%), 1000.0 cells/s, ETA 2s\n" +
		"load: 7200/8000 cells (90%), 1000.0 cells/s, ETA 1s\n" +
		"load: 8000/8000 cells (100%), 999.9 cells/s, done in 8s\n"
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestModes(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, 10, Options{Mode: Off})
	r.Skip(3)
	r.Add(7)
	r.Done()
	if buf.Len() != 0 {
		t.Errorf("Off wrote %q", buf.String())
	}

	var none *Reporter // a nil Reporter does nothing
	none.Add(1)
	none.Skip(1)
	none.Done()
	if none.Mode() != Off {
		t.Errorf("nil Reporter mode %v", none.Mode())
	}

	// Auto: a regular file gets lines, a character device (as a terminal is)
	// the bar.
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if m := New(f, 1, Options{}).Mode(); m != Lines {
		t.Errorf("Auto on a regular file: %v, want lines", m)
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if m := New(null, 1, Options{}).Mode(); m != Bar {
		t.Errorf("Auto on %s: %v, want bar", os.DevNull, m)
	}

	// No label, another unit, a total of zero counts as complete.
	c := newClock()
	t0 := c.t
	r = New(&buf, 0, Options{Mode: Bar, Unit: "days", Now: c.now})
	c.at(t0, 2*time.Second)
	r.Add(4) // 4 days in 2s: 2.0/s; nothing left
	r.Done()
	want := "\r[====================] 4/0 100% 2.0 days/s ETA 0s" +
		"\r[====================] 4/0 100% 2.0 days/s done in 2s\n"
	if got := buf.String(); got != want {
		t.Errorf("total 0:\ngot  %q\nwant %q", got, want)
	}
}

func TestFormatSeconds(t *testing.T) {
	for _, tt := range []struct {
		s    float64
		want string
	}{
		{0, "0s"},
		{-3, "0s"},
		{59.4, "59s"},
		{59.5, "1m00s"}, // rounds up to 60s
		{125, "2m05s"},  // 2*60 + 5
		{3599.6, "1h00m"},
		{3*3600 + 7*60 + 59, "3h07m"}, // minutes are truncated
		{1e10, "--"},
	} {
		if got := formatSeconds(tt.s); got != tt.want {
			t.Errorf("formatSeconds(%v) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{Auto: "auto", Bar: "bar", Lines: "lines", Off: "off", 7: "Mode(7)"} {
		if got := m.String(); got != want {
			t.Errorf("%d: %q, want %q", int(m), got, want)
		}
	}
}
