package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"

	"github.com/optsweep/sweep/ingest/dbn"
)

func dbnCommand() *command {
	c := &command{
		name:  "dbn",
		usage: "sweep dbn dump|info [flags] FILE",
		short: "inspect DBN files: dump records as JSON lines, count records by type",
		long: `Inspect a Databento DBN file: .dbn, .dbn.zst (one or more Zstandard frames), the
legacy .dbz, or a record-only fragment (.frag, .frag.zst). FILE "-" reads stdin.

  sweep dbn dump [--limit N] FILE
      print the metadata as one JSON line, then each record as one JSON line.
      Records of DBN versions 1 and 2 are shown upgraded to version 3. Prices are
      decimal strings ("4.225") and null when undefined; 64-bit integers and
      timestamps (ns since the epoch) are strings.
  sweep dbn dump --fragment --version V [--ts-out] FILE
      the same for a fragment, which has no metadata to say its version.
  sweep dbn info FILE
      print the metadata JSON line, then the record count per record type, the
      records skipped as unknown, and the decompressed size.

A malformed or truncated file stops with an error naming the byte offset.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		return dispatch(ctx, c, args, s,
			action{"dump", func(ctx context.Context, args []string, s stdio) error { return dbnDump(ctx, c, args, s) }},
			action{"info", func(ctx context.Context, args []string, s stdio) error { return dbnInfo(ctx, c, args, s) }})
	}
	return c
}

// dbnOpen parses the shared flags and opens the decoder they describe.
func dbnOpen(c *command, args []string, s stdio, withLimit bool) (*dbn.Decoder, func(), int, error) {
	fs := newFlags(c, s)
	limit := 0
	if withLimit {
		fs.IntVar(&limit, "limit", 0, "print at most `N` records (0: all)")
	}
	frag := fs.Bool("fragment", false, "FILE is a fragment: records with no metadata")
	version := fs.Uint("version", uint(dbn.Version), "DBN `version` (1-3) of a fragment's records")
	tsOut := fs.Bool("ts-out", false, "each fragment record ends with a ts_out timestamp")
	if err := parseFlags(fs, args, s); err != nil {
		return nil, nil, 0, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return nil, nil, 0, usageErrorf("want one FILE, got %d arguments", fs.NArg())
	}
	if *version < 1 || *version > uint(dbn.Version) {
		return nil, nil, 0, usageErrorf("--version %d: want 1 to %d", *version, dbn.Version)
	}
	path := fs.Arg(0)
	var r io.Reader = s.in
	closeFile := func() {}
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, 0, err
		}
		r, closeFile = f, func() { f.Close() }
	}
	var d *dbn.Decoder
	var err error
	if *frag {
		d, err = dbn.NewFragmentDecoder(r, uint8(*version), *tsOut)
	} else {
		d, err = dbn.NewDecoder(r)
	}
	if err != nil {
		closeFile()
		return nil, nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return d, func() { d.Close(); closeFile() }, limit, nil
}

func dbnDump(ctx context.Context, c *command, args []string, s stdio) error {
	d, done, limit, err := dbnOpen(c, args, s, true)
	if err != nil {
		return err
	}
	defer done()
	w := bufio.NewWriter(s.out)
	defer w.Flush()
	if md := d.Metadata(); md != nil {
		if err := dbn.WriteMetadataJSON(w, md); err != nil {
			return err
		}
	}
	var line []byte
	for n := 0; limit == 0 || n < limit; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		line = dbn.AppendRecordJSON(line[:0], rec)
		if ts := d.TsOut(); ts != dbn.UndefTimestamp {
			line = append(line[:len(line)-1], `,"ts_out":"`...)
			line = append(strconv.AppendUint(line, ts, 10), `"}`...)
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return w.Flush()
}

func dbnInfo(ctx context.Context, c *command, args []string, s stdio) error {
	d, done, _, err := dbnOpen(c, args, s, false)
	if err != nil {
		return err
	}
	defer done()
	counts := map[dbn.RType]int64{}
	var total int64
	for ; ; total++ {
		if total%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		counts[rec.Header().RType]++
	}
	if md := d.Metadata(); md != nil {
		if err := dbn.WriteMetadataJSON(s.out, md); err != nil {
			return err
		}
	}
	types := make([]dbn.RType, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })
	fmt.Fprintf(s.out, "records  %d (DBN version %d layout)\n", total, d.Version())
	for _, t := range types {
		fmt.Fprintf(s.out, "  %-16s %d\n", t, counts[t])
	}
	fmt.Fprintf(s.out, "skipped  %d (unknown record types)\n", d.Skipped())
	fmt.Fprintf(s.out, "bytes    %d (decompressed)\n", d.Offset())
	return nil
}
