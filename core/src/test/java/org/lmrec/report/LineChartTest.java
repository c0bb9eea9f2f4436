package org.lmrec.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
  private static final long H = 3_600_000L;

  private static List<LineChart.Series> series() {
    long[] t = {0, H, 2 * H, 3 * H};
    return List.of(
        new LineChart.Series("B - A", t, new double[] {0.01, 0.02, 0.015, 0.018},
            new double[] {Double.NaN, -0.05, -0.02, 0.001}, new double[] {Double.NaN, 0.09, 0.05, 0.035}),
        LineChart.Series.of("A", t, new double[] {0.1, 0.11, 0.12, 0.1}));
  }

  @Test
  void drawsAPngOfTheRequestedSizeAndTheSameBytesEveryTime() throws Exception {
    byte[] first = LineChart.png("NDCG@10 over time", "NDCG@10", series(), 640, 400);
    byte[] second = LineChart.png("NDCG@10 over time", "NDCG@10", series(), 640, 400);
    assertThat(first).isEqualTo(second);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(first));
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(400);
    byte[] other = LineChart.png("NDCG@10 over time", "NDCG@10", List.of(series().get(1)), 640, 400);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void writesAReadablePngFileForASinglePoint(@TempDir Path dir) throws Exception {
    // One window of the old daily default: the chart the demo's archive used to give.
    long t = java.time.Instant.parse("2026-12-06T21:03:00Z").toEpochMilli();
    byte[] png = LineChart.png("replay: NDCG@10", "NDCG@10", List.of(LineChart.Series.of("sasrec-v1", new long[] {t}, new double[] {0.162701320761273})), 800, 500);
    Path file = Files.write(dir.resolve("ndcg-at-10.png"), png);
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(500);
    assertThat(LineChart.axisLabels(List.of(LineChart.Series.of("sasrec-v1", new long[] {t}, new double[] {0.162701320761273}))))
        .isEqualTo(new LineChart.AxisLabels("time (UTC) on 2026-12-06", "HH:mm:ss", 3));
  }

  @Test
  void refusesMismatchedSeries() {
    assertThatThrownBy(() -> new LineChart.Series("x", new long[] {1, 2}, new double[] {1}, null, null))
        .hasMessageContaining("2 times but 1 values");
    assertThatThrownBy(() -> LineChart.png("t", "y", List.of(), 100, 100)).hasMessageContaining("no series");
  }
}
