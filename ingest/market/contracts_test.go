package market

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestItem3CSVRowsSharingAnOSIDoNotMultiply is issue 18 item 3: CSV rows for
// different contracts that would get the same OSI symbol (underlyings sharing
// a root, underlyings cut to the same six characters, strikes rounding to the
// same thousandth, or an OSI the store holds for another underlying) are
// refused with their lines, leaving the store as it was; distinct roots keep
// them apart, and no load ever writes more option_quotes rows than it read.
func TestItem3CSVRowsSharingAnOSIDoNotMultiply(t *testing.T) {
	const head = "trade_date,underlying,expiration,put_call,strike,bid,ask\n"
	s := openStore(t)
	for _, c := range []struct{ name, csv, want string }{
		{"shared root", "trade_date,underlying,root,expiration,put_call,strike,bid,ask\n" +
			"2024-01-02,SPX,SPXW,2024-01-19,P,4700,1,1.1\n2024-01-02,SPXQ,SPXW,2024-01-19,P,4700,2,2.1\n" +
			"2024-01-02,SPXZ,SPXW,2024-01-19,P,4700,3,3.1\n",
			"lines 2, 3, 4 give the OSI symbol SPXW  240119P04700000 to different contracts (underlyings SPX, SPXQ, SPXZ)"},
		{"long underlyings", head + "2024-01-02,ABCDEFG,2024-01-19,C,10,1,1.1\n2024-01-02,ABCDEFH,2024-01-19,C,10,2,2.1\n",
			"lines 2, 3 give the OSI symbol ABCDEF240119C00010000 to different contracts (underlyings ABCDEFG, ABCDEFH)"},
		{"strikes within a thousandth", head + "2024-01-02,SPY,2024-01-19,C,470.0001,1,1.1\n2024-01-02,SPY,2024-01-19,C,470.0002,2,2.1\n",
			"lines 2, 3 give the OSI symbol SPY   240119C00470000 to different contracts"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := fingerprint(t, s)
			p := writeFile(t, "in.csv", c.csv)
			_, err := s.Ingest(context.Background(), p, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error = %v\nwant it to name %s and say %q", err, p, c.want)
			}
			if fingerprint(t, s) != before {
				t.Error("the refused file changed the store")
			}
		})
	}

	// The same underlyings with distinct roots are three contracts, one row each.
	res := ingest(t, s, writeFile(t, "ok.csv", "trade_date,underlying,root,expiration,put_call,strike,bid,ask\n"+
		"2024-01-02,SPX,SPXW,2024-01-19,P,4700,1,1.1\n2024-01-02,SPXQ,SPXQ,2024-01-19,P,4700,2,2.1\n"+
		"2024-01-02,SPXZ,SPXZ,2024-01-19,P,4700,3,3.1\n"), Options{})
	var n, dup int
	if err := s.DB().QueryRow(`SELECT count(*), count(*) - count(DISTINCT (trade_date, osi)) FROM option_quotes`).Scan(&n, &dup); err != nil {
		t.Fatal(err)
	}
	if n != 3 || dup != 0 || res.Rows["option_quotes"] != 3 {
		t.Errorf("distinct roots: %d rows (%d repeated), summary %v; want 3", n, dup, res.Rows)
	}
	// A later file reusing one of those OSIs for another underlying is refused.
	p := writeFile(t, "later.csv", "trade_date,underlying,root,expiration,put_call,strike,bid,ask\n"+
		"2024-01-03,SPY,SPXQ,2024-01-19,P,4700,5,5.1\n")
	if _, err := s.Ingest(context.Background(), p, Options{}); err == nil ||
		!strings.Contains(err.Error(), "line 2: OSI symbol SPXQ  240119P04700000 is already in the store for underlying SPXQ") {
		t.Errorf("reused OSI: %v", err)
	}
	// Rows differing only in case or spaces of the underlying are one contract:
	// the last one is kept, once.
	res = ingest(t, s, writeFile(t, "case.csv", head+"2024-01-02,iwm,2024-01-19,C,200,1,1.1\n2024-01-02, IWM ,2024-01-19,C,200,2,2.1\n"), Options{})
	var bid float64
	if err := s.DB().QueryRow(`SELECT count(*), max(bid) FROM option_quotes WHERE underlying = 'IWM'`).Scan(&n, &bid); err != nil {
		t.Fatal(err)
	}
	if n != 1 || bid != 2 || res.Rows["option_quotes"] != 1 {
		t.Errorf("case variants: %d rows, bid %g, summary %v; want 1 row with the last bid 2", n, bid, res.Rows)
	}
}

// FuzzCSVRowCount feeds arbitrary option CSV text to the loader: whether it
// loads or not, option_quotes never gains more rows than the file has data
// rows, and the summary never reports more.
func FuzzCSVRowCount(f *testing.F) {
	f.Add("trade_date,underlying,root,expiration,put_call,strike,bid,ask\n" +
		"2024-01-02,SPX,SPXW,2024-01-19,P,4700,1,1.1\n2024-01-02,SPXQ,SPXW,2024-01-19,P,4700,2,2.1\n")
	f.Add("trade_date,underlying,expiration,put_call,strike,bid,ask\n2024-01-02,ABCDEFG,2024-01-19,C,10,1,1.1\n" +
		"2024-01-02,ABCDEFH,2024-01-19,C,10,2,2.1\n2024-01-02,abcdefg,2024-01-19,call,10.0001,2,2.1\n")
	f.Add(quotesCSV)
	s := openStore(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		p := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		var before int64
		if err := s.DB().QueryRow(`SELECT count(*) FROM option_quotes`).Scan(&before); err != nil {
			t.Fatal(err)
		}
		res, err := s.Ingest(context.Background(), p, Options{Table: "option_quotes"})
		var after int64
		if err := s.DB().QueryRow(`SELECT count(*) FROM option_quotes`).Scan(&after); err != nil {
			t.Fatal(err)
		}
		lines := int64(strings.Count(text, "\n") + 1)
		if after-before > lines {
			t.Errorf("option_quotes gained %d rows from %d lines", after-before, lines)
		}
		if err != nil {
			if after != before {
				t.Errorf("a failed load added %d rows: %v", after-before, err)
			}
			return
		}
		if got := res.Rows["option_quotes"]; got > res.Records || after-before > res.Records {
			t.Errorf("%d records read, summary %d option_quotes rows, %d rows added", res.Records, got, after-before)
		}
	})
}
