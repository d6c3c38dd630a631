package io.driftline.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority of a test's own and the certificates it signed, made by the JDK's
 * {@code keytool} in a directory: a trust store with the CA, a server key store (127.0.0.1 and
 * localhost), a client key store for mutual TLS, and an unrelated CA's trust store. PKCS12, one
 * password. Nothing here is trusted by the JVM.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-store-secret";
    private static final String TYPE = "PKCS12";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes the CA and the certificates in {@code dir}: keytool's commands run in one child JVM
     * ({@link #main}), since a keytool process each took seconds on a loaded machine.
     */
    public static TestCertificates create(Path dir) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/sun.security.tools.keytool=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TestCertificates.class.getName(), dir.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("making test certificates failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new TestCertificates(dir);
    }

    /** Runs the keytool commands that make the stores in {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        TestCertificates certificates = new TestCertificates(Path.of(args[0]));
        certificates.makeCa("ca", "CN=Driftline Test CA");
        certificates.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        certificates.keytool("-importcert", "-alias", "ca", "-keystore", "truststore.p12", "-file", "ca.pem", "-noprompt");
        certificates.makeSigned("server", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost", "eku=serverAuth");
        certificates.makeSigned("client", "CN=driftline", null, "eku=clientAuth");
        certificates.makeCa("other-ca", "CN=Some Other CA");
        certificates.keytool("-exportcert", "-alias", "other-ca", "-keystore", "other-ca.p12", "-rfc", "-file",
                "other-ca.pem");
        certificates.keytool("-importcert", "-alias", "other-ca", "-keystore", "other-truststore.p12", "-file",
                "other-ca.pem", "-noprompt");
    }

    /** Trusts the test CA only. */
    public StoreFile trustStore() {
        return store("truststore.p12");
    }

    /** Trusts another CA only: the test CA's certificates fail with it. */
    public StoreFile otherTrustStore() {
        return store("other-truststore.p12");
    }

    /** The server's key and certificate chain, for 127.0.0.1 and localhost. */
    public StoreFile serverKeyStore() {
        return store("server.p12");
    }

    /** A client's key and certificate chain, for mutual TLS. */
    public StoreFile clientKeyStore() {
        return store("client.p12");
    }

    /** The server's side: its certificate, and the test CA trusted for client certificates. */
    public SSLContext serverContext() {
        return TlsContexts.create(serverKeyStore(), null, trustStore());
    }

    /** A client trusting the test CA, without a certificate of its own. */
    public SSLContext clientContext() {
        return TlsContexts.create(null, null, trustStore());
    }

    private StoreFile store(String name) {
        return new StoreFile(dir.resolve(name), PASSWORD, TYPE);
    }

    private void makeCa(String alias, String name) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", name,
                "-ext", "bc:c", "-validity", "2", "-keystore", alias + ".p12");
    }

    private void makeSigned(String alias, String name, String subjectAlternativeNames, String usage) throws Exception {
        String store = alias + ".p12";
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", name,
                "-validity", "2", "-keystore", store);
        keytool("-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                alias + ".csr", "-outfile", alias + ".pem", "-rfc", "-validity", "2", "-ext", usage));
        if (subjectAlternativeNames != null) {
            sign.addAll(List.of("-ext", subjectAlternativeNames));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-keystore", store, "-file", "ca.pem", "-noprompt");
        keytool("-importcert", "-alias", alias, "-keystore", store, "-file", alias + ".pem");
    }

    /** One keytool command, in this JVM, with file names in the directory. */
    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            boolean file = i > 0 && List.of("-keystore", "-file", "-infile", "-outfile").contains(args[i - 1]);
            command.add(file ? dir.resolve(args[i]).toString() : args[i]);
        }
        command.addAll(List.of("-storetype", TYPE, "-storepass", PASSWORD));
        if (!args[0].equals("-exportcert")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        // keytool's main returns when a command succeeded and exits the JVM when one failed.
        Class.forName("sun.security.tools.keytool.Main").getMethod("main", String[].class)
                .invoke(null, (Object) command.toArray(String[]::new));
    }
}
