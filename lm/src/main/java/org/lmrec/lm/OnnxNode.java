package org.lmrec.lm;

import java.util.List;
import java.util.Map;

/**
 * One node of an ONNX graph, with the attributes this package reads: integers, floats and tensors
 * (the value of a {@code Constant} node).
 */
record OnnxNode(
    String name,
    String opType,
    List<String> inputs,
    List<String> outputs,
    Map<String, Long> intAttributes,
    Map<String, Float> floatAttributes,
    Map<String, OnnxInitializer> tensorAttributes) {}
