package live

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// ClientID returns the client order id of rung rung (0 for the first
// placement, n for its n-th replacement) of order index k of step step of
// session day, for strategy instance instance. The same inputs always give
// the same id, which is what lets a restart find an order it sent before
// crashing instead of sending it again. Ids are at most 48 characters of
// [A-Za-z0-9-], as Alpaca and IBKR accept.
//
//	sw-<instance>-<YYYYMMDD>-s<step>-o<k>-r<rung>
func ClientID(instance string, day int32, step, k, rung int) string {
	return fmt.Sprintf("sw-%s-%s-s%d-o%d-r%d", idPart(instance), strings.ReplaceAll(sim.DayString(day), "-", ""), step, k, rung)
}

// idPart returns instance as a short id-safe token: its safe characters when
// they fit in 16, else a prefix and a hash of the whole name.
func idPart(instance string) string {
	var b strings.Builder
	for _, r := range instance {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) <= 16 && len(s) == len(instance) {
		return s
	}
	h := strconv.FormatUint(fill.KeyHash(instance), 36)
	if len(h) > 8 {
		h = h[:8]
	}
	return s[:min(len(s), 7)] + h
}
