package live

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/alpacahq/alpaca-trade-api-go/v3/alpaca"
	"github.com/shopspring/decimal"
)

// exchange is a small stateful fake of Alpaca's trading API, speaking its
// documented JSON (orders, orders by client order id, replace, cancel,
// positions, account, clock) to the real SDK. An order is accepted when
// placed and steps through its states as it is read: a first read finds a
// multi-contract order partially filled, the next filled at its limit. The
// positions follow the fills.
type exchange struct {
	mu        sync.Mutex
	srv       *httptest.Server
	orders    map[string]*alpaca.Order // by id
	byClient  map[string]string
	reads     map[string]int
	positions map[string]decimal.Decimal // OCC symbol → signed qty
	avg       map[string]decimal.Decimal
	cash      decimal.Decimal
	seq       int
	posts     int // order placements received
	dups      int // placements refused for a duplicate client order id
	requests  []*alpaca.PlaceOrderRequest
	// onPost and onRead, when set, run after the exchange has taken a
	// placement (or answered a read by client id) and before it replies.
	onPost func(o *alpaca.Order)
	onRead func(o *alpaca.Order)
}

func newExchange() *exchange {
	x := &exchange{orders: map[string]*alpaca.Order{}, byClient: map[string]string{}, reads: map[string]int{},
		positions: map[string]decimal.Decimal{}, avg: map[string]decimal.Decimal{}, cash: decimal.NewFromInt(1_000_000)}
	x.srv = httptest.NewServer(http.HandlerFunc(x.serve))
	return x
}

func (x *exchange) client() *alpaca.Client {
	return alpaca.NewClient(alpaca.ClientOpts{APIKey: "test-key", APISecret: "test-secret", BaseURL: x.srv.URL, RetryLimit: 1})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, code, apiCode int, msg string) {
	writeJSON(w, code, map[string]any{"code": apiCode, "message": msg})
}

func (x *exchange) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("APCA-API-KEY-ID") != "test-key" || r.Header.Get("APCA-API-SECRET-KEY") != "test-secret" {
		apiErr(w, http.StatusUnauthorized, 40110000, "request is not authorized")
		return
	}
	p := r.URL.Path
	switch {
	case p == "/v2/account" && r.Method == http.MethodGet:
		x.mu.Lock()
		defer x.mu.Unlock()
		writeJSON(w, 200, map[string]any{"id": "acc-1", "account_number": "PA3TESTACCT", "status": "ACTIVE", "currency": "USD",
			"cash": x.cash.String(), "buying_power": x.cash.String(), "equity": x.cash.String(), "portfolio_value": x.cash.String()})
	case p == "/v2/clock":
		writeJSON(w, 200, map[string]any{"timestamp": time.Date(2024, 3, 1, 15, 45, 0, 0, time.UTC), "is_open": true,
			"next_open": time.Date(2024, 3, 4, 14, 30, 0, 0, time.UTC), "next_close": time.Date(2024, 3, 1, 21, 0, 0, 0, time.UTC)})
	case p == "/v2/positions" && r.Method == http.MethodGet:
		x.positionsJSON(w)
	case p == "/v2/orders" && r.Method == http.MethodPost:
		x.place(w, r)
	case p == "/v2/orders" && r.Method == http.MethodGet:
		x.mu.Lock()
		var out []alpaca.Order
		for _, o := range x.orders {
			if open(o.Status) {
				out = append(out, *o)
			}
		}
		x.mu.Unlock()
		sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
		writeJSON(w, 200, out)
	case p == "/v2/orders:by_client_order_id":
		x.mu.Lock()
		id, ok := x.byClient[r.URL.Query().Get("client_order_id")]
		if !ok {
			x.mu.Unlock()
			apiErr(w, http.StatusNotFound, 40410000, "order not found")
			return
		}
		o := x.read(id)
		x.mu.Unlock()
		if x.onRead != nil {
			x.onRead(&o)
		}
		writeJSON(w, 200, o)
	case strings.HasPrefix(p, "/v2/orders/"):
		x.byID(w, r, strings.TrimPrefix(p, "/v2/orders/"))
	default:
		apiErr(w, http.StatusNotFound, 40410000, "endpoint not found: "+r.Method+" "+p)
	}
}

func open(status string) bool {
	switch status {
	case "filled", "canceled", "replaced", "rejected", "expired":
		return false
	}
	return true
}

func (x *exchange) place(w http.ResponseWriter, r *http.Request) {
	var req alpaca.PlaceOrderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		apiErr(w, http.StatusUnprocessableEntity, 40010000, "malformed order: "+err.Error())
		return
	}
	x.mu.Lock()
	x.posts++
	if _, dup := x.byClient[req.ClientOrderID]; dup {
		x.dups++
		x.mu.Unlock()
		apiErr(w, http.StatusUnprocessableEntity, 40010001, "client_order_id must be unique")
		return
	}
	if req.Type != alpaca.Limit || req.LimitPrice == nil || req.Qty == nil || req.ClientOrderID == "" {
		x.mu.Unlock()
		apiErr(w, http.StatusUnprocessableEntity, 40010000, "options orders need qty, a limit price and a client_order_id")
		return
	}
	x.requests = append(x.requests, &req)
	o := x.newOrder(&req)
	cp := *o
	x.mu.Unlock()
	if x.onPost != nil {
		x.onPost(&cp)
	}
	writeJSON(w, 200, cp)
}

