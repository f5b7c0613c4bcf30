package main

import (
	"os"
	"path/filepath"
	"strings"
)

// checkAllowDir refuses an --allow-files directory that does not exist or
// that holds the database (whose write-ahead log a COPY could then replace).
func checkAllowDir(dir, db string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return usageErrorf("--allow-files %s: %v", dir, err)
	}
	if !fi.IsDir() {
		return usageErrorf("--allow-files %s is not a directory", dir)
	}
	d, err1 := filepath.Abs(dir)
	f, err2 := filepath.Abs(db)
	if err1 != nil || err2 != nil {
		return usageErrorf("--allow-files %s: cannot resolve the path", dir)
	}
	if rd, err := filepath.EvalSymlinks(d); err == nil {
		d = rd
	}
	if rf, err := filepath.EvalSymlinks(filepath.Dir(f)); err == nil {
		f = filepath.Join(rf, filepath.Base(f))
	}
	if rel, err := filepath.Rel(d, f); err == nil && !strings.HasPrefix(rel, "..") {
		return usageErrorf("--allow-files %s holds the database %s itself; name a directory for exports only", dir, db)
	}
	return nil
}
