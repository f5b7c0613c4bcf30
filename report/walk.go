package report

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"math"
	"time"

	"github.com/optsweep/sweep/report/chart"
)

// Fold is a row of the walk_forward table: the cell chosen on a training
// window and its score on the test window after it.
type Fold struct {
	Fold                  int
	Symbols               string
	TrainFrom, TrainTo    time.Time
	TestFrom, TestTo      time.Time
	Metric, Goal          string
	Params                string  // the chosen parameters, as JSON
	TrainValue, TestValue float64 // NaN when undefined
}

// LoadFolds reads the walk-forward folds of run id, by symbols then fold.
func LoadFolds(ctx context.Context, db *sql.DB, id string) ([]Fold, error) {
	rows, err := db.QueryContext(ctx, `SELECT fold, array_to_string(symbols, ','), train_from, train_to,
		test_from, test_to, coalesce(metric, ''), coalesce(goal, ''), coalesce(params::VARCHAR, ''),
		train_value, test_value FROM walk_forward WHERE run_id = ? ORDER BY 2, fold`, id)
	if err != nil {
		return nil, fmt.Errorf("read walk-forward of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Fold
	for rows.Next() {
		var f Fold
		var tv, sv sql.NullFloat64
		if err := rows.Scan(&f.Fold, &f.Symbols, &f.TrainFrom, &f.TrainTo, &f.TestFrom, &f.TestTo,
			&f.Metric, &f.Goal, &f.Params, &tv, &sv); err != nil {
			return nil, fmt.Errorf("read walk-forward of %s: %w", id, err)
		}
		f.TrainValue, f.TestValue = nullNaN(tv), nullNaN(sv)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read walk-forward of %s: %w", id, err)
	}
	return out, nil
}

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

func newWalkForward(folds []Fold) (*WalkForward, error) {
	metric := folds[0].Metric
	f := metricFormat(metric)
	w := &WalkForward{Metric: metricLabel(metric)}
	w.Table.Head = []string{"Fold", "Symbols", "Train", "Test", "Chosen parameters", "In-sample", "Out-of-sample"}
	var is, oos []float64
	var d []int32
	var sumIS, sumOOS float64
	var nIS, nOOS int
	for _, fo := range folds {
		w.Table.Rows = append(w.Table.Rows, []Value{count(float64(fo.Fold)), text(fo.Symbols),
			text(date(fo.TrainFrom) + ".." + date(fo.TrainTo)), text(date(fo.TestFrom) + ".." + date(fo.TestTo)),
			text(fo.Params), f(fo.TrainValue), f(fo.TestValue)})
		if fo.Symbols != folds[0].Symbols {
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
		w.Metric, folds[0].Symbols), YLabel: w.Metric}, d,
		chart.Series{Name: "in-sample (training)", Y: is, Dashed: true}, chart.Series{Name: "out-of-sample (test)", Y: oos}))
	return w, err
}
