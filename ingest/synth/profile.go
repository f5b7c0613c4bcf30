package synth

import (
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"github.com/optsweep/sweep/sim/calendar"
)

// assetKind is the kind of an option underlying.
type assetKind uint8

const (
	kindIndex assetKind = iota // cash-settled, European (SPX)
	kindETF                    // tracks the market, no earnings
	kindStock                  // single stock: earnings, idiosyncratic moves
)

// strikeRule names how a chain's strike increments are chosen.
type strikeRule uint8

const (
	strikesIndex  strikeRule = iota // 5 points near the money, 25 beyond
	strikesETF                      // $1 near the money, $5 beyond
	strikesEquity                   // $1 under $25, $2.50 under $200, else $5; twice that far out
)

// profile describes how one symbol behaves: its price process, dividends, earnings,
// option chain and liquidity.
type profile struct {
	symbol    string
	kind      assetKind
	price0    float64 // price on the first generated day (ignored when tracksSPX)
	tracksSPX bool    // price is the SPX level times a ratio (SPY)
	beta      float64 // loading on the market's returns
	idioVol   float64 // annual idiosyncratic volatility
	jumpRate  float64 // idiosyncratic jumps per year
	divYield  float64 // annual dividend yield; 0 for none
	divMonth  int     // first month (1-3) of the quarterly ex-dividend cycle
	earnMove  float64 // standard deviation of the earnings-day move; 0 for none
	earnDay   int     // earnings fall this many days after the 15th of Jan/Apr/Jul/Oct

	strikes   strikeRule
	pennyAll  bool    // quoted in pennies at every price (SPY, QQQ, IWM)
	dailies   bool    // has Monday-Thursday expirations
	weeklies  bool    // has Friday weekly expirations
	relSpread float64 // bid/ask spread as a fraction of the mid, at the money
	volume    float64 // daily contracts traded in a front at-the-money contract
	sizeScale float64 // typical quoted size
	skew      skewParams
}

// skewParams shapes the smile as an SVI-like curve of implied variance in
// moneyness x (standard deviations): σ(x)² = atm²·(1 + beta·(rho·x + √(x²+c²) − c)).
// The wings grow like √|x| in volatility, so option prices stay monotone and
// convex in the strike however far out the chain goes.
type skewParams struct {
	beta, rho, c float64
}

// indexSkew is the steep put skew of index and ETF options: a 25-delta put about
// 1.4 times the at-the-money vol and a 25-delta call about 0.85.
func indexSkew() skewParams { return skewParams{beta: 1.0, rho: -0.9, c: 0.55} }

// stockSkew is the flatter, more symmetric smile of single stocks.
func stockSkew() skewParams { return skewParams{beta: 0.5, rho: -0.5, c: 0.5} }

// profileFor returns the profile of a symbol: a built-in one for well-known names and
// otherwise one derived from a hash of the name, so any ticker works and always
// behaves the same.
func profileFor(sym string) (profile, error) {
	if err := validSymbol(sym); err != nil {
		return profile{}, err
	}
	etf := func(p profile) profile {
		p.kind, p.strikes, p.pennyAll, p.dailies, p.weeklies = kindETF, strikesETF, true, true, true
		p.relSpread, p.sizeScale, p.skew = 0.008, 300, indexSkew()
		return p
	}
	stock := func(p profile) profile {
		p.kind, p.strikes, p.weeklies = kindStock, strikesEquity, true
		p.relSpread, p.sizeScale, p.skew, p.jumpRate = 0.02, 40, stockSkew(), 0.5
		return p
	}
	switch sym {
	case "SPX":
		return profile{symbol: sym, kind: kindIndex, price0: 4750, beta: 1, strikes: strikesIndex,
			dailies: true, weeklies: true, relSpread: 0.010, volume: 4000, sizeScale: 40, skew: indexSkew()}, nil
	case "SPY":
		return etf(profile{symbol: sym, tracksSPX: true, beta: 1, divYield: 0.013, divMonth: 3, volume: 3000}), nil
	case "QQQ":
		return etf(profile{symbol: sym, price0: 400, beta: 1.2, idioVol: 0.07, divYield: 0.006, divMonth: 3, volume: 3000}), nil
	case "IWM":
		return etf(profile{symbol: sym, price0: 195, beta: 1.15, idioVol: 0.10, divYield: 0.012, divMonth: 3, volume: 1500}), nil
	case "AAPL":
		return stock(profile{symbol: sym, price0: 185, beta: 1.15, idioVol: 0.17, divYield: 0.005, divMonth: 2, earnMove: 0.045, earnDay: 16, volume: 2500}), nil
	case "MSFT":
		return stock(profile{symbol: sym, price0: 375, beta: 1.05, idioVol: 0.16, divYield: 0.008, divMonth: 2, earnMove: 0.045, earnDay: 10, volume: 1200}), nil
	case "NVDA":
		return stock(profile{symbol: sym, price0: 480, beta: 1.7, idioVol: 0.35, divYield: 0.0004, divMonth: 3, earnMove: 0.08, earnDay: 38, volume: 2500}), nil
	case "TSLA":
		return stock(profile{symbol: sym, price0: 240, beta: 1.6, idioVol: 0.45, earnMove: 0.09, earnDay: 8, volume: 3000}), nil
	case "AMD": // the demo's high-volatility names: total volatility about 75% before the implied premium
		return stock(profile{symbol: sym, price0: 12, beta: 1.9, idioVol: 0.68, earnMove: 0.10, earnDay: 14, volume: 2500}), nil
	case "FCX":
		return stock(profile{symbol: sym, price0: 15, beta: 1.8, idioVol: 0.66, divYield: 0.01, divMonth: 1, earnMove: 0.07, earnDay: 10, volume: 1500}), nil
	case "AMZN":
		return stock(profile{symbol: sym, price0: 150, beta: 1.2, idioVol: 0.22, earnMove: 0.06, earnDay: 17, volume: 1500}), nil
	case "JPM":
		return stock(profile{symbol: sym, price0: 170, beta: 1.0, idioVol: 0.15, divYield: 0.025, divMonth: 1, earnMove: 0.03, earnDay: -3, volume: 600}), nil
	case "KO":
		return stock(profile{symbol: sym, price0: 60, beta: 0.55, idioVol: 0.12, divYield: 0.03, divMonth: 3, earnMove: 0.025, earnDay: 9, volume: 400}), nil
	case "F":
		return stock(profile{symbol: sym, price0: 12, beta: 1.2, idioVol: 0.25, divYield: 0.05, divMonth: 2, earnMove: 0.05, earnDay: 12, volume: 800}), nil
	}
	return derivedProfile(sym), nil
}

