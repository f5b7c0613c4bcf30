package market

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/internal/duckfile"
)

// decoded is a DBN file read into memory, ready to be written in its transaction.
type decoded struct {
	path    string
	sum     string // SHA-256 of the file
	sumErr  error
	dataset string
	schema  string
	rows    *fileRows // nil when the file was not read: an error, or ingest_log held it already
	records int64
	notes   []string
	err     error         // why the file cannot be loaded (reported when it is written)
	took    time.Duration // hashing and decoding
	// assumed names the file whose id mappings this decode took as known while
	// that file was still being written: if that file fails, decode again.
	assumed string
}

// namedSpan is an instrument id mapping by symbol name, carried from one file's
// decode to the next one's.
type namedSpan struct {
	id         uint64
	start, end int32
	name       string
}

// pendingSpans are the mappings of a file being written while the next decodes.
type pendingSpans struct {
	path    string
	dataset string
	spans   []namedSpan
}

// decodeDBN hashes (unless sum is given) and decodes the DBN file at path; a
// file it hashes that ingest_log already holds is not read. The mappings it resolves
// instrument ids with are those stored for its dataset and days, then those of
// pending (a file written meanwhile, of the same dataset), then the file's own.
// Only an error that stops the file from being hashed or its mappings from
// being read is returned; one in the file itself is kept in the result's err,
// to report when the file is written.
func (s *Store) decodeDBN(ctx context.Context, path string, opts Options, sum string, pending *pendingSpans) (*decoded, error) {
	start := time.Now()
	p := &decoded{path: path, sum: sum}
	if p.sum == "" {
		if p.sum, p.sumErr = fileSHA256(path); p.sumErr != nil {
			return p, nil
		}
		if _, ok, err := s.ingested(ctx, p.sum); err != nil || ok {
			return p, err // written, it is found in ingest_log again and skipped
		}
	}
	dec, err := dbn.Open(path)
	if err != nil {
		p.err = err
		return p, nil
	}
	defer dec.Close()
	md := dec.Metadata()
	if md == nil {
		p.err = errors.New("a DBN fragment has no metadata header and cannot be ingested on its own")
		return p, nil
	}
	p.dataset, p.schema = md.Dataset, md.Schema.String()
	syms := newSymtab()
	var known []idSpan
	err = s.withConn(ctx, func(raw *duckdb.Conn) error {
		var err error
		known, err = knownSpans(ctx, raw, md, syms)
		return err
	})
	if err != nil {
		return nil, err
	}
	if pending != nil && pending.dataset == md.Dataset && md.Dataset != "" {
		p.assumed = pending.path
		for _, sp := range pending.spans {
			known = append(known, idSpan{sp.id, sp.start, sp.end, syms.intern(sp.name)})
		}
	}
	l := newDBNLoader(md, opts, known, syms)
	if p.err = l.run(ctx, dec); p.err == nil {
		p.rows = l.rows
		p.records = l.stats.records
		p.notes = l.stats.notes()
	}
	p.took = time.Since(start)
	return p, nil
}

// pending returns the mappings p's file will store.
func (p *decoded) pending() *pendingSpans {
	if p == nil || p.err != nil || p.rows == nil {
		return nil
	}
	out := &pendingSpans{path: p.path, dataset: p.dataset}
	for _, sp := range p.rows.spans {
		out.spans = append(out.spans, namedSpan{sp.id, sp.start, sp.end, p.rows.syms.syms[sp.sym].name})
	}
	return out
}

// withConn runs fn on one connection of the store, outside any transaction.
func (s *Store) withConn(ctx context.Context, fn func(raw *duckdb.Conn) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("market: connection: %w", err)
	}
	defer conn.Close()
	return duckfile.Raw(conn, fn)
}

