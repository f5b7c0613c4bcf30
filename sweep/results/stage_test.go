package results

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestStagerJoin checks that add joins runs of small records into records of
// at most chunkRows rows, keeping every row in order, and leaves a record
// already at the bound alone.
func TestStagerJoin(t *testing.T) {
	schema := schemaOf("k", tStr, "x", tF64, "n", tI64)
	mk := func(from, n int) arrow.RecordBatch {
		r := newRowBuilder(schema)
		defer r.b.Release()
		for i := from; i < from+n; i++ {
			r.str("k" + strconv.Itoa(i))
			if i%7 == 0 {
				r.null()
			} else {
				r.f64(float64(i) / 4)
			}
			r.i64(int64(i))
			if err := r.end(); err != nil {
				t.Fatal(err)
			}
		}
		return r.b.NewRecordBatch()
	}
	tests := []struct {
		sizes []int
		want  []int64 // rows of the staged records
	}{
		{[]int{1}, []int64{1}},
		{[]int{1, 2, 3}, []int64{6}},
		{[]int{chunkRows - 1, 1, 5}, []int64{chunkRows, 5}},
		{[]int{3, chunkRows, 2}, []int64{3, chunkRows, 2}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.sizes), func(t *testing.T) {
			var recs []arrow.RecordBatch
			n := 0
			for _, s := range tt.sizes {
				recs = append(recs, mk(n, s))
				n += s
			}
			st := &stager{}
			if err := st.add("t", nil, schema, recs); err != nil {
				t.Fatal(err)
			}
			got := st.find("t").recs
			row := 0
			for i, rec := range got {
				if i >= len(tt.want) || rec.NumRows() != tt.want[i] {
					t.Fatalf("record %d of %d has %d rows, want %v", i, len(got), rec.NumRows(), tt.want)
				}
				for j := range int(rec.NumRows()) {
					k := rec.Column(0).ValueStr(j)
					x := rec.Column(1).ValueStr(j)
					v := rec.Column(2).ValueStr(j)
					wantX := strconv.FormatFloat(float64(row)/4, 'g', -1, 64)
					if row%7 == 0 {
						wantX = "(null)"
					}
					if k != "k"+strconv.Itoa(row) || v != strconv.Itoa(row) || x != wantX {
						t.Fatalf("row %d: %s %s %s", row, k, x, v)
					}
					row++
				}
			}
			if row != n || len(got) != len(tt.want) {
				t.Errorf("%d rows in %d records, want %d in %d", row, len(got), n, len(tt.want))
			}
			st.release()
			for _, r := range recs {
				r.Release()
			}
		})
	}
}
