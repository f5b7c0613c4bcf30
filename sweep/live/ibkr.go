package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
)

// IBKRGateway is the Client Portal gateway's default address.
const IBKRGateway = "https://localhost:5000/v1/api"

// comboConid is IBKR's conid for a USD combo (spread) order.
const comboConid = "28812380"

// IBKR is a sim/live Broker on Interactive Brokers' Client Portal Web API,
// through the local gateway, with plain net/http (no Go IBKR library is
// served here). It keeps the session alive (tickle, auth status,
// reauthenticate after a dropped session), finds option conids
// (secdef/search, strikes, info; SPX PM-settled options are trading class
// SPXW), sends single options as limit orders and spreads and condors as
// one combo order (conidex with legs and ratios, one limit for the whole
// package, positive a debit), answers the order-warning confirmation loop
// (iserver/reply), and reads order status and positions. The driver's client
// order id travels as cOID and comes back as order_ref.
type IBKR struct {
	base    string
	hc      *http.Client
	account string
	conids  map[sim.Contract]string
	under   map[string]string // underlying → conid
	ids     map[string]string // cOID → IBKR order id
	// Pause waits between polls of the auth status and of the first,
	// empty, market-data snapshot. Nil waits for nothing.
	Pause func(ctx context.Context) error
}

// NewIBKR returns the adapter for account at the gateway base (IBKRGateway
// by default) through hc (which must trust the gateway's certificate).
func NewIBKR(base string, hc *http.Client, account string) *IBKR {
	if base == "" {
		base = IBKRGateway
	}
	return &IBKR{base: strings.TrimRight(base, "/"), hc: hc, account: account, conids: map[sim.Contract]string{},
		under: map[string]string{}, ids: map[string]string{}}
}

// errSession marks a request refused because the gateway's session is not
// authenticated.
var errSession = errors.New("ibkr: the gateway session is not authenticated")

// call does one request and decodes its JSON answer into out.
func (b *IBKR) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return fmt.Errorf("ibkr: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusUnauthorized {
		return errSession
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("ibkr: %s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(data)))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("ibkr: %s %s: %w", method, path, err)
		}
	}
	return nil
}

// do is call with the session kept: a request refused for a dropped session
// is retried once after reauthenticating. Order placements are not passed
// through do (see Submit).
func (b *IBKR) do(ctx context.Context, method, path string, body, out any) error {
	err := b.call(ctx, method, path, body, out)
	if !errors.Is(err, errSession) {
		return err
	}
	if err := b.Reauthenticate(ctx); err != nil {
		return err
	}
	return b.call(ctx, method, path, body, out)
}

// Tickle keeps the gateway session alive (call it every minute or so) and
// reports whether it is authenticated.
func (b *IBKR) Tickle(ctx context.Context) (bool, error) {
	var r struct {
		Iserver struct {
			AuthStatus struct {
				Authenticated bool `json:"authenticated"`
			} `json:"authStatus"`
		} `json:"iserver"`
	}
	err := b.call(ctx, http.MethodPost, "/tickle", struct{}{}, &r)
	return r.Iserver.AuthStatus.Authenticated, err
}

// Reauthenticate asks the gateway to restore a dropped brokerage session
// and waits (up to 10 polls of iserver/auth/status) until it has. A session
// the gateway lost entirely needs a browser login to the gateway again.
func (b *IBKR) Reauthenticate(ctx context.Context) error {
	if err := b.call(ctx, http.MethodPost, "/iserver/reauthenticate", struct{}{}, nil); err != nil && !errors.Is(err, errSession) {
		return err
	}
	for i := 0; i < 10; i++ {
		var st struct {
			Authenticated bool `json:"authenticated"`
			Connected     bool `json:"connected"`
		}
		if err := b.call(ctx, http.MethodPost, "/iserver/auth/status", struct{}{}, &st); err != nil && !errors.Is(err, errSession) {
			return err
		}
		if st.Authenticated {
			return nil
		}
		if err := b.pause(ctx); err != nil {
			return err
		}
	}
	return errors.New("ibkr: the gateway did not reauthenticate: log in to the gateway (https://localhost:5000) again")
}

