package org.lmrec.flink.storage;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 API server (S3Proxy) in this JVM for one test class: in-memory backend (jclouds
 * "transient"), port 0, one bucket, and Flink's {@link FileSystem} initialized to reach it through
 * the {@code flink-s3-fs-hadoop} plugin under {@code $FLINK_PLUGINS_DIR} (set by surefire). After
 * the class, the server stops and Flink's file systems are reset to the defaults, so later classes
 * in the same JVM see no S3 settings. Register it as a static field with {@code @RegisterExtension}.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
  public static final String ACCESS_KEY = "lmrec-test-access";
  public static final String SECRET_KEY = "lmrec-test-secret";

  private final String bucket;
  private BlobStoreContext context;
  private S3Proxy proxy;

  public S3ProxyExtension() {
    this("lmrec");
  }

  public S3ProxyExtension(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public void beforeAll(ExtensionContext ctx) throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("identity", "credential").overrides(new Properties())
        .build(BlobStoreContext.class);
    proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
      Thread.onSpinWait();
    }
    context.getBlobStore().createContainerInLocation(null, bucket);
    FlinkFileSystems.initialize(flinkConfig());
  }

  @Override
  public void afterAll(ExtensionContext ctx) throws Exception {
    try {
      if (proxy != null) proxy.stop();
    } finally {
      if (context != null) context.close();
      FileSystem.initialize(new Configuration(), null);
    }
  }

  /** The endpoint, {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public String bucket() {
    return bucket;
  }

  /** {@code s3://BUCKET/key}. */
  public String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** The {@code s3.*} settings that reach this server (what a cluster's config.yaml would hold). */
  public Configuration flinkConfig() {
    Configuration c = new Configuration();
    s3Settings().forEach(c::setString);
    return c;
  }

  public java.util.Map<String, String> s3Settings() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("s3.endpoint", endpoint());
    m.put("s3.path.style.access", "true");
    m.put("s3.access-key", ACCESS_KEY);
    m.put("s3.secret-key", SECRET_KEY);
    // As the standalone cluster configures it (docs/storage.md): no parent-marker deletes after each write.
    m.put("s3.directory.marker.retention", "keep");
    return m;
  }

  /** The server's own view of the bucket, not through Flink: every key under {@code prefix}, sorted. */
  public List<String> keys(String prefix) {
    BlobStore store = context.getBlobStore();
    List<String> keys = new ArrayList<>();
    String marker = null;
    do {
      ListContainerOptions o = ListContainerOptions.Builder.recursive().prefix(prefix);
      if (marker != null) o.afterMarker(marker);
      var page = store.list(bucket, o);
      for (StorageMetadata m : page) {
        if (m.getType() == org.jclouds.blobstore.domain.StorageType.BLOB) keys.add(m.getName());
      }
      marker = page.getNextMarker();
    } while (marker != null);
    keys.sort(null);
    return keys;
  }

  /** The raw bytes of {@code key}, read from the server directly. */
  public byte[] read(String key) throws java.io.IOException {
    var blob = context.getBlobStore().getBlob(bucket, key);
    if (blob == null) throw new java.io.FileNotFoundException(uri(key));
    try (var in = blob.getPayload().openStream()) {
      return in.readAllBytes();
    }
  }
}
