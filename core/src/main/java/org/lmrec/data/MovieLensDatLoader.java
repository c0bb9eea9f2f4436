package org.lmrec.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * MovieLens 1M style {@code ::}-separated files: {@code ratings.dat} (user::item::rating::time) with an
 * optional {@code movies.dat} (id::title::genres, genres joined by {@code |}).
 *
 * <p>The files are read as ISO-8859-1, the encoding of the GroupLens 1M release. Items are indexed in
 * {@code movies.dat} order, then any further items by first appearance in {@code ratings.dat}.
 */
public final class MovieLensDatLoader {
  private static final String SEPARATOR = "::";

  private MovieLensDatLoader() {}

  /** Loads from the folder holding {@code ratings.dat} (or from the {@code ratings.dat} file itself). */
  public static Dataset load(Path dirOrFile) {
    Path dir = Files.isDirectory(dirOrFile) ? dirOrFile : dirOrFile.toAbsolutePath().getParent();
    Path ratings = Files.isDirectory(dirOrFile) ? dir.resolve("ratings.dat") : dirOrFile;
    DatasetBuilder builder = new DatasetBuilder(DatasetLoader.nameOf(dir));
    Path movies = dir.resolve("movies.dat");
    if (Files.exists(movies)) readMovies(movies).forEach(builder::itemAttributes);
    TextLines.forEach(
        ratings,
        StandardCharsets.ISO_8859_1,
        (line, text) -> {
          String[] f = Fields.split(text, SEPARATOR);
          Fields.expectCount(ratings, line, f, 4, "'::'-separated");
          String user = Fields.integerId(ratings, line, f[0], "user id");
          String item = Fields.integerId(ratings, line, f[1], "item id");
          Fields.parseDouble(ratings, line, f[2], "rating");
          long time = Fields.parseLong(ratings, line, f[3], "timestamp");
          builder.interaction(user, item, time);
        });
    return builder.build();
  }

  /**
   * Movie attributes from {@code movies.dat} alone: {@code title}, {@code genres} (comma-separated)
   * and {@code year}, keyed by movie id in file order. Usable without any ratings, e.g. to encode
   * item text.
   */
  public static Map<String, Map<String, String>> readMovies(Path file) {
    Map<String, Map<String, String>> items = new LinkedHashMap<>();
    Map<String, Long> firstLine = new HashMap<>();
    TextLines.forEach(
        file,
        StandardCharsets.ISO_8859_1,
        (line, text) -> {
          String[] f = Fields.split(text, SEPARATOR);
          Fields.expectCount(file, line, f, 3, "'::'-separated");
          String id = Fields.integerId(file, line, f[0], "movie id");
          Long seen = firstLine.putIfAbsent(id, line);
          if (seen != null) throw new DataFormatException(file, line, "movie id " + id + " appears again (first on line " + seen + ")");
          MovieTitle title = MovieTitle.parse(f[1]);
          List<String> genres = Arrays.stream(f[2].split("\\|")).map(String::strip).filter(g -> !g.isEmpty()).toList();
          Map<String, String> attrs = new LinkedHashMap<>();
          Fields.putIfPresent(attrs, "title", title.title());
          Fields.putIfPresent(attrs, "genres", genres.stream().collect(Collectors.joining(", ")));
          Fields.putIfPresent(attrs, "year", title.year());
          items.put(id, attrs);
        });
    return items;
  }
}
