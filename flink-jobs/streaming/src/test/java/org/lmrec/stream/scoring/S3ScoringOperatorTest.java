package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.artifact.ArtifactLayout;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.flink.storage.S3ProxyExtension;
import org.lmrec.flink.storage.StorageFiles;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.TestModels;

/** The live scorer swaps to a model announced at an s3:// URI, and keeps serving when an s3:// announcement is refused. */
class S3ScoringOperatorTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension("models");
  @TempDir Path root;

  @Test
  void swapsToAnS3ModelAndRefusesAHostileS3Uri() throws Exception {
    ModelArtifact v1 = TestModels.write(root, "v1", ModelKind.SASREC, 40, 1);
    ModelArtifact v2 = TestModels.write(root.resolve("staging"), "v2", ModelKind.GRU4REC, 40, 2);
    StorageFiles.upload(v2.dir(), new org.apache.flink.core.fs.Path(S3.uri("prod/v2")), ArtifactLayout.MANIFEST);
    StorageFiles.upload(v2.dir(), new org.apache.flink.core.fs.Path(S3.uri("other/v3")), ArtifactLayout.MANIFEST);
    ModelLimits limits = new ModelLimits(ArtifactRoots.ofUris(List.of(root.toString(), S3.uri("prod"))), 4, 1L << 30);
    try (var h = new TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation>(
        new ScoringOperator(TestModels.pointer(v1, 1), limits, new ModelLoading(Duration.ofSeconds(30), 4), 5, 1, 20))) {
      h.setup();
      h.open();
      assertThat(served(h, "before")).isEqualTo("v1");

      h.processElement2(new ModelPointer("v2", S3.uri("prod/v2"), v2.manifestSha256(), 2), 1);
      ScoringOperatorTest.awaitLoads(h);
      assertThat(served(h, "swapped")).isEqualTo("v2");

      ScoringOperator op = (ScoringOperator) h.getOperator();
      h.processElement2(new ModelPointer("v2", S3.uri("prod/../other/v3"), v2.manifestSha256(), 3), 2);
      ScoringOperatorTest.awaitLoads(h);
      h.processElement2(new ModelPointer("v2", S3.uri("other/v3"), v2.manifestSha256(), 4), 3);
      ScoringOperatorTest.awaitLoads(h);
      assertThat(op.refusalCount()).isEqualTo(2);
      assertThat(served(h, "after")).isEqualTo("v2");
    }
  }

  private static String served(TwoInputStreamOperatorTestHarness<ScoringRequest, ModelPointer, Recommendation> h, String eventId) throws Exception {
    int before = h.extractOutputValues().size();
    h.processElement1(ScoringOperatorTest.request(eventId, "item-1", "item-2"), 1);
    List<Recommendation> out = h.extractOutputValues();
    assertThat(out).hasSize(before + 1);
    return out.get(before).getModelVersion().toString();
  }
}