// Queue ingests a list of files in order, as Ingest does one at a time, but
// decodes the next DBN file on its own goroutine while the current one is
// written: decoding is Go code and writing is DuckDB's, so the two take two
// cores. At most two files are in memory, the one written and the one decoded.
//
// Each file is still its own transaction and is reported on its own. A file
// decoded ahead takes the id mappings of the file being written as known; if
// that file then fails, the next one is decoded again without them.
//
// While a queue decodes ahead, the store's DuckDB runs on the cores the
// decoder leaves, one at least (its threads contended with the decoder for
// them); Close gives it back every core.
type Queue struct {
	s      *Store
	ctx    context.Context
	cancel context.CancelFunc
	opts   Options
	files  []string
	ahead  *aheadFile
	failed map[string]bool // files whose write failed
	// limited says the store's threads were limited for the decoder.
	limited bool
}

// aheadFile is a decode running on its own goroutine.
type aheadFile struct {
	i    int
	done chan struct{}
	p    *decoded
	err  error
}

// NewQueue returns a queue over files. Close it when done.
func (s *Store) NewQueue(ctx context.Context, files []string, opts Options) *Queue {
	ctx, cancel := context.WithCancel(ctx)
	return &Queue{s: s, ctx: ctx, cancel: cancel, opts: opts, files: files, failed: make(map[string]bool)}
}

// Ingest loads files[i] and returns what Store.Ingest would. Files may be
// skipped (a file not asked for is not loaded), but not revisited.
func (q *Queue) Ingest(i int) (*Result, error) {
	path := q.files[i]
	if !q.decodable(i) {
		q.drop()
		return q.s.Ingest(q.ctx, path, q.opts)
	}
	p, err := q.take(i)
	if err != nil {
		return nil, err
	}
	if p == nil || (p.assumed != "" && q.failed[p.assumed]) {
		if p, err = q.s.decodeDBN(q.ctx, path, q.opts, "", nil); err != nil {
			return nil, err
		}
	}
	if q.decodable(i + 1) {
		if err := q.limitThreads(); err != nil {
			return nil, err
		}
		q.start(i+1, p.pending())
	}
	res, err := q.s.ingest(q.ctx, path, q.opts, p)
	if err != nil {
		q.failed[path] = true
	}
	return res, err
}

// decodable reports whether files[i] is a DBN data file, which Queue decodes ahead.
func (q *Queue) decodable(i int) bool {
	if i >= len(q.files) || SupportFile(q.files[i]) != "" && q.opts.Format == "" {
		return false
	}
	f, err := detectFormat(q.files[i], q.opts.Format)
	return err == nil && f == "dbn"
}

// start decodes files[i] on its own goroutine.
func (q *Queue) start(i int, pending *pendingSpans) {
	a := &aheadFile{i: i, done: make(chan struct{})}
	q.ahead = a
	go func() {
		defer close(a.done)
		a.p, a.err = q.s.decodeDBN(q.ctx, q.files[i], q.opts, "", pending)
	}()
}

// take returns the decode of files[i] if it ran ahead, after it finishes, and
// drops any other.
func (q *Queue) take(i int) (*decoded, error) {
	a := q.ahead
	if a == nil {
		return nil, nil
	}
	q.ahead = nil
	<-a.done
	if a.i != i {
		return nil, nil
	}
	if a.err != nil && q.ctx.Err() == nil {
		return nil, nil // decode again, in line, to report the error as Ingest does
	}
	return a.p, a.err
}

// drop waits for a decode running ahead and discards it.
func (q *Queue) drop() {
	if a := q.ahead; a != nil {
		q.ahead = nil
		<-a.done
	}
}

// limitThreads leaves the decoder a core, once.
func (q *Queue) limitThreads() error {
	if q.limited {
		return nil
	}
	q.limited = true
	return q.s.setThreads(context.WithoutCancel(q.ctx), max(1, runtime.NumCPU()-1))
}

// Close stops a decode running ahead, waits for it, and gives the store back
// its threads.
func (q *Queue) Close() error {
	q.cancel()
	q.drop()
	if !q.limited {
		return nil
	}
	q.limited = false
	return q.s.setThreads(context.WithoutCancel(q.ctx), 0)
}

// setThreads sets the threads of the store's DuckDB to n, or back to its
// default (every core) when n <= 0.
func (s *Store) setThreads(ctx context.Context, n int) error {
	if err := duckfile.SetThreads(ctx, s.db, n); err != nil {
		return fmt.Errorf("market: %w", err)
	}
	return nil
}
