package wheel

import (
	"fmt"
	"sort"
	"strings"
)

// State is a wheel's place in its life cycle (seed 001's state machine).
type State string

// The states. WHEEL_COMPLETE is the one terminal state.
const (
	CSPOpen            State = "CSP_OPEN"
	CSPClosedProfit    State = "CSP_CLOSED_PROFIT"
	CSPClosedStop      State = "CSP_CLOSED_STOP"
	CSPClosedTime      State = "CSP_CLOSED_TIME" // max_hold_dte exit (not in the seed, which leaves it unimplemented)
	CSPAssigned        State = "CSP_ASSIGNED"
	CSPClosedWorthless State = "CSP_CLOSED_WORTHLESS"
	CCOpen             State = "CC_OPEN"
	CCClosedProfit     State = "CC_CLOSED_PROFIT"
	CCClosedTime       State = "CC_CLOSED_TIME"
	CCAssigned         State = "CC_ASSIGNED"
	CCClosedWorthless  State = "CC_CLOSED_WORTHLESS"
	Complete           State = "WHEEL_COMPLETE"
)

// Events that move a wheel.
const (
	EvProfitTarget = "profit_target"
	EvStopLoss     = "stop_loss"
	EvTimeExit     = "time_exit"
	EvAssigned     = "assigned"
	EvWorthless    = "expired_worthless"
	EvSellCall     = "sell_call"
	EvCalledAway   = "called_away"
	EvComplete     = "complete"
)

type edge struct {
	from  State
	event string
}

// transitions is the whole machine: every legal (state, event) pair.
var transitions = map[edge]State{
	{CSPOpen, EvProfitTarget}: CSPClosedProfit,
	{CSPOpen, EvStopLoss}:     CSPClosedStop,
	{CSPOpen, EvTimeExit}:     CSPClosedTime,
	{CSPOpen, EvAssigned}:     CSPAssigned,
	{CSPOpen, EvWorthless}:    CSPClosedWorthless,

	{CSPAssigned, EvSellCall}: CCOpen,
	{CSPAssigned, EvComplete}: Complete, // the shares are sold without a call

	{CCOpen, EvProfitTarget}: CCClosedProfit,
	{CCOpen, EvTimeExit}:     CCClosedTime,
	{CCOpen, EvCalledAway}:   CCAssigned,
	{CCOpen, EvWorthless}:    CCClosedWorthless,

	{CSPClosedProfit, EvComplete}:    Complete,
	{CSPClosedStop, EvComplete}:      Complete,
	{CSPClosedTime, EvComplete}:      Complete,
	{CSPClosedWorthless, EvComplete}: Complete,
	{CCClosedProfit, EvComplete}:     Complete,
	{CCClosedTime, EvComplete}:       Complete,
	{CCAssigned, EvComplete}:         Complete,
	{CCClosedWorthless, EvComplete}:  Complete,
}

// Advance returns the state event leads to from s, or an error naming the
// events legal from s. An illegal transition is never skipped silently.
func Advance(s State, event string) (State, error) {
	if to, ok := transitions[edge{s, event}]; ok {
		return to, nil
	}
	var legal []string
	for e := range transitions {
		if e.from == s {
			legal = append(legal, e.event)
		}
	}
	sort.Strings(legal)
	return s, fmt.Errorf("wheel: illegal transition: event %q in state %s (legal: %s)", event, s, strings.Join(legal, ", "))
}

// Phase returns "csp", "cc" or "total" (for WHEEL_COMPLETE).
func (s State) Phase() string {
	switch {
	case strings.HasPrefix(string(s), "CSP"):
		return "csp"
	case strings.HasPrefix(string(s), "CC"):
		return "cc"
	}
	return "total"
}

// Terminal reports whether s is WHEEL_COMPLETE.
func (s State) Terminal() bool { return s == Complete }