func (b *IBKR) pause(ctx context.Context) error {
	if b.Pause != nil {
		return b.Pause(ctx)
	}
	return ctx.Err()
}

// Account implements sim/live.Broker. Paper account ids start with "DU".
func (b *IBKR) Account(ctx context.Context) (slive.Account, error) {
	var s map[string]struct {
		Amount float64 `json:"amount"`
	}
	if err := b.do(ctx, http.MethodGet, "/portfolio/"+b.account+"/summary", nil, &s); err != nil {
		return slive.Account{}, err
	}
	return slive.Account{ID: b.account, Paper: strings.HasPrefix(strings.ToUpper(b.account), "DU"),
		Cash: s["totalcashvalue"].Amount, BuyingPower: s["buyingpower"].Amount, Equity: s["netliquidation"].Amount}, nil
}

type ibPosition struct {
	Conid     int64   `json:"conid"`
	Position  float64 `json:"position"`
	AvgPrice  float64 `json:"avgPrice"`
	AssetCls  string  `json:"assetClass"`
	Ticker    string  `json:"ticker"`
	Strike    any     `json:"strike"`
	PutOrCall string  `json:"putOrCall"`
	Expiry    string  `json:"expiry"`
	Mult      float64 `json:"multiplier"`
}

// Positions implements sim/live.Broker.
func (b *IBKR) Positions(ctx context.Context) ([]slive.Holding, error) {
	var ps []ibPosition
	if err := b.do(ctx, http.MethodGet, "/portfolio/"+b.account+"/positions/0", nil, &ps); err != nil {
		return nil, err
	}
	out := make([]slive.Holding, 0, len(ps))
	for _, p := range ps {
		h := slive.Holding{Symbol: p.Ticker, Qty: int(p.Position)}
		if p.AssetCls == "OPT" {
			exp, err := time.Parse("20060102", p.Expiry)
			k, err2 := strconv.ParseFloat(fmt.Sprint(p.Strike), 64)
			if err != nil || err2 != nil || (p.PutOrCall != "P" && p.PutOrCall != "C") {
				return nil, fmt.Errorf("ibkr: position %d: expiry %q strike %v right %q", p.Conid, p.Expiry, p.Strike, p.PutOrCall)
			}
			h.Contract = sim.Contract{Underlying: p.Ticker, Expiration: sim.DayOf(exp), PutCall: p.PutOrCall[0], Strike: k}
			h.Price = p.AvgPrice / math.Max(p.Mult, 1)
		} else {
			h.Price = p.AvgPrice
		}
		out = append(out, h)
	}
	return out, nil
}

// underlying returns the conid of symbol's stock or index.
func (b *IBKR) underlying(ctx context.Context, symbol string) (string, error) {
	if c, ok := b.under[symbol]; ok {
		return c, nil
	}
	var rs []struct {
		Conid json.Number `json:"conid"`
	}
	if err := b.do(ctx, http.MethodGet, "/iserver/secdef/search?symbol="+url.QueryEscape(symbol), nil, &rs); err != nil {
		return "", err
	}
	if len(rs) == 0 {
		return "", fmt.Errorf("ibkr: no contract %s", symbol)
	}
	b.under[symbol] = rs[0].Conid.String()
	return b.under[symbol], nil
}

