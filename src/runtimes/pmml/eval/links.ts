/** Inverse link functions shared by RegressionModel normalizations and GeneralRegressionModel. */

/**
 * Standard normal CDF by Marsaglia's series (J. Stat. Software 11(4), 2004):
 * Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …). All terms share a sign, so there is no
 * cancellation: absolute error ~1e-15 for |x| ≤ 8; beyond, Φ is 0 or 1 to double precision.
 * Example: Φ(1.96) = 0.9750021048517795.
 */
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function normalCdf(x: number): number {
  if (x < -8) return 0;
  if (x > 8) return 1;
  const q = x * x;
  let s = x;
  let t = 0;
  let b = x;
  for (let i = 1; s !== t; ) {
    t = s;
    i += 2;
    b *= q / i;
    s = t + b;
  }
  return 0.5 + s * Math.exp(-0.5 * q - LOG_SQRT_2PI);
}

export type InverseLink = 'identity' | 'log' | 'exp' | 'logit' | 'probit' | 'cloglog' | 'loglog' | 'cauchit' | 'power';

/** Maps a linear predictor η to the mean (or probability). `power` takes its exponent d. */
export function inverseLink(link: InverseLink, eta: number, d = 1): number {
  switch (link) {
    case 'identity':
      return eta;
    case 'log':
    case 'exp':
      return Math.exp(eta);
    case 'logit':
      return 1 / (1 + Math.exp(-eta));
    case 'probit':
      return normalCdf(eta);
    case 'cloglog':
      return 1 - Math.exp(-Math.exp(eta));
    case 'loglog':
      return Math.exp(-Math.exp(-eta));
    case 'cauchit':
      return 0.5 + Math.atan(eta) / Math.PI;
    case 'power':
      return d === 0 ? Math.exp(eta) : Math.pow(eta, 1 / d);
  }
}
