// Package greeks computes Black-Scholes-Merton prices, greeks and implied volatilities
// for whole option chains at once.
//
// A Chain holds one underlying's contracts in struct-of-arrays form: the spot S, the
// continuously compounded rate r and dividend yield q once, and per contract the strike
// K, the time to expiry T, the right (call or put) and optionally the exercise style.
// Compute writes prices and greeks, and ImpliedVol implied volatilities, into slices
// the caller owns; neither allocates. Option offers the same one contract at a time.
//
// # Conventions and units
//
//   - T is calendar time to settlement in years of 365 days (DaysPerYear); the caller
//     computes it (16:00 ET for PM-settled, 09:30 ET for AM-settled expirations).
//   - Volatilities are fractions per √year: 0.2 is 20%.
//   - Prices are per unit of underlying, in the currency of S and K.
//   - Delta is ∂V/∂S; gamma ∂²V/∂S².
//   - ThetaPerYear is ∂V/∂t, the change in value as calendar time passes, per year;
//     ThetaPerDay is the same per calendar day (ThetaPerYear/365). Both are usually
//     negative for long options.
//   - VegaPerPoint is the change in value for a one-point rise in volatility (σ up by
//     0.01); RhoPerPoint the same for r up by 0.01 with q fixed. Multiply by 100 for
//     derivatives per unit of σ or r (QuantLib's convention).
//
// Contracts whose inputs cannot be valued get NaN in every output and a Reason code;
// a run over a chain never stops, loops or panics because of one bad contract.
//
// # European options
//
// Prices and greeks use the closed-form Black-Scholes-Merton formulas. The option on
// the out-of-the-money side of the forward is computed directly and its partner from
// put-call parity, so both keep full relative accuracy and satisfy parity to rounding.
// Normal probabilities come from a table-driven Mills ratio Φ(−z)/φ(z) accurate to two
// units in the last place over the whole line, so far-wing values keep their relative
// accuracy down to underflow.
//
// Implied volatility follows P. Jäckel, "Let's Be Rational" (Wilmott, January 2015):
// the price is normalised on the forward F = S·e^{(r−q)T} and mapped to an
// out-of-the-money call, an initial guess comes from one of four rational-cubic
// interpolants in transformed coordinates, and at most two third-order Householder
// steps follow. The recovered σ is within 1e-12 relative (in the tests, 7e-14 at
// worst) wherever the price determines it that well, that is wherever rounding the
// price and the forward to float64 moves σ by less than 1e-13; elsewhere it is as good
// as those roundings allow. Prices of 1e-12 and below, and subnormal prices, invert to
// full accuracy. The work per contract is bounded.
//
// Compute and ImpliedVol carry contracts through their formulas in blocks, one stage
// at a time across the block, so that the processor overlaps many contracts' chains of
// dependent operations; the one-contract API runs the same stages on a block of one
// and gives identical results. Contracts next to each other in a chain share what they
// have in common: the factors of an expiry; in Compute, a call and a put at the same
// strike, expiry and volatility share everything but the last combination (each is
// the other's put-call parity partner); in ImpliedVol, contracts at the same strike
// and expiry share the normalisation and the parts of the initial guess that do not
// depend on the price. Chains listed by expiry, then strike, with the call and the put
// of a strike together, get the most from this. Built with GOEXPERIMENT=simd on amd64
// and run on a processor with AVX-512, Compute takes the European formulas eight
// contracts at a time, with the same results bit for bit.
//
// # American options
//
// Single-stock and ETF options are American; index options (SPX, XSP, NDX) are
// European. The style is set per contract. American values use the approximation of
// Bjerksund and Stensland (2002), as given in Haug's "Complete Guide to Option Pricing
// Formulas" (2nd ed.), which lies between the 1993 version and the exact value; greeks
// are central finite differences of it, and implied volatility is a bracketed root
// search on it. A call on an underlying without dividends, or a put when r ≤ 0, is
// never exercised early and is valued as European. The American path is slow: tens of
// microseconds per contract for price and greeks, about as much per implied volatility.
package greeks
