package feed_test

import "os"

func mkdirTemp() (string, error) { return os.MkdirTemp("", "feed-test-") }
