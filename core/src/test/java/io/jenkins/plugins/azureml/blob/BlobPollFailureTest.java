package io.jenkins.plugins.azureml.blob;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jenkins.plugins.azureml.blob.testing.TestBlobs.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Failed polls: clear typed errors, no secrets, and nothing lost. This class owns its Azurite (it stops it). */
class BlobPollFailureTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String WRONG_KEY = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5MDE=";
    private static final RequestRetryOptions FAST_RETRY = new RequestRetryOptions(RetryPolicyType.FIXED, 2, 10,
            100L, 100L, null);

    private static BlobWatch watch(String container) {
        return BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container(container).build();
    }

    /** A defect in a poll (here the listing's transport throws one) reads as what it is, not as the network. */
    @Test
    void anUnexpectedExceptionNamesWhatFailedAndNotTheNetwork() {
        BlobContainerClient c = AZURITE.createContainer("defect");
        HttpClient broken = request -> {
            throw new IllegalStateException("decoder lost its place");
        };
        BlobContainerClient client = new com.azure.storage.blob.BlobContainerClientBuilder()
                .endpoint(c.getBlobContainerUrl()).connectionString(AZURITE.connectionString())
                .containerName(c.getBlobContainerName()).httpClient(broken).retryOptions(FAST_RETRY).buildClient();
        BlobPollException e = catchThrowableOfType(BlobPollException.class,
                () -> BlobChangeDetector.builder(client).build().poll(watch(c.getBlobContainerName()),
                        WatchState.empty()));
        assertThat(e.getMessage()).contains("unexpected error: IllegalStateException: decoder lost its place",
                "(at ", "not a connection problem", "nothing is lost").doesNotContain("reachable");

        BlobPollException io = BlobPollFailures.translate(new java.io.UncheckedIOException(
                new java.net.ConnectException("Connection refused")), watch("abc"), 0);
        assertThat(io.getMessage()).contains("ConnectException: Connection refused", "Check that the account URL is "
                + "reachable");
        BlobPollException timeout = BlobPollFailures.translate(new RuntimeException(
                new java.util.concurrent.TimeoutException("Did not observe any item")), watch("abc"), 2);
        assertThat(timeout.getMessage()).contains("after 2 page(s)", "reachable");
    }

    @Test
    void missingContainerSaysItDoesNotExist() {
        BlobWatch w = watch("no-such-container");
        BlobContainerClient client = BlobContainerClientFactory.forWatch(w).retryOptions(FAST_RETRY)
                .withConnectionString(AZURITE.connectionString());
        BlobPollException e = catchThrowableOfType(BlobPollException.class,
                () -> BlobChangeDetector.builder(client).build().poll(w, WatchState.empty()));
        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(e.getErrorCode()).isEqualTo("ContainerNotFound");
        assertThat(e.getMessage()).contains("'no-such-container'", AZURITE.blobEndpoint(), "does not exist");
    }

    @Test
    void wrongAccountKeyNamesTheRoleAndLeaksNoSecret() {
        String container = AZURITE.createContainer("wrong-key").getBlobContainerName();
        BlobWatch w = watch(container);
        String badConnection = AZURITE.connectionString().replace(AzuriteExtension.ACCOUNT_KEY, WRONG_KEY);
        BlobContainerClient client = BlobContainerClientFactory.forWatch(w).retryOptions(FAST_RETRY)
                .withConnectionString(badConnection);
        String logged = capturingStderr(() -> {
            BlobPollException e = catchThrowableOfType(BlobPollException.class,
                    () -> BlobChangeDetector.builder(client).build().poll(w, WatchState.empty()));
            assertThat(e.getStatusCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains(container, "Storage Blob Data Reader");
            assertThat(stackTrace(e)).doesNotContain(WRONG_KEY, AzuriteExtension.ACCOUNT_KEY);
        });
        assertThat(logged).doesNotContain(WRONG_KEY);
    }

    @Test
    void sasWithoutListPermissionIsRefusedAndTheSasIsNotEchoed() {
        BlobContainerClient admin = AZURITE.createContainer("sas-read-only");
        upload(admin, "a.csv", "1");
        BlobWatch w = watch(admin.getBlobContainerName());
        String readOnly = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true)));
        String signature = readOnly.replaceAll(".*sig=([^&]+).*", "$1");
        BlobContainerClient client = BlobContainerClientFactory.forWatch(w).retryOptions(FAST_RETRY)
                .withSas(readOnly);
        String logged = capturingStderr(() -> {
            BlobPollException e = catchThrowableOfType(BlobPollException.class,
                    () -> BlobChangeDetector.builder(client).build().poll(w, WatchState.empty()));
            assertThat(e.getStatusCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("Storage Blob Data Reader", "List");
            assertThat(stackTrace(e)).doesNotContain(signature);
        });
        assertThat(logged).doesNotContain(signature);
    }

    @Test
    void sasTokenAndSasUrlWithListPermissionWork() {
        BlobContainerClient admin = AZURITE.createContainer("sas-list");
        upload(admin, "a.csv", "1");
        BlobWatch w = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container(admin.getBlobContainerName())
                .startPosition(StartPosition.BEGINNING).build();
        String sas = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
        for (String secret : new String[] {sas, "?" + sas, admin.getBlobContainerUrl() + "?" + sas}) {
            BlobContainerClientFactory factory = BlobContainerClientFactory.forWatch(w);
            PollResult r = BlobChangeDetector.builder(factory.withSas(secret)).build().poll(w, WatchState.empty());
            assertThat(r.changes()).extracting(BlobChange::name).containsExactly("a.csv");
            assertThat(r.changes().get(0).url()).doesNotContain("sig=");
            assertThat(factory.toString()).doesNotContain("sig=");
        }
        String foreign = "https://evil.example.com/c?" + sas;
        assertThatThrownBy(() -> BlobContainerClientFactory.forWatch(w).withSas(foreign))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("evil.example.com")
                .hasMessageNotContaining("sig=");
        assertThatThrownBy(() -> BlobContainerClientFactory.forWatch(w).withSas("sv=2020&sp=rl"))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("sig=");
    }

    @Test
    void storedSecretTextIsReadAsConnectionStringOrSas() {
        BlobContainerClient admin = AZURITE.createContainer("secret-text");
        upload(admin, "a.csv", "1");
        BlobWatch w = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container(admin.getBlobContainerName())
                .startPosition(StartPosition.BEGINNING).build();
        String sas = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
        for (String secret : new String[] {AZURITE.connectionString(), "  " + AZURITE.connectionString(), sas,
                admin.getBlobContainerUrl() + "?" + sas}) {
            PollResult r = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(w).withStorageSecret(secret))
                    .build().poll(w, WatchState.empty());
            assertThat(r.changes()).extracting(BlobChange::name).containsExactly("a.csv");
        }
        assertThatThrownBy(() -> BlobContainerClientFactory.forWatch(w).withStorageSecret(" "))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("credentialsId");
        assertThatThrownBy(() -> BlobContainerClientFactory.forWatch(w).withStorageSecret("AccountKey=" + WRONG_KEY))
                .isInstanceOf(InvalidFieldException.class).hasMessageNotContaining(WRONG_KEY);
    }

    @Test
    void connectionStringForAnotherAccountOrMalformedIsAFieldError() {
        BlobWatch w = watch("some-container");
        String other = AZURITE.connectionString().replace("127.0.0.1:" + AZURITE.port(), "127.0.0.1:1");
        assertThatThrownBy(() -> BlobContainerClientFactory.forWatch(w).withConnectionString(other))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("same account")
                .hasMessageNotContaining(AzuriteExtension.ACCOUNT_KEY);
        assertThatThrownBy(() -> BlobContainerClientFactory.forWatch(w)
                .withConnectionString("AccountKey=" + WRONG_KEY + ";nonsense"))
                .isInstanceOf(InvalidFieldException.class).hasMessageNotContaining(WRONG_KEY);
    }

    @Test
    void tokenCredentialIsOnlyUsedOverHttps() {
        com.azure.core.credential.TokenCredential never = request -> Mono.error(new AssertionError("no token"));
        assertThatThrownBy(() -> BlobContainerClientFactory.forWatch(watch("c-http")).withTokenCredential(never))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("https");
        BlobWatch https = BlobWatch.builder().accountUrl("https://acct.blob.core.windows.net").container("c-https")
                .build();
        BlobContainerClient client = BlobContainerClientFactory.forWatch(https).withTokenCredential(never);
        assertThat(client.getBlobContainerUrl()).isEqualTo("https://acct.blob.core.windows.net/c-https");
    }

    @Test
    void azuriteStoppedMidPaginationFailsTypedThenTheOldStateRecovers() {
        BlobContainerClient admin = AZURITE.createContainer("outage");
        BlobWatch w = watch(admin.getBlobContainerName());
        AtomicInteger listings = new AtomicInteger();
        HttpClient stopsAzuriteOnThirdPage = new StoppingHttpClient(HttpClient.createDefault(), listings, 3);
        BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(w)
                .httpClient(stopsAzuriteOnThirdPage).retryOptions(FAST_RETRY)
                .withConnectionString(AZURITE.connectionString())).pageSize(5).build();
        WatchState baseline = detector.poll(w, WatchState.empty()).nextState();
        for (int i = 0; i < 30; i++) {
            upload(admin, "n" + i, "x");
        }
        listings.set(0);
        BlobPollException e = catchThrowableOfType(BlobPollException.class, () -> detector.poll(w, baseline));
        assertThat(e.getStatusCode()).isZero();
        assertThat(e.getMessage()).contains(admin.getBlobContainerName(), "after 2 page(s)", "retried");
        assertThat(AZURITE.isRunning()).isFalse();

        AZURITE.start();
        upload(admin, "after-restart", "x");
        PollResult recovered = detector.poll(w, baseline);
        assertThat(recovered.changes()).hasSize(31).doesNotHaveDuplicates();
        assertThat(detector.poll(w, recovered.nextState()).changes()).isEmpty();
    }

    /** Delegates to a real client but stops Azurite just before the n-th listing request goes out. */
    private static final class StoppingHttpClient implements HttpClient {
        private final HttpClient delegate;
        private final AtomicInteger listings;
        private final int stopAt;

        StoppingHttpClient(HttpClient delegate, AtomicInteger listings, int stopAt) {
            this.delegate = delegate;
            this.listings = listings;
            this.stopAt = stopAt;
        }

        private void maybeStop(HttpRequest request) {
            if (request.getUrl().getQuery() != null && request.getUrl().getQuery().contains("comp=list")
                    && listings.incrementAndGet() == stopAt) {
                AZURITE.stop();
            }
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return Mono.defer(() -> {
                maybeStop(request);
                return delegate.send(request);
            });
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            return Mono.defer(() -> {
                maybeStop(request);
                return delegate.send(request, context);
            });
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            maybeStop(request);
            return delegate.sendSync(request, context);
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out + " " + t;
    }

    private static String capturingStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
