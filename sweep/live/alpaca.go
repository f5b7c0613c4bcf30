package live

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alpacahq/alpaca-trade-api-go/v3/alpaca"
	"github.com/shopspring/decimal"

	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
)

// Alpaca is a sim/live Broker on Alpaca's trading API through the official
// SDK (github.com/alpacahq/alpaca-trade-api-go/v3), unchanged. Single-leg
// orders are simple limit orders on the OCC symbol with a position intent;
// packages of two to four legs are multi-leg (mleg) orders with ratio
// quantities and one net limit price (positive a debit, negative a credit).
// Every order carries the driver's client order id, and is looked up by it.
// Alpaca trades equity and ETF options, not index options: NewAlpaca's
// callers refuse SPX, XSP and NDX (Tradable).
type Alpaca struct {
	c   *alpaca.Client
	ids map[string]string // client order id → Alpaca order id
}

// NewAlpaca returns the adapter on c (alpaca.NewClient: keys from
// APCA_API_KEY_ID and APCA_API_SECRET_KEY, base URL from opts or
// APCA_API_BASE_URL).
func NewAlpaca(c *alpaca.Client) *Alpaca { return &Alpaca{c: c, ids: map[string]string{}} }

// Tradable reports why Alpaca cannot trade options on symbol ("" when it
// can): it lists equity and ETF options only.
func Tradable(symbol string) string {
	switch strings.ToUpper(symbol) {
	case "SPX", "SPXW", "XSP", "NDX", "NDXP", "RUT", "VIX":
		return fmt.Sprintf("Alpaca trades equity and ETF options, not index options such as %s: use --broker ibkr (or SPY for a proxy)", symbol)
	}
	return ""
}

// OCC returns the compact OCC symbol Alpaca names contract c by:
// root, YYMMDD, P or C, strike × 1000 in 8 digits ("SPY240119P00470000").
func OCC(c sim.Contract) string {
	return fmt.Sprintf("%s%s%c%08d", c.Underlying, sim.DayTime(c.Expiration).Format("060102"), c.PutCall,
		int64(math.Round(c.Strike*1000)))
}

// ParseOCC reads a compact OCC symbol.
func ParseOCC(s string) (sim.Contract, error) {
	if len(s) < 16 {
		return sim.Contract{}, fmt.Errorf("alpaca: option symbol %q is too short", s)
	}
	n := len(s)
	root, date, pc, strike := s[:n-15], s[n-15:n-9], s[n-9], s[n-8:]
	d, err := time.Parse("060102", date)
	k, err2 := strconv.ParseInt(strike, 10, 64)
	if err != nil || err2 != nil || (pc != 'P' && pc != 'C') {
		return sim.Contract{}, fmt.Errorf("alpaca: option symbol %q: want ROOT YYMMDD P|C 8-digit strike", s)
	}
	return sim.Contract{Underlying: root, Expiration: sim.DayOf(d), PutCall: pc, Strike: float64(k) / 1000}, nil
}

// Account implements sim/live.Broker. Alpaca's paper account numbers start
// with "PA".
func (a *Alpaca) Account(context.Context) (slive.Account, error) {
	ac, err := a.c.GetAccount()
	if err != nil {
		return slive.Account{}, fmt.Errorf("alpaca: account: %w", err)
	}
	return slive.Account{ID: ac.AccountNumber, Paper: strings.HasPrefix(ac.AccountNumber, "PA"),
		Cash: ac.Cash.InexactFloat64(), BuyingPower: ac.BuyingPower.InexactFloat64(), Equity: ac.Equity.InexactFloat64()}, nil
}

// Positions implements sim/live.Broker.
func (a *Alpaca) Positions(context.Context) ([]slive.Holding, error) {
	ps, err := a.c.GetPositions()
	if err != nil {
		return nil, fmt.Errorf("alpaca: positions: %w", err)
	}
	out := make([]slive.Holding, 0, len(ps))
	for _, p := range ps {
		q := int(p.Qty.IntPart())
		if p.Side == "short" && q > 0 {
			q = -q
		}
		h := slive.Holding{Symbol: p.Symbol, Qty: q, Price: p.AvgEntryPrice.InexactFloat64()}
		if p.AssetClass == "us_option" {
			c, err := ParseOCC(p.Symbol)
			if err != nil {
				return nil, err
			}
			h.Symbol, h.Contract = c.Underlying, c
		}
		out = append(out, h)
	}
	return out, nil
}

