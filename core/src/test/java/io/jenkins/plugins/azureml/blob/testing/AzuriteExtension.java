package io.jenkins.plugins.azureml.blob.testing;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

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
    private static final AtomicInteger CONTAINERS = new AtomicInteger();

    private final AzuriteService blob = new AzuriteService("blob");
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
    public void start() {
        blob.start();
    }

    /** Stops Azurite (graceful, then forced), keeping its data directory and port for {@link #start()}. */
    public void stop() {
        blob.stop();
    }

    /** Stops and starts again on the same port and data. */
    public void restart() {
        stop();
        start();
    }

    /** Whether the Azurite process is running. */
    public boolean isRunning() {
        return blob.isRunning();
    }

    @Override
    public void close() {
        blob.close();
    }

    /** The blob endpoint, path-style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + blob.port() + "/" + ACCOUNT;
    }

    public int port() {
        return blob.port();
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

}
