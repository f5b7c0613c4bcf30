package market

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzIngestCSV feeds arbitrary text to the CSV loader. Each input either loads or
// fails with an error naming the file; a failure must leave the store as it was.
func FuzzIngestCSV(f *testing.F) {
	f.Add(quotesCSV)
	f.Add("trade_date,symbol,open,high,low,close,volume\n2024-01-02,SPY,470,472,469,471,1000\n")
	f.Add("symbol,event_date,kind,amount\nAAPL,2024-05-09,ex_dividend,0.25\n,2024-05-01,fomc,\n")
	f.Add("trade_date,underlying,expiration,put_call,strike,bid,ask\n2024-01-02,SPY,2024-01-19,P,1e400,1,2\n")
	f.Add("trade_date,underlying,expiration,put_call,strike,bid,ask\n\"2024-01-02,SPY\n")
	s := openStore(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		p := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		before := fingerprint(t, s)
		_, err := s.Ingest(context.Background(), p, Options{})
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error does not name the file: %v", err)
		}
		if after := fingerprint(t, s); after != before {
			t.Errorf("failed load changed the store: %v", err)
		}
	})
}
