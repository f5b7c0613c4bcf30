package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth"
)

// defaultMarketDB is where the market store lives unless --db says otherwise.
const defaultMarketDB = "data/market.duckdb"

func ingestCommand() *command {
	c := &command{
		name:  "ingest",
		usage: "sweep ingest [flags] FILE|DIR...",
		short: "load DBN, CSV or Parquet files into the market DB",
		long: `Load market data into the DuckDB market store (created if absent).

DBN files (.dbn, .dbn.zst, .dbz; versions 1-3) are read record by record:
  definition        -> instruments (and instrument id mappings per day)
  cbbo-1s/1m, cmbp-1, tcbbo, mbp-1, tbbo, bbo-1s/1m
                    -> option_quotes: per contract and trading day, the last quote
                       with both sides defined at or before the snapshot time
  ohlcv-1d (OPRA)   -> option_quotes volume/open/high/low/close, consolidated over
                       venues: volume summed, high max, low min, open and close
                       from the venue with the most volume
  statistics        -> option_quotes open_interest (de-duplicated over publishers)
  ohlcv-1d (equity, ETF, index) -> underlying_bars
CSV and Parquet files are read by DuckDB's own readers; the target table
(option_quotes, underlying_bars or events) is inferred from the columns (see
README.md) or named with --table.

A Databento batch download's support files are recognised by name and read
before the data files: manifest.json (every listed file present with its size and
SHA-256; missing or altered files are reported and not loaded), metadata.json (the
job, described), symbology.json (instrument ids of DBN files without mappings)
and condition.json (degraded, pending or missing days; their option rows are
flagged). See README.md, "Databento batch folders and splits".

A directory stands for the files in it, in the order of its manifest.json when it
has one (as written by "sweep gen"), else by name. Every file loads in one
transaction and is recorded in ingest_log by SHA-256: loading it again changes
nothing. A corrupt file is reported with its byte offset or line and leaves the
database as it was; the other files still load.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		db := fs.String("db", defaultMarketDB, "market database `file`")
		snapshot := fs.String("snapshot", "15:45", "daily option snapshot time, New York `HH:MM`")
		intraday := fs.Bool("intraday", false, "also keep per-minute quotes of contracts on their expiry day (0DTE) in option_intraday")
		allowUnresolved := fs.Bool("allow-unresolved", false, "skip records whose instrument id maps to no symbol instead of failing the file")
		format := fs.String("format", "", "file format `dbn|csv|parquet` (default: from the file name)")
		table := fs.String("table", "", "target `table` of CSV/Parquet files (default: from the columns)")
		quiet := fs.Bool("q", false, "print only the summary and errors")
		cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to `file` (go tool pprof)")
		if err := parseFlags(fs, args, s); err != nil {
			return err
		}
		if *cpuProfile != "" {
			stop, err := startCPUProfile(*cpuProfile)
			if err != nil {
				return err
			}
			defer stop()
		}
		if fs.NArg() == 0 {
			fs.Usage()
			return usageErrorf("no files given")
		}
		snap, err := parseClock(*snapshot)
		if err != nil {
			return usageErrorf("--snapshot: %v", err)
		}
		files, err := expandInputs(fs.Args())
		if err != nil {
			return err
		}
		st, err := market.Open(*db)
		if err != nil {
			return err
		}
		defer st.Close()
		opts := market.Options{Snapshot: snap, Intraday: *intraday, AllowUnresolved: *allowUnresolved, Format: *format, Table: *table}
		out := s.out
		if *quiet {
			out = io.Discard
		}
		return ingestFiles(ctx, st, files, opts, out, s.out, s.err, nil)
	}
	return c
}

// ingestFiles loads files one by one, reporting each to out (and calling progress,
// when not nil, after each) and the totals to summary, and fails at the end if any
// failed.
func ingestFiles(ctx context.Context, st *market.Store, files []string, opts market.Options, out, summary, errOut io.Writer,
	progress func(done, total int)) error {
	start := time.Now()
	var loaded, skipped, failed, checked int
	var rows int64
	files = market.SupportFirst(files)
	// Files a manifest lists as missing or altered are reported, not loaded.
	bad := map[string]string{}
	q := st.NewQueue(ctx, files, opts)
	defer q.Close()
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if why, ok := bad[filepath.Clean(f)]; ok {
			failed++
			fmt.Fprintf(errOut, "FAIL  %s: not loaded: %s\n", f, why)
			continue
		}
		res, err := q.Ingest(i)
		if progress != nil {
			progress(i+1, len(files))
		}
		if err != nil {
			failed++
			fmt.Fprintf(errOut, "FAIL  %s\n", err)
			if market.IsStorageError(err) {
				fmt.Fprintf(summary, "ingested %d files (%d rows), then stopped at a storage error on %s: "+
					"nothing of that file was kept, and %d files were not tried -> %s\n",
					loaded, rows, f, len(files)-i-1, st.Path())
				return fmt.Errorf("stopped: the disk under %s failed (%v); free space and run the same command again: "+
					"the %d files loaded are skipped and the rest load", st.Path(), err, loaded+skipped)
			}
			var me *market.ManifestError
			if errors.As(err, &me) {
				for _, p := range me.Altered {
					bad[filepath.Clean(p)] = "it differs from " + me.Manifest
				}
			}
			continue
		}
		prefix := fmt.Sprintf("[%d/%d]", i+1, len(files))
		if market.SupportFile(f) != "" && !res.Skipped {
			if res.TotalRows() == 0 {
				checked++
			} else {
				loaded++
			}
			rows += res.TotalRows()
			fmt.Fprintf(out, "%s ok   %s: batch %s file -> %s\n", prefix, f, res.Format, describeRows(res.Rows))
			for _, n := range res.Notes {
				fmt.Fprintf(out, "      note: %s\n", n)
			}
			continue
		}
		if res.Skipped {
			skipped++
			fmt.Fprintf(out, "%s skip %s: already ingested\n", prefix, f)
			continue
		}
		loaded++
		rows += res.TotalRows()
		fmt.Fprintf(out, "%s ok   %s: %s %s, %d records -> %s in %.2fs (%.0f records/s)\n", prefix, f,
			res.Dataset, res.Schema, res.Records, describeRows(res.Rows), res.Elapsed.Seconds(),
			float64(res.Records)/max(res.Elapsed.Seconds(), 1e-9))
		for _, n := range res.Notes {
			fmt.Fprintf(out, "      note: %s\n", n)
		}
	}
	if checked > 0 {
		fmt.Fprintf(summary, "checked %d batch support files; ", checked)
	}
	fmt.Fprintf(summary, "ingested %d files (%d rows), skipped %d already ingested, %d failed, in %.1fs -> %s\n",
		loaded, rows, skipped, failed, time.Since(start).Seconds(), st.Path())
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed (the rest loaded)", failed, len(files))
	}
	return nil
}

func describeRows(rows map[string]int64) string {
	if len(rows) == 0 {
		return "no rows"
	}
	names := make([]string, 0, len(rows))
	for k := range rows {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%d %s", rows[k], k)
	}
	return strings.Join(parts, ", ")
}

// parseClock parses HH:MM into a duration since midnight.
func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("want HH:MM, got %q", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// expandInputs replaces each directory by the files it holds: in the order of its
// manifest.json when present, else sorted by name with definitions first.
func expandInputs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		files, err := dirInputs(a)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no .dbn, .dbn.zst, .dbz, .csv or .parquet files in it", a)
		}
		out = append(out, files...)
	}
	return out, nil
}

func dirInputs(dir string) ([]string, error) {
	if files, ok, err := manifestFiles(dir); ok || err != nil {
		return files, err
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := strings.ToLower(d.Name())
		if !d.IsDir() && market.SupportFile(name) != "" {
			files = append(files, p)
			return nil
		}
		for _, ext := range []string{".dbn", ".dbn.zst", ".dbz", ".csv", ".csv.gz", ".parquet"} {
			if !d.IsDir() && strings.HasSuffix(name, ext) {
				files = append(files, p)
				break
			}
		}
		return nil
	})
	rank := func(p string) int {
		switch {
		case strings.Contains(p, "definition"):
			return 0
		case strings.HasSuffix(p, ".csv"), strings.HasSuffix(p, ".parquet"):
			return 2
		}
		return 1
	}
	sort.SliceStable(files, func(i, j int) bool {
		if ri, rj := rank(files[i]), rank(files[j]); ri != rj {
			return ri < rj
		}
		return files[i] < files[j]
	})
	return files, err
}

// manifestFiles returns the files of a directory written by "sweep gen", in the
// order its manifest gives, after the manifest itself (which ingest checks); ok
// is false when the directory has no manifest or one of another layout (a
// Databento batch download's).
func manifestFiles(dir string) (files []string, ok bool, err error) {
	if _, err := os.Stat(filepath.Join(dir, synth.ManifestName)); err != nil {
		return nil, false, nil
	}
	m, err := synth.ReadManifest(dir)
	if err != nil || m.Generator == "" {
		return nil, false, nil
	}
	return append([]string{filepath.Join(dir, synth.ManifestName)}, m.Paths(dir, "")...), true, nil
}
