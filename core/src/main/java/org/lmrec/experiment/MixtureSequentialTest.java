package org.lmrec.experiment;

/**
 * Always-valid inference for the difference of means, treatment minus control: the mixture
 * sequential probability ratio test (mSPRT) with a normal mixture, after Johari, Pekelis and Walsh
 * (2017), "Always valid inference: continuous monitoring of A/B tests". Its p-value and confidence
 * sequence stay valid however often they are looked at, so the experiment can be checked after
 * every batch and stopped as soon as it is significant, without inflating false positives.
 *
 * <p>At each look, with θ̂ = mean_T − mean_C and V = var_T/n_T + var_C/n_C (sample variances, so
 * a normal approximation that needs a few hundred values per arm to be accurate), the mixture
 * likelihood ratio against "no difference" is
 *
 * <pre>Λ = sqrt(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²)))</pre>
 *
 * and the always-valid p-value is the running minimum over looks of {@code min(1, 1/Λ)}. The
 * (1 − α) confidence sequence is θ̂ ± sqrt(V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²)/V))),
 * intersected with every earlier look's interval: each interval is valid simultaneously over all
 * looks, so their running intersection is too, and it never widens. (An empty intersection, lower
 * > upper, can happen only with probability ≤ α when the effect is constant; it suggests it is not.)
 *
 * <p>τ² is the variance of the effects the test expects: tests are most powerful for effects near
 * τ. {@link #DEFAULT_TAU} = 0.05 suits hit rates around 0.05–0.5, where effects of a few
 * percentage points matter; use a τ on the scale of the effect you care about for other metrics.
 * The result is valid for any τ > 0; τ only trades early power on small effects for power on large ones.
 *
 * <p>Stateful (the running minimum and intersection): call {@link #update} with each arm's
 * cumulative moments at each look; keep {@link #state()} in operator state and {@link #restore} it.
 */
public final class MixtureSequentialTest {
  public static final double DEFAULT_ALPHA = 0.05;
  public static final double DEFAULT_TAU = 0.05;
  /** Fewer values than this in an arm leave its sample variance undefined: no decision. */
  public static final long MIN_PER_ARM = 2;

  /**
   * One look.
   *
   * @param difference treatment mean minus control mean; NaN while an arm is empty
   * @param lower lower end of the confidence sequence so far; −∞ until the first decisive look
   * @param upper upper end; +∞ until the first decisive look
   * @param alwaysValidP running minimum of min(1, 1/Λ); 1 until the first decisive look
   * @param significant {@code alwaysValidP < alpha}
   */
  public record Look(long nControl, long nTreatment, double difference, double lower, double upper, double alwaysValidP, boolean significant) {}

  /**
   * All a test carries from look to look, for operator state.
   *
   * @param looks decisive looks so far (those with enough data)
   */
  public record State(double alpha, double tau, long looks, double alwaysValidP, double lower, double upper) {}

  private final double alpha;
  private final double tau;
  private final double tau2;
  private long looks;
  private double minP = 1;
  private double lower = Double.NEGATIVE_INFINITY;
  private double upper = Double.POSITIVE_INFINITY;

  /** α = {@value #DEFAULT_ALPHA}, τ = {@value #DEFAULT_TAU}: for hit rates. */
  public MixtureSequentialTest() {
    this(DEFAULT_ALPHA, DEFAULT_TAU);
  }

  public MixtureSequentialTest(double alpha, double tau) {
    if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    if (!(tau > 0 && Double.isFinite(tau))) throw new IllegalArgumentException("tau must be positive and finite, got " + tau);
    this.alpha = alpha;
    this.tau = tau;
    this.tau2 = tau * tau;
  }

  /** A test that continues from {@code state}. */
  public static MixtureSequentialTest restore(State state) {
    MixtureSequentialTest t = new MixtureSequentialTest(state.alpha(), state.tau());
    if (state.looks() < 0) throw new IllegalArgumentException("state.looks must be >= 0, got " + state.looks());
    if (!(state.alwaysValidP() >= 0 && state.alwaysValidP() <= 1)) throw new IllegalArgumentException("state.alwaysValidP must be in [0, 1], got " + state.alwaysValidP());
    if (Double.isNaN(state.lower()) || Double.isNaN(state.upper())) throw new IllegalArgumentException("state interval must not be NaN, got [" + state.lower() + ", " + state.upper() + "]");
    t.looks = state.looks();
    t.minP = state.alwaysValidP();
    t.lower = state.lower();
    t.upper = state.upper();
    return t;
  }

  public State state() {
    return new State(alpha, tau, looks, minP, lower, upper);
  }

  public double alpha() {
    return alpha;
  }

  public double tau() {
    return tau;
  }

  /** A look at each arm's cumulative moments so far. */
  public Look update(RunningMoments control, RunningMoments treatment) {
    return update(control.snapshot(), treatment.snapshot());
  }

  public Look update(RunningMoments.Snapshot control, RunningMoments.Snapshot treatment) {
    long nC = control.count();
    long nT = treatment.count();
    double difference = nC > 0 && nT > 0 ? treatment.mean() - control.mean() : Double.NaN;
    if (nC < MIN_PER_ARM || nT < MIN_PER_ARM) return look(nC, nT, difference);
    double v = treatment.variance() / nT + control.variance() / nC;
    // V == 0 (e.g. no hits yet in either arm) says nothing about the difference: no decision.
    if (!(v > 0) || !Double.isFinite(v)) return look(nC, nT, difference);
    minP = Math.min(minP, Math.min(1, Math.exp(-logLikelihoodRatio(difference, v, tau2))));
    double half = halfWidth(v, tau2, alpha);
    lower = Math.max(lower, difference - half);
    upper = Math.min(upper, difference + half);
    looks++;
    return look(nC, nT, difference);
  }

  private Look look(long nC, long nT, double difference) {
    return new Look(nC, nT, difference, lower, upper, minP, minP < alpha);
  }

  /** ln Λ; log1p keeps precision when V is much smaller than τ². */
  static double logLikelihoodRatio(double difference, double v, double tau2) {
    return -0.5 * Math.log1p(tau2 / v) + tau2 * difference * difference / (2 * v * (v + tau2));
  }

  /** Half-width of the (1 − α) confidence sequence at this look, before intersecting. */
  static double halfWidth(double v, double tau2, double alpha) {
    return Math.sqrt(v * (v + tau2) / tau2 * (2 * Math.log(1 / alpha) + Math.log1p(tau2 / v)));
  }
}
