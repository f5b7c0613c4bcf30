package grid

import (
	"path/filepath"
	"testing"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../testdata/*.yaml")
	for _, name := range files {
		f.Add(mustRead(f, name))
	}
	f.Add([]byte(head + "params: {delta_min: [0.2, 0.3], zip: [{dte_min: [20, 30], dte_max: [30, 40]}]}\nseeds: [1]\n"))
	f.Add([]byte("a: &x [1, 2]\nb: *x\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		g, err := Parse("fuzz.yaml", text)
		if err != nil {
			if g != nil {
				t.Fatal("a grid and an error")
			}
			return
		}
		// A valid grid expands: check its first and last cells.
		if n := g.Size(); n < 1 || n > MaxCells {
			t.Fatalf("size %d", n)
		}
		g.Cell(0)
		g.Cell(g.Size() - 1)
	})
}
