package io.jenkins.plugins.azureml.blob.testing;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Runs a real Azurite blob service on a free loopback port with its own data directory, for the duration of a test
 * class: {@code @RegisterExtension static final AzuriteExtension AZURITE = new AzuriteExtension();}. Also usable
 * without JUnit (try-with-resources). {@link #stop()} and {@link #restart()} keep the port and the data, to test
 * an outage in the middle of a poll.
 *
 * <p>Azurite comes from {@code core/node_modules} in the engine build and from the top folder's {@code node_modules}
 * in the plugin build (each installed by its build's {@code npm ci}); see {@link AzuriteInstall}.
 */
public final class AzuriteExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** The emulator's well-known development account. */
    public static final String ACCOUNT = "devstoreaccount1";
    /** The emulator's published development key (documented by Microsoft; not a secret). */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(15);
    private static final AtomicInteger CONTAINERS = new AtomicInteger();

    private Path dataDir;
    private int port;
    private Process process;
    private BlobServiceClient serviceClient;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts Azurite (on a new port and data directory the first time, the same ones after {@link #stop()}). */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            if (dataDir == null) {
                dataDir = Files.createTempDirectory("azurite-");
                port = freePort();
            }
            Path script = AzuriteInstall.entryPoint("azurite-blob");
            ProcessBuilder pb = new ProcessBuilder(List.of(AzuriteInstall.node(), script.toString(),
                    "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port), "--location", dataDir.toString(),
                    "--silent",
                    "--skipApiVersionCheck", "--disableTelemetry"));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("azurite.log").toFile()));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot run 'node' to start Azurite: install Node.js 20 or newer "
                        + "(e.g. apt-get install nodejs npm) and make sure 'node' is on the PATH", e);
            }
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops Azurite (graceful, then forced), keeping its data directory and port for {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops and starts again on the same port and data. */
    public void restart() {
        stop();
        start();
    }

    /** Whether the Azurite process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        stop();
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is harmless
            }
            dataDir = null;
        }
    }

    /** The blob endpoint, path-style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public int port() {
        return port;
    }

    /** A shared-key connection string for the development account. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** A service client with the development account's key. */
    public synchronized BlobServiceClient serviceClient() {
        if (serviceClient == null) {
            serviceClient = new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
        }
        return serviceClient;
    }

    /**
     * Creates a container with a name unique in this JVM.
     *
     * @param hint a readable part of the name (lowercase letters, digits, hyphens)
     * @return the new container's client (development account key)
     */
    public BlobContainerClient createContainer(String hint) {
        String name = (hint + "-" + CONTAINERS.incrementAndGet()).toLowerCase(Locale.ROOT);
        return serviceClient().createBlobContainer(name);
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.exists(dataDir.resolve("azurite.log"))
                            ? Files.readString(dataDir.resolve("azurite.log"), StandardCharsets.UTF_8) : "";
                    stop();
                    throw new IllegalStateException("Azurite did not listen on 127.0.0.1:" + port + " within "
                            + START_DEADLINE.toSeconds() + " s. Its output:\n" + log);
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval of the await, not a sync
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
