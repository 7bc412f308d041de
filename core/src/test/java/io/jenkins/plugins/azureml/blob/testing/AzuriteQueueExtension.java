package io.jenkins.plugins.azureml.blob.testing;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs Azurite's queue service ({@code azurite-queue}, from the same npm package as the blob service) on a free
 * loopback port with its own data directory; {@link #stop()}/{@link #start()} keep port and messages, for queue
 * outages. Used like {@link AzuriteExtension}, beside it.
 */
public final class AzuriteQueueExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final AzuriteService queue = new AzuriteService("queue");

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the queue service (same port and data after {@link #stop()}). */
    public void start() {
        queue.start();
    }

    /** Stops the service, keeping port and data. */
    public void stop() {
        queue.stop();
    }

    @Override
    public void close() {
        queue.close();
    }

    /** The queue endpoint, path-style: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String queueEndpoint() {
        return "http://127.0.0.1:" + queue.port() + "/" + AzuriteExtension.ACCOUNT;
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
