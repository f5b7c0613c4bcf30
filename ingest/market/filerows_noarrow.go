//go:build !duckdb_arrow

package market

// bulkViews is empty in this build: loadBulk appends row by row.
type bulkViews struct{}

// register does nothing in this build.
func (fr *fileRows) register(*tx, *Store) (release func(), err error) { return func() {}, nil }

// loadBulk appends the option days and id mappings to the staging tables.
func (fr *fileRows) loadBulk(st *stager) error {
	for r := range fr.optionRows() {
		if err := st.option(r.day, r.sym, &fr.syms.syms[r.sym], &r.d); err != nil {
			return err
		}
	}
	for _, sp := range fr.spans {
		if err := st.id(fr.dataset, sp, fr.syms.syms[sp.sym].name); err != nil {
			return err
		}
	}
	return nil
}
