"""Independent reference numbers for lib/halo tests (numpy/scipy; run: python3 ref_halo.py).

Each block re-derives a published formula by hand from the paper's equations,
without using the TypeScript implementation.
"""
import numpy as np
from scipy.optimize import brentq

# Tinker et al. 2008 eq. 3 with Table 2 (Delta = 200): A=0.186, a=1.47, b=2.57, c=1.19
A, a, b, c = 0.186, 1.47, 2.57, 1.19
for s in [0.5, 1.0, 2.0]:
    print("T08 f(sigma=%g) = %r" % (s, A * ((s / b) ** -a + 1) * np.exp(-c / s**2)))
# z-evolution, eqs. 5-8, at z = 1 for Delta = 200
alpha = 10 ** (-(0.75 / np.log10(200 / 75)) ** 1.2)
print("T08 z=1 Delta=200: A=%r a=%r b=%r alpha=%r" % (A * 2**-0.14, a * 2**-0.06, b * 2**-alpha, alpha))

# Tinker et al. 2010 eq. 6 + Table 2, Delta = 200
y = np.log10(200.0)
e = np.exp(-(4 / y) ** 4)
BA = 1 + 0.24 * y * e; ba = 0.44 * y - 0.88; BB = 0.183; bb = 1.5
BC = 0.019 + 0.107 * y + 0.19 * e; bc = 2.4; dc = 1.686
for nu in [1.0, 3.0]:
    print("T10 b(nu=%g) = %r" % (nu, 1 - BA * nu**ba / (nu**ba + dc**ba) + BB * nu**bb + BC * nu**bc))

# Duffy et al. 2008 full sample 200c, z = 0 and z = 1, masses in Msun/h
for m in [1e12, 1e14, 1e15]:
    print("D08 c200(%g Msun/h) z=0: %r z=1: %r" % (m, 5.71 * (m / 2e12) ** -0.084, 5.71 * (m / 2e12) ** -0.084 * 2**-0.47))

# NFW M500/M200 for c200 = 4: solve mu(c x)/mu(c) = 2.5 x^3
mu = lambda t: np.log1p(t) - t / (1 + t)
for cc in [4.0, 7.0]:
    x = brentq(lambda x: mu(cc * x) / mu(cc) - 2.5 * x**3, 1e-3, 1.0, xtol=1e-15)
    print("NFW c=%g: r500/r200 = %r, M500/M200 = %r" % (cc, x, mu(cc * x) / mu(cc)))

# r200c of 1e15 Msun at z = 0 with h = 0.7: rho_crit in CGS
G = 6.6743e-8; MPC = 3.085677581491367e24; MSUN = 1.98841e33
H0 = 70e5 / MPC
rho = 3 * H0**2 / (8 * np.pi * G) * MPC**3 / MSUN
print("r200c(1e15 Msun) = %r Mpc" % ((3e15 / (4 * np.pi * 200 * rho)) ** (1 / 3)))

# Velliscig et al. 2014 eq. 5 with A=-0.1077, B=0.1077, C=-13.5715, D=0.2786
for lm in [13.0, 14.0, 15.0]:
    lr = -0.1077 + 0.1077 / (1 + np.exp(-(lm - 13.5715) / 0.2786))
    print("V14 Delta_b(1e%g) = %r" % (lm, 10**lr - 1))
