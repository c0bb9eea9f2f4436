/**
 * Streaming A/B experiments, in plain Java for a Flink operator to call: definitions
 * ({@link org.lmrec.experiment.Experiment}, {@link org.lmrec.experiment.ExperimentJson}), the set of
 * live experiments and which arm serves a user ({@link org.lmrec.experiment.ExperimentSet},
 * {@link org.lmrec.experiment.ArmAssigner}), and the statistics and report.
 *
 * <h2>Reading the statistics</h2>
 *
 * <ul>
 *   <li><b>Sample ratio mismatch (SRM) first.</b> {@link org.lmrec.experiment.SampleRatioMismatch}
 *       tests the arms' exposure counts against their weights (chi-square). An alarm (p &lt; 0.001)
 *       means users are being lost, duplicated or mis-assigned in some arm: the comparison is then
 *       biased in an unknown direction, and no other number in the report should be trusted until
 *       the cause is found.
 *   <li><b>Always-valid p-value.</b> {@link org.lmrec.experiment.MixtureSequentialTest} gives a
 *       p-value for "treatment and control have the same mean" that may be checked after every
 *       batch: the chance that it <em>ever</em> drops below α when there is no difference is at
 *       most α. So stop when it is below α (the difference is real) or when the planned stop time
 *       comes; do not use an ordinary t-test's p-value this way, whose false-positive rate grows
 *       with every look. It never rises: it is the smallest value seen so far.
 *   <li><b>Confidence sequence.</b> The {@code [lower, upper]} interval around treatment minus
 *       control holds the true difference at every look simultaneously with probability at least
 *       1 − α. It only narrows (it is the intersection of all looks' intervals), it excludes 0
 *       exactly when the always-valid p-value is below α, and its ends are the plausible range of
 *       the effect, e.g. a hit rate difference of [+0.004, +0.031]. It is wider than a fixed-sample
 *       interval: that is the price of looking at any time.
 *   <li>Both use a normal approximation with sample variances: trust them once each arm has a few
 *       hundred outcomes. Until each arm has two values and some variance, the p-value is 1 and the
 *       interval unbounded.
 * </ul>
 *
 * <p>Everything here is deterministic: no clocks (times are parameters), no unseeded randomness.
 * {@code ArmAssigner} and {@code ExperimentSet} are not thread-safe; use one per operator instance.
 */
package org.lmrec.experiment;
