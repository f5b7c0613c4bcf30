package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
)

// gateway is a small stateful fake of the Client Portal gateway speaking
// its documented JSON: session status and reauthentication, contract
// search and info (SPX with both its SPX and SPXW trading classes),
// snapshots whose first answer has no fields, order placement with a
// warning to confirm, order status, modify, cancel, positions and summary.
type gateway struct {
	mu       sync.Mutex
	srv      *httptest.Server
	dropped  bool // the brokerage session dropped: 401 until reauthenticated
	reauths  int
	placed   []ibOrder
	orders   []map[string]any
	replies  map[string]ibOrder
	seen     map[string]bool // conids snapshotted once
	seq      int
	position map[string]float64
}

func newGateway() *gateway {
	g := &gateway{replies: map[string]ibOrder{}, seen: map[string]bool{}, position: map[string]float64{}}
	g.srv = httptest.NewTLSServer(http.HandlerFunc(g.serve))
	return g
}

// conidOf names SPX option conids by class, maturity, right and strike.
func conidOf(class, maturity, right, strike string) string {
	return fmt.Sprintf("%d", len(class)*1_000_000+int(strikeNum(strike))*10+map[string]int{"P": 1, "C": 2}[right]) + maturity[6:]
}

func strikeNum(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := strings.TrimPrefix(r.URL.Path, "/v1/api")
	if p == "/iserver/reauthenticate" {
		g.reauths++
		g.dropped = false
		writeJSON(w, 200, map[string]string{"message": "triggered"})
		return
	}
	if g.dropped {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	q := r.URL.Query()
	switch {
	case p == "/tickle":
		writeJSON(w, 200, map[string]any{"session": "abc", "iserver": map[string]any{"authStatus": map[string]bool{"authenticated": true}}})
	case p == "/iserver/auth/status":
		writeJSON(w, 200, map[string]bool{"authenticated": true, "connected": true, "competing": false})
	case p == "/iserver/secdef/search":
		writeJSON(w, 200, []map[string]any{{"conid": 416904, "symbol": q.Get("symbol"), "sections": []map[string]string{{"secType": "OPT", "months": "MAR24"}}}})
	case p == "/iserver/secdef/info":
		var out []map[string]any
		for _, class := range []string{"SPX", "SPXW"} {
			for _, mat := range []string{"20240315", "20240314"} {
				out = append(out, map[string]any{"conid": json.Number(conidOf(class, mat, q.Get("right"), q.Get("strike"))), "symbol": "SPX",
					"tradingClass": class, "maturityDate": mat, "right": q.Get("right"), "strike": strikeNum(q.Get("strike")), "multiplier": "100"})
			}
		}
		writeJSON(w, 200, out)
	case p == "/iserver/marketdata/snapshot":
		var out []map[string]any
		for _, c := range strings.Split(q.Get("conids"), ",") {
			if !g.seen[c] { // the first snapshot of a conid has no fields
				g.seen[c] = true
				out = append(out, map[string]any{"conid": json.Number(c), "conidEx": c})
				continue
			}
			out = append(out, map[string]any{"conid": json.Number(c), "84": "4.10", "86": "4.30", "31": "C4.20"})
		}
		writeJSON(w, 200, out)
	case p == "/iserver/account/DU1234567/orders" && r.Method == http.MethodPost:
		var body struct{ Orders []ibOrder }
		json.NewDecoder(r.Body).Decode(&body)
		g.seq++
		id := fmt.Sprintf("reply-%d", g.seq)
		g.replies[id] = body.Orders[0]
		writeJSON(w, 200, []map[string]any{{"id": id, "message": []string{"You are submitting an order without market data. Are you sure?"},
			"isSuppressed": false, "messageIds": []string{"o354"}}})
	case strings.HasPrefix(p, "/iserver/reply/"):
		o, ok := g.replies[strings.TrimPrefix(p, "/iserver/reply/")]
		if !ok {
			writeJSON(w, 400, map[string]string{"error": "no such reply"})
			return
		}
		g.placed = append(g.placed, o)
		g.seq++
		oid := fmt.Sprintf("%d", 1000+g.seq)
		g.orders = append(g.orders, map[string]any{"orderId": json.Number(oid), "order_ref": o.COID, "status": "Submitted",
			"filledQuantity": json.Number("0"), "remainingQuantity": json.Number(fmt.Sprint(o.Quantity)), "avgPrice": nil,
			"side": o.Side, "conidex": o.Conidex, "price": o.Price, "qty": o.Quantity})
		writeJSON(w, 200, []map[string]any{{"order_id": oid, "order_status": "Submitted", "local_order_id": o.COID}})
	case p == "/iserver/account/orders":
		for _, o := range g.orders {
			if o["status"] == "Submitted" && o["visible"] == true { // filled at its limit on the second look
				o["status"], o["filledQuantity"], o["remainingQuantity"] = "Filled", json.Number(fmt.Sprint(o["qty"])), json.Number("0")
				o["avgPrice"] = fmt.Sprint(o["price"])
				for _, leg := range legsOf(o["conidex"].(string)) {
					g.position[leg.conid] += float64(leg.ratio * o["qty"].(int))
				}
			}
			o["visible"] = true
		}
		writeJSON(w, 200, map[string]any{"orders": g.orders, "snapshot": true})
	case strings.HasPrefix(p, "/iserver/account/DU1234567/order/"):
		id := strings.TrimPrefix(p, "/iserver/account/DU1234567/order/")
		for _, o := range g.orders {
			if fmt.Sprint(o["orderId"]) == id {
				if r.Method == http.MethodDelete {
					o["status"] = "Cancelled"
					writeJSON(w, 200, map[string]any{"msg": "Request was submitted", "order_id": id})
				} else {
					var t ibOrder
					json.NewDecoder(r.Body).Decode(&t)
					o["price"] = t.Price
					writeJSON(w, 200, []map[string]any{{"order_id": id, "order_status": "Submitted"}})
				}
				return
			}
		}
		writeJSON(w, 404, map[string]string{"error": "order not found"})
	case p == "/portfolio/DU1234567/positions/0":
		var out []map[string]any
		for c, n := range g.position {
			if n != 0 {
				out = append(out, map[string]any{"conid": json.Number(c), "position": n, "avgPrice": 410.0, "assetClass": "OPT",
					"ticker": "SPX", "strike": "5000", "putOrCall": "P", "expiry": "20240315", "multiplier": 100})
			}
		}
		writeJSON(w, 200, out)
	case p == "/portfolio/DU1234567/summary":
		writeJSON(w, 200, map[string]any{"totalcashvalue": map[string]any{"amount": 100000.0}, "buyingpower": map[string]any{"amount": 400000.0},
			"netliquidation": map[string]any{"amount": 100500.0}})
	default:
		writeJSON(w, 404, map[string]string{"error": "no endpoint " + r.Method + " " + p})
	}
}

type ibLeg struct {
	conid string
	ratio int
}

func legsOf(conidex string) []ibLeg {
	sign := 1
	if !strings.Contains(conidex, ";;;") {
		return []ibLeg{{conidex, sign}}
	}
	var out []ibLeg
	for _, part := range strings.Split(strings.SplitN(conidex, ";;;", 2)[1], ",") {
		c, r, _ := strings.Cut(part, "/")
		var n int
		fmt.Sscan(r, &n)
		out = append(out, ibLeg{c, n})
	}
	return out
}

func spx(exp string, pc byte, k float64, am bool) sim.Contract {
	return sim.Contract{Underlying: "SPX", Expiration: sim.DayOf(day(exp)), PutCall: pc, Strike: k, AM: am}
}

// TestIBKRCondor sends a 4-leg SPX iron condor as one combo through the
// fake gateway: conids of the SPXW class for PM-settled legs, the combo
// conidex with ratios, one net limit, the warning confirmed through
// iserver/reply, the order found by its cOID and filled.
func TestIBKRCondor(t *testing.T) {
	ctx := context.Background()
	g := newGateway()
	defer g.srv.Close()
	b := NewIBKR(g.srv.URL+"/v1/api", g.srv.Client(), "DU1234567")
	if ok, err := b.Tickle(ctx); err != nil || !ok {
		t.Fatalf("tickle: %v %v", ok, err)
	}
	legs := []sim.OrderLeg{{Contract: spx("2024-03-14", sim.Put, 4900, false), Ratio: 1}, {Contract: spx("2024-03-14", sim.Put, 4950, false), Ratio: -1},
		{Contract: spx("2024-03-14", sim.Call, 5250, false), Ratio: -1}, {Contract: spx("2024-03-14", sim.Call, 5300, false), Ratio: 1}}
	o := &slive.Order{ClientID: "sw-condor-20240301-s0-o0-r0", Symbol: "SPX", Legs: legs, Quantity: 2, Limit: -3.456}
	st, err := b.Submit(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.placed) != 1 || st.Status != slive.StatusNew {
		t.Fatalf("placed %d, state %+v", len(g.placed), st)
	}
	got := g.placed[0]
	want := "28812380;;;" + strings.Join([]string{conidOf("SPXW", "20240314", "P", "4900") + "/1", conidOf("SPXW", "20240314", "P", "4950") + "/-1",
		conidOf("SPXW", "20240314", "C", "5250") + "/-1", conidOf("SPXW", "20240314", "C", "5300") + "/1"}, ",")
	if got.Conidex != want || got.Price != -3.45 || got.Side != "BUY" || got.Quantity != 2 || got.COID != o.ClientID || got.Type != "LMT" {
		t.Errorf("combo ticket %+v\n want conidex %s at -3.45", got, want)
	}
	st, ok, err := b.Lookup(ctx, o)
	if err != nil || !ok || st.Status != slive.StatusFilled || st.Filled != 2 || st.Price != -3.45 {
		t.Errorf("lookup: %+v %v %v", st, ok, err)
	}
	hs, err := b.Positions(ctx)
	if err != nil || len(hs) != 4 {
		t.Errorf("positions %v %v", hs, err)
	}
	if ac, err := b.Account(ctx); err != nil || !ac.Paper || ac.Cash != 100000 {
		t.Errorf("account %+v %v", ac, err)
	}
	am, err := b.Conid(ctx, spx("2024-03-15", sim.Put, 5000, true))
	if err != nil || am != conidOf("SPX", "20240315", "P", "5000") {
		t.Errorf("AM-settled monthly conid %s %v, want the SPX class", am, err)
	}
}

// TestIBKRSession: a dropped session is reauthenticated and the request
// retried; a placement refused for it is looked up by cOID before it is
// sent again, and sent once.
func TestIBKRSession(t *testing.T) {
	ctx := context.Background()
	g := newGateway()
	defer g.srv.Close()
	b := NewIBKR(g.srv.URL+"/v1/api", g.srv.Client(), "DU1234567")
	o := &slive.Order{ClientID: "sw-x-20240301-s0-o0-r0", Symbol: "SPX", Quantity: 1, Limit: -4.2,
		Legs: []sim.OrderLeg{{Contract: spx("2024-03-14", sim.Put, 4950, false), Ratio: -1}}}
	if _, err := b.Conid(ctx, o.Legs[0].Contract); err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	g.dropped = true
	g.mu.Unlock()
	st, err := b.Submit(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if g.reauths != 1 || len(g.placed) != 1 || g.placed[0].Side != "SELL" || g.placed[0].Price != 4.2 || st.ClientID != o.ClientID {
		t.Errorf("reauths %d, placed %+v, state %+v", g.reauths, g.placed, st)
	}
	r := *o
	r.ClientID, r.Limit = "sw-x-20240301-s0-o0-r1", -4.1
	if st, err := b.Replace(ctx, o.ClientID, &r); err != nil || st.ClientID != r.ClientID {
		t.Errorf("replace: %+v %v", st, err)
	}
	if st, err := b.Cancel(ctx, r.ClientID); err != nil || !st.Status.Final() {
		t.Errorf("cancel: %+v %v", st, err)
	}
}

// TestIBKRSnapshot: the gateway's first snapshot of a conid is empty; Quotes
// asks again and returns bid and ask.
func TestIBKRSnapshot(t *testing.T) {
	g := newGateway()
	defer g.srv.Close()
	b := NewIBKR(g.srv.URL+"/v1/api", g.srv.Client(), "DU1234567")
	bid, ask, err := b.Quotes(context.Background(), []string{"101", "102"})
	if err != nil || bid["101"] != 4.10 || ask["102"] != 4.30 {
		t.Errorf("quotes %v %v %v", bid, ask, err)
	}
}
