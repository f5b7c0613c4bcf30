package sim

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestSplitRatios works Book.Split by hand for whole-number, 3-for-2 and
// reverse splits. Each book holds one position: a short 60 put sold at 2.00
// and shares bought at 50, marked at 52.
//
//	4-for-1, 100 shares   4 × the 15 put at 0.50; 400 shares at 12.50
//	3-for-2, 100 shares   1 × the 40 put delivering 150 shares at 1.3333;
//	                      150 shares at 33.3333
//	3-for-2, 101 shares   151 shares; 0.5 share paid in lieu at 52/1.5 = 34.6667:
//	                      cash +17.33, P&L 0.5 × (34.6667 − 33.3333) = +0.67
//	1-for-10, 105 shares  1 × the 600 put delivering 10 shares at 20;
//	                      10 shares at 500; 0.5 share in lieu at 520: cash +260,
//	                      P&L 0.5 × (520 − 500) = +10
//	1-for-10, 5 shares    no share left: 0.5 share in lieu, +260 cash, the stock
//	                      trade closed with P&L +10
//
// Cash plus the position's value is the same before and after every split: the
// cash in lieu only changes the form of the fraction's value.
func TestSplitRatios(t *testing.T) {
	cases := []struct {
		name          string
		ratio         float64
		shares        int
		qty, deliver  int
		strike, price float64
		wantShares    int
		basis         float64
		lieu, pnl     float64
		note          string
	}{
		{"4-for-1", 4, 100, -4, 100, 15, 0.5, 400, 12.5, 0, 0, "4-for-1: 1 legs, 400 shares at basis 12.5000"},
		{"3-for-2", 1.5, 100, -1, 150, 40, 2 / 1.5, 150, 50 / 1.5, 0, 0, "1.5-for-1: 1 legs, 150 shares at basis 33.3333"},
		{"3-for-2 odd lot", 1.5, 101, -1, 150, 40, 2 / 1.5, 151, 50 / 1.5, 0.5 * 52 / 1.5, 0.5 * (52 - 50) / 1.5,
			"1.5-for-1: 1 legs, 151 shares at basis 33.3333, cash in lieu 17.33 for 0.5 shares at 34.6667"},
		{"1-for-10", 0.1, 105, -1, 10, 600, 20, 10, 500, 260, 10,
			"1-for-10: 1 legs, 10 shares at basis 500.0000, cash in lieu 260.00 for 0.5 shares at 520.0000"},
		{"1-for-10 under one share", 0.1, 5, -1, 10, 600, 20, 0, 500, 260, 10,
			"1-for-10: 1 legs, 0 shares at basis 500.0000, cash in lieu 260.00 for 0.5 shares at 520.0000"},
	}
	for _, c := range cases {
		b, p := splitBook(t, c.shares)
		before := b.Cash + p.Value()
		if err := b.Split("XYZ", c.ratio); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		l := p.Legs[0]
		if l.Qty != c.qty || l.Shares() != c.deliver || !approx(l.Contract.Strike, c.strike) || !approx(l.Price, c.price) || !approx(l.Mark, c.price) {
			t.Errorf("%s: leg %d × %v delivering %d at %.4f (mark %.4f); want %d × strike %g delivering %d at %.4f",
				c.name, l.Qty, l.Contract, l.Shares(), l.Price, l.Mark, c.qty, c.strike, c.deliver, c.price)
		}
		if p.Shares != c.wantShares || !approx(p.ShareBasis, c.basis) {
			t.Errorf("%s: %d shares at %.4f, want %d at %.4f", c.name, p.Shares, p.ShareBasis, c.wantShares, c.basis)
		}
		if got := b.Cash - 100_000 + 50*float64(c.shares) - 200; !approx(got, c.lieu) {
			t.Errorf("%s: cash in lieu %.4f, want %.4f", c.name, got, c.lieu)
		}
		st := b.trades[1]
		if !approx(st.Gross, c.pnl) {
			t.Errorf("%s: stock trade P&L %.4f, want %.4f", c.name, st.Gross, c.pnl)
		}
		if closed := st.Closed != 0; closed != (c.wantShares == 0) {
			t.Errorf("%s: stock trade closed %v with %d shares left", c.name, closed, c.wantShares)
		}
		if after := b.Cash + p.Value(); !approx(after, before) {
			t.Errorf("%s: cash + value %.4f before, %.4f after", c.name, before, after)
		}
		var notes []string
		for _, e := range b.Events {
			if e.Kind == EventSplit {
				notes = append(notes, e.Detail)
			}
		}
		if strings.Join(notes, "; ") != c.note {
			t.Errorf("%s: split events %q, want %q", c.name, notes, c.note)
		}
		// What the put delivers if assigned: as many shares and dollars as before.
		if got, want := float64(l.Qty*l.Shares())*l.Contract.Strike, -100*60.0; !approx(got, want) {
			t.Errorf("%s: the put's strike amount %.2f, want %.2f", c.name, got, want)
		}
	}
}

// TestSplitRefusesFractionalDeliverables: a 1-for-3 reverse split would leave
// the put delivering 33⅓ shares; the book is left as it was.
func TestSplitRefusesFractionalDeliverables(t *testing.T) {
	b, p := splitBook(t, 100)
	if err := b.Split("XYZ", 1.0/3); err == nil || !strings.Contains(err.Error(), "not a whole number") {
		t.Errorf("1-for-3: error %v", err)
	}
	if p.Legs[0].Qty != -1 || p.Legs[0].Shares() != 100 || p.Shares != 100 || p.Legs[0].Contract.Strike != 60 {
		t.Errorf("the book changed: %+v", p)
	}
	for _, r := range []float64{0, -2, math.NaN(), math.Inf(1)} {
		if err := b.Split("XYZ", r); err == nil {
			t.Errorf("ratio %g: no error", r)
		}
	}
}

// splitBook returns a book holding a short 60 put sold at 2.00 and shares
// bought at 50, marked at 52.
func splitBook(t *testing.T, shares int) (*Book, *Position) {
	t.Helper()
	b := NewBook(100_000)
	b.BeginDay(DayOf(time.Date(2024, 9, 3, 0, 0, 0, 0, time.UTC)))
	put := Contract{Underlying: "XYZ", Expiration: DayOf(time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC)), PutCall: Put, Strike: 60}
	o := &Order{Kind: Open, Symbol: "XYZ", Quantity: 1, Legs: []OrderLeg{{Contract: put, Ratio: -1}}}
	x := &Execution{Price: -2, Legs: [4]float64{2}}
	if why, err := b.Apply(o, x); err != nil || why != "" {
		t.Fatalf("open: %q %v", why, err)
	}
	p := b.Positions[0]
	p.Legs[0].Mark = 2
	b.deliver(p, shares, 50, EventAssigned)
	p.ShareMark = 52
	return b, p
}

// approx reports whether a and b agree to a millionth.
func approx(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
