package synth

import (
	"math"
	"time"
)

// Year fractions of the implied-volatility surface are calendar time, 365 days a year.
const yearNs = 365 * 24 * float64(time.Hour)

// minT keeps year fractions away from zero: one minute.
const minT = 1.0 / (365 * 24 * 60)

// atmVol returns the at-the-money implied volatility of u's options on session i for
// an expiration T years away whose expiry date is expiry: the premium-scaled expected
// variance over T (term structure from the variance's mean reversion), plus the
// variance of every earnings move before the expiry (run-up before, crush after).
func (u *underlying) atmVol(m *market, i int, T float64, expiry time.Time) float64 {
	T = math.Max(T, minT)
	p := &u.prof
	base := p.beta*p.beta*avgVariance(m.variance[i], T) + p.idioVol*p.idioVol
	if u.own {
		base = avgVariance(u.variance[i], T)
	}
	lvl := u.ivLevel[i] * termPremium(T)
	total := lvl*lvl*base*T + u.earningsVariance(m.days[i], expiry)
	return math.Sqrt(total / T)
}

// smileVol returns the implied volatility at log-moneyness k = ln(K/F) on an
// expiration T years away whose at-the-money volatility is atm. The smile is a
// function of moneyness in standard deviations, x = k/(atm·√T), steeper on the put
// side, and is steepest at a month: flatter (in x) for expirations beyond, and for
// the last days before expiry.
func smileVol(atm, T, k float64, s *skewParams) float64 {
	T = math.Max(T, minT)
	x := k / (atm * math.Sqrt(T))
	f := math.Pow(T*12, 0.15)
	if T > 1.0/12 {
		f = math.Pow(1.0/12/T, 0.25)
	}
	g := 1 + f*s.beta*(s.rho*x+math.Sqrt(x*x+s.c*s.c)-s.c)
	mult := math.Min(math.Max(math.Sqrt(math.Max(g, 0)), 0.4), 5)
	return math.Min(math.Max(atm*mult, 0.03), 4)
}

// bsPrice returns the Black-Scholes-Merton value of a European option.
func bsPrice(call bool, S, K, T, r, q, sigma float64) float64 {
	T = math.Max(T, minT)
	sq := sigma * math.Sqrt(T)
	d1 := (math.Log(S/K) + (r-q+sigma*sigma/2)*T) / sq
	d2 := d1 - sq
	dfq, dfr := math.Exp(-q*T), math.Exp(-r*T)
	if call {
		return S*dfq*normCDF(d1) - K*dfr*normCDF(d2)
	}
	return K*dfr*normCDF(-d2) - S*dfq*normCDF(-d1)
}

// bsDelta returns the Black-Scholes-Merton delta.
func bsDelta(call bool, S, K, T, r, q, sigma float64) float64 {
	T = math.Max(T, minT)
	sq := sigma * math.Sqrt(T)
	d1 := (math.Log(S/K) + (r-q+sigma*sigma/2)*T) / sq
	if call {
		return math.Exp(-q*T) * normCDF(d1)
	}
	return -math.Exp(-q*T) * normCDF(-d1)
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// riskFree returns the continuously compounded short rate on date d: a piecewise
// linear path through the rough level of US rates (near zero in 2020-2021, hikes in
// 2022-2023, cuts from late 2024).
func riskFree(d time.Time) float64 {
	type point struct {
		y, m, day int
		r         float64
	}
	pts := [...]point{
		{2000, 1, 1, 0.055}, {2000, 5, 16, 0.065}, {2001, 1, 3, 0.060}, {2001, 12, 11, 0.0175},
		{2003, 6, 25, 0.010}, {2004, 6, 30, 0.0125}, {2006, 6, 29, 0.0525}, {2007, 9, 18, 0.0475},
		{2008, 1, 22, 0.035}, {2008, 4, 30, 0.020}, {2008, 12, 16, 0.001},
		{2015, 1, 1, 0.001}, {2016, 12, 15, 0.006}, {2017, 12, 14, 0.014}, {2018, 12, 20, 0.024},
		{2019, 7, 31, 0.022}, {2019, 10, 31, 0.016}, {2020, 3, 2, 0.015}, {2020, 3, 16, 0.001},
		{2022, 3, 1, 0.002}, {2022, 6, 15, 0.016}, {2022, 9, 21, 0.031}, {2022, 12, 14, 0.043},
		{2023, 7, 26, 0.053}, {2024, 9, 18, 0.053}, {2024, 12, 18, 0.043}, {2025, 12, 31, 0.037},
	}
	at := func(p point) time.Time { return time.Date(p.y, time.Month(p.m), p.day, 0, 0, 0, 0, time.UTC) }
	if !d.After(at(pts[0])) {
		return pts[0].r
	}
	for k := 1; k < len(pts); k++ {
		b := at(pts[k])
		if d.After(b) {
			continue
		}
		a := at(pts[k-1])
		f := float64(d.Sub(a)) / float64(b.Sub(a))
		return pts[k-1].r + f*(pts[k].r-pts[k-1].r)
	}
	return pts[len(pts)-1].r
}
