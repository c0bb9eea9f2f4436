package org.lmrec.flink.storage;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A directory on an object store, {@code SCHEME://BUCKET/PREFIX}, parsed strictly: an announced URI
 * is matched against the artifact roots by its parts (scheme, bucket, path segments), never as a
 * string prefix, so {@code s3://models-evil/...} is not under {@code s3://models}. Refused outright:
 * control characters, backslashes, {@code %}-escapes (an escaped {@code ..} would decode after the
 * check), {@code .}/{@code ..}/empty segments, user info, a port, a query or a fragment.
 *
 * @param scheme lower case, e.g. {@code s3}
 * @param bucket the authority, exactly
 * @param segments the path's segments, none empty
 */
public record RemoteLocation(String scheme, String bucket, List<String> segments) implements Serializable {
  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
  /** S3 bucket names (and the like): lower-case letters, digits, dots and dashes. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public RemoteLocation {
    segments = List.copyOf(segments);
  }

  /** Whether {@code uri} names a remote location (a scheme other than {@code file}) rather than a local path. */
  public static boolean isRemote(String uri) {
    int colon = uri.indexOf("://");
    return colon > 0 && !uri.substring(0, colon).equalsIgnoreCase("file");
  }

  /** @throws IllegalArgumentException saying what is wrong with {@code uri} */
  public static RemoteLocation parse(String uri) {
    if (uri == null || uri.isEmpty()) throw new IllegalArgumentException("the URI is empty");
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x20 || c == 0x7f) throw new IllegalArgumentException("the URI contains a control character (at " + i + ")");
      if (c == '\\' || c == '%') throw new IllegalArgumentException("the URI " + uri + " contains '" + c + "', which is not accepted");
    }
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the URI " + uri + " is not a valid URI: " + e.getMessage(), e);
    }
    if (u.getScheme() == null || !SCHEME.matcher(u.getScheme()).matches() || u.isOpaque()) {
      throw new IllegalArgumentException("the URI " + uri + " has no SCHEME://BUCKET/ form");
    }
    if (u.getRawUserInfo() != null || u.getPort() != -1 || u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("the URI " + uri + " may not carry user info, a port, a query or a fragment");
    }
    String bucket = u.getHost() != null ? u.getHost() : u.getRawAuthority();
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("the URI " + uri + " does not name a valid bucket");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (path.endsWith("/")) path = path.substring(0, path.length() - 1); // a directory may be written with a trailing slash
    List<String> segments = path.isEmpty() ? List.of() : List.of(path.substring(1).split("/", -1));
    for (String s : segments) {
      if (s.isEmpty() || s.equals(".") || s.equals("..")) {
        throw new IllegalArgumentException("the URI " + uri + " contains an empty, '.' or '..' segment");
      }
    }
    return new RemoteLocation(u.getScheme(), bucket, segments);
  }

  /** Whether {@code other} lies strictly below this location: same scheme and bucket, this one's segments first. */
  public boolean strictlyContains(RemoteLocation other) {
    return scheme.equals(other.scheme) && bucket.equals(other.bucket) && other.segments.size() > segments.size()
        && other.segments.subList(0, segments.size()).equals(segments);
  }

  /** The URI, without a trailing slash. */
  public String uri() {
    return scheme + "://" + bucket + (segments.isEmpty() ? "" : "/" + String.join("/", segments));
  }

  /** The location one level up (the folder holding a version, say); the bucket itself has none. */
  public RemoteLocation parent() {
    if (segments.isEmpty()) throw new IllegalArgumentException(uri() + " is a bucket, it has no parent");
    return new RemoteLocation(scheme, bucket, segments.subList(0, segments.size() - 1));
  }

  @Override
  public String toString() {
    return uri();
  }
}
