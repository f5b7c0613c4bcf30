package report

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/sweep/results"
)

// chromium returns the path of a Chromium binary. Without one the test is
// skipped, unless SWEEP_REQUIRE_CHROMIUM is set (as .ci/run sets it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SWEEP_REQUIRE_CHROMIUM") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium) and SWEEP_REQUIRE_CHROMIUM is set")
	}
	t.Skip("chromium is not installed; .ci/run installs it")
	return ""
}

// headless runs Chromium headless on file with extra arguments and returns
// its standard output. The flags keep it off the network and out of the
// user's profile.
func headless(t *testing.T, bin, file string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=3000"}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+file)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errOut.String())
	}
	return out.Bytes()
}

// prelude is injected first in <head>: it records errors, console errors and
// Content-Security-Policy violations (any attempt to fetch something).
const prelude = `<script>window.__errs=[];
window.addEventListener('error',function(e){__errs.push('error: '+e.message)});
document.addEventListener('securitypolicyviolation',function(e){__errs.push('csp: '+e.blockedURI)});
(function(){var ce=console.error;console.error=function(){__errs.push('console: '+Array.prototype.join.call(arguments,' '));ce.apply(console,arguments)}})();
</script>`

// probe is injected last in <body>: it counts the charts and their points,
// sorts a table by its numeric column with the most distinct values, up then
// down, and
// writes what it found as JSON into <pre id="probe">.
const probe = `<script>(function(){
var r={errors:window.__errs,charts:0,points:0,empty:0,small:0,paths:0,sort:null};
document.querySelectorAll('svg.chart').forEach(function(s){
  r.charts++;var n=+s.getAttribute('data-points');r.points+=n;if(!(n>0))r.empty++;
  var b=s.getBoundingClientRect();if(b.width<200||b.height<100)r.small++;
  r.paths+=s.querySelectorAll('path').length;});
var t=document.querySelector('#cells table.sortable')||document.querySelector('#trades table.sortable')||document.querySelector('#metrics table.sortable');
var head=t.tHead.rows[0].cells,col=-1,most=1;
for(var i=0;i<head.length;i++){var seen={},n=0;Array.prototype.forEach.call(t.tBodies[0].rows,function(r){var v=r.cells[i].getAttribute('data-v');if(v&&!seen[v]){seen[v]=1;n++}});if(n>most){most=n;col=i}}
function vals(){return Array.prototype.map.call(t.tBodies[0].rows,function(r){var v=r.cells[col].getAttribute('data-v');return v===''?null:parseFloat(v)})}
function ordered(v,up){for(var i=1;i<v.length;i++){if(v[i]===null)continue;if(v[i-1]===null)return false;if(up?v[i]<v[i-1]:v[i]>v[i-1])return false}return true}
head[col].click();var up=vals();head[col].click();var down=vals();
r.sort={column:head[col].textContent,rows:up.length,ascending:ordered(up,true),descending:ordered(down,false),
  changed:JSON.stringify(up)!==JSON.stringify(down),label:head[col].getAttribute('aria-sort')};
var pre=document.createElement('pre');pre.id='probe';pre.textContent=JSON.stringify(r);document.body.appendChild(pre);
})();</script>`

type probeResult struct {
	Errors                              []string
	Charts, Points, Empty, Small, Paths int
	Sort                                struct {
		Column                         string
		Rows                           int
		Ascending, Descending, Changed bool
		Label                          string
	}
}

var probeRE = regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`)

// TestChromium opens a run, a sweep and a comparison report in headless
// Chromium: no errors and no fetches, every chart drawn with its points at a
// real size, and a table that sorts both ways. It saves a screenshot of each
// under $SWEEP_ARTIFACTS (default: the system's temporary directory).
func TestChromium(t *testing.T) {
	bin := chromium(t)
	db := openFixture(t, func(db *results.DB) {
		c := goldenCell()
		writeCell(t, db, "bt-walk", "backtest", c, walk(1, 500, 0.0005, 0.008, "SPY"), nil)
		c.Key = "bb" + c.Key[2:]
		writeCell(t, db, "bt-walk2", "backtest", c, walk(2, 400, 0.0003, 0.006, "SPY"), nil)
		fillSweep(t, db, "sw-chrome", "SPY", 4, 60)
	})
	ctx := context.Background()
	dir := os.Getenv("SWEEP_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sweep-report-test")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	reports := []struct {
		name      string
		write     func(*bytes.Buffer) error
		minCharts int
	}{
		{"run", func(b *bytes.Buffer) error { return RunReport(ctx, db, b, "results.duckdb", "bt-walk", "sharpe") }, 7},
		{"sweep", func(b *bytes.Buffer) error { return SweepReport(ctx, db, b, "results.duckdb", "sw-chrome", "sharpe") }, 7},
		{"compare", func(b *bytes.Buffer) error {
			return CompareReport(ctx, db, b, "results.duckdb", []string{"bt-walk", "bt-walk2", "sw-chrome"}, "sharpe")
		}, 2},
	}
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := r.write(&b); err != nil {
				t.Fatal(err)
			}
			plain := filepath.Join(dir, r.name+".html")
			if err := os.WriteFile(plain, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			page := strings.Replace(b.String(), "<head>", "<head>"+prelude, 1)
			page = strings.Replace(page, "</body>", probe+"</body>", 1)
			probed := filepath.Join(t.TempDir(), r.name+".html")
			if err := os.WriteFile(probed, []byte(page), 0o644); err != nil {
				t.Fatal(err)
			}
			m := probeRE.FindSubmatch(headless(t, bin, probed, "--dump-dom"))
			if m == nil {
				t.Fatal("the probe did not run (no <pre id=probe> in the DOM)")
			}
			var got probeResult
			if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
				t.Fatalf("probe output %s: %v", m[1], err)
			}
			t.Logf("%s: %+v", r.name, got)
			if len(got.Errors) > 0 {
				t.Errorf("errors in the page: %q", got.Errors)
			}
			if got.Charts < r.minCharts || got.Empty > 0 || got.Small > 0 || got.Paths < got.Charts {
				t.Errorf("charts: %d drawn (want ≥ %d), %d without points, %d too small, %d paths",
					got.Charts, r.minCharts, got.Empty, got.Small, got.Paths)
			}
			if s := got.Sort; s.Rows < 2 || !s.Ascending || !s.Descending || !s.Changed || s.Label != "descending" {
				t.Errorf("sorting by %q over %d rows: ascending %v, descending %v, changed %v, aria-sort %q",
					s.Column, s.Rows, s.Ascending, s.Descending, s.Changed, s.Label)
			}
			shot := filepath.Join(dir, r.name+".png")
			headless(t, bin, plain, "--window-size=1280,3000", "--screenshot="+shot)
			if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
				t.Errorf("screenshot %s: %v", shot, err)
			}
			t.Logf("screenshot: %s", shot)
		})
	}
}
