package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/optsweep/sweep/report/chart"
	"github.com/optsweep/sweep/sweep/results"
)

// WalkForward is the in-sample against out-of-sample view of a walk-forward
// run.
type WalkForward struct {
	Metric     string
	Table      Table
	Chart      template.HTML
	MeanIS     Value // mean training (in-sample) value of the chosen cells
	MeanOOS    Value // mean test (out-of-sample) value
	Efficiency Value // MeanOOS / MeanIS
}

// newWalkForward builds the walk-forward view of folds (one run's, by
// symbols then fold); the chart draws the first symbol set's folds.
func newWalkForward(folds []results.FoldRow) (*WalkForward, error) {
	metric := folds[0].Metric
	f := metricFormat(metric)
	w := &WalkForward{Metric: metricLabel(metric)}
	w.Table.Head = []string{"Fold", "Symbols", "Train", "Test", "Chosen parameters", "In-sample", "Out-of-sample"}
	var is, oos []float64
	var d []int32
	var sumIS, sumOOS float64
	var nIS, nOOS int
	first := strings.Join(folds[0].Symbols, ",")
	for _, fo := range folds {
		syms := strings.Join(fo.Symbols, ",")
		w.Table.Rows = append(w.Table.Rows, []Value{count(float64(fo.Fold)), text(syms),
			text(date(fo.TrainFrom) + ".." + date(fo.TrainTo)), text(date(fo.TestFrom) + ".." + date(fo.TestTo)),
			text(paramsJSON(fo.Params)), f(fo.TrainValue), f(fo.TestValue)})
		if syms != first {
			continue
		}
		d = append(d, int32(fo.TestFrom.Unix()/86400))
		is, oos = append(is, fo.TrainValue), append(oos, fo.TestValue)
		if !math.IsNaN(fo.TrainValue) {
			sumIS, nIS = sumIS+fo.TrainValue, nIS+1
		}
		if !math.IsNaN(fo.TestValue) {
			sumOOS, nOOS = sumOOS+fo.TestValue, nOOS+1
		}
	}
	mIS, mOOS := sumIS/float64(nIS), sumOOS/float64(nOOS)
	w.MeanIS, w.MeanOOS, w.Efficiency = f(mIS), f(mOOS), ratio(mOOS/mIS)
	var err error
	w.Chart, err = svg(chart.Lines(chart.Options{Title: fmt.Sprintf("%s in-sample and out-of-sample by test window (%s)",
		w.Metric, first), YLabel: w.Metric}, d,
		chart.Series{Name: "in-sample (training)", Y: is, Dashed: true}, chart.Series{Name: "out-of-sample (test)", Y: oos}))
	return w, err
}

// paramsJSON is the JSON text of a fold's chosen parameters, as
// walk_forward.params holds it, or "" for none.
func paramsJSON(p map[string]string) string {
	if p == nil {
		return ""
	}
	b, _ := json.Marshal(p) // a map of strings cannot fail
	return string(b)
}