// OpenOrders implements sim/live.Broker.
func (a *Alpaca) OpenOrders(context.Context) ([]slive.OrderState, error) {
	os, err := a.c.GetOrders(alpaca.GetOrdersRequest{Status: "open", Limit: 500, Nested: true})
	if err != nil {
		return nil, fmt.Errorf("alpaca: open orders: %w", err)
	}
	out := make([]slive.OrderState, len(os))
	for i := range os {
		a.ids[os[i].ClientOrderID] = os[i].ID
		out[i] = a.state(&os[i], nil)
	}
	return out, nil
}

// Submit implements sim/live.Broker. A client order id Alpaca already holds
// (422) is answered by looking it up, never by a second order.
func (a *Alpaca) Submit(ctx context.Context, o *slive.Order) (slive.OrderState, error) {
	req, err := placeRequest(o)
	if err != nil {
		return slive.OrderState{}, err
	}
	got, err := a.c.PlaceOrder(req)
	if err != nil {
		var ae *alpaca.APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusUnprocessableEntity && strings.Contains(ae.Message, "client_order_id") {
			if st, ok, lerr := a.Lookup(ctx, o); lerr == nil && ok {
				return st, nil
			}
		}
		return slive.OrderState{}, fmt.Errorf("alpaca: place %s: %w", o.ClientID, err)
	}
	a.ids[o.ClientID] = got.ID
	return a.state(got, o), nil
}

// placeRequest is o as Alpaca's order request.
func placeRequest(o *slive.Order) (alpaca.PlaceOrderRequest, error) {
	if why := Tradable(o.Symbol); why != "" {
		return alpaca.PlaceOrderRequest{}, errors.New("alpaca: " + why)
	}
	req := alpaca.PlaceOrderRequest{Type: alpaca.Limit, TimeInForce: alpaca.Day, ClientOrderID: o.ClientID}
	switch {
	case len(o.Legs) == 0:
		return req, fmt.Errorf("alpaca: order %s has no option legs (share orders are not sent by this adapter)", o.ClientID)
	case o.Shares != 0:
		return req, fmt.Errorf("alpaca: order %s closes shares with its legs: close the shares separately", o.ClientID)
	case len(o.Legs) == 1:
		l := o.Legs[0]
		qty := decimal.NewFromInt(int64(abs(l.Ratio) * o.Quantity))
		limit := decimal.NewFromFloat(cents(o.Limit/float64(l.Ratio), l.Ratio > 0))
		req.Symbol, req.Qty, req.LimitPrice = OCC(l.Contract), &qty, &limit
		req.Side, req.PositionIntent = side(l.Ratio, o.Close)
		return req, nil
	}
	g := 0
	for _, l := range o.Legs {
		g = gcd(g, abs(l.Ratio))
	}
	qty := decimal.NewFromInt(int64(g * o.Quantity))
	limit := decimal.NewFromFloat(cents(o.Limit/float64(g), true))
	req.OrderClass, req.Qty, req.LimitPrice = alpaca.MLeg, &qty, &limit
	for _, l := range o.Legs {
		s, pi := side(l.Ratio, o.Close)
		req.Legs = append(req.Legs, alpaca.Leg{Symbol: OCC(l.Contract), Side: s, PositionIntent: pi,
			RatioQty: decimal.NewFromInt(int64(abs(l.Ratio / g)))})
	}
	return req, nil
}

// cents rounds a limit to whole cents toward the market's side (up for a
// buy, down for a sell), so a limit at the fill model's price stays
// marketable at it.
func cents(x float64, buy bool) float64 {
	c := x * 100
	if buy {
		c = math.Ceil(c - 1e-7)
	} else {
		c = math.Floor(c + 1e-7)
	}
	return c / 100
}

func side(ratio int, closing bool) (alpaca.Side, alpaca.PositionIntent) {
	switch {
	case ratio > 0 && closing:
		return alpaca.Buy, alpaca.BuyToClose
	case ratio > 0:
		return alpaca.Buy, alpaca.BuyToOpen
	case closing:
		return alpaca.Sell, alpaca.SellToClose
	}
	return alpaca.Sell, alpaca.SellToOpen
}

// Lookup implements sim/live.Broker.
func (a *Alpaca) Lookup(_ context.Context, o *slive.Order) (slive.OrderState, bool, error) {
	got, err := a.c.GetOrderByClientOrderID(o.ClientID)
	if err != nil {
		var ae *alpaca.APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
			return slive.OrderState{}, false, nil
		}
		return slive.OrderState{}, false, fmt.Errorf("alpaca: look up %s: %w", o.ClientID, err)
	}
	a.ids[o.ClientID] = got.ID
	return a.state(got, o), true, nil
}

