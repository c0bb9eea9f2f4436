package org.lmrec.retrainjob.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Kubernetes CronJob (deploy/k8s/retrain-cronjob.yaml) runs {@code lmrec-retrain run ...}: its
 * command must parse with this CLI and pass the checks a run makes before it touches anything
 * (a remote --artifacts store needs --artifacts-cache), or the first scheduled run fails in the cluster.
 */
class RetrainCronJobCommandTest {
  static final Path CRON_JOB = repoRoot().resolve("deploy/k8s/retrain-cronjob.yaml");

  @Test
  void theCronJobsCommandParsesAndNamesALocalWorkingCopyForItsS3Store() throws IOException {
    List<String> command = containerCommand(Files.readAllLines(CRON_JOB));
    assertThat(command).as("container command of " + CRON_JOB).startsWith("lmrec-retrain", "run");

    CommandLine.ParseResult parsed = RetrainCli.commandLine().parseArgs(command.subList(1, command.size()).toArray(String[]::new));
    RetrainOptions options = ((RetrainCli.Run) parsed.subcommand().commandSpec().userObject()).options;

    assertThat(options.remoteArtifacts()).as("artifacts on S3").isTrue();
    assertThat(options.archiveUri()).startsWith("s3://");
    assertThat(options.artifactsDir()).as("--artifacts-cache").isAbsolute(); // throws when missing
    assertThat(options.artifactsDir().startsWith(options.stateDir())).as("cache inside the per-run scratch volume").isTrue();
  }

  @Test
  void withoutDropoutEachWindowsDataChoosesItAndAGivenOneIsKept() {
    RetrainOptions none = runOptions("run", "--archive", "/tmp/a", "--artifacts", "/tmp/b", "--bootstrap-servers", "127.0.0.1:1", "--enhancer", "none");
    assertThat(none.config().dropoutFromData()).isTrue();
    RetrainOptions given = runOptions("run", "--archive", "/tmp/a", "--artifacts", "/tmp/b", "--bootstrap-servers", "127.0.0.1:1", "--enhancer", "none", "--dropout", "0.3");
    assertThat(given.config().dropoutFromData()).isFalse();
    assertThat(given.config().model().dropout()).isEqualTo(0.3f);
  }

  private static RetrainOptions runOptions(String... args) {
    CommandLine.ParseResult parsed = RetrainCli.commandLine().parseArgs(args);
    return ((RetrainCli.Run) parsed.subcommand().commandSpec().userObject()).options;
  }

  /** The items of the first {@code command:} list in the YAML, in order (quotes and trailing comments stripped). */
  static List<String> containerCommand(List<String> lines) {
    List<String> items = new ArrayList<>();
    int indent = -1;
    for (String line : lines) {
      String t = line.strip();
      if (indent < 0) {
        if (t.equals("command:")) indent = line.indexOf('c');
        continue;
      }
      if (t.startsWith("#")) continue;
      if (!t.startsWith("- ") || line.indexOf('-') < indent) break;
      String item = t.substring(2).replaceFirst("\\s+#.*$", "").strip();
      items.add(item.replaceAll("^\"|\"$", ""));
    }
    return items;
  }

  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) dir = dir.getParent();
    assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
