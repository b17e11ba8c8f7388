import numpy as np
from scipy.integrate import quad, solve_ivp
h=0.7; Om=0.2793; OL=0.7207; c=299792.458
E=lambda z: np.sqrt(Om*(1+z)**3+OL)
for z in [0.05,0.5]:
    dc=c/(100*h)*quad(lambda x:1/E(x),0,z,epsabs=0,epsrel=1e-13)[0]
    print(z, repr(dc), repr(dc/(1+z)), repr(dc*(1+z)))
G=6.6743e-8; MPC=3.085677581491367e24; MSUN=1.98841e33
for z in [0,0.05,0.5]:
    H=100*h*E(z)*1e5/MPC
    rho=3*H*H/(8*np.pi*G)  # g/cm^3
    print('rho',z, repr(rho*MPC**3/MSUN))
# growth ODE in ln a: y=[D, dD/dlna]
def rhs(lna,y):
    a=np.exp(lna); e2=Om/a**3+OL; dlnE=-1.5*Om/a**3/e2
    D,Dp=y
    return [Dp, -(2+dlnE)*Dp + 1.5*Om/a**3/e2*D]
a0=1e-4
sol=solve_ivp(rhs,[np.log(a0),0],[a0,a0],rtol=1e-12,atol=1e-15,dense_output=True)
D1=sol.sol(0)[0]
for z in [0.5,1,2]:
    print('D',z, repr(sol.sol(np.log(1/(1+z)))[0]/D1))
