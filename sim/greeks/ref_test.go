package greeks

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
)

// readCSV reads a reference file from testdata (made by testdata/genreference.py):
// a header line, then rows of fields.
func readCSV(t *testing.T, name string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
	return recs[0], recs[1:]
}

// num parses field i of a reference row.
func num(t *testing.T, row []string, i int) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(row[i], 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", row[i], err)
	}
	return v
}

// right parses a reference row's C/P field.
func right(s string) Right {
	if s == "C" {
		return Call
	}
	return Put
}
