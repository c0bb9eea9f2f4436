package org.lmrec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The interaction-file layouts that {@link DatasetLoader} reads, and detection from a path. */
public enum DatasetFormat {
  MOVIELENS_100K("folder with u.data (+ optional u.item, u.genre), or the u.data file"),
  MOVIELENS_DAT("folder with ratings.dat (user::item::rating::time, + optional movies.dat), or the ratings.dat file"),
  AMAZON_JSON("<name>.inter.json ({user: [item, ...]}, + optional <name>.item.json), or a folder with exactly one"),
  RECBOLE("RecBole atomic <name>.inter with a name:type header (+ optional .item), or a folder with exactly one"),
  SASREC_TXT("text file of 'user item' lines in time order, or a folder with exactly one .txt");

  private static final int MAX_LISTED = 20;

  private final String layout;

  DatasetFormat(String layout) {
    this.layout = layout;
  }

  /** What this format expects on disk, for help and error messages. */
  public String layout() {
    return layout;
  }

  /**
   * Picks the format from file names: a folder with {@code u.data}, {@code ratings.dat}, exactly one
   * {@code *.inter.json}, exactly one {@code *.inter} or exactly one {@code *.txt} (checked in that
   * order), or a single file with one of those names.
   *
   * @throws DataFormatException when the path is missing or the layout matches none of them
   */
  public static DatasetFormat detect(Path path) {
    if (!Files.exists(path)) throw new DataFormatException(path, 0, "no such file or folder (" + path.toAbsolutePath() + ")");
    if (Files.isDirectory(path)) return detectFolder(path);
    String name = path.getFileName().toString();
    if (name.equals("u.data")) return MOVIELENS_100K;
    if (name.equals("ratings.dat")) return MOVIELENS_DAT;
    if (name.endsWith(AmazonJsonLoader.INTER_SUFFIX)) return AMAZON_JSON;
    if (name.endsWith(RecBoleLoader.INTER_SUFFIX)) return RECBOLE;
    if (name.endsWith(".txt")) return SASREC_TXT;
    throw new DataFormatException(path, 0, "unknown data file type. " + supported());
  }

  private static DatasetFormat detectFolder(Path dir) {
    List<String> names = fileNames(dir);
    if (names.contains("u.data")) return MOVIELENS_100K;
    if (names.contains("ratings.dat")) return MOVIELENS_DAT;
    for (DatasetFormat f : List.of(AMAZON_JSON, RECBOLE, SASREC_TXT)) {
      List<String> matches = names.stream().filter(n -> n.endsWith(f.suffix())).toList();
      if (matches.size() == 1) return f;
      if (matches.size() > 1) {
        throw new DataFormatException(
            dir, 0, "ambiguous folder: several *" + f.suffix() + " files " + matches + "; pass one of them as the path");
      }
    }
    String hint =
        names.contains("movies.dat")
            ? " movies.dat alone has no interactions (ratings.dat is missing); MovieLensDatLoader.readMovies reads it as item attributes."
            : "";
    throw new DataFormatException(dir, 0, "unknown data layout; found " + listing(names) + "." + hint + " " + supported());
  }

  /** The file name ending that marks this format inside a folder. */
  private String suffix() {
    return switch (this) {
      case MOVIELENS_100K -> "u.data";
      case MOVIELENS_DAT -> "ratings.dat";
      case AMAZON_JSON -> AmazonJsonLoader.INTER_SUFFIX;
      case RECBOLE -> RecBoleLoader.INTER_SUFFIX;
      case SASREC_TXT -> ".txt";
    };
  }

  /** The one file in {@code dir} whose name ends with {@code suffix}; a clear error when none or several. */
  static Path single(Path dir, String suffix) {
    List<String> names = fileNames(dir);
    List<String> matches =
names.stream().filter(n -> n.endsWith(suffix)).toList();
    if (matches.size() == 1) return dir.resolve(matches.get(0));
    String reason =
        matches.isEmpty()
            ? "no *" + suffix + " file; found " + listing(names)
            : "several *" + suffix + " files " + matches + "; pass one of them as the path";
    throw new DataFormatException(dir, 0, reason);
  }

  static List<String> fileNames(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String listing(List<String> names) {
    if (names.isEmpty()) return "no files";
    String shown = names.stream().limit(MAX_LISTED).collect(Collectors.joining(", "));
    return names.size() > MAX_LISTED ? shown + ", ... (" + names.size() + " files)" : shown;
  }

  /** One line per format, for error messages and CLI help. */
  public static String supported() {
    return "Supported: "
        + Stream.of(values()).map(f -> f.name() + " = " + f.layout()).collect(Collectors.joining("; "));
  }
}
