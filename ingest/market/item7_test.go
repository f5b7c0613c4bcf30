package market

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/dbn"
)

// TestItem7SmallerOnes is issue 18 item 7, the loader's part: CSV rows with
// too few or too many fields name their line and say which, a symbol a grid
// file could not name is refused, and records of unknown DBN record types
// are counted in the notes instead of vanishing.
func TestItem7SmallerOnes(t *testing.T) {
	const head = "trade_date,underlying,expiration,put_call,strike,bid,ask\n"
	const good = "2024-01-02,SPY,2024-01-19,P,470,1.0,1.1\n"
	s := openStore(t)
	for _, c := range []struct{ name, csv, want string }{
		{"short row", head + good + "2024-01-02,SPY,2024-01-19,P,470,1.0\n", "line 3"},
		{"extra field", head + good + good + "2024-01-02,SPY,2024-01-19,P,470,1.0,1.1,9\n", "line 4"},
		{"bad symbol", head + "2024-01-02,S P;Y,2024-01-19,P,470,1.0,1.1\n", "line 2: underlying 'S P;Y' is not a symbol"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, "in.csv", c.csv)
			_, err := s.Ingest(context.Background(), p, Options{})
			t.Logf("%s: %v", c.name, err)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("error = %v, want it to name %s and say %q", err, p, c.want)
			}
		})
	}
	t.Run("unknown rtype", func(t *testing.T) {
		path := scenario(t, []dbn.Record{cbbo(7, 2024, 11, 26, 15, 30, 5.00, 5.10)})
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		unknown := make([]byte, 24) // length 6 words, rtype 0x42: no such record type
		unknown[0], unknown[1] = 6, 0x42
		f.Write(unknown)
		f.Write(unknown)
		f.Close()
		res := ingest(t, openStore(t), path, Options{})
		notes := strings.Join(res.Notes, "\n")
		t.Logf("notes: %s", notes)
		if !strings.Contains(notes, "2 records of record types this version does not know skipped") {
			t.Errorf("notes %q do not count the unknown records", notes)
		}
	})
}

// TestItem7InterruptAfterLoad is issue 18 item 7's Ctrl-C during ingest: a
// cancellation that arrives once a file's rows are staged, as the commit
// starts, neither fails the file (sweep ingest printed FAIL for it) nor
// leaves its rows out.
func TestItem7InterruptAfterLoad(t *testing.T) {
	s := openStore(t)
	if _, err := s.DB().Exec(`CREATE TABLE item7 (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err := s.withTx(ctx, func(t *tx) error {
		if _, err := t.exec(`INSERT INTO item7 VALUES (1)`); err != nil {
			return err
		}
		cancel() // Ctrl-C, after the last statement of the load
		return nil
	})
	var n int
	if qerr := s.DB().QueryRow(`SELECT count(*) FROM item7`).Scan(&n); qerr != nil {
		t.Fatal(qerr)
	}
	if err != nil || n != 1 {
		t.Errorf("interrupted at the commit: err %v, %d rows committed, want nil and 1", err, n)
	}
}
