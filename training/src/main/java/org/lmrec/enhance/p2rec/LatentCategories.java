package org.lmrec.enhance.p2rec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hipparchus.clustering.CentroidCluster;
import org.hipparchus.clustering.Clusterable;
import org.hipparchus.clustering.KMeansPlusPlusClusterer;
import org.hipparchus.clustering.distance.EuclideanDistance;
import org.hipparchus.random.Well19937c;
import org.lmrec.tensor.Tensor;

/**
 * P2Rec's latent categories: k-means (k-means++ seeding, Hipparchus) over the item embedding table
 * of a pre-trained ID-only SRS. Clusters are numbered by their smallest member item, so the same
 * table and seed always give the same numbering.
 *
 * @param categoryOfItem category of every item index; entry 0 (padding) is -1
 * @param centroids {@code [k, dim]}
 */
public record LatentCategories(int[] categoryOfItem, Tensor centroids) {

  public int k() {
    return centroids.dim(0);
  }

  public int numItems() {
    return categoryOfItem.length - 1;
  }

  public static LatentCategories cluster(Tensor itemTable, int k, int maxIterations, long seed) {
    int items = itemTable.dim(0) - 1;
    int dim = itemTable.dim(1);
    if (k < 2) throw new IllegalArgumentException("k must be at least 2, got " + k);
    if (items < k) throw new IllegalArgumentException("cannot form " + k + " categories from " + items + " items");
    List<ItemPoint> points = new ArrayList<>(items);
    float[] data = itemTable.data();
    for (int i = 1; i <= items; i++) {
      double[] p = new double[dim];
      for (int c = 0; c < dim; c++) p[c] = data[i * dim + c];
      points.add(new ItemPoint(i, p));
    }
    var clusterer =
        new KMeansPlusPlusClusterer<ItemPoint>(k, maxIterations, new EuclideanDistance(), new Well19937c(seed));
    List<CentroidCluster<ItemPoint>> clusters = new ArrayList<>(clusterer.cluster(points));
    clusters.removeIf(c -> c.getPoints().isEmpty());
    clusters.sort((a, b) -> Integer.compare(smallestItem(a), smallestItem(b)));
    int[] category = new int[items + 1];
    Arrays.fill(category, -1);
    float[] centroids = new float[clusters.size() * dim];
    for (int c = 0; c < clusters.size(); c++) {
      for (ItemPoint p : clusters.get(c).getPoints()) category[p.item] = c;
      double[] centre = clusters.get(c).getCenter().getPoint();
      for (int j = 0; j < dim; j++) centroids[c * dim + j] = (float) centre[j];
    }
    return new LatentCategories(category, new Tensor(centroids, clusters.size(), dim));
  }

  /** Items per category. */
  public int[] sizes() {
    int[] sizes = new int[k()];
    for (int i = 1; i < categoryOfItem.length; i++) sizes[categoryOfItem[i]]++;
    return sizes;
  }

  /** {@code item_id<TAB>category} lines, for inspection and for reloading a stage. */
  public byte[] toTsv(List<String> itemIds) {
    StringBuilder sb = new StringBuilder("item_id\tcategory\n");
    for (int i = 1; i < categoryOfItem.length; i++) sb.append(itemIds.get(i)).append('\t').append(categoryOfItem[i]).append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads what {@link #toTsv} wrote, for the same item numbering. */
  public static LatentCategories fromTsv(byte[] tsv, List<String> itemIds, Tensor centroids) {
    String[] lines = new String(tsv, StandardCharsets.UTF_8).split("\n");
    if (lines.length - 1 != itemIds.size() - 1) {
      throw new IllegalArgumentException("categories file has " + (lines.length - 1) + " items, the catalogue " + (itemIds.size() - 1));
    }
    int[] category = new int[itemIds.size()];
    category[0] = -1;
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split("\t");
      if (f.length != 2 || !f[0].equals(itemIds.get(i))) {
        throw new IllegalArgumentException("categories file line " + (i + 1) + " is '" + lines[i] + "', expected item " + itemIds.get(i));
      }
      int c = Integer.parseInt(f[1]);
      if (c < 0 || c >= centroids.dim(0)) throw new IllegalArgumentException("categories file line " + (i + 1) + ": category " + c + " out of range");
      category[i] = c;
    }
    return new LatentCategories(category, centroids);
  }

  private static int smallestItem(CentroidCluster<ItemPoint> c) {
    int min = Integer.MAX_VALUE;
    for (ItemPoint p : c.getPoints()) min = Math.min(min, p.item);
    return min;
  }

  private record ItemPoint(int item, double[] point) implements Clusterable {
    @Override
    public double[] getPoint() {
      return point;
    }
  }
}
