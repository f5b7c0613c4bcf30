package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestGreeksCommand values Haug's published examples through the CLI, solves a
// price back to its vol, and reports a bad row by line number without stopping.
func TestGreeksCommand(t *testing.T) {
	in := "right,S,K,T,r,q,sigma\n" +
		"C,60,65,0.25,0.08,0,0.30\n" + // Haug: 2.1334
		"P,100,95,0.5,0.10,0.05,0.20\n" + // Haug: 2.4648
		"X,1,1,1,0,0,0.2\n"
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"greeks"}, stdio{in: strings.NewReader(in), out: &out, err: &errOut})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "right,S,K,T,r,q,sigma,price,delta,gamma,vega,theta,rho,iv" {
		t.Fatalf("output: %v", rows)
	}
	for i, want := range []float64{2.1334, 2.4648} {
		got, _ := strconv.ParseFloat(rows[i+1][7], 64)
		if math.Abs(got-want) > 5e-5 {
			t.Errorf("row %d price = %v, want %v", i+1, got, want)
		}
	}
	if rows[3][7] != "NaN" || !strings.Contains(errOut.String(), ":4: right \"X\"") {
		t.Errorf("bad row: %v, stderr %q", rows[3], errOut.String())
	}

	// Solve the first price back to its vol.
	in = "right,S,K,T,r,q,price\nC,60,65,0.25,0.08,0," + rows[1][7] + "\n"
	out.Reset()
	errOut.Reset()
	run(context.Background(), []string{"greeks"}, stdio{in: strings.NewReader(in), out: &out, err: &errOut})
	rows, err = csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("iv output: %v %v", rows, err)
	}
	iv, _ := strconv.ParseFloat(rows[1][len(rows[1])-1], 64)
	if math.Abs(iv-0.30) > 1e-12 {
		t.Errorf("implied vol = %v, want 0.30", iv)
	}
}