// Conid returns the conid of option c: secdef/info on the underlying's
// conid for c's month, strike and right, then the one maturing on c's
// expiration in the right trading class (SPXW for PM-settled SPX options).
func (b *IBKR) Conid(ctx context.Context, c sim.Contract) (string, error) {
	if id, ok := b.conids[c]; ok {
		return id, nil
	}
	u, err := b.underlying(ctx, c.Underlying)
	if err != nil {
		return "", err
	}
	exp := sim.DayTime(c.Expiration)
	month := strings.ToUpper(exp.Format("Jan06"))
	q := url.Values{"conid": {u}, "sectype": {"OPT"}, "month": {month}, "strike": {strconv.FormatFloat(c.Strike, 'f', -1, 64)},
		"right": {string(c.PutCall)}}
	var rs []struct {
		Conid        json.Number `json:"conid"`
		TradingClass string      `json:"tradingClass"`
		Maturity     string      `json:"maturityDate"`
	}
	if err := b.do(ctx, http.MethodGet, "/iserver/secdef/info?"+q.Encode(), nil, &rs); err != nil {
		return "", err
	}
	class := c.Underlying
	if c.Underlying == "SPX" && !c.AM {
		class = "SPXW"
	}
	for _, r := range rs {
		if r.Maturity == exp.Format("20060102") && r.TradingClass == class {
			b.conids[c] = r.Conid.String()
			return b.conids[c], nil
		}
	}
	return "", fmt.Errorf("ibkr: no %s option %v (trading class %s) in secdef/info", c.Underlying, c, class)
}

// Quotes returns bid and ask of each conid from market-data snapshots. The
// gateway answers a conid's first snapshot with no fields (it starts the
// subscription then); Quotes asks again, up to 5 times, until every conid
// has a bid and an ask.
func (b *IBKR) Quotes(ctx context.Context, conids []string) (bid, ask map[string]float64, err error) {
	bid, ask = map[string]float64{}, map[string]float64{}
	path := "/iserver/marketdata/snapshot?fields=84,86&conids=" + strings.Join(conids, ",")
	for i := 0; i < 5; i++ {
		var rs []map[string]any
		if err := b.do(ctx, http.MethodGet, path, nil, &rs); err != nil {
			return nil, nil, err
		}
		for _, r := range rs {
			id := fmt.Sprint(r["conid"])
			if v, ok := number(r["84"]); ok {
				bid[id] = v
			}
			if v, ok := number(r["86"]); ok {
				ask[id] = v
			}
		}
		if len(bid) == len(conids) && len(ask) == len(conids) {
			return bid, ask, nil
		}
		if err := b.pause(ctx); err != nil {
			return nil, nil, err
		}
	}
	return bid, ask, fmt.Errorf("ibkr: no quotes for %d of %d conids after 5 snapshots", len(conids)-min(len(bid), len(ask)), len(conids))
}

func number(v any) (float64, bool) {
	if v == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimLeft(fmt.Sprint(v), "CH"), 64) // "C" and "H" prefix closing and halted prices
	return f, err == nil
}

type ibOrder struct {
	Conidex  string  `json:"conidex"`
	COID     string  `json:"cOID,omitempty"`
	Type     string  `json:"orderType"`
	Price    float64 `json:"price"`
	Side     string  `json:"side"`
	Quantity int     `json:"quantity"`
	TIF      string  `json:"tif"`
}

// ticket builds o as IBKR's order: a single option on its conid, or a combo
// on "28812380;;;conid/ratio,…" bought at one net limit (positive a debit).
func (b *IBKR) ticket(ctx context.Context, o *slive.Order) (ibOrder, error) {
	t := ibOrder{COID: o.ClientID, Type: "LMT", TIF: "DAY"}
	if len(o.Legs) == 0 || o.Shares != 0 {
		return t, fmt.Errorf("ibkr: order %s: share orders are not sent by this adapter", o.ClientID)
	}
	if len(o.Legs) == 1 {
		l := o.Legs[0]
		id, err := b.Conid(ctx, l.Contract)
		if err != nil {
			return t, err
		}
		t.Conidex, t.Quantity, t.Side = id, abs(l.Ratio)*o.Quantity, "BUY"
		t.Price = cents(o.Limit/float64(l.Ratio), l.Ratio > 0)
		if l.Ratio < 0 {
			t.Side = "SELL"
		}
		return t, nil
	}
	g := 0
	for _, l := range o.Legs {
		g = gcd(g, abs(l.Ratio))
	}
	parts := make([]string, len(o.Legs))
	for k, l := range o.Legs {
		id, err := b.Conid(ctx, l.Contract)
		if err != nil {
			return t, err
		}
		parts[k] = fmt.Sprintf("%s/%d", id, l.Ratio/g)
	}
	t.Conidex = comboConid + ";;;" + strings.Join(parts, ",")
	t.Quantity, t.Side, t.Price = g*o.Quantity, "BUY", cents(o.Limit/float64(g), true)
	return t, nil
}

