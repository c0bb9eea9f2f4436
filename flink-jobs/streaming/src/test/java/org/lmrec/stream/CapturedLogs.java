package org.lmrec.stream;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line of this JVM while open, stack traces included: whatever reaches the root logger,
 * plus the named loggers at INFO, captured only (not printed) so a test can read chatty loggers
 * such as Kafka's client configuration dumps without flooding the console.
 */
public final class CapturedLogs implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final AbstractAppender appender;
  private final List<String> infoLoggers;

  private CapturedLogs(List<String> infoLoggers) {
    this.infoLoggers = infoLoggers;
    this.appender = new AbstractAppender("captured-" + System.identityHashCode(this), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
          StringWriter trace = new StringWriter();
          event.getThrown().printStackTrace(new PrintWriter(trace));
          line.append('\n').append(trace);
        }
        synchronized (lines) {
          lines.add(line.toString());
        }
      }
    };
  }

  /** Starts capturing; {@code infoLoggers} are also captured at INFO (and not printed meanwhile). */
  public static CapturedLogs start(String... infoLoggers) {
    CapturedLogs logs = new CapturedLogs(List.of(infoLoggers));
    Configuration config = logs.context.getConfiguration();
    logs.appender.start();
    config.addAppender(logs.appender);
    config.getRootLogger().addAppender(logs.appender, Level.ALL, null);
    for (String name : infoLoggers) {
      LoggerConfig logger = new LoggerConfig(name, Level.INFO, false);
      logger.addAppender(logs.appender, Level.ALL, null);
      config.addLogger(name, logger);
    }
    logs.context.updateLoggers();
    return logs;
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    for (String name : infoLoggers) config.removeLogger(name);
    config.getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
