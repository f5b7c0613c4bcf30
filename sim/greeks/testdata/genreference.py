#!/usr/bin/env python3
"""Generate the high-precision reference files used by the sim/greeks tests.

Run from sim/greeks:  python3 testdata/genreference.py
Needs mpmath. Everything is computed from the textbook formulas at 50 significant
digits and rounded once to float64 (printed with repr, which round-trips), so the
files are independent of the Go code under test.

Files:
  testdata/mills.csv    z,mills          Mills ratio Φ(−z)/φ(z), z from 0 to 1e6
  testdata/nblack.csv   x,s,b            normalised Black call b(x,s), x <= 0
  testdata/grid.csv     right,S,K,T,r,q,sigma,price,delta,gamma,vega,theta,rho
                        European BSM over T from one minute to 3 years, K/S from 0.3
                        to 3 and sigma from 1% to 300% (vega per 1.00 of vol, theta
                        per year, rho per 1.00 of rate)
  testdata/tiny.csv     right,S,K,T,r,q,price,sigma
                        volatilities at which out-of-the-money prices are 1e-12 and
                        other tiny values, found by root search at 50 digits
"""
import mpmath as mp

mp.mp.dps = 50


def Phi(z):
    return mp.erfc(-z / mp.sqrt(2)) / 2


def phi(z):
    return mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)


def nblack(x, s):
    x, s = mp.mpf(x), mp.mpf(s)
    return Phi(x / s + s / 2) * mp.exp(x / 2) - Phi(x / s - s / 2) * mp.exp(-x / 2)


def bsm(call, S, K, T, r, q, v):
    S, K, T, r, q, v = map(mp.mpf, (S, K, T, r, q, v))
    sd = v * mp.sqrt(T)
    F = S * mp.exp((r - q) * T)
    df = mp.exp(-r * T)
    d1 = mp.log(F / K) / sd + sd / 2
    d2 = d1 - sd
    th = 1 if call else -1
    price = th * df * (F * Phi(th * d1) - K * Phi(th * d2))
    delta = th * mp.exp(-q * T) * Phi(th * d1)
    gamma = mp.exp(-q * T) * phi(d1) / (S * sd)
    vega = S * mp.exp(-q * T) * phi(d1) * mp.sqrt(T)
    theta = (-S * mp.exp(-q * T) * phi(d1) * v / (2 * mp.sqrt(T))
             - th * r * K * df * Phi(th * d2) + th * q * S * mp.exp(-q * T) * Phi(th * d1))
    rho = th * K * T * df * Phi(th * d2)
    return price, delta, gamma, vega, theta, rho


def r17(v):
    return repr(float(v))


MINUTE = mp.mpf(1) / (365 * 24 * 60)


def main():
    with open("testdata/mills.csv", "w") as f:
        f.write("z,mills\n")
        zs = [i / 16 for i in range(0, 16 * 12)] + [12 + i / 2 for i in range(0, 60)] + [50, 100, 1e3, 1e4, 1e6]
        zs += [0.1 * 1.1 ** i for i in range(0, 60)]
        for z in sorted(set(zs)):
            z = mp.mpf(z)
            m = mp.sqrt(mp.pi / 2) * mp.erfc(z / mp.sqrt(2)) * mp.exp(z * z / 2)
            f.write("%s,%s\n" % (r17(z), r17(m)))
    with open("testdata/nblack.csv", "w") as f:
        f.write("x,s,b\n")
        xs = [0, -1e-12, -1e-6, -1e-3, -0.01, -0.1, -0.3, -1, -2, -5, -10, -30, -100, -300]
        ss = [1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.21, 0.3, 0.5, 1, 2, 3, 5, 10, 20]
        for x in xs:
            for s in ss:
                b = nblack(float(x), float(s))
                if b > mp.mpf("1e-300"):
                    f.write("%s,%s,%s\n" % (r17(x), r17(s), r17(b)))
    S, r, q = 100, 0.05, 0.02
    Ts = [MINUTE, 60 * MINUTE, 1 / mp.mpf(365), 7 / mp.mpf(365), 30 / mp.mpf(365), 0.5, 1, 3]
    ks = [0.3, 0.5, 0.7, 0.9, 0.97, 1, 1.03, 1.1, 1.5, 2, 3]
    vols = [0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3]
    with open("testdata/grid.csv", "w") as f:
        f.write("right,S,K,T,r,q,sigma,price,delta,gamma,vega,theta,rho\n")
        for T in Ts:
            T = float(T)
            for m in ks:
                K = S * m
                for v in vols:
                    for call in (True, False):
                        vals = bsm(call, S, K, T, r, q, v)
                        f.write(",".join(["C" if call else "P", r17(S), r17(K), r17(T), r17(r), r17(q), r17(v)]
                                         + [r17(x) for x in vals]) + "\n")
    with open("testdata/tiny.csv", "w") as f:
        f.write("right,S,K,T,r,q,price,sigma\n")
        for T in [MINUTE, 1 / mp.mpf(365), 30 / mp.mpf(365), 1, 3]:
            T = float(T)
            for m in [0.3, 0.5, 0.8, 0.95, 1.05, 1.25, 2, 3]:
                K = S * m
                call = m > 1  # out of the money
                for target in ["1e-12", "1e-9", "1e-6"]:
                    target = mp.mpf(target)

                    def g(lv):
                        return mp.log(bsm(call, S, K, T, r, q, mp.exp(lv))[0]) - mp.log(target)

                    lo, hi = mp.log(mp.mpf("1e-4")), mp.log(mp.mpf(20))
                    if g(lo) > 0 or g(hi) < 0:
                        continue
                    for _ in range(400):
                        mid = (lo + hi) / 2
                        if g(mid) > 0:
                            hi = mid
                        else:
                            lo = mid
                    sigma = mp.exp((lo + hi) / 2)
                    price = float(target)
                    f.write(",".join(["C" if call else "P", r17(S), r17(K), r17(T), r17(r), r17(q),
                                      r17(price), r17(sigma)]) + "\n")


if __name__ == "__main__":
    main()