// reply is one answer of the order endpoints: an order, or a warning to
// confirm.
type reply struct {
	ID       string   `json:"id"`
	Message  []string `json:"message"`
	OrderID  string   `json:"order_id"`
	Status   string   `json:"order_status"`
	LocalID  string   `json:"local_order_id"`
	ErrorMsg string   `json:"error"`
}

// confirm answers the gateway's order warnings (iserver/reply/{id},
// confirmed) until it returns the order, at most 5 times.
func (b *IBKR) confirm(ctx context.Context, rs []reply) (reply, error) {
	for i := 0; i < 5; i++ {
		if len(rs) == 0 {
			return reply{}, errors.New("ibkr: empty order answer")
		}
		r := rs[0]
		switch {
		case r.ErrorMsg != "":
			return r, fmt.Errorf("ibkr: order refused: %s", r.ErrorMsg)
		case r.OrderID != "":
			return r, nil
		case r.ID == "":
			return r, fmt.Errorf("ibkr: unexpected order answer %+v", r)
		}
		rs = nil
		if err := b.do(ctx, http.MethodPost, "/iserver/reply/"+r.ID, map[string]bool{"confirmed": true}, &rs); err != nil {
			return reply{}, err
		}
	}
	return reply{}, errors.New("ibkr: the gateway kept asking for confirmations")
}

// Submit implements sim/live.Broker. A placement refused for a dropped
// session is sent again only after reauthenticating and finding no order
// under its cOID.
func (b *IBKR) Submit(ctx context.Context, o *slive.Order) (slive.OrderState, error) {
	t, err := b.ticket(ctx, o)
	if err != nil {
		return slive.OrderState{}, err
	}
	var rs []reply
	path := "/iserver/account/" + b.account + "/orders"
	body := map[string][]ibOrder{"orders": {t}}
	err = b.call(ctx, http.MethodPost, path, body, &rs)
	if errors.Is(err, errSession) {
		if err := b.Reauthenticate(ctx); err != nil {
			return slive.OrderState{}, err
		}
		if st, ok, err := b.Lookup(ctx, o); err != nil || ok {
			return st, err
		}
		rs = nil
		err = b.call(ctx, http.MethodPost, path, body, &rs)
	}
	if err != nil {
		return slive.OrderState{}, err
	}
	r, err := b.confirm(ctx, rs)
	if err != nil {
		return slive.OrderState{}, err
	}
	b.ids[o.ClientID] = r.OrderID
	st, ok, err := b.Lookup(ctx, o)
	if err == nil && !ok {
		st = slive.OrderState{ClientID: o.ClientID, BrokerID: r.OrderID, Status: slive.StatusNew}
	}
	return st, err
}

type ibLive struct {
	OrderID   json.Number `json:"orderId"`
	Ref       string      `json:"order_ref"`
	Status    string      `json:"status"`
	Filled    json.Number `json:"filledQuantity"`
	AvgPrice  any         `json:"avgPrice"`
	Side      string      `json:"side"`
	Remaining json.Number `json:"remainingQuantity"`
}

func (b *IBKR) liveOrders(ctx context.Context) ([]ibLive, error) {
	var r struct {
		Orders []ibLive `json:"orders"`
	}
	err := b.do(ctx, http.MethodGet, "/iserver/account/orders", nil, &r)
	return r.Orders, err
}

// Lookup implements sim/live.Broker: the order whose order_ref is o's cOID
// among the session's orders.
func (b *IBKR) Lookup(ctx context.Context, o *slive.Order) (slive.OrderState, bool, error) {
	os, err := b.liveOrders(ctx)
	if err != nil {
		return slive.OrderState{}, false, err
	}
	for _, x := range os {
		if x.Ref == o.ClientID {
			b.ids[o.ClientID] = x.OrderID.String()
			return ibState(x, o), true, nil
		}
	}
	// A modified order keeps its first cOID: find a replacement by order id.
	if id, ok := b.ids[o.ClientID]; ok {
		for _, x := range os {
			if x.OrderID.String() == id {
				st := ibState(x, o)
				st.ClientID = o.ClientID
				return st, true, nil
			}
		}
	}
	return slive.OrderState{}, false, nil
}

