package org.lmrec.enhance.p2rec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What user-level fine-tuning did.
 *
 * @param epochLosses mean training loss per epoch
 * @param heldOutLoss loss on held-out users after fine-tuning
 * @param heldOutBaseline loss on the same users of the best input-free guess: the mean g_u of the
 *     training users (what the head alone could learn); fine-tuning helped if heldOutLoss is lower
 * @param users fine-tuning users; heldOutUsers users kept out for the check
 */
public record SftReport(
    List<Double> epochLosses, double heldOutLoss, double heldOutBaseline, int users, int heldOutUsers, double seconds) {

  /** No fine-tuning ran: the previous run's weights were kept as they are. */
  public static SftReport reused() {
    return new SftReport(List.of(), Double.NaN, Double.NaN, 0, 0, 0);
  }

  /** The finite numbers as metrics (a reused report has no held-out losses). */
  public Map<String, Double> toMetrics(String prefix) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int e = 0; e < epochLosses.size(); e++) m.put(prefix + "epoch" + (e + 1) + "/loss", epochLosses.get(e));
    m.put(prefix + "heldOut/loss", heldOutLoss);
    m.put(prefix + "heldOut/baselineLoss", heldOutBaseline);
    m.put(prefix + "users", (double) users);
    m.put(prefix + "seconds", seconds);
    m.values().removeIf(v -> !Double.isFinite(v));
    return m;
  }
}
