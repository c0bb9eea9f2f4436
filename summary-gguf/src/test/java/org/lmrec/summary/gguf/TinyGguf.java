package org.lmrec.summary.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny llama-architecture GGUF checkpoint with seeded random weights (2 layers, width 32,
 * a character-level SentencePiece vocabulary with byte fallback), so the GGUF backend is tested
 * against llama.cpp itself on a fresh clone: no generative checkpoint can be fetched here, and none
 * is committed. Its answers are gibberish but deterministic. The output rows of the control and
 * byte tokens are zero, so greedy decoding picks printable characters and never stops early.
 */
public final class TinyGguf {
  static final int WIDTH = 32;
  static final int HEADS = 4;
  static final int LAYERS = 2;
  static final int FFN = 64;
  static final int CONTEXT = 4096;
  public static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
      + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private TinyGguf() {}

  /** The checkpoint at {@code path}; {@code chatTemplate} null for none. */
  public static Path write(Path path, long seed, String chatTemplate) throws IOException {
    List<String> tokens = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    tokens.add("<unk>");
    types.add(2);
    tokens.add("<s>");
    types.add(3);
    tokens.add("</s>");
    types.add(3);
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
      types.add(6);
    }
    int firstText = tokens.size();
    tokens.add("\u2581");
    types.add(1);
    for (char c = 'a'; c <= 'z'; c++) {
      tokens.add(String.valueOf(c));
      types.add(1);
    }
    for (char c : ".,;:!?'-0123456789".toCharArray()) {
      tokens.add(String.valueOf(c));
      types.add(1);
    }
    int vocab = tokens.size();

    Map<String, Object> kv = new LinkedHashMap<>();
    kv.put("general.architecture", "llama");
    kv.put("general.name", "lmrec-tiny-test");
    kv.put("llama.context_length", CONTEXT);
    kv.put("llama.embedding_length", WIDTH);
    kv.put("llama.block_count", LAYERS);
    kv.put("llama.feed_forward_length", FFN);
    kv.put("llama.attention.head_count", HEADS);
    kv.put("llama.attention.head_count_kv", HEADS);
    kv.put("llama.rope.dimension_count", WIDTH / HEADS);
    kv.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    kv.put("tokenizer.ggml.model", "llama");
    kv.put("tokenizer.ggml.tokens", tokens);
    float[] scores = new float[vocab];
    for (int i = 0; i < vocab; i++) scores[i] = -i;
    kv.put("tokenizer.ggml.scores", scores);
    kv.put("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
    kv.put("tokenizer.ggml.bos_token_id", 1);
    kv.put("tokenizer.ggml.eos_token_id", 2);
    kv.put("tokenizer.ggml.unknown_token_id", 0);
    if (chatTemplate != null) kv.put("tokenizer.chat_template", chatTemplate);

    Random random = new Random(seed);
    Map<String, float[]> tensors = new LinkedHashMap<>();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensor(tensors, shapes, "token_embd.weight", gaussian(random, WIDTH * vocab, 1f), WIDTH, vocab);
    for (int l = 0; l < LAYERS; l++) {
      String p = "blk." + l + ".";
      tensor(tensors, shapes, p + "attn_norm.weight", ones(WIDTH), WIDTH);
      for (String m : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
        tensor(tensors, shapes, p + m + ".weight", gaussian(random, WIDTH * WIDTH, 0.2f), WIDTH, WIDTH);
      }
      tensor(tensors, shapes, p + "ffn_norm.weight", ones(WIDTH), WIDTH);
      tensor(tensors, shapes, p + "ffn_gate.weight", gaussian(random, WIDTH * FFN, 0.2f), WIDTH, FFN);
      tensor(tensors, shapes, p + "ffn_up.weight", gaussian(random, WIDTH * FFN, 0.2f), WIDTH, FFN);
      tensor(tensors, shapes, p + "ffn_down.weight", gaussian(random, FFN * WIDTH, 0.2f), FFN, WIDTH);
    }
    tensor(tensors, shapes, "output_norm.weight", ones(WIDTH), WIDTH);
    float[] output = gaussian(random, WIDTH * vocab, 1f);
    for (int t = 0; t < firstText; t++) java.util.Arrays.fill(output, t * WIDTH, (t + 1) * WIDTH, 0f); // control and byte tokens never win
    tensor(tensors, shapes, "output.weight", output, WIDTH, vocab);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Le le = new Le(out);
    le.u32(GgufFile.MAGIC);
    le.u32(3);
    le.u64(tensors.size());
    le.u64(kv.size());
    for (Map.Entry<String, Object> e : kv.entrySet()) {
      le.string(e.getKey());
      le.value(e.getValue());
    }
    long offset = 0;
    for (Map.Entry<String, float[]> e : tensors.entrySet()) {
      long[] shape = shapes.get(e.getKey());
      le.string(e.getKey());
      le.u32(shape.length);
      for (long d : shape) le.u64(d);
      le.u32(0); // F32
      le.u64(offset);
      offset = align(offset + 4L * e.getValue().length);
    }
    while (out.size() % 32 != 0) out.write(0);
    for (float[] data : tensors.values()) {
      ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : data) b.putFloat(f);
      out.write(b.array());
      while (out.size() % 32 != 0) out.write(0);
    }
    Files.write(path, out.toByteArray());
    return path;
  }

  private static long align(long n) {
    return (n + 31) / 32 * 32;
  }

  private static void tensor(Map<String, float[]> tensors, Map<String, long[]> shapes, String name, float[] data, long... shape) {
    tensors.put(name, data);
    shapes.put(name, shape);
  }

  private static float[] gaussian(Random random, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian() * scale;
    return v;
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  /** Little-endian GGUF values. */
  private record Le(ByteArrayOutputStream out) {
    void u32(long v) {
      for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    void u64(long v) {
      for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      out.write(b, 0, b.length);
    }

    void value(Object v) {
      if (v instanceof String s) {
        u32(8);
        string(s);
      } else if (v instanceof Integer i) {
        u32(4);
        u32(i);
      } else if (v instanceof Float f) {
        u32(6);
        u32(Float.floatToIntBits(f));
      } else if (v instanceof List<?> l) {
        u32(9);
        u32(8);
        u64(l.size());
        for (Object o : l) string((String) o);
      } else if (v instanceof float[] a) {
        u32(9);
        u32(6);
        u64(a.length);
        for (float f : a) u32(Float.floatToIntBits(f));
      } else if (v instanceof int[] a) {
        u32(9);
        u32(5);
        u64(a.length);
        for (int i : a) u32(i);
      } else {
        throw new IllegalArgumentException("no GGUF type for " + v);
      }
    }
  }
}
