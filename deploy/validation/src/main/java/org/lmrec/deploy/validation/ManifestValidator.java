package org.lmrec.deploy.validation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates one Kubernetes manifest offline, refusing any field its schema does not know:
 *
 * <ul>
 *   <li>{@code FlinkDeployment}: against the Flink Kubernetes Operator's own CRD schema, from
 *       {@code flink-kubernetes-operator-api} ({@link OpenApiSchema}); metadata as below.
 *   <li>Core kinds, RBAC, batch, {@code PodMonitor} and Strimzi's {@code KafkaTopic}: deserialised
 *       into the fabric8 (or Strimzi) model class with unknown properties, scalar coercion and nulls
 *       for primitives refused; these classes keep unknown fields in {@code additionalProperties}
 *       instead of failing, so every such map in the result must be empty.
 * </ul>
 *
 * A kind with no schema here is refused, not waved through.
 */
public final class ManifestValidator {
  static final String FLINK_CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1beta1.yml";
  static final String FLINK_API = "flink.apache.org/v1beta1";

  /** The model class of each apiVersion/kind this validator knows. */
  static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
      Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
      Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
      Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
      Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
      Map.entry("batch/v1/CronJob", io.fabric8.kubernetes.api.model.batch.v1.CronJob.class),
      Map.entry("batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
      Map.entry("monitoring.coreos.com/v1/PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
      // v1beta2 is what Strimzi 0.22 and later serve; 0.49 also serves v1 and deprecates v1beta2.
      Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
      Map.entry("kafka.strimzi.io/v1/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class));

  /**
   * Fields operator 1.10.0's CRD leaves optional but its reconciler refuses a deployment without
   * (FlinkDeploymentValidator: no image, no flinkVersion, an application without jarURI).
   */
  static final List<List<String>> FLINK_REQUIRED = List.of(List.of("spec", "image"), List.of("spec", "flinkVersion"),
      List.of("spec", "job", "jarURI"), List.of("spec", "job", "upgradeMode"));

  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final OpenApiSchema flinkDeployment;
  private final ObjectMapper strict;

  public ManifestValidator() {
    try {
      flinkDeployment = OpenApiSchema.fromCrdResource(FLINK_CRD, "v1beta1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    strict = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    // "replicas: '3'" and "value: 3" are refused by the API server (JSON types are strict there).
    strict.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    strict.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    strict.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
  }

  /** The schema the FlinkDeployment is checked against (from the operator's jar). */
  public OpenApiSchema flinkDeploymentSchema() {
    return flinkDeployment;
  }

  /** Every problem of {@code m}, each naming its path; empty when the manifest is valid. */
  public List<String> validate(Manifests.Manifest m) {
    JsonNode doc = m.doc();
    List<String> errors = new ArrayList<>();
    if (!doc.isObject()) return List.of("not a mapping");
    if (!doc.path("apiVersion").isTextual() || !doc.path("kind").isTextual()) return List.of("apiVersion and kind must both be given as strings");
    String name = m.name();
    if (name.isEmpty()) errors.add("metadata.name: missing");
    else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) errors.add("metadata.name: '" + name + "' is not a DNS subdomain name");
    String key = m.apiVersion() + "/" + m.kind();
    if (m.kind().equals("FlinkDeployment")) {
      validateFlinkDeployment(doc, errors);
    } else if (MODELS.containsKey(key)) {
      validateModel(doc, MODELS.get(key), errors);
    } else {
      errors.add("no schema for " + key + " (known: FlinkDeployment " + FLINK_API + " and " + new java.util.TreeSet<>(MODELS.keySet()) + ")");
    }
    return errors;
  }

  private void validateFlinkDeployment(JsonNode doc, List<String> errors) {
    if (!doc.path("apiVersion").asText().equals(FLINK_API)) {
      errors.add("apiVersion: " + doc.path("apiVersion").asText() + " is not " + FLINK_API + ", the version of the operator's CRD");
    }
    for (var it = doc.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      switch (f) {
        case "apiVersion", "kind" -> {}
        case "metadata" -> validateModel(doc.get(f), ObjectMeta.class, errors, "metadata");
        case "spec" -> {
          errors.addAll(flinkDeployment.property("spec").validate(doc.get(f), "spec"));
          errors.addAll(FlinkConfigurationCheck.check(doc.get(f).path("flinkConfiguration"), "spec.flinkConfiguration"));
        }
        case "status" -> errors.add("status: written by the operator, not part of a manifest");
        default -> errors.add(f + ": unknown field (a FlinkDeployment has apiVersion, kind, metadata, spec)");
      }
    }
    for (List<String> path : FLINK_REQUIRED) {
      JsonNode n = doc;
      for (String p : path) n = n.path(p);
      if (n.isMissingNode() || n.isNull() || (n.isTextual() && n.asText().isBlank())) errors.add(String.join(".", path) + ": missing (the operator refuses the deployment without it)");
    }
  }

  private void validateModel(JsonNode doc, Class<?> type, List<String> errors) {
    validateModel(doc, type, errors, "");
  }

  private void validateModel(JsonNode doc, Class<?> type, List<String> errors, String path) {
    Object model;
    try {
      model = strict.treeToValue(doc, type);
    } catch (IOException e) {
      String at = path;
      if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme) {
        for (var ref : jme.getPath()) at += ref.getFieldName() != null ? (at.isEmpty() ? "" : ".") + ref.getFieldName() : "[" + ref.getIndex() + "]";
      }
      String reason = e instanceof com.fasterxml.jackson.databind.JsonMappingException jme ? jme.getOriginalMessage() : e.getMessage();
      errors.add((at.isEmpty() ? "" : at + ": ") + "refused by the " + type.getSimpleName() + " model: " + firstLine(reason));
      return;
    }
    walk(model, path, errors, 0);
  }

  /**
   * Finds the fields that the model only kept because it keeps everything: a non-empty {@code
   * additionalProperties} anywhere in the object graph. Also: every container of a pod spec names
   * itself and its image (the API server refuses a pod without them).
   */
  private static void walk(Object o, String path, List<String> errors, int depth) {
    if (o == null || depth > 64) return;
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) walk(e, path + "[" + i++ + "]", errors, depth + 1);
      return;
    }
    if (o instanceof Map<?, ?> map) {
      for (var e : map.entrySet()) walk(e.getValue(), path + "." + e.getKey(), errors, depth + 1);
      return;
    }
    String cls = o.getClass().getName();
    if (!cls.startsWith("io.fabric8.") && !cls.startsWith("io.strimzi.")) return;
    if (o instanceof PodSpec spec) {
      List<Container> all = new ArrayList<>(spec.getContainers());
      all.addAll(spec.getInitContainers());
      if (spec.getContainers().isEmpty()) errors.add(path + ".containers: a pod needs at least one container");
      for (Container c : all) {
        if (c.getName() == null || c.getName().isBlank()) errors.add(path + ".containers: a container without a name");
        if (c.getImage() == null || c.getImage().isBlank()) errors.add(path + ".containers[" + c.getName() + "].image: missing");
      }
    }
    for (Class<?> k = o.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
        Object v;
        try {
          f.setAccessible(true);
          v = f.get(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue;
        }
        if (v == null) continue;
        if (f.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra) {
          for (Object unknown : extra.keySet()) errors.add(path + "." + unknown + ": unknown field (not in the " + o.getClass().getSimpleName() + " model)");
          continue;
        }
        JsonProperty jp = f.getAnnotation(JsonProperty.class);
        String name = jp != null && !jp.value().isEmpty() ? jp.value() : f.getName();
        walk(v, path.isEmpty() ? name : path + "." + name, errors, depth + 1);
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Kinds this validator knows, for documentation. */
  public static Set<String> knownKinds() {
    return MODELS.keySet();
  }
}
