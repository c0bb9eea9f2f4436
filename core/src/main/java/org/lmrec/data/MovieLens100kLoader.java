package org.lmrec.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original MovieLens 100K files: {@code u.data} (user, item, rating, unix time; tab-separated)
 * with optional {@code u.item} (movie attributes) and {@code u.genre} (names of the genre flags).
 *
 * <p>Every rating counts as an interaction (the usual implicit-feedback reading). Items are indexed
 * in {@code u.item} order, so MovieLens ids 1..1682 become indices 1..1682, then any further items by
 * first appearance in {@code u.data}.
 */
public final class MovieLens100kLoader {
  /** The genre names in flag order when {@code u.genre} is absent (as in the GroupLens release). */
  public static final List<String> STANDARD_GENRES =
      List.of(
          "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
          "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller",
          "War", "Western");

  private static final int FIXED_ITEM_FIELDS = 5; // id|title|release date|video date|url

  private MovieLens100kLoader() {}

  /** Loads from the folder holding {@code u.data} (or from the {@code u.data} file itself). */
  public static Dataset load(Path dirOrFile) {
    Path dir = Files.isDirectory(dirOrFile) ? dirOrFile : dirOrFile.toAbsolutePath().getParent();
    Path data = Files.isDirectory(dirOrFile) ? dir.resolve("u.data") : dirOrFile;
    DatasetBuilder builder = new DatasetBuilder(DatasetLoader.nameOf(dir));
    Path itemFile = dir.resolve("u.item");
    if (Files.exists(itemFile)) {
      Path genreFile = dir.resolve("u.genre");
      List<String> genres = Files.exists(genreFile) ? readGenres(genreFile) : STANDARD_GENRES;
      readItems(itemFile, genres).forEach(builder::itemAttributes);
    }
    TextLines.forEach(
        data,
        StandardCharsets.ISO_8859_1,
        (line, text) -> {
          String[] f = Fields.split(text, "\t");
          Fields.expectCount(data, line, f, 4, "tab-separated");
          String user = Fields.integerId(data, line, f[0], "user id");
          String item = Fields.integerId(data, line, f[1], "item id");
          Fields.parseDouble(data, line, f[2], "rating");
          long time = Fields.parseLong(data, line, f[3], "timestamp");
          builder.interaction(user, item, time);
        });
    return builder.build();
  }

  /** Genre names from {@code u.genre} ({@code name|index} lines, indices 0,1,2,... in order). */
  public static List<String> readGenres(Path file) {
    List<String> names = new ArrayList<>();
    TextLines.forEach(
        file,
        StandardCharsets.ISO_8859_1,
        (line, text) -> {
          String[] f = Fields.split(text, "|");
          Fields.expectCount(file, line, f, 2, "'|'-separated");
          long index = Fields.parseLong(file, line, f[1], "genre index");
          if (index != names.size()) {
            throw new DataFormatException(file, line, "genre index " + index + " out of order, expected " + names.size());
          }
          names.add(Fields.nonEmpty(file, line, f[0], "genre name"));
        });
    return names;
  }

  /**
   * Movie attributes from {@code u.item} (ISO-8859-1): {@code title}, {@code genres} (the flagged
   * genre names, comma-separated) and {@code year} (from the title, else from the release date).
   */
  public static Map<String, Map<String, String>> readItems(Path file, List<String> genres) {
    Map<String, Map<String, String>> items = new LinkedHashMap<>();
    Map<String, Long> firstLine = new HashMap<>();
    int expected = FIXED_ITEM_FIELDS + genres.size();
    TextLines.forEach(
        file,
        StandardCharsets.ISO_8859_1,
        (line, text) -> {
          String[] f = Fields.split(text, "|");
          Fields.expectCount(file, line, f, expected, "'|'-separated");
          String id = Fields.integerId(file, line, f[0], "item id");
          Long seen = firstLine.putIfAbsent(id, line);
          if (seen != null) throw new DataFormatException(file, line, "item id " + id + " appears again (first on line " + seen + ")");
          MovieTitle title = MovieTitle.parse(f[1]);
          List<String> flagged = new ArrayList<>();
          for (int g = 0; g < genres.size(); g++) {
            String flag = f[FIXED_ITEM_FIELDS + g];
            if (flag.equals("1")) {
              flagged.add(genres.get(g));
            } else if (!flag.equals("0")) {
              throw new DataFormatException(
                  file, line, "genre flag for '" + genres.get(g) + "' is '" + flag + "', expected 0 or 1");
            }
          }
          String year = title.year() != null ? title.year() : yearOfReleaseDate(f[2]);
          Map<String, String> attrs = new LinkedHashMap<>();
          Fields.putIfPresent(attrs, "title", title.title());
          Fields.putIfPresent(attrs, "genres", String.join(", ", flagged));
          Fields.putIfPresent(attrs, "year", year);
          items.put(id, attrs);
        });
    return items;
  }

  /** Release dates look like {@code 01-Jan-1995}. */
  private static String yearOfReleaseDate(String date) {
    String d = date.strip();
    return d.matches(".*\\d{4}") ? d.substring(d.length() - 4) : null;
  }
}
