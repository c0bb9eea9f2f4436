package org.lmrec.bench.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.lmrec.schema.UserSequenceState;
import org.lmrec.stream.state.EventIdHash;
import org.lmrec.stream.state.UserSequence;

/**
 * The fault campaign's verdict, computed from the input alone: what the job must have produced for
 * the accepted events, compared with what it did produce. Plain Java over already-read data, so a
 * test can plant each kind of fault and see it counted (CheckTest); {@link FaultTool} does the reading.
 */
public final class FaultCheck {
  private FaultCheck() {}

  /** One accepted (valid) input event, in the order its partition delivered it. */
  public record Accepted(String eventId, String userId, String itemId, long eventTime) {}

  /** One committed recommendation as a read_committed consumer sees it. */
  public record Rec(String triggeringEventId, String modelVersion, long producedAt) {}

  /**
   * Which model version must serve: every recommendation produced at or after {@code fromMillis +
   * allowanceMillis} must carry {@code expected}; earlier ones may carry any version (the swap case
   * counts its allowance from when the job runs again, not from the announcement).
   */
  public record Versions(String expected, long fromMillis, long allowanceMillis) {
    public static Versions always(String expected) {
      return new Versions(expected, Long.MIN_VALUE / 2, 0);
    }

    /** Is this recommendation past the allowance, so that it must carry the expected version? */
    boolean applies(Rec r) {
      return r.producedAt() >= fromMillis + allowanceMillis;
    }

    boolean wrong(Rec r) {
      return applies(r) && !Objects.equals(expected, r.modelVersion());
    }
  }

  /**
   * @param archiveMissing accepted events not in the archive; {@code -1} when the archive was not read
   * @param stateMismatches users whose sequence state differs from the expected window, is missing or
   *     should not exist; {@code -1} when no savepoint was read
   * @param versionChecked recommendations past the allowance, whose version was checked (0 makes {@code
   *     wrongVersion} vacuous)
   * @param longestPauseSeconds the longest pause between consecutive recommendations in the whole run:
   *     in a case with a fault, the outage; in the baseline, the noise floor of the recovery column
   * @param recoverySeconds end of the longest pause in recommendations that ends after the fault, minus
   *     the fault's time; NaN without a fault time or without recommendations after it
   */
  public record Result(
      long sent, long accepted, long recommendations, long lost, long duplicated, long unexpected,
      long archiveMissing, long archiveDuplicated, long stateMismatches, long versionChecked, long wrongVersion, double recoverySeconds,
      double longestPauseSeconds, List<String> examples) {
    public boolean clean() {
      return lost == 0 && duplicated == 0 && unexpected == 0 && archiveMissing <= 0 && archiveDuplicated <= 0
          && stateMismatches <= 0 && wrongVersion == 0 && versionChecked > 0;
    }

    public static String header() {
      return "case\tsent\taccepted\trecommendations\tlost\tduplicated\tunexpected\tarchive_missing\tarchive_duplicated"
          + "\tstate_mismatches\tversion_checked\twrong_version\trecovery_s\tlongest_pause_s";
    }

    public String row(String caseName) {
      return String.join("\t", caseName, str(sent), str(accepted), str(recommendations), str(lost), str(duplicated), str(unexpected),
          na(archiveMissing), na(archiveDuplicated), na(stateMismatches), str(versionChecked), str(wrongVersion),
          seconds(recoverySeconds), seconds(longestPauseSeconds));
    }

    private static String seconds(double s) {
      return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.1f", s);
    }

    private static String str(long v) {
      return Long.toString(v);
    }

    private static String na(long v) {
      return v < 0 ? "n/a" : Long.toString(v);
    }
  }

