package live

import (
	"context"
	"sort"
	"sync"

	"github.com/optsweep/sweep/sim"
)

// RecordKind says what a journal record closes.
type RecordKind string

// Record kinds.
const (
	KindTick       RecordKind = "tick"        // a decision time
	KindSessionEnd RecordKind = "session_end" // the end of a session: exits, expiry, assignment, marks
)

// Intent is an order the driver is about to send, journaled (durably) before
// it is: the key to finding it again after a crash.
type Intent struct {
	Tick  Tick
	Index int // the order's index in the strategy's step
	Rung  int // 0 for the first placement, n for its n-th replacement
	Order Order
	// Kind, Position, Tag and Reason are the strategy order's.
	Kind     sim.OrderKind
	Position int64
	Tag      string
	Reason   string
}

// Fill is an execution the book took.
type Fill struct {
	ClientID string
	Index    int // order index within the step
	Kind     sim.OrderKind
	Position int64 // position the fill opened or changed
	Units    int
	Price    float64 // package price per share per unit
	Model    float64 // the fill model's price for the same quote (slippage = Price − Model)
	Legs     []float64
	Fees     float64
}

// BookState is the book as marked after a tick.
type BookState struct {
	Cash, Equity, Collateral float64
	Holdings                 []Holding
}

// Record is the outcome of one tick or one session end: what the journal
// writes in one transaction.
type Record struct {
	Kind     RecordKind
	Tick     Tick // for a session end, only Day
	Orders   []OrderState
	Fills    []Fill
	Events   []sim.BookEvent
	Notes    []sim.Note
	Refusals []Refusal // orders not sent, and why
	Messages []string  // reconciliation differences, dry-run orders, the kill switch
	Book     BookState
}

// Journal is the run's durable record. Intent must be durable when it
// returns (the driver sends nothing before); Commit writes one record in one
// transaction. Answer and Past read what earlier processes wrote.
type Journal interface {
	// Intent records an intent; recording one already there changes nothing.
	Intent(ctx context.Context, in *Intent) error
	// Commit writes rec, with every order state and fill in it.
	Commit(ctx context.Context, rec *Record) error
	// Answer returns the last final state journaled for clientID.
	Answer(ctx context.Context, clientID string) (st OrderState, ok bool, err error)
	// Past returns the committed records' kinds and ticks, in order, and the
	// ticks with intents but no committed record (a crash in between).
	Past(ctx context.Context) (done []Record, pending []Tick, err error)
}

// MemJournal is a Journal in memory: for tests and dry runs. A Record's
// slices are kept as given.
type MemJournal struct {
	mu      sync.Mutex
	intents []Intent
	known   map[string]bool // client ids of intents
	records []Record
	answers map[string]OrderState
}

// Intent implements Journal.
func (j *MemJournal) Intent(_ context.Context, in *Intent) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.known == nil {
		j.known = map[string]bool{}
	}
	if j.known[in.Order.ClientID] {
		return nil
	}
	j.known[in.Order.ClientID] = true
	j.intents = append(j.intents, *in)
	return nil
}

// Commit implements Journal.
func (j *MemJournal) Commit(_ context.Context, rec *Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.answers == nil {
		j.answers = map[string]OrderState{}
	}
	for _, st := range rec.Orders {
		if st.Status.Final() {
			j.answers[st.ClientID] = st
		}
	}
	j.records = append(j.records, *rec)
	return nil
}

// Answer implements Journal.
func (j *MemJournal) Answer(_ context.Context, clientID string) (OrderState, bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	st, ok := j.answers[clientID]
	return st, ok, nil
}

// Past implements Journal.
func (j *MemJournal) Past(_ context.Context) ([]Record, []Tick, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	done := append([]Record(nil), j.records...)
	seen := map[[2]int32]bool{}
	for _, r := range done {
		if r.Kind == KindTick {
			seen[tickKey(r.Tick)] = true
		}
	}
	var pending []Tick
	for _, in := range j.intents {
		if k := tickKey(in.Tick); !seen[k] {
			seen[k] = true
			pending = append(pending, in.Tick)
		}
	}
	sort.Slice(pending, func(a, b int) bool { return pending[a].Time.Before(pending[b].Time) })
	return done, pending, nil
}

// Records returns the committed records.
func (j *MemJournal) Records() []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Record(nil), j.records...)
}

// Intents returns the journaled intents in order.
func (j *MemJournal) Intents() []Intent {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Intent(nil), j.intents...)
}

func tickKey(t Tick) [2]int32 { return [2]int32{t.Day, int32(t.Step)} }
