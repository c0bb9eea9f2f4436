package org.lmrec.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Amazon review pair used by recent LM-recommendation papers: {@code <X>.inter.json} =
 * {@code {user: [item, ...]}} with each list in chronological order (no timestamps), and an optional
 * {@code <X>.item.json} = {@code {item: {title, description, brand, categories, ...}}}.
 *
 * <p>Items are indexed in {@code item.json} order (so catalog items nobody bought still get an index),
 * then any further items by first appearance in {@code inter.json}. Users keep the file's order.
 */
public final class AmazonJsonLoader {
  public static final String INTER_SUFFIX = ".inter.json";
  public static final String ITEM_SUFFIX = ".item.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(\\d{1,7});");

  private AmazonJsonLoader() {}

  /** Loads {@code <X>.inter.json} (or the folder holding exactly one) plus {@code <X>.item.json} when present. */
  public static Dataset load(Path interFileOrDir) {
    Path inter = Files.isDirectory(interFileOrDir) ? DatasetFormat.single(interFileOrDir, INTER_SUFFIX) : interFileOrDir;
    String fileName = inter.getFileName().toString();
    if (!fileName.endsWith(INTER_SUFFIX)) {
      throw new DataFormatException(inter, 0, "expected a file named <name>" + INTER_SUFFIX);
    }
    String name = fileName.substring(0, fileName.length() - INTER_SUFFIX.length());
    DatasetBuilder builder = new DatasetBuilder(name);
    Path items = inter.resolveSibling(name + ITEM_SUFFIX);
    if (Files.exists(items)) readItems(items).forEach(builder::itemAttributes);
    readInteractions(inter, builder);
    return builder.build();
  }

  private static void readInteractions(Path file, DatasetBuilder builder) {
    TextLines.requireRegularFile(file);
    try (JsonParser p = MAPPER.getFactory().createParser(file.toFile())) {
      expectTopLevelObject(file, p, "{user: [item, ...]}");
      int users = 0; // a repeated user is caught by the parser's duplicate-key detection
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String user = p.currentName();
        long line = tokenLine(p);
        users++;
        if (p.nextToken() != JsonToken.START_ARRAY) {
          throw new DataFormatException(
              file, tokenLine(p), "the value of user '" + user + "' must be a list of item ids, found " + describe(p.currentToken()));
        }
        int count = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            throw new DataFormatException(
                file, tokenLine(p), "item ids of user '" + user + "' must be strings or integers, found " + describe(t));
          }
          String item = p.getText();
          if (item.isBlank()) throw new DataFormatException(file, tokenLine(p), "empty item id for user '" + user + "'");
          builder.interaction(user, item);
          count++;
        }
        if (count == 0) throw new DataFormatException(file, line, "user '" + user + "' has an empty item list");
      }
      expectEnd(file, p);
      if (users == 0) throw new DataFormatException(file, 0, "no users in the file");
    } catch (JsonProcessingException e) {
      throw invalidJson(file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Item attributes from an {@code item.json} (also fits the Yelp item file): keys lower-cased, list
   * values (e.g. Amazon category paths, possibly nested) flattened into a comma-separated string
   * without repeats, HTML entities such as {@code &amp;} decoded.
   */
  public static Map<String, Map<String, String>> readItems(Path file) {
    TextLines.requireRegularFile(file);
    Map<String, Map<String, String>> items = new LinkedHashMap<>();
    try (JsonParser p = MAPPER.getFactory().createParser(file.toFile())) {
      expectTopLevelObject(file, p, "{item: {title, ...}}");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String item = p.currentName();
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new DataFormatException(
              file, tokenLine(p), "the value of item '" + item + "' must be an object of attributes, found " + describe(p.currentToken()));
        }
        long line = tokenLine(p);
        JsonNode node = p.readValueAsTree();
        Map<String, String> attrs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String text = textOf(file, line, item, e.getKey(), e.getValue());
          Fields.putIfPresent(attrs, e.getKey().strip().toLowerCase(Locale.ROOT), text);
        }
        items.put(item, attrs);
      }
      expectEnd(file, p);
      if (items.isEmpty()) throw new DataFormatException(file, 0, "no items in the file");
    } catch (JsonProcessingException e) {
      throw invalidJson(file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return items;
  }

  private static String textOf(Path file, long line, String item, String key, JsonNode value) {
    if (value.isNull()) return null;
    if (value.isValueNode()) return unescapeHtml(value.asText());
    if (value.isArray()) {
      Set<String> parts = new LinkedHashSet<>(); // category paths repeat their top levels
      flatten(file, line, item, key, value, parts);
      return String.join(", ", parts);
    }
    throw new DataFormatException(
        file, line, "attribute '" + key + "' of item '" + item + "' is an object; expected text, a number or a list");
  }

  private static void flatten(Path file, long line, String item, String key, JsonNode node, Set<String> out) {
    for (JsonNode child : node) {
      if (child.isArray()) {
        flatten(file, line, item, key, child, out);
      } else if (child.isValueNode() && !child.isNull()) {
        String s = unescapeHtml(child.asText()).strip();
        if (!s.isEmpty()) out.add(s);
      } else if (!child.isNull()) {
        throw new DataFormatException(
            file, line, "attribute '" + key + "' of item '" + item + "' holds an object inside its list; expected text");
      }
    }
  }

  /** Scraped Amazon titles carry HTML entities ("AT&amp;T"); the LM should see the plain characters. */
  static String unescapeHtml(String s) {
    if (s.indexOf('&') < 0) return s;
    String r =
        s.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", " ");
    Matcher m = NUMERIC_ENTITY.matcher(r);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int cp = Integer.parseInt(m.group(1));
      String replacement = Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString().replace("&amp;", "&"); // last, so "&amp;lt;" stays "&lt;"
  }

  private static void expectTopLevelObject(Path file, JsonParser p, String shape) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) throw new DataFormatException(file, 0, "file is empty");
    if (first != JsonToken.START_OBJECT) {
      throw new DataFormatException(file, tokenLine(p), "expected a JSON object " + shape + " at the top level, found " + describe(first));
    }
  }

  private static void expectEnd(Path file, JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new DataFormatException(file, tokenLine(p), "expected a field name or '}', found " + describe(p.currentToken()));
    }
    JsonToken extra = p.nextToken();
    if (extra != null) throw new DataFormatException(file, tokenLine(p), "unexpected content after the top-level object");
  }

  private static long tokenLine(JsonParser p) {
    return Math.max(0, p.currentTokenLocation().getLineNr());
  }

  private static String describe(JsonToken t) {
    if (t == null) return "the end of the file";
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }

  private static DataFormatException invalidJson(Path file, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    long line = loc == null ? 0 : Math.max(0, loc.getLineNr());
    String column = loc == null || loc.getColumnNr() <= 0 ? "" : " (column " + loc.getColumnNr() + ")";
    return new DataFormatException(file, line, "invalid JSON: " + e.getOriginalMessage() + column, e);
  }
}
