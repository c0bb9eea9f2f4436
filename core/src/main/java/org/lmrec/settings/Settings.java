package org.lmrec.settings;

import java.io.Serializable;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The one way settings records are declared (docs/engineering.md, "Settings"): a record with its
 * validation in the canonical constructor and its defaults in a static {@code defaults()}, that
 * implements this interface. Everything that would otherwise repeat the record's field list comes
 * from its components: {@link #toMap()}, {@link #fromMap}, {@link #with} and {@link #edit()} (the
 * named withers are one-liners over them), and {@link #apply} maps a command's {@link Sets}
 * option fields onto it.
 *
 * <p>The map form, written into artifact manifests and stage-cache keys: components in declaration
 * order; numbers, booleans and strings as they are; enums by {@code id()} where the enum declares
 * one (their stable external name, as {@code ModelKind}), else by {@code name()}; nested settings
 * records as nested maps, except types marked {@link Text} (written by {@code toString()}); any
 * other value by {@code toString()}.
 */
public interface Settings<R extends Record & Settings<R>> {

  /** The settings as a flat map (nested maps for nested settings), for manifests, logs and stage keys. */
  default Map<String, Object> toMap() {
    return toMap((Record) this);
  }

  /** A copy with one component changed; {@code component} is the accessor, as {@code ModelConfig::dim}. */
  @SuppressWarnings("unchecked")
  default <T> R with(Component<R, T> component, T value) {
    return edit().set(component, value).build();
  }

  /** Changes several components at once: the record is built (and validated) once, with all of them. */
  @SuppressWarnings("unchecked")
  default Edit<R> edit() {
    return new Edit<>((R) this);
  }

  /** A record accessor as a method reference ({@code ModelConfig::dim}); its name is read once per call site. */
  @FunctionalInterface
  interface Component<R extends Record, T> extends Function<R, T>, Serializable {}

  /** A record type written into settings maps by its {@code toString()} (its stable text form), not as a nested map. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface Text {}

  /**
   * On a command-line option field: the component it sets. {@link #apply} copies every such field
   * that is not null onto the settings; a string value for a non-string component is parsed (a
   * static {@code parse(String)} of the component type, else the enum constant of that name).
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  @interface Sets {
    /** Name of the record component. */
    String value();

    /** The settings records it belongs to, at the top of what {@link #apply} is given or nested in it. */
    Class<? extends Record>[] in();
  }

  /** Several component changes, applied together by {@link #build()}. */
  final class Edit<R extends Record> {
    private final R record;
    private final Map<String, Object> changes = new LinkedHashMap<>();

    Edit(R record) {
      this.record = record;
    }

    public <T> Edit<R> set(Component<R, T> component, T value) {
      changes.put(componentName(record.getClass(), component), value);
      return this;
    }

    public R build() {
      return copy(record, changes);
    }
  }

  // --- the generic part ------------------------------------------------------------------------

  /** {@code record} with the named components replaced, built once through the canonical constructor. */
  static <R extends Record> R copy(R record, Map<String, ?> changes) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    int used = 0;
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      if (changes.containsKey(name)) {
        args[i] = changes.get(name);
        used++;
      } else {
        args[i] = Internal.read(components[i], record);
      }
    }
    if (used != changes.size()) {
      throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no component among " + changes.keySet());
    }
    @SuppressWarnings("unchecked")
    R copy = (R) Internal.construct(record.getClass(), args);
    return copy;
  }

  /** The map form of any record (see the class comment). */
  static Map<String, Object> toMap(Record record) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (RecordComponent c : record.getClass().getRecordComponents()) m.put(c.getName(), Internal.written(Internal.read(c, record)));
    return m;
  }

  /**
   * Reads what {@link #toMap()} wrote: numbers may come back as any {@link Number} or as text (JSON),
   * enums and parseable types as text. A missing key fails with "{@code <type words>} lacks 'key'".
   */
  static <R extends Record> R fromMap(Class<R> type, Map<String, ?> m) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    String what = Internal.words(type.getSimpleName());
    for (int i = 0; i < components.length; i++) {
      String key = components[i].getName();
      Object v = m.get(key);
      if (v == null) throw new IllegalArgumentException(what + " lacks '" + key + "'");
      args[i] = Internal.read(components[i].getType(), v, what, key);
    }
    return type.cast(Internal.construct(type, args));
  }

  /**
   * {@code base} with every non-null {@link Sets} field of {@code options} (an object of picocli
   * option fields) applied, in nested settings records as well; one construction per record.
   */
  static <R extends Record> R apply(R base, Object options) {
    return Internal.apply(base, options);
  }

  /** The component a method reference names. */
  static String componentName(Class<?> recordType, Component<?, ?> component) {
    String name = Internal.NAMES.computeIfAbsent(component.getClass(), k -> Internal.implMethodName(component));
    for (RecordComponent c : recordType.getRecordComponents()) if (c.getName().equals(name)) return name;
    throw new IllegalArgumentException(name + " is not a component of " + recordType.getSimpleName());
  }

  /** Implementation details; not part of the idiom. */
  final class Internal {
    private static final Map<Class<?>, String> NAMES = new ConcurrentHashMap<>();

    private Internal() {}

    static Object read(RecordComponent c, Record r) {
      try {
        Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        return accessor.invoke(r);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        throw rethrow(e);
      }
    }

    static Object construct(Class<?> type, Object[] args) {
      Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
      try {
        Constructor<?> ctor = type.getDeclaredConstructor(types);
        ctor.setAccessible(true);
        return ctor.newInstance(args);
      } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        throw rethrow(e); // the record's own validation message, unchanged
      }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) return r;
      if (e.getCause() instanceof Error err) throw err;
      return new IllegalStateException(e.getCause());
    }

    static Object written(Object v) {
      if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) return v;
      if (v instanceof Enum<?> e) {
        Method id = idMethod(e.getDeclaringClass());
        if (id == null) return e.name();
        try {
          return id.invoke(e);
        } catch (IllegalAccessException ex) {
          throw new IllegalStateException(ex);
        } catch (InvocationTargetException ex) {
          throw rethrow(ex);
        }
      }
      if (v instanceof Record r && !r.getClass().isAnnotationPresent(Text.class)) return Settings.toMap(r);
      return v.toString();
    }

    private static Method idMethod(Class<?> type) {
      try {
        Method m = type.getMethod("id");
        return m.getReturnType() == String.class && !Modifier.isStatic(m.getModifiers()) ? m : null;
      } catch (NoSuchMethodException e) {
        return null;
      }
    }

    /** A value read from a map (JSON) or an option field, as the component type wants it. */
    static Object read(Class<?> type, Object v, String what, String key) {
      if (type == int.class || type == long.class || type == float.class || type == double.class) {
        Number n;
        if (v instanceof Number x) {
          n = x;
        } else {
          try {
            n = Double.valueOf(String.valueOf(v));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + key + "' is not a number: " + v);
          }
        }
        if (type == int.class) return n.intValue();
        if (type == long.class) return n.longValue();
        if (type == float.class) return n.floatValue();
        return n.doubleValue();
      }
      if (type == boolean.class) return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
      if (type.isInstance(v)) return v;
      if (v instanceof Map<?, ?> m && type.isRecord()) {
        @SuppressWarnings("unchecked")
        Map<String, ?> map = (Map<String, ?>) m;
        return fromMap(type.asSubclass(Record.class), map);
      }
      return parse(type, String.valueOf(v));
    }

    /** Text as {@code type}: its static {@code parse(String)}, else the enum constant of that name. */
    static Object parse(Class<?> type, String s) {
      try {
        Method parse = type.getMethod("parse", String.class);
        if (Modifier.isStatic(parse.getModifiers()) && type.isAssignableFrom(parse.getReturnType())) return parse.invoke(null, s);
      } catch (NoSuchMethodException e) {
        // fall through to the enum constant
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        throw rethrow(e);
      }
      if (type.isEnum()) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object constant = Enum.valueOf((Class) type, s.trim().toUpperCase(Locale.ROOT));
        return constant;
      }
      throw new IllegalArgumentException("cannot read " + type.getSimpleName() + " from text");
    }

    static <R extends Record> R apply(R base, Object options) {
      Map<String, Object> changes = new LinkedHashMap<>();
      for (RecordComponent c : base.getClass().getRecordComponents()) {
        Object v = read(c, base);
        if (v instanceof Record nested) {
          Record applied = apply(nested, options);
          if (applied != nested) changes.put(c.getName(), applied);
        }
      }
      for (Class<?> k = options.getClass(); k != Object.class; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          Sets sets = f.getAnnotation(Sets.class);
          if (sets == null || !Arrays.asList(sets.in()).contains(base.getClass())) continue;
          RecordComponent target = Arrays.stream(base.getClass().getRecordComponents())
              .filter(c -> c.getName().equals(sets.value())).findFirst()
              .orElseThrow(() -> new IllegalStateException(f + " sets '" + sets.value() + "', not a component of " + base.getClass().getSimpleName()));
          Object v;
          try {
            f.setAccessible(true);
            v = f.get(options);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
          if (v != null) changes.put(sets.value(), v instanceof String s && target.getType() != String.class ? parse(target.getType(), s) : v);
        }
      }
      return changes.isEmpty() ? base : copy(base, changes);
    }

    static String implMethodName(Object lambda) {
      try {
        Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
        writeReplace.setAccessible(true);
        return ((SerializedLambda) writeReplace.invoke(lambda)).getImplMethodName();
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalArgumentException("not a record accessor reference: " + lambda, e);
      }
    }

    /** "ModelConfig" -> "model config", for messages. */
    static String words(String camel) {
      return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
  }
}