// id returns Alpaca's order id of clientID.
func (a *Alpaca) id(clientID string) (string, error) {
	if id, ok := a.ids[clientID]; ok {
		return id, nil
	}
	got, err := a.c.GetOrderByClientOrderID(clientID)
	if err != nil {
		return "", fmt.Errorf("alpaca: look up %s: %w", clientID, err)
	}
	a.ids[clientID] = got.ID
	return got.ID, nil
}

// Replace implements sim/live.Broker: a PATCH of the order's limit under
// o's client id.
func (a *Alpaca) Replace(_ context.Context, clientID string, o *slive.Order) (slive.OrderState, error) {
	id, err := a.id(clientID)
	if err != nil {
		return slive.OrderState{}, err
	}
	req, err := placeRequest(o)
	if err != nil {
		return slive.OrderState{}, err
	}
	got, err := a.c.ReplaceOrder(id, alpaca.ReplaceOrderRequest{LimitPrice: req.LimitPrice, ClientOrderID: o.ClientID})
	if err != nil {
		return slive.OrderState{}, fmt.Errorf("alpaca: replace %s by %s: %w", clientID, o.ClientID, err)
	}
	a.ids[o.ClientID] = got.ID
	return a.state(got, o), nil
}

// Cancel implements sim/live.Broker.
func (a *Alpaca) Cancel(ctx context.Context, clientID string) (slive.OrderState, error) {
	id, err := a.id(clientID)
	if err != nil {
		return slive.OrderState{}, err
	}
	if err := a.c.CancelOrder(id); err != nil {
		var ae *alpaca.APIError
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnprocessableEntity { // 422: no longer cancelable
			return slive.OrderState{}, fmt.Errorf("alpaca: cancel %s: %w", clientID, err)
		}
	}
	got, err := a.c.GetOrder(id)
	if err != nil {
		return slive.OrderState{}, fmt.Errorf("alpaca: cancel %s: %w", clientID, err)
	}
	return a.state(got, nil), nil
}

// factor returns how many of Alpaca's order units make one unit of o, with
// the sign that turns Alpaca's price into o's (positive paid): the leg's
// ratio for a single leg (Alpaca's unit is one contract at a positive
// price), the ratios' common divisor for a multi-leg order (Alpaca's net
// price is signed already).
func factor(o *slive.Order) int {
	if len(o.Legs) == 1 {
		return o.Legs[0].Ratio
	}
	g := 0
	for _, l := range o.Legs {
		g = gcd(g, abs(l.Ratio))
	}
	return g
}

// state is Alpaca's order as the driver's OrderState for its order o: units
// and prices per share per unit of o, signed (positive paid).
func (a *Alpaca) state(got *alpaca.Order, o *slive.Order) slive.OrderState {
	st := slive.OrderState{ClientID: got.ClientOrderID, BrokerID: got.ID}
	switch got.Status {
	case "filled":
		st.Status = slive.StatusFilled
	case "partially_filled":
		st.Status = slive.StatusPartial
	case "canceled", "cancelled":
		st.Status = slive.StatusCancelled
	case "replaced":
		st.Status, st.Reason = slive.StatusCancelled, "replaced"
	case "rejected":
		st.Status = slive.StatusRejected
	case "expired", "done_for_day":
		st.Status = slive.StatusExpired
	default:
		st.Status = slive.StatusNew
	}
	if o == nil || len(o.Legs) == 0 {
		st.Filled = int(got.FilledQty.IntPart())
		return st
	}
	f := factor(o)
	st.Filled = int(got.FilledQty.IntPart()) / abs(f)
	if got.FilledAvgPrice == nil || st.Filled == 0 {
		return st
	}
	p := got.FilledAvgPrice.InexactFloat64()
	if len(o.Legs) == 1 {
		st.Price, st.LegPrices = p*float64(f), []float64{p}
		return st
	}
	st.Price = p * float64(f)
	if len(got.Legs) == len(o.Legs) {
		for _, l := range got.Legs {
			if l.FilledAvgPrice == nil {
				st.LegPrices = nil
				break
			}
			st.LegPrices = append(st.LegPrices, l.FilledAvgPrice.InexactFloat64())
		}
	}
	return st
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
