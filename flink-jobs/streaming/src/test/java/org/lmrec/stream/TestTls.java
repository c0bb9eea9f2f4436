package org.lmrec.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for a broker with a TLS listener, made by the JDK's {@code keytool}: a self-signed
 * broker certificate for localhost / 127.0.0.1, a self-signed client certificate (for mutual TLS)
 * and one trust store holding both. EC keys, so the six keytool runs take seconds, not minutes.
 */
public final class TestTls {
  /** Distinctive, so a test can search every log line for it. */
  public static final String PASSWORD = "tls-test-s3cret-7f3a91";

  private final Path brokerKeystore;
  private final Path clientKeystore;
  private final Path truststore;

  private TestTls(Path dir) {
    brokerKeystore = dir.resolve("broker.p12");
    clientKeystore = dir.resolve("client.p12");
    truststore = dir.resolve("truststore.p12");
  }

  public static TestTls generate(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestTls tls = new TestTls(dir);
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", tls.brokerKeystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=lmrec-test-client",
        "-keystore", tls.clientKeystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    for (String alias : List.of("broker", "client")) {
      Path cert = dir.resolve(alias + ".crt");
      Path keystore = alias.equals("broker") ? tls.brokerKeystore : tls.clientKeystore;
      keytool("-exportcert", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD, "-file", cert.toString());
      keytool("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(),
          "-keystore", tls.truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    }
    return tls;
  }

  /** The broker's side: its key, the trust store, and client certificates required (mutual TLS). */
  public Map<String, String> brokerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", brokerKeystore.toString());
    p.put("ssl.keystore.password", PASSWORD);
    p.put("ssl.key.password", PASSWORD);
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", PASSWORD);
    p.put("ssl.client.auth", "required");
    return p;
  }

  /** What a client needs: the trust store and its own certificate. */
  public Map<String, String> clientProperties() {
    Map<String, String> p = withoutTrustStore();
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", PASSWORD);
    return p;
  }

  /** A client with its certificate but no trust store: the JDK's default CAs do not know the broker. */
  public Map<String, String> withoutTrustStore() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SSL");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", clientKeystore.toString());
    p.put("ssl.keystore.password", PASSWORD);
    p.put("ssl.key.password", PASSWORD);
    return p;
  }

  /** A client of a SASL_SSL listener with the PLAIN mechanism: the trust store, no certificate of its own. */
  public Map<String, String> saslSslClientProperties(String user, String password) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", plainJaas(user, password));
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", truststore.toString());
    p.put("ssl.truststore.password", PASSWORD);
    return p;
  }

  /** The JAAS line a PLAIN client logs in with. */
  public static String plainJaas(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
