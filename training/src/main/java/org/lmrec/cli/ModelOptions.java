package org.lmrec.cli;

import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.settings.Settings;
import org.lmrec.train.DataDefaults;
import org.lmrec.settings.Settings.Sets;
import picocli.CommandLine.Option;

/**
 * Model settings; anything left out takes the backbone's default from {@link ModelConfig#defaults}.
 * Each option names the {@link ModelConfig} component it sets ({@link Sets}).
 */
public final class ModelOptions {
  @Option(names = "--model", description = "Backbone: sasrec (default) or gru4rec.", converter = KindConverter.class)
  ModelKind kind = ModelKind.SASREC;

  @Option(names = "--loss", description = "ce (full softmax, default) or bce (one sampled negative, as the SASRec paper).", converter = LossConverter.class)
  @Sets(value = "loss", in = ModelConfig.class)
  LossType loss;

  @Option(names = "--dim", description = "Embedding size d (default 64).")
  @Sets(value = "dim", in = ModelConfig.class)
  Integer dim;

  @Option(names = "--blocks", description = "SASRec attention blocks / GRU layers (default 2 / 1).")
  @Sets(value = "blocks", in = ModelConfig.class)
  Integer blocks;

  @Option(names = "--heads", description = "Attention heads (default 1).")
  @Sets(value = "heads", in = ModelConfig.class)
  Integer heads;

  @Option(names = "--max-len", description = "Longest history read (default 50).")
  @Sets(value = "maxLen", in = ModelConfig.class)
  Integer maxLen;

  @Option(names = "--dropout", description = "Dropout rate (default: SASRec 0.5 on sparse data, density below 1%%, else 0.2; GRU4Rec 0.3).")
  @Sets(value = "dropout", in = ModelConfig.class)
  Float dropout;

  @Option(names = "--lr", description = "Adam learning rate (default 0.001).")
  @Sets(value = "learningRate", in = ModelConfig.class)
  Float lr;

  @Option(names = "--batch-size", description = "Sequences per training step (default 128).")
  @Sets(value = "batchSize", in = ModelConfig.class)
  Integer batchSize;

  @Option(names = "--seed", description = "Seed for initialisation, batching, sampling, dropout (default 42).")
  @Sets(value = "seed", in = ModelConfig.class)
  Long seed;

  /** The dropout given on the command line, or null when the data's default applies. */
  public Float dropoutGiven() {
    return dropout;
  }

  public ModelConfig toConfig() {
    return Settings.apply(ModelConfig.defaults(kind), this);
  }

  /** The settings given, over the backbone's defaults for this data ({@link DataDefaults}). */
  public ModelConfig toConfig(org.lmrec.data.Dataset data) {
    return Settings.apply(DataDefaults.of(kind, data), this);
  }

  /** The line saying which data-dependent default was taken, or null when the user chose it or none applies. */
  public String dataDefaultNote(org.lmrec.data.Dataset data) {
    return dropout != null ? null : DataDefaults.describe(kind, data);
  }

  static final class KindConverter implements picocli.CommandLine.ITypeConverter<ModelKind> {
    @Override
    public ModelKind convert(String value) {
      return ModelKind.parse(value);
    }
  }

  static final class LossConverter implements picocli.CommandLine.ITypeConverter<LossType> {
    @Override
    public LossType convert(String value) {
      return LossType.parse(value);
    }
  }
}