// derivedProfile makes a plausible single stock from a hash of its name.
func derivedProfile(sym string) profile {
	h := fnv.New64a()
	h.Write([]byte(sym))
	x := h.Sum64()
	u := func(lo, hi float64) float64 { // successive 10-bit slices of the hash
		f := float64(x&1023) / 1023
		x >>= 10
		return lo + f*(hi-lo)
	}
	p := profile{symbol: sym, kind: kindStock, strikes: strikesEquity, weeklies: true,
		relSpread: 0.025, sizeScale: 30, skew: stockSkew(), jumpRate: 0.5}
	p.price0 = math.Round(math.Exp(u(math.Log(20), math.Log(400)))*100) / 100
	p.beta = u(0.7, 1.5)
	p.idioVol = u(0.15, 0.45)
	p.earnMove = u(0.03, 0.09)
	p.earnDay = int(u(0, 25))
	if y := u(-0.02, 0.035); y > 0 {
		p.divYield = y
	}
	p.divMonth = 1 + int(u(0, 2.99))
	p.volume = u(200, 1200)
	return p
}

// validSymbol accepts tickers that can be option roots: 1-6 of A-Z, 0-9 and '.'.
func validSymbol(sym string) error {
	if sym == "" || len(sym) > 6 {
		return fmt.Errorf("symbol %q: want 1 to 6 characters", sym)
	}
	for i := 0; i < len(sym); i++ {
		c := sym[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.') {
			return fmt.Errorf("symbol %q: character %q not allowed (want A-Z, 0-9 or '.')", sym, c)
		}
	}
	switch sym {
	case "VIX", "VIX3M":
		return fmt.Errorf("symbol %q: VIX and VIX3M are always generated as index bars; options on them are not", sym)
	}
	return nil
}

// strikeSteps returns the fine and coarse strike increments, in thousandths of a
// dollar, for a new expiration listed with the underlying at price.
func (p *profile) strikeSteps(price float64) (fine, coarse int64) {
	switch p.strikes {
	case strikesIndex:
		return 5000, 25000
	case strikesETF:
		return 1000, 5000
	}
	switch {
	case price < 25:
		return 1000, 1000
	case price < 200:
		return 2500, 5000
	}
	return 5000, 10000
}

// tick returns the minimum price increment for an option premium.
func (p *profile) tick(premium float64) float64 {
	switch {
	case p.kind == kindIndex && premium < 3:
		return 0.05
	case p.kind == kindIndex:
		return 0.10
	case p.pennyAll || premium < 3:
		return 0.01
	}
	return 0.05
}

// hasDaily reports whether a product with daily expirations has one on date d,
// roughly as they were introduced: Fridays always; Mondays and Wednesdays from 2016
// (SPX) or 2018 (the ETFs); Tuesdays and Thursdays from 2022-05-11 (SPX) or
// 2022-11-14 (the ETFs).
func (p *profile) hasDaily(d time.Time) bool {
	if !p.dailies {
		return false
	}
	mw, tt := calendar.Date(2018, 1, 1), calendar.Date(2022, 11, 14)
	if p.kind == kindIndex {
		mw, tt = calendar.Date(2016, 8, 15), calendar.Date(2022, 5, 11)
	}
	switch d.Weekday() {
	case time.Friday:
		return true
	case time.Monday, time.Wednesday:
		return !d.Before(mw)
	case time.Tuesday, time.Thursday:
		return !d.Before(tt)
	}
	return false
}

// roots returns the option roots of the symbol: the PM root used for weeklies and
// dailies and the root of the standard monthlies (AM-settled for SPX).
func (p *profile) roots() (weekly, monthly string) {
	if p.kind == kindIndex {
		return p.symbol + "W", p.symbol
	}
	return p.symbol, p.symbol
}

// symbolSeed returns a stable 64-bit key of a symbol for random streams.
func symbolSeed(sym string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(sym))
	return h.Sum64()
}
