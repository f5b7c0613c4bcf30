package market

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// ingestSupport handles a batch support file. metadata.json and manifest.json are
// checked and described but change nothing, so they are not logged and are checked
// again on every run; symbology.json and condition.json load in one transaction
// and are logged like data files.
func (s *Store) ingestSupport(ctx context.Context, path, kind string, res *Result) error {
	res.Format = strings.TrimSuffix(kind, ".json")
	switch kind {
	case BatchMetadata:
		return describeMetadata(path, res)
	case BatchManifest:
		entries, err := CheckManifest(path)
		if err != nil {
			return err
		}
		hashed := 0
		for _, e := range entries {
			if e.SHA256 != "" {
				hashed++
			}
		}
		res.Records = int64(len(entries))
		res.Notes = append(res.Notes, fmt.Sprintf("batch manifest: all %d listed files present with the sizes it gives (%d SHA-256 checked)",
			len(entries), hashed))
		return nil
	}
	var prior string
	if err := s.db.QueryRowContext(ctx, `SELECT path FROM ingest_log WHERE sha256 = ?`, res.SHA256).Scan(&prior); err == nil {
		res.Skipped = true
		res.Notes = append(res.Notes, "already ingested (same SHA-256) from "+prior)
		return nil
	}
	dataset, err := batchDataset(filepath.Dir(path))
	if err != nil {
		return err
	}
	res.Dataset = dataset
	if kind == BatchSymbology {
		return s.ingestSymbology(ctx, path, dataset, res)
	}
	return s.ingestConditions(ctx, path, dataset, res)
}

func describeMetadata(path string, res *Result) error {
	var m jobMetadata
	if err := readJSON(path, &m); err != nil {
		return err
	}
	q := m.query()
	if q.Dataset == "" {
		return fmt.Errorf("market: %s: no dataset in it (want Databento's metadata.json layout)", path)
	}
	res.Dataset, res.Schema = q.Dataset, q.Schema
	job := m.JobID
	if job == "" {
		job = "(no job id)"
	}
	res.Notes = append(res.Notes, fmt.Sprintf("batch job %s: %s %s, stype %s -> %s, start %s, end %s",
		job, q.Dataset, q.Schema, q.StypeIn, q.StypeOut, rawOr(q.Start), rawOr(q.End)))
	return nil
}

func rawOr(b []byte) string {
	if len(b) == 0 {
		return "-"
	}
	return strings.Trim(string(b), `"`)
}

// ingestSymbology loads symbology.json into instrument_ids, so that DBN files of
// the batch that carry no symbol mappings resolve their instrument ids.
func (s *Store) ingestSymbology(ctx context.Context, path, dataset string, res *Result) error {
	md, err := readSymbology(path)
	if err != nil {
		return err
	}
	md.Dataset = dataset
	res.Schema = "symbology"
	for _, m := range md.Mappings {
		res.Records += int64(len(m.Intervals))
	}
	return s.withMappings(ctx, md, func(t *tx, st *stager, syms *symtab, known []idSpan) error {
		r := newResolver()
		for _, sp := range known {
			r.add(sp.id, sp.start, sp.end, sp.sym)
		}
		added := r.addMetadata(md, syms)
		for _, sp := range added {
			if err := st.id(dataset, sp, syms.syms[sp.sym].name); err != nil {
				return err
			}
		}
		parents := 0
		for _, m := range md.Mappings {
			if strings.HasSuffix(m.RawSymbol, ".OPT") {
				parents += len(m.Intervals)
			}
		}
		if parents > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%d intervals of parent symbols (.OPT) name no contract: those ids resolve from definitions", parents))
		}
		if n := len(md.NotFound); n > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%d requested symbols were not found by the vendor", n))
		}
		if n := len(md.Partial); n > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%d requested symbols resolved for only part of the range", n))
		}
		if res.Rows, err = st.merge(); err != nil {
			return err
		}
		return logFile(t, res)
	})
}