  /**
   * @param accepted the accepted events, each user's in delivery order (ids unique)
   * @param archivedIds event ids of every archived record, null if not read
   * @param state user id → sequence state from the final savepoint, null if not read
   * @param faultAtMillis when the fault was injected, or a negative number for none
   */
  public static Result evaluate(
      long sent, List<Accepted> accepted, List<Rec> recs, List<String> archivedIds, Map<String, UserSequenceState> state,
      int sequenceLength, Versions versions, long faultAtMillis) {
    List<String> examples = new ArrayList<>();
    Map<String, Integer> recCounts = new HashMap<>();
    long wrongVersion = 0;
    long versionChecked = 0;
    for (Rec r : recs) {
      recCounts.merge(r.triggeringEventId(), 1, Integer::sum);
      if (versions.applies(r)) versionChecked++;
      if (versions.wrong(r)) {
        wrongVersion++;
        note(examples, "wrong version " + r.modelVersion() + " (expected " + versions.expected() + ") for " + r.triggeringEventId());
      }
    }
    long lost = 0;
    long duplicated = 0;
    Map<String, Accepted> byId = new HashMap<>();
    for (Accepted a : accepted) {
      byId.put(a.eventId(), a);
      int n = recCounts.getOrDefault(a.eventId(), 0);
      if (n == 0) {
        lost++;
        note(examples, "lost: no recommendation for " + a.eventId());
      } else if (n > 1) {
        duplicated += n - 1;
        note(examples, "duplicated: " + n + " recommendations for " + a.eventId());
      }
    }
    long unexpected = 0;
    for (var e : recCounts.entrySet()) {
      if (!byId.containsKey(e.getKey())) {
        unexpected += e.getValue();
        note(examples, "unexpected: recommendation for " + e.getKey() + ", not an accepted event");
      }
    }

    long archiveMissing = -1;
    long archiveDuplicated = -1;
    if (archivedIds != null) {
      Map<String, Integer> archived = new HashMap<>();
      for (String id : archivedIds) archived.merge(id, 1, Integer::sum);
      archiveMissing = 0;
      archiveDuplicated = 0;
      for (Accepted a : accepted) {
        int n = archived.getOrDefault(a.eventId(), 0);
        if (n == 0) {
          archiveMissing++;
          note(examples, "archive gap: " + a.eventId());
        } else if (n > 1) {
          archiveDuplicated += n - 1;
          note(examples, "archive duplicate: " + a.eventId() + " x" + n);
        }
      }
      for (var e : archived.entrySet()) {
        if (!byId.containsKey(e.getKey())) {
          archiveDuplicated += e.getValue();
          note(examples, "archive holds " + e.getKey() + ", not an accepted event");
        }
      }
    }

    long stateMismatches = -1;
    if (state != null) {
      Map<String, UserSequenceState> expected = expectedWindows(accepted, sequenceLength);
      stateMismatches = 0;
      for (var e : expected.entrySet()) {
        UserSequenceState actual = state.get(e.getKey());
        if (!e.getValue().equals(actual)) {
          stateMismatches++;
          note(examples, "state of " + e.getKey() + ": expected " + e.getValue() + ", savepoint has " + actual);
        }
      }
      for (String user : state.keySet()) {
        if (!expected.containsKey(user)) {
          stateMismatches++;
          note(examples, "state for " + user + ", who has no accepted event");
        }
      }
    }
    return new Result(sent, accepted.size(), recs.size(), lost, duplicated, unexpected, archiveMissing, archiveDuplicated,
        stateMismatches, versionChecked, wrongVersion, recoverySeconds(recs, faultAtMillis), longestPauseSeconds(recs), examples);
  }

  /** Each user's window as the job must hold it: the accepted events replayed through the job's own {@link UserSequence}. */
  public static Map<String, UserSequenceState> expectedWindows(List<Accepted> accepted, int sequenceLength) {
    Map<String, UserSequence> sequences = new LinkedHashMap<>();
    for (Accepted a : accepted) {
      sequences.computeIfAbsent(a.userId(), u -> new UserSequence(sequenceLength)).add(a.itemId(), a.eventTime(), EventIdHash.of(a.eventId()));
    }
    Map<String, UserSequenceState> out = new LinkedHashMap<>();
    sequences.forEach((u, s) -> out.put(u, s.toState()));
    return out;
  }

  /**
   * Failure → first recommendation after it: the end of the longest pause between consecutive
   * recommendations (by the time the job produced them) among the pauses that end after the fault.
   */
  static double recoverySeconds(List<Rec> recs, long faultAtMillis) {
    if (faultAtMillis < 0 || recs.isEmpty()) return Double.NaN;
    long[] times = recs.stream().mapToLong(Rec::producedAt).sorted().toArray();
    long bestGap = -1;
    long bestEnd = -1;
    for (int i = 0; i < times.length; i++) {
      if (times[i] < faultAtMillis) continue;
      // A pause that began before the fault counts from the fault.
      long gap = times[i] - (i == 0 ? faultAtMillis : Math.max(times[i - 1], faultAtMillis));
      if (gap > bestGap) {
        bestGap = gap;
        bestEnd = times[i];
      }
    }
    return bestEnd < 0 ? Double.NaN : (bestEnd - faultAtMillis) / 1000.0;
  }

  /** The longest pause between consecutive recommendations (by the time the job produced them); NaN with fewer than two. */
  static double longestPauseSeconds(List<Rec> recs) {
    long[] times = recs.stream().mapToLong(Rec::producedAt).sorted().toArray();
    long longest = -1;
    for (int i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
    return longest < 0 ? Double.NaN : longest / 1000.0;
  }

  private static void note(List<String> examples, String s) {
    if (examples.size() < 20) examples.add(s);
  }
}
