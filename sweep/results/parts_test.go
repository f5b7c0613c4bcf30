package results

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// snapshot returns the sorted rows of every table, each row its columns in name
// order as text, so that databases whose p_ columns were added in another order
// compare equal.
func snapshot(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	out := make(map[string][]string)
	for _, table := range partTables {
		cols := queryStrings(t, db, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = 'main' AND table_name = '`+table+`' ORDER BY column_name`)
		exprs := make([]string, len(cols))
		for i, c := range cols {
			exprs[i] = `coalesce("` + c + `"::VARCHAR, 'NULL')`
		}
		rows := queryStrings(t, db, `SELECT concat_ws(' | ', `+strings.Join(exprs, ", ")+`) FROM `+table+` ORDER BY 1`)
		out[table] = append([]string{strings.Join(cols, ",")}, rows...)
	}
	return out
}

func diffSnapshots(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for _, table := range partTables {
		if !reflect.DeepEqual(got[table], want[table]) {
			t.Errorf("table %s:\n got %q\nwant %q", table, got[table], want[table])
		}
	}
}

// shardCells returns the cells of the test grid: a, b and c with testCell's
// parameters, d and e with a width parameter too.
func shardCells() (shard0, shard1 []CellResult) {
	all := batchOf([]string{"a", "b", "c", "d", "e"}, []float64{1, 2, 3, 4, 5})
	for i := 3; i < 5; i++ {
		all[i].Cell.Params["width"] = "5"
		all[i].Cell.ParamTypes = map[string]string{"width": "int", "min_dte": "int", "delta": "float", "roll": "bool"}
		all[i].Result.Notes = nil
	}
	return all[:3], all[3:]
}

func TestPartsMerge(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	s0, s1 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 9, 1, 0, 0, time.UTC)
	f0, f1 := s0.Add(time.Hour), s1.Add(2*time.Hour)
	run := Run{ID: "r1", Kind: "sweep", Name: "grid", Config: "a: 1", EngineVersion: "v2"}
	cells0, cells1 := shardCells()
	folds := []FoldRow{{RunID: "r1", Fold: 0, Symbols: []string{"SPY"}, TrainFrom: ymd(2024, 3, 11),
		Metric: "sharpe", Goal: "max", TrainCellKey: "d", TrainValue: 4, TestCellKey: "e", TestValue: 5,
		Params: map[string]string{"width": "5"}}}

	// Shard 0: two batches, then its final status. Shard 1: one batch, a link to
	// a cell of an earlier run, the folds, then its final status.
	w0, err := NewPartWriter(filepath.Join(root, "shard-0"))
	if err != nil {
		t.Fatal(err)
	}
	r0 := run
	r0.Started = s0
	mustDo(t, w0.Write(ctx, r0, cells0[:2]), w0.Write(ctx, r0, cells0[2:]))
	r0.Status, r0.Finished = StatusDone, f0
	mustDo(t, w0.Write(ctx, r0, nil))
	w1, err := NewPartWriter(filepath.Join(root, "shard-1"))
	if err != nil {
		t.Fatal(err)
	}
	r1 := run
	r1.Started = s1
	mustDo(t, w1.Write(ctx, r1, cells1), w1.Link(ctx, "r1", []string{"old"}), w1.WriteFolds(ctx, folds))
	r1.Status, r1.Finished = StatusDone, f1
	mustDo(t, w1.Write(ctx, r1, nil))
	// A part a killed process left unfinished, with nothing valid in it.
	tmp := filepath.Join(root, "shard-1", "part-000005.tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "cells.parquet"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The same through WriteCells into one database: runs from the first start
	// (s0) to the last finish (f1).
	direct := openMem(t)
	r := run
	r.Started = s0
	mustDo(t, direct.BeginRun(ctx, r), direct.WriteCells(ctx, cells0[:2]), direct.WriteCells(ctx, cells0[2:]),
		direct.WriteCells(ctx, cells1), direct.LinkCells(ctx, "r1", []string{"old"}), direct.WriteFolds(ctx, folds),
		direct.FinishRun(ctx, "r1", f1, StatusDone))

	merged := openMem(t)
	stats, err := Merge(ctx, merged, root)
	if err != nil {
		t.Fatal(err)
	}
	// Shard 0 wrote 3 parts, shard 1 wrote 4; cells a, b, c and d, e; one run.
	if want := (MergeStats{Parts: 7, Cells: 5, Runs: 1}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	want := snapshot(t, direct)
	got := snapshot(t, merged)
	diffSnapshots(t, got, want)

	// Merging again, through the shard directories this time, changes nothing.
	stats, err = Merge(ctx, merged, filepath.Join(root, "shard-1"), filepath.Join(root, "shard-0"))
	if err != nil {
		t.Fatal(err)
	}
	if stats.Parts != 7 {
		t.Errorf("second merge loaded %d parts, want 7", stats.Parts)
	}
	diffSnapshots(t, snapshot(t, merged), got)

	// A part given directly is a root too.
	one := openMem(t)
	if stats, err := Merge(ctx, one, filepath.Join(root, "shard-0", "part-000002")); err != nil || stats.Cells != 1 {
		t.Errorf("merge of part-000002 = %+v, %v; want its one cell c", stats, err)
	}
	wantCounts(t, one, "c", full)
}

// mustDo fails the test at the first error of errs.
func mustDo(t *testing.T, errs ...error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
}

func TestPartWriterKeys(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "parts")
	w, err := NewPartWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := w.Keys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("Keys of no parts = %v, %v", keys, err)
	}
	cells, _ := shardCells()
	run := Run{ID: "r1", Kind: "sweep", Started: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	mustDo(t, w.Write(ctx, run, cells[:2]), w.Write(ctx, run, cells[2:]))
	// A killed writer's unfinished part-000003 holds cell z.
	killed := filepath.Join(dir, "part-000003.tmp")
	mustDo(t, os.Mkdir(killed, 0o755), os.WriteFile(filepath.Join(killed, "cells.parquet"), []byte("x"), 0o644))
	keys, err := w.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"a": true, "b": true, "c": true}; !reflect.DeepEqual(keys, want) {
		t.Errorf("Keys = %v, want %v", keys, want)
	}

	// A restarted writer removes the unfinished part and goes on from part 3.
	w, err = NewPartWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("unfinished part still there: %v", err)
	}
	mustDo(t, w.Write(ctx, run, nil))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"part-000001", "part-000002", "part-000003"}; !reflect.DeepEqual(names, want) {
		t.Errorf("parts = %q, want %q", names, want)
	}
	files, err := os.ReadDir(filepath.Join(dir, "part-000003"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(partTables) {
		t.Errorf("part-000003 holds %d files, want %d", len(files), len(partTables))
	}
	if err := w.Write(ctx, Run{}, nil); err == nil {
		t.Error("Write of a run without an id: no error")
	}
}

func TestMergeAddsParamColumn(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	write(t, db, testCell("a"), testResult())
	dir := t.TempDir()
	w, err := NewPartWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, cells := shardCells() // d and e, with p_width BIGINT
	mustDo(t, w.Write(ctx, Run{ID: "r1", Kind: "sweep", Started: time.Now()}, cells))
	if _, err := Merge(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	got := queryStrings(t, db, `SELECT cell_key || ' ' || coalesce(p_width::VARCHAR, 'NULL') || ' ' || p_min_dte
		FROM cells ORDER BY cell_key`)
	if want := []string{"a NULL 3", "d 5 3", "e 5 3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cells = %q, want %q", got, want)
	}
	got = queryStrings(t, db, `SELECT data_type FROM information_schema.columns
		WHERE table_name = 'cells' AND column_name = 'p_width'`)
	if want := []string{"BIGINT"}; !reflect.DeepEqual(got, want) {
		t.Errorf("p_width type = %q, want %q", got, want)
	}
	// The DB knows the new column: a cell written next can use it.
	c := testCell("f")
	c.Params["width"] = "7"
	write(t, db, c, testResult())
	if got := queryStrings(t, db, `SELECT p_width::VARCHAR FROM cells WHERE cell_key = 'f'`); !reflect.DeepEqual(got, []string{"7"}) {
		t.Errorf("p_width of f = %q, want 7", got)
	}
}

func TestMergeBadPart(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		file string // in part-000002
		data []byte // nil: delete the file
	}{
		{"corrupt", "trades.parquet", []byte("not a parquet file")},
		{"missing", "equity.parquet", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewPartWriter(dir)
			if err != nil {
				t.Fatal(err)
			}
			s0, s1 := shardCells()
			run := Run{ID: "r1", Kind: "sweep", Started: time.Now()}
			mustDo(t, w.Write(ctx, run, s0), w.Write(ctx, run, s1))
			bad := filepath.Join(dir, "part-000002", tc.file)
			if tc.data == nil {
				err = os.Remove(bad)
			} else {
				err = os.WriteFile(bad, tc.data, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			db := openMem(t)
			write(t, db, testCell("x"), testResult())
			before := snapshot(t, db)
			_, err = Merge(ctx, db, dir)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), bad) {
				t.Errorf("error %q does not name %s", err, bad)
			}
			// Part 1 is good, but nothing is loaded, not even its p_width column.
			diffSnapshots(t, snapshot(t, db), before)
		})
	}
}

func TestMergeNoParts(t *testing.T) {
	db := openMem(t)
	stats, err := Merge(context.Background(), db, t.TempDir())
	if err != nil || stats != (MergeStats{}) {
		t.Errorf("merge of an empty directory = %+v, %v", stats, err)
	}
	if _, err := Merge(context.Background(), db, filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("merge of a missing directory: no error")
	}
}

func TestRunStatus(t *testing.T) {
	part := func(dir, status string) partInfo {
		return partInfo{dir: dir, status: map[string]string{"r": status}}
	}
	for _, tc := range []struct {
		name  string
		parts []partInfo
		want  string
	}{
		// Each shard's last part says done.
		{"all done", []partInfo{part("s0/part-000001", "running"), part("s0/part-000002", "done"),
			part("s1/part-000001", "running"), part("s1/part-000002", "done")}, "done"},
		// s1 never finished (killed): the run is not done.
		{"one running", []partInfo{part("s0/part-000001", "running"), part("s0/part-000002", "done"),
			part("s1/part-000001", "running")}, "running"},
		// A failed shard outranks a running one.
		{"one failed", []partInfo{part("s0/part-000001", "failed"), part("s1/part-000001", "running"),
			part("s2/part-000001", "done")}, "failed"},
		// A shard that failed, then was rerun to completion, is done.
		{"rerun", []partInfo{part("s0/part-000001", "failed"), part("s0/part-000002", "done")}, "done"},
	} {
		if got := runStatus(tc.parts)["r"]; got != tc.want {
			t.Errorf("%s: status %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestMergeRunRow checks how a runs row already in the database combines with a
// part's: the earliest start, the latest finish, and NULL while running.
func TestMergeRunRow(t *testing.T) {
	ctx := context.Background()
	db := openMem(t)
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	mustDo(t, db.BeginRun(ctx, Run{ID: "r1", Kind: "sweep", Name: "old", Started: t0}),
		db.FinishRun(ctx, "r1", t0.Add(time.Hour), StatusDone))
	dir := t.TempDir()
	w, err := NewPartWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The part's run started before and finished after the stored one.
	mustDo(t, w.Write(ctx, Run{ID: "r1", Kind: "sweep", Name: "new", Started: t0.Add(-time.Minute),
		Status: StatusDone, Finished: t0.Add(3 * time.Hour)}, nil))
	if _, err := Merge(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	got := queryStrings(t, db, `SELECT concat_ws(' ', name, strftime(started_at AT TIME ZONE 'UTC', '%H:%M'),
		strftime(finished_at AT TIME ZONE 'UTC', '%H:%M'), status) FROM runs`)
	if want := []string{"new 08:59 12:00 done"}; !reflect.DeepEqual(got, want) {
		t.Errorf("runs = %q, want %q", got, want)
	}
	// A later part of the same writer says running again (a resumed shard).
	mustDo(t, w.Write(ctx, Run{ID: "r1", Kind: "sweep", Name: "new", Started: t0}, nil))
	if _, err := Merge(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	got = queryStrings(t, db, `SELECT concat_ws(' ', name, strftime(started_at AT TIME ZONE 'UTC', '%H:%M'),
		coalesce(finished_at::VARCHAR, 'NULL'), status) FROM runs`)
	if want := []string{"new 08:59 NULL running"}; !reflect.DeepEqual(got, want) {
		t.Errorf("runs = %q, want %q", got, want)
	}
}
