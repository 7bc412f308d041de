package io.jenkins.plugins.azureml.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per JVM with the JDK's own {@code keytool} (no
 * extra dependency, no certificate checked into the repository). The simulator serves HTTPS with it; test clients
 * trust exactly this certificate and nothing else changes in their TLS checks (hostname verification stays on).
 */
public final class SimulatorTls {
    private static final char[] PASSWORD = "simulator".toCharArray();
    private static SimulatorTls instance;

    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private SimulatorTls(KeyStore keyStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /** The JVM-wide test certificate, generated on first use. */
    public static synchronized SimulatorTls get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    private static SimulatorTls generate() {
        try {
            Path dir = Files.createTempDirectory("aml-sim-tls");
            Path file = dir.resolve("simulator.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "simulator",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "3",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(output));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, PASSWORD);
            }
            Files.delete(file);
            Files.delete(dir);
            return new SimulatorTls(ks, (X509Certificate) ks.getCertificate("simulator"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the simulator's test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server side: key and certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate clients must trust. */
    public X509Certificate certificate() {
        return certificate;
    }
}