// ibState is IBKR's order as the driver's state for its order o.
func ibState(x ibLive, o *slive.Order) slive.OrderState {
	st := slive.OrderState{ClientID: x.Ref, BrokerID: x.OrderID.String()}
	switch strings.ToLower(x.Status) {
	case "filled":
		st.Status = slive.StatusFilled
	case "cancelled", "apicancelled":
		st.Status = slive.StatusCancelled
	case "inactive":
		st.Status = slive.StatusRejected
	default:
		st.Status = slive.StatusNew
	}
	n, _ := x.Filled.Float64()
	if o == nil || len(o.Legs) == 0 {
		st.Filled = int(n)
		return st
	}
	f := factor(o)
	st.Filled = int(n) / abs(f)
	if st.Filled > 0 && st.Status == slive.StatusNew {
		st.Status = slive.StatusPartial
	}
	if p, ok := number(x.AvgPrice); ok && st.Filled > 0 {
		if len(o.Legs) == 1 {
			st.Price, st.LegPrices = p*float64(f), []float64{p}
		} else {
			st.Price = p * float64(f)
		}
	}
	return st
}

// OpenOrders implements sim/live.Broker.
func (b *IBKR) OpenOrders(ctx context.Context) ([]slive.OrderState, error) {
	os, err := b.liveOrders(ctx)
	if err != nil {
		return nil, err
	}
	var out []slive.OrderState
	for _, x := range os {
		if st := ibState(x, nil); !st.Status.Final() {
			b.ids[x.Ref] = x.OrderID.String()
			out = append(out, st)
		}
	}
	return out, nil
}

func (b *IBKR) orderID(ctx context.Context, clientID string) (string, error) {
	if id, ok := b.ids[clientID]; ok {
		return id, nil
	}
	if _, ok, err := b.Lookup(ctx, &slive.Order{ClientID: clientID}); err != nil {
		return "", err
	} else if !ok {
		return "", fmt.Errorf("ibkr: no order %s", clientID)
	}
	return b.ids[clientID], nil
}

// Replace implements sim/live.Broker: a modification of the working order's
// limit, which IBKR keeps under its order id; the new cOID is recorded
// against it.
func (b *IBKR) Replace(ctx context.Context, clientID string, o *slive.Order) (slive.OrderState, error) {
	id, err := b.orderID(ctx, clientID)
	if err != nil {
		return slive.OrderState{}, err
	}
	t, err := b.ticket(ctx, o)
	if err != nil {
		return slive.OrderState{}, err
	}
	var rs []reply
	if err := b.do(ctx, http.MethodPost, "/iserver/account/"+b.account+"/order/"+id, t, &rs); err != nil {
		return slive.OrderState{}, err
	}
	if _, err := b.confirm(ctx, rs); err != nil {
		return slive.OrderState{}, err
	}
	b.ids[o.ClientID] = id
	st, ok, err := b.Lookup(ctx, o)
	if err == nil && !ok {
		st = slive.OrderState{ClientID: o.ClientID, BrokerID: id, Status: slive.StatusNew}
	}
	return st, err
}

// Cancel implements sim/live.Broker.
func (b *IBKR) Cancel(ctx context.Context, clientID string) (slive.OrderState, error) {
	id, err := b.orderID(ctx, clientID)
	if err != nil {
		return slive.OrderState{}, err
	}
	if err := b.do(ctx, http.MethodDelete, "/iserver/account/"+b.account+"/order/"+id, nil, nil); err != nil {
		return slive.OrderState{}, err
	}
	st, ok, err := b.Lookup(ctx, &slive.Order{ClientID: clientID})
	if err == nil && !ok {
		st = slive.OrderState{ClientID: clientID, BrokerID: id, Status: slive.StatusCancelled}
	}
	return st, err
}
