package io.jenkins.plugins.azureml.blob;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import io.jenkins.plugins.azureml.InvalidFieldException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Makes the {@link BlobContainerClient} for a {@link BlobWatch} from one of the three kinds of secret a user can
 * store: an Entra ID {@link TokenCredential} (service principal, managed identity), a storage connection string
 * (shared key; Azurite), or a SAS. The secret is used once to build the client and is never kept, printed or put in
 * an exception message. Jenkins passes its proxy-aware azure-core {@link HttpClient}.
 */
public final class BlobContainerClientFactory {
    /** A connection string starts with one of its keys; a SAS token or URL does not. */
    private static final Pattern CONNECTION_STRING = Pattern.compile(
            "(?is)^\\s*(DefaultEndpointsProtocol|AccountName|AccountKey|BlobEndpoint|SharedAccessSignature"
                    + "|UseDevelopmentStorage|EndpointSuffix)\\s*=.*");
    private final BlobWatch watch;
    private HttpClient httpClient;
    private RequestRetryOptions retryOptions;

    private BlobContainerClientFactory(BlobWatch watch) {
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    /**
     * @param watch the account and container to reach
     * @return a factory using the SDK's default HTTP client and retry policy
     */
    public static BlobContainerClientFactory forWatch(BlobWatch watch) {
        return new BlobContainerClientFactory(watch);
    }

    /** The HTTP client to use (e.g. one with the Jenkins proxy); null for the SDK's default. */
    public BlobContainerClientFactory httpClient(HttpClient httpClient) {
        this.httpClient = httpClient;
        return this;
    }

    /** The storage retry policy; null for the SDK's default (4 tries with exponential back-off). */
    public BlobContainerClientFactory retryOptions(RequestRetryOptions retryOptions) {
        this.retryOptions = retryOptions;
        return this;
    }

    /**
     * A client that authenticates with an Entra ID token; the identity needs the Storage Blob Data Reader role on
     * the container. Tokens are only sent over https.
     *
     * @param credential the token credential
     * @return the container client
     */
    public BlobContainerClient withTokenCredential(TokenCredential credential) {
        Objects.requireNonNull(credential, "credential");
        if (!watch.accountUrl().toLowerCase(Locale.ROOT).startsWith("https://")) {
            throw new InvalidFieldException("accountUrl", "an Entra ID credential sends a bearer token, which is only "
                    + "sent over https; use an https blob endpoint or a connection string/SAS credential");
        }
        return base().endpoint(watch.accountUrl()).credential(credential).buildClient();
    }

    /**
     * A client that authenticates with a storage connection string (account key or SAS inside it). Its blob
     * endpoint must be the watch's account.
     *
     * @param connectionString the connection string
     * @return the container client
     */
    public BlobContainerClient withConnectionString(String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw new InvalidFieldException("credentialsId", "the connection string is empty");
        }
        BlobContainerClient client;
        try {
            client = base().connectionString(connectionString).buildClient();
        } catch (IllegalArgumentException e) {
            // The SDK's message may quote the string: say only what is wrong with it.
            throw new InvalidFieldException("credentialsId", "the connection string is not valid: it needs "
                    + "AccountName and AccountKey (or SharedAccessSignature) and, for an emulator, BlobEndpoint");
        }
        if (!sameEndpoint(client.getAccountUrl(), watch.accountUrl())) {
            throw new InvalidFieldException("accountUrl", "the connection string is for " + client.getAccountUrl()
                    + " but the watch is for " + watch.accountUrl() + "; make them name the same account");
        }
        return client;
    }

    /**
     * A client that authenticates with a SAS: either a token ({@code sv=...&sig=...}, with or without '?') or a
     * full SAS URL of the account or container (its host must be the watch's). Listing needs the List permission.
     *
     * @param sas the SAS token or URL
     * @return the container client
     */
    public BlobContainerClient withSas(String sas) {
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
            String host = uri.getHost();
            if (host == null || !host.equalsIgnoreCase(URI.create(watch.accountUrl()).getHost())) {
                throw new InvalidFieldException("credentialsId", "the SAS URL is for host " + host
                        + ", not the watch's account " + watch.accountUrl());
            }
            token = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        } else if (token.startsWith("?")) {
            token = token.substring(1);
        }
        if (!token.contains("sig=")) {
            throw new InvalidFieldException("credentialsId", "the SAS has no signature (sig=); copy the whole SAS "
                    + "token or URL");
        }
        return base().endpoint(watch.accountUrl()).sasToken(token).buildClient();
    }

    /**
     * A client from a stored secret text that holds either a connection string or a SAS, told apart by the
     * connection string's keys (a SAS token or URL never starts with one). What a Jenkins "Secret text" credential
     * of the trigger carries.
     *
     * @param secret a connection string, a SAS token or a SAS URL
     * @return the container client
     */
    public BlobContainerClient withStorageSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new InvalidFieldException("credentialsId", "the secret text is empty; store a connection string or "
                    + "a SAS token or URL");
        }
        return CONNECTION_STRING.matcher(secret).matches() ? withConnectionString(secret) : withSas(secret);
    }

    private BlobContainerClientBuilder base() {
        BlobContainerClientBuilder builder = new BlobContainerClientBuilder().containerName(watch.container());
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        if (retryOptions != null) {
            builder.retryOptions(retryOptions);
        }
        return builder;
    }

    private static boolean sameEndpoint(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "BlobContainerClientFactory{" + watch.accountUrl() + "/" + watch.container() + "}";
    }
}
