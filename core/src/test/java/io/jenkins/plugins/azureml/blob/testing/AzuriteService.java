package io.jenkins.plugins.azureml.blob.testing;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One Azurite service process ({@code azurite-blob} or {@code azurite-queue}) on a free loopback port with its own
 * data directory. {@link #stop()} keeps port and data, so {@link #start()} brings back the same service, as an outage
 * would; {@link #close()} also deletes the data. What {@link AzuriteExtension} and {@link AzuriteQueueExtension}
 * share; thread-safe.
 */
final class AzuriteService {
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(15);

    /** {@code blob} or {@code queue}: names the command, the host and port options and the data directory. */
    private final String service;
    private Path dataDir;
    private int port;
    private Process process;

    AzuriteService(String service) {
        this.service = service;
    }

    /** Starts the service (on a new port and data directory the first time, the same ones after {@link #stop()}). */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            if (dataDir == null) {
                dataDir = Files.createTempDirectory("azurite-" + service + "-");
                try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
            }
            Path script = AzuriteInstall.entryPoint("azurite-" + service);
            ProcessBuilder pb = new ProcessBuilder(List.of(AzuriteInstall.node(), script.toString(),
                    "--" + service + "Host", "127.0.0.1", "--" + service + "Port", Integer.toString(port),
                    "--location", dataDir.toString(), "--silent", "--skipApiVersionCheck", "--disableTelemetry"));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
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

    private Path log() {
        return dataDir.resolve("azurite-" + service + ".log");
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String output = Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
                    stop();
                    throw new IllegalStateException("azurite-" + service + " did not listen on 127.0.0.1:" + port
                            + " within " + START_DEADLINE.toSeconds() + " s. Its output:\n" + output);
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval of the await, not a sync
            }
        }
    }

    /** Stops the service (graceful, then forced), keeping its data directory and port for {@link #start()}. */
    synchronized void stop() {
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

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the service and deletes its data. */
    synchronized void close() {
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

    synchronized int port() {
        return port;
    }
}
