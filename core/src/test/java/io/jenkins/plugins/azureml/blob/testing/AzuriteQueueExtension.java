package io.jenkins.plugins.azureml.blob.testing;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Runs Azurite's queue service ({@code azurite-queue}, from the same npm package as the blob service) on a free
 * loopback port with its own data directory; {@link #stop()}/{@link #start()} keep port and messages, for queue
 * outages. Used like {@link AzuriteExtension}, beside it.
 */
public final class AzuriteQueueExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    private Path dataDir;
    private int port;
    private Process process;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the queue service (same port and data after {@link #stop()}). */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            if (dataDir == null) {
                dataDir = Files.createTempDirectory("azurite-queue-");
                try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
            }
            Path script = AzuriteInstall.entryPoint("azurite-queue");
            ProcessBuilder pb = new ProcessBuilder(List.of(AzuriteInstall.node(), script.toString(), "--queueHost", "127.0.0.1",
                    "--queuePort", Integer.toString(port), "--location", dataDir.toString(), "--silent",
                    "--skipApiVersionCheck", "--disableTelemetry"));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("azurite-queue.log").toFile()));
            process = pb.start();
            long deadline = System.nanoTime() + START_DEADLINE.toNanos();
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return;
                } catch (IOException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        stop();
                        throw new IllegalStateException("azurite-queue did not listen on port " + port + "; see "
                                + dataDir.resolve("azurite-queue.log"));
                    }
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval of the await
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the service, keeping port and data. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
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

    /** The queue endpoint, path-style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String queueEndpoint() {
        return "http://127.0.0.1:" + port + "/" + AzuriteExtension.ACCOUNT;
    }

    /** A shared-key connection string for the development account's queue service. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + AzuriteExtension.ACCOUNT + ";AccountKey="
                + AzuriteExtension.ACCOUNT_KEY + ";QueueEndpoint=" + queueEndpoint() + ";";
    }

    /**
     * A client of a queue (not created).
     *
     * @param name the queue name
     * @param retry the retry options, or null for the SDK's
     * @return the client, message encoding NONE
     */
    public QueueClient queue(String name, RequestRetryOptions retry) {
        QueueClientBuilder b = new QueueClientBuilder().connectionString(connectionString()).queueName(name);
        if (retry != null) {
            b.retryOptions(retry);
        }
        return b.buildClient();
    }
}
