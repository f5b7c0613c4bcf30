package market

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
)

// storageSigns are what DuckDB's errors say when the disk under the database
// failed: a full disk, a quota, an I/O error, or a database DuckDB gave up on.
var storageSigns = []string{
	"no space left on device", "disk quota exceeded", "file too large", "input/output error",
	"read-only file system", "database has been invalidated", "fatal error",
	"could not write file", "could not fsync", "could not truncate file",
}

// IsStorageError reports whether err comes from the storage under the
// database rather than from the file being loaded. Loading more files after
// one is pointless, and unsafe: the next commit may be the one DuckDB cannot
// finish. The failed file's transaction is rolled back, so stopping leaves
// every committed file and its ingest_log row as they were.
func IsStorageError(err error) bool {
	if err == nil {
		return false
	}
	var errno syscall.Errno
	if errors.As(err, &errno) && (errno == syscall.ENOSPC || errno == syscall.EDQUOT || errno == syscall.EIO ||
		errno == syscall.EROFS || errno == syscall.EFBIG) {
		return true
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && IsStorageError(pe.Err) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range storageSigns {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
