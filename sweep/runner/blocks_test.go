package runner

import (
	"context"
	"testing"
)

// TestExecuteStreamed runs the test grid with every partition streamed in
// blocks of a few days, and gets the cells the whole tapes give, bit for bit.
func TestExecuteStreamed(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	for _, days := range []int{1, 9} {
		sink := newMemSink()
		st, err := f.execute(t, context.Background(), nil, sink, Options{Workers: 2, StreamDays: days})
		if err != nil {
			t.Fatal(err)
		}
		if st.Ran != 8 || st.Partitions != 2 || st.Contracts == 0 || len(sink.cells) != 8 {
			t.Errorf("blocks of %d days: stats %+v, %d cells stored", days, st, len(sink.cells))
		}
		checkAgainst(t, "streamed against whole tapes", sink, f.run.ID, want)
	}
}
