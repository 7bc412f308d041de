package io.jenkins.plugins.azureml.blob.events;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import io.jenkins.plugins.azureml.InvalidFieldException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Makes the clients of an event queue ({@code eventQueueUrl}, e.g. {@code https://acct.queue.core.windows.net/
 * incoming-events}) and of its poison queue ({@code <queue>-poison}) from the same kinds of secret as
 * {@code BlobContainerClientFactory}: an Entra ID token credential (role: Storage Queue Data Message Processor, and
 * Storage Queue Data Contributor on the account if the poison queue must be created), a connection string or a SAS
 * (read, process, add, create). The secret is used once and never kept or printed.
 */
public final class EventQueueClientFactory {
    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern CONNECTION_STRING = Pattern.compile(
            "(?is)^\\s*(DefaultEndpointsProtocol|AccountName|AccountKey|QueueEndpoint|BlobEndpoint"
                    + "|SharedAccessSignature|UseDevelopmentStorage|EndpointSuffix)\\s*=.*");

    private final String queueUrl;
    private final String serviceUrl;
    private final String queueName;
    private HttpClient httpClient;
    private RequestRetryOptions retryOptions;

    private EventQueueClientFactory(String queueUrl) {
        String url = Objects.requireNonNull(queueUrl, "queueUrl").trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidFieldException("eventQueueUrl", "is not a valid URL; use "
                    + "https://<account>.queue.core.windows.net/<queue>");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawQuery() != null) {
            throw new InvalidFieldException("eventQueueUrl", "must be the queue's URL without a SAS, "
                    + "https://<account>.queue.core.windows.net/<queue>; put a SAS in the credential");
        }
        int slash = url.lastIndexOf('/');
        String name = url.substring(slash + 1);
        if (!QUEUE_NAME.matcher(name).matches() || slash <= url.indexOf("//") + 1) {
            throw new InvalidFieldException("eventQueueUrl", "must end with the queue name (3-63 lowercase letters, "
                    + "digits and single hyphens), e.g. https://acct.queue.core.windows.net/incoming-events");
        }
        this.queueUrl = url;
        this.serviceUrl = url.substring(0, slash);
        this.queueName = name;
    }

    /**
     * @param queueUrl the queue's URL, no SAS in it
     * @return a factory
     * @throws InvalidFieldException naming {@code eventQueueUrl} when the URL is not a queue URL
     */
    public static EventQueueClientFactory forQueueUrl(String queueUrl) {
        return new EventQueueClientFactory(queueUrl);
    }

    /** The queue's name (the URL's last segment). */
    public String queueName() {
        return queueName;
    }

    /** The HTTP client to use (e.g. one with the Jenkins proxy); null for the SDK's default. */
    public EventQueueClientFactory httpClient(HttpClient httpClient) {
        this.httpClient = httpClient;
        return this;
    }

    /** The storage retry policy; null for the SDK's default. */
    public EventQueueClientFactory retryOptions(RequestRetryOptions retryOptions) {
        this.retryOptions = retryOptions;
        return this;
    }

    /** The event queue and its poison queue, authenticated with an Entra ID token (https only). */
    public EventQueueClients withTokenCredential(TokenCredential credential) {
        Objects.requireNonNull(credential, "credential");
        if (!queueUrl.toLowerCase(Locale.ROOT).startsWith("https://")) {
            throw new InvalidFieldException("eventQueueUrl", "an Entra ID credential sends a bearer token, which is "
                    + "only sent over https; use the https queue endpoint or a connection string/SAS credential");
        }
        return new EventQueueClients(base(queueName).endpoint(serviceUrl).credential(credential).buildClient(),
                base(queueName + "-poison").endpoint(serviceUrl).credential(credential).buildClient());
    }

    /** The event queue and its poison queue, from a connection string naming the same queue endpoint. */
    public EventQueueClients withConnectionString(String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw new InvalidFieldException("credentialsId", "the connection string is empty");
        }
        QueueClient queue;
        try {
            queue = base(queueName).connectionString(connectionString).buildClient();
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("credentialsId", "the connection string is not valid for a queue: it "
                    + "needs AccountName and AccountKey (or SharedAccessSignature) and, for an emulator, QueueEndpoint");
        }
        if (!queue.getQueueUrl().equalsIgnoreCase(queueUrl)) {
            throw new InvalidFieldException("eventQueueUrl", "the connection string's queue endpoint gives "
                    + queue.getQueueUrl() + ", not " + queueUrl + "; make them name the same account");
        }
        return new EventQueueClients(queue,
                base(queueName + "-poison").connectionString(connectionString).buildClient());
    }

    /** The event queue and its poison queue with a SAS token or an account SAS URL on the same host. */
    public EventQueueClients withSas(String sas) {
        if (sas == null || sas.isBlank()) {
            throw new InvalidFieldException("credentialsId", "the SAS is empty");
        }
        String token = sas.trim();
        if (token.regionMatches(true, 0, "http", 0, 4)) {
            URI uri;
            try {
                uri = new URI(token);
            } catch (URISyntaxException e) {
                throw new InvalidFieldException("credentialsId", "the SAS URL is not a valid URL");
            }
            token = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        } else if (token.startsWith("?")) {
            token = token.substring(1);
        }
        if (!token.contains("sig=")) {
            throw new InvalidFieldException("credentialsId", "the SAS has no signature (sig=); copy the whole SAS");
        }
        return new EventQueueClients(base(queueName).endpoint(serviceUrl).sasToken(token).buildClient(),
                base(queueName + "-poison").endpoint(serviceUrl).sasToken(token).buildClient());
    }

    /** From a secret text holding a connection string or a SAS, like the blob credential. */
    public EventQueueClients withStorageSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new InvalidFieldException("credentialsId", "the secret text is empty");
        }
        return CONNECTION_STRING.matcher(secret).matches() ? withConnectionString(secret) : withSas(secret);
    }

    private QueueClientBuilder base(String name) {
        QueueClientBuilder b = new QueueClientBuilder().queueName(name);
        if (httpClient != null) {
            b.httpClient(httpClient);
        }
        if (retryOptions != null) {
            b.retryOptions(retryOptions);
        }
        return b;
    }

    @Override
    public String toString() {
        return "EventQueueClientFactory{" + queueUrl + "}";
    }

    /**
     * The two queues of push mode.
     *
     * @param queue the event queue
     * @param poisonQueue {@code <queue>-poison}
     */
    public record EventQueueClients(QueueClient queue, QueueClient poisonQueue) {
    }
}