// ingestConditions records condition.json in dataset_conditions and sets or
// clears FlagDegraded on the option rows of the days it covers.
func (s *Store) ingestConditions(ctx context.Context, path, dataset string, res *Result) error {
	days, err := readConditions(path)
	if err != nil {
		return err
	}
	res.Schema = "condition"
	res.Records = int64(len(days))
	count := map[string]int{}
	for _, d := range days {
		count[d.Condition]++
	}
	for _, c := range []string{"degraded", "pending", "missing"} {
		if count[c] > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%d days %s: their option rows are flagged (flags & %d)", count[c], c, FlagDegraded))
		}
	}
	return s.withTx(ctx, func(t *tx) error {
		st, err := newStager(t)
		if err != nil {
			return err
		}
		defer st.close()
		for _, d := range days {
			if err := st.append("stage_conditions", dataset, d.Date, d.Condition, d.LastModified); err != nil {
				return err
			}
		}
		if res.Rows, err = st.merge(); err != nil {
			return err
		}
		n, err := t.exec(fmt.Sprintf(`UPDATE option_quotes SET flags = CASE WHEN c.condition = 'available'
				THEN flags & ~%[1]d::UTINYINT ELSE flags | %[1]d::UTINYINT END
			FROM stage_conditions c
			WHERE option_quotes.trade_date = c.trade_date
			AND (c.dataset LIKE 'OPRA%%' OR option_quotes.osi IN (SELECT osi FROM instruments WHERE dataset = c.dataset))`,
			FlagDegraded))
		if err != nil {
			return fmt.Errorf("market: flag degraded days: %w", err)
		}
		if n > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%d option rows already in the store re-flagged", n))
		}
		return logFile(t, res)
	})
}

// flagImpairedDays sets FlagDegraded on the option rows a DBN file of dataset just
// staged whose days dataset_conditions marks impaired.
func flagImpairedDays(t *tx, dataset string, res *Result) error {
	n, err := t.queryInt(`SELECT count(*) FROM dataset_conditions WHERE dataset = ? AND condition <> 'available'`, dataset)
	if err != nil || n == 0 {
		return err
	}
	n, err = t.exec(fmt.Sprintf(`UPDATE option_quotes SET flags = flags | %d::UTINYINT
		WHERE trade_date IN (SELECT trade_date FROM dataset_conditions WHERE dataset = ? AND condition <> 'available')
		AND osi IN (SELECT osi FROM stage_syms)`, FlagDegraded), dataset)
	if err != nil {
		return fmt.Errorf("market: flag degraded days: %w", err)
	}
	if n > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d option rows on days condition.json marks degraded, pending or missing flagged", n))
	}
	return nil
}

// flagAdjusted sets FlagAdjusted on the option rows of contracts whose
// definitions give a deliverable other than 100 shares (OCC's adjusted contracts
// after a split, merger or special dividend), among the contracts a file just
// staged quotes or definitions for. Strategies select only unflagged rows, so an
// adjusted contract is never chosen; its quotes are kept for exits and queries.
func flagAdjusted(t *tx, res *Result) error {
	n, err := t.queryInt(`SELECT count(*) FROM instruments WHERE multiplier <> 100`)
	if err != nil || n == 0 {
		return err
	}
	n, err = t.exec(fmt.Sprintf(`UPDATE option_quotes SET flags = flags | %[1]d::UTINYINT
		WHERE flags & %[1]d::UTINYINT = 0
		AND osi IN (SELECT osi FROM instruments WHERE multiplier <> 100)
		AND osi IN (SELECT osi FROM stage_syms UNION ALL SELECT osi FROM stage_instruments)`, FlagAdjusted))
	if err != nil {
		return fmt.Errorf("market: flag adjusted contracts: %w", err)
	}
	if n > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d option rows of adjusted contracts (deliverable not 100 shares) flagged: strategies skip them", n))
	}
	return nil
}
