package org.lmrec.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RecBole "atomic files": tab-separated, UTF-8, with a header row of {@code name:type} columns.
 *
 * <p>{@code <name>.inter} needs {@code user_id} and {@code item_id}; {@code timestamp} is optional
 * (without it the file order is the sequence order). The sequential layout of LLMRank
 * ({@code user_id}, {@code item_id_list} = history, {@code item_id} = target; one row per user) is
 * read as history followed by target. Item attributes come from {@code <name>.item} beside it, else
 * from the only {@code .item} file in the folder (LLMRank ships {@code Games.item} next to
 * {@code Games-6k.test.inter}). Items are indexed in {@code .item} order, then by first appearance.
 */
public final class RecBoleLoader {
  public static final String INTER_SUFFIX = ".inter";
  public static final String ITEM_SUFFIX = ".item";

  private static final Logger LOG = LoggerFactory.getLogger(RecBoleLoader.class);
  private static final Set<String> TYPES = Set.of("token", "token_seq", "float", "float_seq");
  /** RecBole's column names for the attributes that the item text names differently. */
  private static final Map<String, String> ATTRIBUTE_KEYS =
      Map.of(
          "movie_title", "title",
          "class", "genres",
          "genre", "genres",
          "release_year", "year",
          "category", "categories");
  /** Columns whose space-separated tokens are separate values (genre names), joined with commas. */
  private static final Set<String> LIST_COLUMNS = Set.of("class", "genre");

  private RecBoleLoader() {}

  /** Loads a {@code .inter} file (or the only one in a folder) plus its item attributes when present. */
  public static Dataset load(Path interFileOrDir) {
    Path inter = Files.isDirectory(interFileOrDir) ? DatasetFormat.single(interFileOrDir, INTER_SUFFIX) : interFileOrDir;
    String fileName = inter.getFileName().toString();
    if (!fileName.endsWith(INTER_SUFFIX)) throw new DataFormatException(inter, 0, "expected a file named <name>" + INTER_SUFFIX);
    String name = fileName.substring(0, fileName.length() - INTER_SUFFIX.length());
    DatasetBuilder builder = new DatasetBuilder(name);
    Path items = itemFileFor(inter, name);
    if (items != null) readItems(items).forEach(builder::itemAttributes);
    readInteractions(inter, builder);
    return builder.build();
  }

  /** {@code <name>.item} beside the {@code .inter}, else the only {@code .item} there, else null. */
  private static Path itemFileFor(Path inter, String name) {
    Path sameName = inter.resolveSibling(name + ITEM_SUFFIX);
    if (Files.exists(sameName)) return sameName;
    Path dir = inter.toAbsolutePath().getParent();
    List<String> candidates = DatasetFormat.fileNames(dir).stream().filter(n -> n.endsWith(ITEM_SUFFIX)).toList();
    if (candidates.size() > 1) {
      throw new DataFormatException(
          inter, 0, "no " + name + ITEM_SUFFIX + " and several other .item files " + candidates + " beside it; cannot tell which one holds its items");
    }
    if (candidates.isEmpty()) return null;
    LOG.info("Using {} for the item attributes of {}", candidates.get(0), inter.getFileName());
    return dir.resolve(candidates.get(0));
  }

  private static void readInteractions(Path file, DatasetBuilder builder) {
    final class Columns {
      Header header;
      int user;
      int item;
      int time;
      int history;
    }
    Columns c = new Columns();
    Map<String, Long> historyUsers = new HashMap<>();
    long rows =
        TextLines.forEach(
            file,
            StandardCharsets.UTF_8,
            (line, text) -> {
              if (c.header == null) {
                c.header = Header.parse(file, line, text);
                c.user = c.header.require(file, line, "user_id");
                c.item = c.header.require(file, line, "item_id");
                c.time = c.header.indexOf("timestamp");
                c.history = c.header.indexOf("item_id_list");
                if (c.history >= 0 && c.time >= 0) {
                  LOG.warn("{}: ignoring the timestamp column: with item_id_list it dates only the target", file.getFileName());
                }
                return;
              }
              String[] f = Fields.split(text, "\t");
              Fields.expectCount(file, line, f, c.header.size(), "tab-separated");
              String user = Fields.nonEmpty(file, line, f[c.user].strip(), "user_id");
              String item = Fields.nonEmpty(file, line, f[c.item].strip(), "item_id");
              if (c.history >= 0) {
                Long first = historyUsers.putIfAbsent(user, line);
                if (first != null) {
                  throw new DataFormatException(
                      file, line, "user " + user + " appears again (first on line " + first + "); item_id_list files need one row per user");
                }
                for (String earlier : Fields.splitWhitespace(f[c.history])) builder.interaction(user, earlier);
                builder.interaction(user, item);
              } else if (c.time >= 0) {
                builder.interaction(user, item, Fields.parseEpochSeconds(file, line, f[c.time].strip(), "timestamp"));
              } else {
                builder.interaction(user, item);
              }
            });
    if (rows < 2) throw new DataFormatException(file, 0, "no interactions (only the header row)");
  }

