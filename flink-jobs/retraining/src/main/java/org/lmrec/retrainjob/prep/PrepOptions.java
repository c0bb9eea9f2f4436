package org.lmrec.retrainjob.prep;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.lmrec.settings.Settings;

/**
 * How raw archived interactions become training sequences. A user who views, clicks and buys one
 * item in one sitting did one thing, not three, so repeats collapse within a session; the same item
 * again in a later session is a real return and stays.
 *
 * @param sessionGap a pause at least this long between two consecutive events starts a new session
 * @param collapseRepeats within a session, consecutive events on the same item count once (the first)
 * @param minLength users with fewer items after preparation are dropped (at least 1)
 * @param maxLength only the most recent this many items per user are kept; 0 keeps all
 * @param armOnly when set, only the users of one experiment arm are kept (see {@link ArmOnly}); null keeps everyone
 */
public record PrepOptions(Duration sessionGap, boolean collapseRepeats, int minLength, int maxLength, ArmOnly armOnly)
    implements Serializable, Settings<PrepOptions> {
  public static final Duration DEFAULT_SESSION_GAP = Duration.ofMinutes(30);
  public static final boolean DEFAULT_COLLAPSE_REPEATS = true;
  public static final int DEFAULT_MIN_LENGTH = 1;
  /** 0 keeps whole histories. */
  public static final int DEFAULT_MAX_LENGTH = 0;

  public PrepOptions {
    Objects.requireNonNull(sessionGap, "sessionGap");
    if (sessionGap.isNegative() || sessionGap.isZero()) throw new IllegalArgumentException("sessionGap must be positive: " + sessionGap);
    if (minLength < 1) throw new IllegalArgumentException("minLength must be at least 1: " + minLength);
    if (maxLength < 0) throw new IllegalArgumentException("maxLength must be 0 (all) or positive: " + maxLength);
    if (maxLength > 0 && maxLength < minLength) {
      throw new IllegalArgumentException("maxLength " + maxLength + " is below minLength " + minLength + ": every user would be dropped");
    }
  }

  public PrepOptions(Duration sessionGap, boolean collapseRepeats, int minLength, int maxLength) {
    this(sessionGap, collapseRepeats, minLength, maxLength, null);
  }

  public PrepOptions withArmOnly(ArmOnly arm) {
    return with(PrepOptions::armOnly, arm);
  }

  /** 30-minute sessions, repeats collapsed, every user with at least one item, whole histories. */
  public static PrepOptions defaults() {
    return new PrepOptions(DEFAULT_SESSION_GAP, DEFAULT_COLLAPSE_REPEATS, DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH);
  }
}
