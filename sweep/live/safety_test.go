package live

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alpacahq/alpaca-trade-api-go/v3/alpaca"
	"github.com/shopspring/decimal"

	"github.com/optsweep/sweep/ingest/market"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

func TestCheckTarget(t *testing.T) {
	cases := []struct {
		t        Target
		got      string
		gotPaper bool
		want     string // "" for accepted, else part of the error
	}{
		{Target{Mode: "paper", Broker: "paper"}, "", false, ""},
		{Target{Mode: "dry", Broker: "alpaca", BaseURL: AlpacaLiveURL}, "", false, ""},
		{Target{Mode: "paper", Broker: "alpaca", BaseURL: AlpacaPaperURL}, "PA123", true, ""},
		{Target{Mode: "live", Broker: "alpaca", BaseURL: AlpacaLiveURL, Account: "123", Confirmed: true}, "123", false, ""},
		{Target{Mode: "live", Broker: "ibkr", Account: "U1234567", Confirmed: true}, "", false, ""},
		{Target{Mode: "yolo"}, "", false, "want dry, paper or live"},
		{Target{Mode: "live", Broker: "alpaca", BaseURL: AlpacaLiveURL, Account: "123"}, "", false, "add --live"},
		{Target{Mode: "live", Broker: "alpaca", BaseURL: AlpacaLiveURL, Confirmed: true}, "", false, "needs --account"},
		{Target{Mode: "live", Broker: "paper", Account: "x", Confirmed: true}, "", false, "paper broker"},
		{Target{Mode: "live", Broker: "alpaca", BaseURL: AlpacaPaperURL, Account: "1", Confirmed: true}, "", false, "refuses the paper URL"},
		{Target{Mode: "live", Broker: "ibkr", Account: "DU123456", Confirmed: true}, "", false, "IBKR paper account"},
		{Target{Mode: "paper", Broker: "alpaca", BaseURL: AlpacaLiveURL}, "", false, "refuses the live URL"},
		{Target{Mode: "paper", Broker: "ibkr", Account: "U1234567"}, "", false, "IBKR live account"},
		{Target{Mode: "paper", Broker: "paper", Confirmed: true}, "", false, "--live given with --mode paper"},
		{Target{Mode: "live", Broker: "alpaca", BaseURL: AlpacaLiveURL, Account: "123", Confirmed: true}, "PA9", true, "not the --account"},
		{Target{Mode: "live", Broker: "alpaca", BaseURL: AlpacaLiveURL, Account: "PA9", Confirmed: true}, "PA9", true, "is a paper account"},
		{Target{Mode: "paper", Broker: "alpaca", BaseURL: AlpacaPaperURL}, "123", false, "is a live account"},
	}
	for _, c := range cases {
		err := CheckTarget(c.t, c.got, c.gotPaper)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: refused: %v", c.t, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: error %v, want one saying %q", c.t, err, c.want)
		}
	}
}

// onceAlpaca runs the wheel's decision of d at the fake exchange x.
func onceAlpaca(t *testing.T, st *market.Store, x *exchange, journal string, d string, tweak func(*Options)) (*Outcome, error) {
	t.Helper()
	j, err := OpenJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	built, err := strategy.Build("wheel", nil)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Run: Run{ID: "safety", Strategy: "wheel", Symbols: []string{"SPY"}, Params: built.Params, Broker: "alpaca",
		Mode: ModePaper, Cash: built.Exec.Cash}, Built: built, Store: st, Journal: j, Broker: NewAlpaca(x.client()), Model: feed.DefaultOptions()}
	if tweak != nil {
		tweak(&o)
	}
	return Once(context.Background(), o, day(d))
}

// TestReconcile: a position at the broker the book does not know stops new
// entries, with the difference said; --adopt imports it and trading goes on.
func TestReconcile(t *testing.T) {
	st := testStore(t)
	for _, adopt := range []bool{false, true} {
		x := newExchange()
		x.positions["SPY240216P00400000"] = decimal.NewFromInt(-3)
		x.avg["SPY240216P00400000"] = decimal.NewFromFloat(2.5)
		out, err := onceAlpaca(t, st, x, filepath.Join(t.TempDir(), "j.duckdb"), "2024-01-02", func(o *Options) { o.Adopt = adopt })
		x.srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		rec := out.Ticks[0]
		msgs := strings.Join(rec.Messages, "\n")
		if !adopt {
			if len(rec.Fills) != 0 || len(rec.Refusals) == 0 || !strings.Contains(rec.Refusals[0].Why, "entries stopped") ||
				!strings.Contains(msgs, "SPY 2024-02-16 P 400: book +0, broker -3") {
				t.Errorf("without --adopt: fills %d, refusals %v, messages %q", len(rec.Fills), rec.Refusals, msgs)
			}
			if x.posts != 0 {
				t.Errorf("%d orders sent with entries stopped", x.posts)
			}
			continue
		}
		if !strings.Contains(msgs, "adopted SPY 2024-02-16 P 400") || len(rec.Fills) == 0 || out.Stopped != "" {
			t.Errorf("with --adopt: messages %q, %d fills, stopped %q", msgs, len(rec.Fills), out.Stopped)
		}
		found := false
		for _, h := range slive.Holdings(out.Book) {
			if h.Key() == "SPY 2024-02-16 P 400" && h.Qty == -3 {
				found = true
			}
		}
		if !found {
			t.Errorf("the adopted position is not in the book: %v", slive.Holdings(out.Book))
		}
	}
}

// TestKillSwitch: with the kill switch set, a tick cancels the broker's open
// orders, sends nothing and says so.
func TestKillSwitch(t *testing.T) {
	st := testStore(t)
	x := newExchange()
	defer x.srv.Close()
	q, lim := decimal.NewFromInt(1), decimal.NewFromFloat(1.05)
	x.mu.Lock()
	x.newOrder(&alpaca.PlaceOrderRequest{Symbol: "SPY240216P00400000", Qty: &q, Side: alpaca.Sell, Type: alpaca.Limit,
		TimeInForce: alpaca.Day, LimitPrice: &lim, ClientOrderID: "left-over"})
	x.mu.Unlock()
	kill := filepath.Join(t.TempDir(), "kill")
	if err := os.WriteFile(kill, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := onceAlpaca(t, st, x, filepath.Join(t.TempDir(), "j.duckdb"), "2024-01-02", func(o *Options) {
		o.Kill = func() bool { _, err := os.Stat(kill); return err == nil }
	})
	if !errors.Is(err, slive.ErrKilled) {
		t.Fatalf("error %v, want the kill switch", err)
	}
	if x.orders["ord-0001"].Status != "canceled" || x.posts != 0 {
		t.Errorf("left-over order %s, %d orders sent", x.orders["ord-0001"].Status, x.posts)
	}
	if out == nil || len(out.Ticks) != 1 || !strings.Contains(strings.Join(out.Ticks[0].Messages, "\n"), "cancelled left-over") {
		t.Errorf("the tick does not journal the cancel: %+v", out)
	}
}
