package org.lmrec.summary;

/**
 * A user's preference summary as prompt text, the version of the summariser that made it, and
 * how many blocks it covers (0: the user has no complete block yet, the text is empty).
 */
public record UserSummary(String text, String summariserVersion, int blocks) {
  public static UserSummary none(String summariserVersion) {
    return new UserSummary("", summariserVersion, 0);
  }
}
