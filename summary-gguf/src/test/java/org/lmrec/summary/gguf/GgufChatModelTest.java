package org.lmrec.summary.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.summary.SummaryItem;
import org.lmrec.summary.SummaryStrategy;
import org.lmrec.summary.UserSummary;
import org.lmrec.summary.chat.ChatException;
import org.lmrec.summary.chat.ChatSummariser;
import org.lmrec.summary.chat.LocalChatModel;
import org.lmrec.summary.chat.LocalChatModels;
import org.lmrec.summary.chat.LocalChatOptions;

/** The GGUF backend against llama.cpp itself, on a tiny random checkpoint written by {@link TinyGguf}. */
class GgufChatModelTest {
  @TempDir static Path dir;
  static Path plain;
  static Path chatml;

  @BeforeAll
  static void checkpoints() throws IOException {
    plain = TinyGguf.write(dir.resolve("tiny.gguf"), 7, null);
    chatml = TinyGguf.write(dir.resolve("tiny-chatml.gguf"), 7, TinyGguf.CHATML);
  }

  static LocalChatOptions options(Path model) {
    return LocalChatOptions.defaults(model).withContext(2048, 1).withMaxTokens(24).withTimeout(Duration.ofSeconds(60));
  }

  @Test
  void theSameExchangeGivesTheSameAnswerWithinTheTokenBudget() throws Exception {
    try (GgufChatModel model = GgufChatModel.open(options(plain))) {
      String first = model.complete("You write profiles.", "Items: red camera, blue tripod.");
      String second = model.complete("You write profiles.", "Items: red camera, blue tripod.");
      assertThat(first).isNotBlank().isEqualTo(second);
      assertThat(first.length()).isLessThanOrEqualTo(24); // the vocabulary is one character per token
      assertThat(model.complete("You write profiles.", "Items: a green lamp.")).isNotEqualTo(first);
      assertThat(model.file().architecture()).isEqualTo("llama");
      assertThat(model.file().name()).isEqualTo("lmrec-tiny-test");
      assertThat(model.file().contextLength()).isEqualTo(TinyGguf.CONTEXT);
    }
  }

  @Test
  void theRecurrentStrategySummarisesThroughIt() throws Exception {
    List<SummaryItem> history = new ArrayList<>();
    for (int i = 0; i < 10; i++) history.add(new SummaryItem("item " + i, Map.of("category", "Cameras"), null));
    try (LocalChatModel model = LocalChatModels.open("gguf", options(plain))) {
      ChatSummariser summariser = new ChatSummariser(model, 100);
      UserSummary summary = SummaryStrategy.RECURRENT.summarise(summariser, history, 5, 5);
      assertThat(summary.text()).isNotBlank();
      assertThat(summariser.version()).startsWith("chat-v1(gguf=tiny.gguf;fingerprint=").endsWith(";max_tokens=24)");
      // a block summary asked the same way gives the same text: deterministic, as the stream's state needs
      assertThat(SummaryStrategy.RECURRENT.summarise(summariser, history, 5, 5).text()).isEqualTo(summary.text());
    }
  }

  @Test
  void theCheckpointsChatTemplateFormatsTheExchange() throws Exception {
    try (GgufChatModel model = GgufChatModel.open(options(chatml)); GgufChatModel bare = GgufChatModel.open(options(plain))) {
      assertThat(model.prompt("Be brief.", "Items: a lamp.")).contains("<|im_start|>system\nBe brief.<|im_end|>")
          .contains("<|im_start|>user\nItems: a lamp.<|im_end|>").endsWith("<|im_start|>assistant\n");
      assertThat(bare.prompt("Be brief.", "Items: a lamp.")).isEqualTo(GgufChatModel.plain("Be brief.", "Items: a lamp."));
      assertThat(model.complete("Be brief.", "Items: a lamp.")).isNotBlank();
    }
  }

  @Test
  void aGenerationPastItsTimeoutIsCancelledAndTheModelStillAnswers() throws Exception {
    LocalChatOptions slow = options(plain).withMaxTokens(200).withTimeout(Duration.ofNanos(1));
    try (GgufChatModel model = GgufChatModel.open(slow)) {
      assertThatThrownBy(() -> model.complete("s", "u")).isInstanceOf(ChatException.class).hasMessageContaining("no answer within");
      // the cancelled generation freed its slot: the next call is answered (here: cancelled again), not stuck
      assertThatThrownBy(() -> model.complete("s", "u")).isInstanceOf(ChatException.class).hasMessageContaining("no answer within");
    }
    try (GgufChatModel model = GgufChatModel.open(options(plain))) {
      assertThat(model.complete("s", "u")).isNotBlank();
    }
  }

  @Test
  void aContextLongerThanTheCheckpointsIsCutToItsOwnAndAnswersThatCannotFitAreRefused() throws Exception {
    try (GgufChatModel model = GgufChatModel.open(options(plain).withContext(8192, 1))) {
      assertThat(model.contextTokens()).isEqualTo(TinyGguf.CONTEXT);
      assertThat(model.complete("s", "u")).isNotBlank();
    }
    LocalChatOptions noRoom = options(plain).withContext(8192, 1).withMaxTokens(TinyGguf.CONTEXT);
    assertThatThrownBy(() -> GgufChatModel.open(noRoom)).isInstanceOf(IOException.class).hasMessageContaining("trained for a context of 4096");
  }

  @Test
  void aPromptThatWouldNotFitTheContextIsRefusedNotCut() throws Exception {
    try (GgufChatModel model = GgufChatModel.open(options(plain).withContext(128, 1))) { // one token per character here
      assertThat(model.complete("Be brief.", "Items: a lamp.")).isNotBlank();
      assertThatThrownBy(() -> model.complete("Be brief.", "Items: " + "a lamp, ".repeat(20))).isInstanceOf(ChatException.class)
          .hasMessageContaining("do not fit the context of 128 tokens");
    }
  }

  @Test
  void malformedFilesAreRefusedBeforeLlamaCppReadsThem() throws IOException {
    byte[] good = Files.readAllBytes(plain);
    assertRefused(Arrays.copyOf(good, 16), "too short");
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertRefused(magic, "magic");
    byte[] version = good.clone();
    version[4] = 1;
    assertRefused(version, "version 1");
    assertRefused(Arrays.copyOf(good, good.length - 100), "past the file's end");
    assertRefused(Arrays.copyOf(good, 2000), "ends inside its header");
    byte[] hugeKey = good.clone();
    hugeKey[24 + 7] = 0x7f; // the first key's length: 2^62 bytes
    assertRefused(hugeKey, "metadata key");
    assertThatThrownBy(() -> GgufFile.read(dir)).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
  }

  private static void assertRefused(byte[] bytes, String reason) throws IOException {
    Path bad = Files.write(dir.resolve("bad-" + reason.replace(' ', '-') + ".gguf"), bytes);
    assertThatThrownBy(() -> GgufChatModel.open(options(bad))).isInstanceOf(IOException.class).hasMessageContaining("not a usable GGUF")
        .hasMessageContaining(reason);
  }
}
