package org.lmrec.experiment;

/**
 * Which users an experiment may enrol: a deterministic {@code trafficFraction} of users (by a hash
 * of salt, {@code "population"} and user id), optionally only those whose id starts with
 * {@code userIdPrefix}. The population hash is independent of the arm bucket hash (it hashes an
 * extra {@code "population"} part), so a 10% population is still split by the arm weights.
 *
 * @param userIdPrefix null or empty: no prefix restriction
 */
public record PopulationFilter(double trafficFraction, String userIdPrefix) {
  static final String HASH_DOMAIN = "population";
  private static final ThreadLocal<UserHash> HASH = ThreadLocal.withInitial(UserHash::new);

  public PopulationFilter {
    if (!(trafficFraction > 0 && trafficFraction <= 1)) {
      throw new ExperimentConfigException(null, "trafficFraction", "must be in (0, 1], got " + trafficFraction);
    }
    if (userIdPrefix != null && userIdPrefix.isEmpty()) userIdPrefix = null;
  }

  /** All users. */
  public static PopulationFilter everyone() {
    return new PopulationFilter(1.0, null);
  }

  public boolean includes(String salt, String userId) {
    return includes(salt, userId, HASH.get());
  }

  boolean includes(String salt, String userId, UserHash hash) {
    if (userIdPrefix != null && !userId.startsWith(userIdPrefix)) return false;
    if (trafficFraction >= 1.0) return true; // skip the hash: every user is in
    return UserHash.unitInterval(hash.first64(salt, HASH_DOMAIN, userId)) < trafficFraction;
  }
}
