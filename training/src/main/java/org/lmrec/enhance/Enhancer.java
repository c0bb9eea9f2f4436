package org.lmrec.enhance;

import java.util.Locale;

/** How the SRS's item embeddings are made: the switch of METHODS.md, one value per method. */
public enum Enhancer {
  /** ID embeddings learnt from scratch. */
  NONE("none"),
  /** The base LM's item embeddings, reduced to the SRS dimension (the "no SFT" ablation). */
  FROZEN_LM("frozen-lm"),
  /** P2Rec: user-level fine-tuning of the LM on category distributions, then its item embeddings. */
  P2REC("p2rec"),
  /** LLMEmb: contrastive fine-tuning of the LM on item attributes, then its embeddings behind a trained adapter. */
  LLMEMB("llmemb"),
  /**
   * LLM-TRSR: ID embeddings for the SRS, then a fine-tuned yes/no LM ranker over prompts with the
   * user's summary, evaluated as a re-ranker of the SRS ({@code enhance.trsr}).
   */
  LLM_TRSR("llm-trsr");

  private final String id;

  Enhancer(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Enhancer parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Enhancer e : values()) if (e.id.equals(v)) return e;
    throw new IllegalArgumentException("unknown enhancer '" + s + "': use none, frozen-lm, p2rec, llmemb or llm-trsr");
  }
}