  /**
   * Item attributes from a {@code .item} file: every column but {@code item_id}, with the type suffix
   * stripped and RecBole names mapped to the item-text names ({@code movie_title}->title,
   * {@code class}/{@code genre}->genres, {@code release_year}->year); other names are kept.
   */
  public static Map<String, Map<String, String>> readItems(Path file) {
    final class Columns {
      Header header;
      int id;
      String[] keys;
    }
    Columns c = new Columns();
    Map<String, Map<String, String>> items = new LinkedHashMap<>();
    Map<String, Long> firstLine = new HashMap<>();
    TextLines.forEach(
        file,
        StandardCharsets.UTF_8,
        (line, text) -> {
          if (c.header == null) {
            c.header = Header.parse(file, line, text);
            c.id = c.header.require(file, line, "item_id");
            c.keys = attributeKeys(file, line, c.header, c.id);
            return;
          }
          String[] f = Fields.split(text, "\t");
          Fields.expectCount(file, line, f, c.header.size(), "tab-separated");
          String id = Fields.nonEmpty(file, line, f[c.id].strip(), "item_id");
          Long seen = firstLine.putIfAbsent(id, line);
          if (seen != null) throw new DataFormatException(file, line, "item_id " + id + " appears again (first on line " + seen + ")");
          Map<String, String> attrs = new LinkedHashMap<>();
          for (int col = 0; col < f.length; col++) {
            if (c.keys[col] == null) continue;
            String value = f[col];
            if (isGenreList(c.header, col) && value.indexOf(',') < 0) value = String.join(", ", Fields.splitWhitespace(value));
            Fields.putIfPresent(attrs, c.keys[col], value);
          }
          items.put(id, attrs);
        });
    if (items.isEmpty()) throw new DataFormatException(file, 0, "no items (only the header row)");
    return items;
  }

  private static boolean isGenreList(Header h, int col) {
    return LIST_COLUMNS.contains(h.names().get(col)) && h.types().get(col).equals("token_seq");
  }

  /** The attribute key of each column (null for item_id); two columns may not land on one key. */
  private static String[] attributeKeys(Path file, long line, Header h, int idCol) {
    String[] keys = new String[h.size()];
    Map<String, String> fromColumn = new HashMap<>();
    for (int c = 0; c < h.size(); c++) {
      if (c == idCol) continue;
      String key = attributeKey(h.names.get(c));
      String other = fromColumn.putIfAbsent(key, h.names.get(c));
      if (other != null) {
        throw new DataFormatException(
            file, line, "columns '" + other + "' and '" + h.names.get(c) + "' would both become attribute '" + key + "'");
      }
      keys[c] = key;
    }
    return keys;
  }

  /** The item-text name of a RecBole column name (type suffix already stripped). */
  public static String attributeKey(String column) {
    String lower = column.strip().toLowerCase(Locale.ROOT);
    return ATTRIBUTE_KEYS.getOrDefault(lower, lower);
  }

  /** The {@code name:type} header row. */
  private record Header(List<String> names, List<String> types) {
    static Header parse(Path file, long line, String text) {
      List<String> names = new ArrayList<>();
      List<String> types = new ArrayList<>();
      for (String column : Fields.split(text, "\t")) {
        String c = column.strip();
        int colon = c.lastIndexOf(':');
        if (colon <= 0) {
          throw new DataFormatException(
              file, line, "header column '" + c + "' is not name:type (is the header row missing?)");
        }
        String name = c.substring(0, colon).toLowerCase(Locale.ROOT);
        String type = c.substring(colon + 1).toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
          throw new DataFormatException(
              file, line, "header column '" + c + "' has unknown type '" + type + "' (expected token, token_seq, float or float_seq)");
        }
        if (names.contains(name)) throw new DataFormatException(file, line, "header has column '" + name + "' twice");
        names.add(name);
        types.add(type);
      }
      return new Header(names, types);
    }

    int size() {
      return names.size();
    }

    int indexOf(String name) {
      return names.indexOf(name);
    }

    int require(Path file, long line, String name) {
      int i = names.indexOf(name);
      if (i < 0) throw new DataFormatException(file, line, "header has no " + name + " column (columns: " + names + ")");
      return i;
    }
  }
}
