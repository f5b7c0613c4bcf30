package synth

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestTry(t *testing.T) {
	name := os.Getenv("SYNTH_PRESET")
	if name == "" {
		t.Skip()
	}
	cfg, _ := Preset(name)
	cfg.OutDir = "/tmp/synthtry/" + name
	cfg.Intraday = os.Getenv("SYNTH_INTRADAY") != ""
	t0 := time.Now()
	m, err := Generate(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, r, b := m.Totals()
	t.Logf("%v files=%d records=%d bytes=%d", time.Since(t0), f, r, b)
	for _, f := range m.Files[:min(12, len(m.Files))] {
		t.Logf("%+v", f)
	}
}