func (x *exchange) newOrder(req *alpaca.PlaceOrderRequest) *alpaca.Order {
	x.seq++
	o := &alpaca.Order{ID: fmt.Sprintf("ord-%04d", x.seq), ClientOrderID: req.ClientOrderID, Symbol: req.Symbol,
		AssetClass: "us_option", OrderClass: req.OrderClass, Type: req.Type, Side: req.Side, PositionIntent: req.PositionIntent,
		TimeInForce: req.TimeInForce, Status: "accepted", Qty: req.Qty, LimitPrice: req.LimitPrice, FilledQty: decimal.Zero,
		CreatedAt: time.Now().UTC(), SubmittedAt: time.Now().UTC()}
	if o.OrderClass == "" {
		o.OrderClass = alpaca.Simple
	}
	for _, l := range req.Legs {
		q := l.RatioQty
		o.Legs = append(o.Legs, alpaca.Order{Symbol: l.Symbol, Side: l.Side, PositionIntent: l.PositionIntent, RatioQty: &q,
			FilledQty: decimal.Zero, Status: "accepted", AssetClass: "us_option"})
	}
	x.orders[o.ID] = o
	x.byClient[o.ClientOrderID] = o.ID
	return o
}

// read advances order id one state (accepted → partially filled → filled;
// a one-lot order fills at once) and returns a copy.
func (x *exchange) read(id string) alpaca.Order {
	o := x.orders[id]
	x.reads[id]++
	if open(o.Status) {
		half := o.Qty.Div(decimal.NewFromInt(2)).Floor()
		if o.Status == "accepted" && half.IsPositive() {
			x.fill(o, half, "partially_filled")
		} else {
			x.fill(o, *o.Qty, "filled")
		}
	}
	return *o
}

// fill fills order o to total quantity at its limit.
func (x *exchange) fill(o *alpaca.Order, total decimal.Decimal, status string) {
	more := total.Sub(o.FilledQty)
	o.FilledQty, o.Status = total, status
	lim := *o.LimitPrice
	o.FilledAvgPrice = &lim
	if status == "filled" {
		now := time.Now().UTC()
		o.FilledAt = &now
	}
	if o.OrderClass != alpaca.MLeg {
		x.move(o.Symbol, o.Side, more, lim)
		x.cash = x.cash.Sub(signed(o.Side, more.Mul(lim).Mul(decimal.NewFromInt(100))))
		return
	}
	x.cash = x.cash.Sub(more.Mul(lim).Mul(decimal.NewFromInt(100)))
	for k := range o.Legs {
		l := &o.Legs[k]
		n := more.Mul(*l.RatioQty)
		l.FilledQty, l.Status = l.FilledQty.Add(n), status
		x.move(l.Symbol, l.Side, n, decimal.Zero)
	}
}

func signed(side alpaca.Side, v decimal.Decimal) decimal.Decimal {
	if side == alpaca.Sell {
		return v.Neg()
	}
	return v
}

func (x *exchange) move(symbol string, side alpaca.Side, n, price decimal.Decimal) {
	q := x.positions[symbol].Add(signed(side, n))
	if q.IsZero() {
		delete(x.positions, symbol)
		delete(x.avg, symbol)
		return
	}
	x.positions[symbol] = q
	if !price.IsZero() {
		x.avg[symbol] = price
	}
}

func (x *exchange) positionsJSON(w http.ResponseWriter) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []map[string]any
	keys := make([]string, 0, len(x.positions))
	for k := range x.positions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, s := range keys {
		q := x.positions[s]
		side := "long"
		if q.IsNegative() {
			side = "short"
		}
		out = append(out, map[string]any{"asset_id": "a-" + s, "symbol": s, "exchange": "OPRA", "asset_class": "us_option",
			"qty": q.String(), "qty_available": q.String(), "side": side, "avg_entry_price": x.avg[s].String(),
			"cost_basis": "0", "market_value": "0"})
	}
	writeJSON(w, 200, out)
}

func (x *exchange) byID(w http.ResponseWriter, r *http.Request, id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	o, ok := x.orders[id]
	if !ok {
		apiErr(w, http.StatusNotFound, 40410000, "order not found")
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, 200, *o)
	case http.MethodDelete:
		if !open(o.Status) {
			apiErr(w, http.StatusUnprocessableEntity, 42210000, "order is not cancelable")
			return
		}
		o.Status = "canceled"
		now := time.Now().UTC()
		o.CanceledAt = &now
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPatch:
		var req alpaca.ReplaceOrderRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.LimitPrice == nil {
			apiErr(w, http.StatusUnprocessableEntity, 40010000, "malformed replace")
			return
		}
		if !open(o.Status) || !o.FilledQty.IsZero() {
			apiErr(w, http.StatusUnprocessableEntity, 42210000, "order is not replaceable")
			return
		}
		if _, dup := x.byClient[req.ClientOrderID]; dup {
			apiErr(w, http.StatusUnprocessableEntity, 40010001, "client_order_id must be unique")
			return
		}
		o.Status = "replaced"
		pr := &alpaca.PlaceOrderRequest{Symbol: o.Symbol, Qty: o.Qty, Side: o.Side, Type: o.Type, TimeInForce: o.TimeInForce,
			LimitPrice: req.LimitPrice, ClientOrderID: req.ClientOrderID, OrderClass: o.OrderClass, PositionIntent: o.PositionIntent}
		for _, l := range o.Legs {
			pr.Legs = append(pr.Legs, alpaca.Leg{Symbol: l.Symbol, Side: l.Side, PositionIntent: l.PositionIntent, RatioQty: *l.RatioQty})
		}
		n := x.newOrder(pr)
		o.ReplacedBy, n.Replaces = &n.ID, &o.ID
		writeJSON(w, 200, *n)
	default:
		apiErr(w, http.StatusMethodNotAllowed, 40510000, "method not allowed")
	}
}
