package org.lmrec.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG line chart of metrics over time, optionally with an interval band per series (drawn as two
 * dashed lines in the series' colour). Used by the experiment and replay reports. The same input
 * gives byte-identical PNG bytes on the same JVM and fonts: nothing depends on the clock, the
 * locale or the default time zone (dates are formatted in UTC).
 */
public final class LineChart {
  /**
   * One line. {@code lower} and {@code upper} are both null or both as long as {@code times}; NaN
   * values leave a gap (an interval not yet defined).
   */
  public record Series(String name, long[] timesMillis, double[] values, double[] lower, double[] upper) {
    public Series {
      if (timesMillis.length != values.length) throw new IllegalArgumentException("series '" + name + "': " + timesMillis.length + " times but " + values.length + " values");
      if ((lower == null) != (upper == null)) throw new IllegalArgumentException("series '" + name + "': give both interval bounds or neither");
      if (lower != null && (lower.length != values.length || upper.length != values.length)) {
        throw new IllegalArgumentException("series '" + name + "': interval bounds must have one value per time");
      }
    }

    public static Series of(String name, long[] timesMillis, double[] values) {
      return new Series(name, timesMillis, values, null, null);
    }
  }

  private static final Color[] PALETTE = {
    new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
    new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)
  };

  static final int MAX_MARKERS = 150;

  private LineChart() {}

  /** The chart as PNG bytes; {@code width} x {@code height} pixels. */
  public static byte[] png(String title, String yLabel, List<Series> series, int width, int height) {
    if (series.isEmpty()) throw new IllegalArgumentException("chart '" + title + "' has no series");
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    ChartAxes.Range time = timeRange(series);
    ChartAxes.Range value = valueRange(series);
    AxisLabels labels = axisLabels(series);
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(labels.timeTitle()).yAxisTitle(yLabel).build();
    chart.getStyler().setLocale(Locale.ROOT);
    chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
    chart.getStyler().setDatePattern(labels.timePattern());
    chart.getStyler().setXAxisMin(time.min());
    chart.getStyler().setXAxisMax(time.max());
    chart.getStyler().setYAxisMin(value.min());
    chart.getStyler().setYAxisMax(value.max());
    chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> ChartAxes.valueLabel(v, labels.valueDecimals()));
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    int colour = 0;
    for (Series s : series) {
      Color c = PALETTE[colour++ % PALETTE.length];
      add(chart, s.name(), s.timesMillis(), s.values(), c, null);
      if (s.lower() != null) {
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f);
        add(chart, s.name() + " (interval low)", s.timesMillis(), s.lower(), c, dashed);
        add(chart, s.name() + " (interval high)", s.timesMillis(), s.upper(), c, dashed);
      }
    }
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode chart '" + title + "' as PNG", e);
    }
  }

  /** What the axes of a chart of {@code series} are labelled with (see {@link ChartAxes}). */
  record AxisLabels(String timeTitle, String timePattern, int valueDecimals) {}

  static AxisLabels axisLabels(List<Series> series) {
    ChartAxes.Range time = timeRange(series);
    return new AxisLabels(ChartAxes.timeTitle(time), ChartAxes.timePattern((long) time.span()), ChartAxes.decimals(valueRange(series).span()));
  }

  private static ChartAxes.Range timeRange(List<Series> series) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Series s : series) {
      for (long t : s.timesMillis()) {
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
    }
    return first > last ? ChartAxes.timeRange(0, 0) : ChartAxes.timeRange(first, last);
  }

  /** Over the lines and their interval bounds, NaN (gaps) left out. */
  private static ChartAxes.Range valueRange(List<Series> series) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] values : new double[][] {s.values(), s.lower(), s.upper()}) {
        if (values == null) continue;
        for (double v : values) {
          if (Double.isNaN(v)) continue;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return ChartAxes.valueRange(lo, hi);
  }

  private static void add(XYChart chart, String name, long[] times, double[] values, Color colour, BasicStroke stroke) {
    List<Date> x = new ArrayList<>(times.length);
    List<Double> y = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      x.add(new Date(times[i]));
      y.add(Double.isNaN(values[i]) ? null : values[i]); // XChart leaves a gap at a null
    }
    if (x.isEmpty()) { // XChart refuses empty series; an empty series still gets its legend entry
      x.add(new Date(0));
      y.add(null);
    }
    XYSeries series = chart.addSeries(name, x, y);
    series.setLineColor(colour);
    // Dots mark each window or look; beyond MAX_MARKERS they would merge into a thick line.
    series.setMarker(stroke == null && times.length <= MAX_MARKERS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    series.setMarkerColor(colour);
    if (stroke != null) series.setLineStyle(stroke);
  }
}
