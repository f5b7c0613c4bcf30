package live

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/optsweep/sweep/sim"
)

// Difference is one holding on which the book and the broker disagree.
type Difference struct {
	Holding     // the broker's line (Qty is the broker's), or the book's when the broker has none
	Book    int // the book's signed quantity
	Broker  int // the broker's signed quantity
	Price   float64
}

// String describes the difference.
func (x Difference) String() string {
	return fmt.Sprintf("%s: book %+d, broker %+d", x.Key(), x.Book, x.Broker)
}

// Diff compares the book's holdings with the broker's, line by line, and
// returns the differences sorted by key.
func Diff(book, broker []Holding) []Difference {
	type pair struct {
		h            Holding
		book, broker int
	}
	m := map[string]*pair{}
	for _, h := range book {
		p := m[h.Key()]
		if p == nil {
			p = &pair{h: h}
			m[h.Key()] = p
		}
		p.book += h.Qty
	}
	for _, h := range broker {
		p := m[h.Key()]
		if p == nil {
			p = &pair{h: h}
			m[h.Key()] = p
		}
		p.h.Price = h.Price
		p.broker += h.Qty
	}
	var out []Difference
	for _, p := range m {
		if p.book != p.broker {
			out = append(out, Difference{Holding: p.h, Book: p.book, Broker: p.broker, Price: p.h.Price})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Key() < out[b].Key() })
	return out
}

// reconcile compares the broker's positions with the book. A difference
// stops new entries (exits still go) and is journaled, unless Adopt takes
// the broker's side: a holding the book lacks (or holds less of) becomes a
// position of the book. A book position the broker does not hold cannot be
// adopted; it keeps entries stopped until it is resolved by hand.
func (d *Driver) reconcile(ctx context.Context, rec *Record) error {
	hs, err := d.broker.Positions(ctx)
	if err != nil {
		return fmt.Errorf("live: reconcile: broker positions: %w", err)
	}
	diff := Diff(Holdings(d.book), hs)
	if d.cfg.Adopt && len(diff) > 0 {
		var left []Difference
		for _, x := range diff {
			if x.Broker != 0 && (x.Book == 0 || sameSign(x.Book, x.Broker) && abs(x.Broker) > abs(x.Book)) {
				p := d.book.Adopt(x.Symbol, x.Contract, x.Broker-x.Book, x.Price, "adopted")
				rec.Messages = append(rec.Messages, fmt.Sprintf("adopted %s: position %d", x, p.ID))
				continue
			}
			left = append(left, x)
		}
		diff = left
	}
	if len(diff) == 0 {
		d.stop = ""
		return nil
	}
	lines := make([]string, len(diff))
	for i, x := range diff {
		lines[i] = x.String()
		rec.Messages = append(rec.Messages, "reconcile: "+x.String())
	}
	d.stop = "entries stopped: the broker's positions differ from the book (" + strings.Join(lines, "; ") +
		"); run with --adopt to take the broker's side"
	return nil
}

func sameSign(a, b int) bool { return (a > 0) == (b > 0) }

// Exposure fills each holding's greeks from snap: the chain's greeks of an
// option times its contracts and the multiplier, delta 1 per share. An
// option missing from the chain (or without greeks) is left at zero.
func Exposure(hs []Holding, snap *sim.Snapshot) {
	for i := range hs {
		h := &hs[i]
		if h.Contract.Strike == 0 {
			h.Delta = float64(h.Qty)
			continue
		}
		m := snap.Market(h.Symbol)
		if m == nil {
			continue
		}
		r := m.Chain.Find(h.Contract)
		if r < 0 {
			continue
		}
		n := float64(h.Qty * sim.Multiplier)
		c := &m.Chain
		h.Delta, h.Gamma, h.Theta, h.Vega = finite(n*c.Delta[r]), finite(n*c.Gamma[r]), finite(n*c.Theta[r]), finite(n*c.Vega[r])
	}
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}
