package io.jenkins.plugins.azureml;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.jenkins.plugins.azureml.blob.BlobChangeDetector;
import io.jenkins.plugins.azureml.blob.BlobContainerClientFactory;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.PollReport;
import io.jenkins.plugins.azureml.blob.log.PollEntryText;
import io.jenkins.plugins.azureml.blob.log.PollHistory;
import io.jenkins.plugins.azureml.blob.StartPosition;
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.AzureMlLogClient;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.run.LogCursor;
import io.jenkins.plugins.azureml.run.LogMode;
import io.jenkins.plugins.azureml.run.LogSettings;
import io.jenkins.plugins.azureml.run.LogUpdate;
import io.jenkins.plugins.azureml.run.MonitorSettings;
import io.jenkins.plugins.azureml.run.RunLogFollower;
import io.jenkins.plugins.azureml.run.RunMonitor;
import io.jenkins.plugins.azureml.run.RunOutcome;
import io.jenkins.plugins.azureml.run.RunWaiter;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.Fault;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Representative flows with recognisable fake secrets (a client secret, a wrong one, a storage account key in a
 * connection string, a SAS signature, the bearer tokens the simulator issued, the SAS signatures of the run log URLs
 * that run details handed out), and a scan of everything they leave
 * behind: System.out/System.err (where slf4j-simple writes, at the build's configured level), java.util.logging
 * records, exception messages with their causes, {@code toString()} of the objects holding or built from the
 * secrets, the polling log file and the saved state file. No secret may appear, raw or URL-encoded.
 */
class SecretLeakTest {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT_ID = "5ec7e7-c11e-47";
    static final String CLIENT_SECRET = "FAKE-CLIENT-SECRET-q8Zr~Tx3";
    static final String WRONG_SECRET = "FAKE-WRONG-SECRET-Lp2v~Kd9";
    static final String WRONG_ACCOUNT_KEY = Base64.getEncoder().encodeToString(
            "FAKE-STORAGE-ACCOUNT-KEY-7d1f-never-print-me-0123456789".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @TempDir
    Path jobDir;

    final List<Throwable> thrown = new ArrayList<>();
    final List<Object> objects = new ArrayList<>();
    final List<String> texts = new ArrayList<>();

    @Test
    void noSecretReachesLogsExceptionsToStringOrFiles() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<LogRecord> julRecords = new ArrayList<>();
        Handler jul = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                // The JDK HTTP server is the simulator, i.e. Azure's side: its FINE request lines show the SAS of
                // the log blobs it was asked for, as Azure Storage's own logs would. Everything else is ours.
                if (record.getLoggerName() == null || !record.getLoggerName().startsWith("com.sun.net.httpserver")) {
                    julRecords.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        root.addHandler(jul);
        root.setLevel(Level.ALL);
        System.setOut(new PrintStream(new Tee(captured, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(captured, err), true, StandardCharsets.UTF_8));
        Set<String> secrets = new LinkedHashSet<>(List.of(CLIENT_SECRET, WRONG_SECRET, WRONG_ACCOUNT_KEY));
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            machineLearningFlows(sim);
            secrets.addAll(blobFlows());
            sim.tokens().issued().forEach(t -> secrets.add(t.value()));
            secrets.addAll(sim.logs().issuedSignatures());
            assertThat(sim.logs().issuedSignatures()).as("log SAS URLs were handed out and read").isNotEmpty();
            assertThat(sim.requests(Route.LOG_BLOB)).isNotEmpty();
            assertThat(sim.tokens().issued()).as("bearer tokens were issued and used").isNotEmpty();
            assertThat(sim.requests(Route.TOKEN)).as("the real credential used the token route").isNotEmpty();
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(jul);
            root.setLevel(rootLevel);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        // Formatted as a handler would print them: parameters included.
        Formatter julFormat = new SimpleFormatter();
        StringBuilder julText = new StringBuilder();
        julRecords.forEach(r -> julText.append(julFormat.formatMessage(r)).append(' ').append(r.getThrown())
                .append('\n'));
        // The Azure SDK logs through slf4j: slf4j-simple writes to stderr in the engine build; in the plugin build
        // jenkins-war brings slf4j-jdk14, which hands the records to java.util.logging. Either channel proves the
        // capture works, and both are scanned.
        assertThat(logs + julText).as("the capture works: the SDKs logged the failures").contains("az.sdk.message");
        StringBuilder everything = new StringBuilder(logs).append(julText);
        for (Throwable t : thrown) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                everything.append(c).append('\n');
                for (Throwable s : c.getSuppressed()) {
                    everything.append(s).append('\n');
                }
            }
        }
        objects.forEach(o -> everything.append(o).append('\n'));
        texts.forEach(t -> everything.append(t).append('\n'));
        try (Stream<Path> files = Files.walk(jobDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                everything.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
            }
        }
        assertThat(thrown).as("the failing flows failed").hasSizeGreaterThanOrEqualTo(5);
        assertThat(everything).contains("AuthorizationFailed", "not allowed to", "was refused");
        String all = everything.toString();
        for (String secret : secrets) {
            for (String form : forms(secret)) {
                assertThat(all.contains(form)).as("secret '%s...' leaked", secret.substring(0, 6)).isFalse();
            }
        }
        System.out.printf("secret scan: %d secrets (%d forms) absent from %d chars of logs, %d JUL records, "
                + "%d exceptions, %d objects, %d texts and the job directory%n", secrets.size(),
                secrets.stream().mapToLong(s -> forms(s).size()).sum(), logs.length(), julRecords.size(),
                thrown.size(), objects.size(), texts.size());
    }

    private void machineLearningFlows(AzureMlSimulator sim) throws Exception {
        sim.registerServicePrincipal(CLIENT_ID, CLIENT_SECRET);
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-secret")
                .runningFor(2, RunStatus.COMPLETED).build());
        PipelineEndpoint endpoint = PipelineEndpoint.parse(sim.submitUrl(pipeline));
        ClientSecretCredential credential = servicePrincipal(sim, CLIENT_SECRET);
        AzureMlClient client = new AzureMlClientBuilder().credential(credential).httpClient(sim.httpClient())
                .identityDescription("service principal " + CLIENT_ID).buildClient();
        objects.add(credential);
        objects.add(client);
        objects.add(endpoint);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        try {
            RunWaiter waiter = new RunWaiter(client, new RunMonitor(MonitorSettings.DEFAULT.withDelays(
                    Duration.ofMillis(20), 1.2, Duration.ofMillis(100)), Clock.systemUTC()), scheduler);
            PipelineRun run = client.submit(endpoint, submission());
            RunWaiter.Wait wait = waiter.await(run, Duration.ofMinutes(1), texts::add);
            RunOutcome outcome = wait.outcome().get(30, TimeUnit.SECONDS);
            assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
            objects.addAll(List.of(run, outcome, outcome.toMap(), wait.progress()));

            runLogFlows(sim, credential, endpoint, scheduler);

            sim.advancePerPoll(false);
            PipelineRun toCancel = client.submit(endpoint, submission());
            RunWaiter.Wait aborted = waiter.await(toCancel, Duration.ofMinutes(1), texts::add);
            aborted.abort().get(30, TimeUnit.SECONDS);
            objects.add(aborted.outcome().get(30, TimeUnit.SECONDS));

            sim.inject(Route.SUBMIT, Fault.FORBIDDEN);
            record(() -> client.submit(endpoint, submission()));
            sim.inject(Route.DETAILS, Fault.UNAUTHORIZED);
            record(() -> client.getRun(run.reference()));
            sim.clock().advance(Duration.ofHours(2)); // the cached token expires on the service's clock
            record(() -> client.submit(endpoint, submission()));

            AzureMlClient wrong = new AzureMlClientBuilder().credential(servicePrincipal(sim, WRONG_SECRET))
                    .httpClient(sim.httpClient()).identityDescription("service principal " + CLIENT_ID)
                    .retryOptions(new com.azure.core.http.policy.RetryOptions(
                            new com.azure.core.http.policy.FixedDelayOptions(0, Duration.ofMillis(10))))
                    .buildClient();
            record(() -> wrong.submit(endpoint, submission()));
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Following a run's and its steps' logs, with a refused and a reset read, and a restart from saved progress. */
    private void runLogFlows(AzureMlSimulator sim, ClientSecretCredential credential, PipelineEndpoint endpoint,
                             ScheduledExecutorService scheduler) throws Exception {
        PublishedPipeline steps = sim.publish(PublishedPipeline.sample("pl-logs").runningFor(3, RunStatus.COMPLETED)
                .stepMetrics("train", java.util.Map.of()).build());
        AzureMlClient client = new AzureMlClientBuilder().credential(credential).httpClient(sim.httpClient())
                .buildClient();
        AzureMlLogClient logClient = new AzureMlClientBuilder().credential(credential).httpClient(sim.httpClient())
                .identityDescription("service principal " + CLIENT_ID).buildLogClient();
        RunLogFollower follower = new RunLogFollower(logClient, LogSettings.of(LogMode.STEPS));
        objects.addAll(List.of(logClient, follower));
        RunWaiter waiter = new RunWaiter(client, new RunMonitor(MonitorSettings.DEFAULT.withDelays(
                Duration.ofMillis(20), 1.2, Duration.ofMillis(100)), Clock.systemUTC()), scheduler, follower);
        sim.inject(Route.LOG_BLOB, Fault.FORBIDDEN);
        sim.inject(Route.LOG_BLOB, Fault.CONNECTION_RESET);
        PipelineRun run = client.submit(PipelineEndpoint.parse(sim.submitUrl(steps)), submission());
        RunWaiter.Wait wait = waiter.await(run, Duration.ofMinutes(1), texts::add);
        objects.add(wait.outcome().get(30, TimeUnit.SECONDS));
        objects.addAll(List.of(wait.progress(), wait.progress().getLogCursor()));
        assertThat(String.join("\n", texts)).contains("[train] train epoch 1", "HTTP 403");
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(saved)) {
            out.writeObject(wait.progress()); // what a step saves
        }
        texts.add(saved.toString(StandardCharsets.ISO_8859_1)); // the saved bytes, scanned like the files
        LogUpdate update = follower.poll(run.reference(), LogCursor.EMPTY, true).get(30, TimeUnit.SECONDS);
        texts.addAll(update.lines());
        objects.add(update);
        logClient.getLogFilesAsync(run.reference(), run.getRunId()).thenAccept(objects::add).get(30, TimeUnit.SECONDS);
        sim.inject(Route.DETAILS, Fault.FORBIDDEN);
        record(() -> logClient.getLogFilesAsync(run.reference(), run.getRunId()).join());
    }

    /** Returns the SAS signatures it created (secrets too). */
    private Set<String> blobFlows() throws Exception {
        BlobContainerClient admin = AZURITE.createContainer("secret-scan");
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(admin.getBlobContainerName()).startPosition(StartPosition.BEGINNING).build();
        TestBlobs.upload(admin, "in/a.csv", "a");
        PollHistory history = new PollHistory(jobDir.resolve("azure-blob-polls.jsonl"), 64 * 1024);
        WatchStateStore store = new WatchStateStore(jobDir.resolve("azure-blob-trigger-state.json"));
        List<String> scheduled = new ArrayList<>();

        String wrongKey = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteExtension.ACCOUNT + ";AccountKey="
                + WRONG_ACCOUNT_KEY + ";BlobEndpoint=" + AZURITE.blobEndpoint() + ";";
        BlobContainerClientFactory factory = BlobContainerClientFactory.forWatch(watch)
                .retryOptions(new com.azure.storage.common.policy.RequestRetryOptions(
                        com.azure.storage.common.policy.RetryPolicyType.FIXED, 1, 10, 10L, 10L, null));
        objects.add(factory);
        poll(factory.withConnectionString(wrongKey), watch, store, history, scheduled, false);

        String readOnly = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true)));
        poll(factory.withSas(readOnly), watch, store, history, scheduled, false);
        record(() -> factory.withSas(readOnly.replaceAll("sp=[a-z]+&", "") + "&x=" + readOnly.length())
                .listBlobs().iterator().next());

        String listing = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
        poll(factory.withSas(admin.getBlobContainerUrl() + "?" + listing), watch, store, history, scheduled,
                true);
        assertThat(scheduled).containsExactly("in/a.csv");
        assertThat(Files.exists(store.file())).isTrue();
        texts.add(Files.readString(jobDir.resolve("azure-blob-polls.jsonl")));
        texts.add(PollEntryText.render(history.read().entries()));
        return Set.of(signature(readOnly), signature(listing));
    }

    private void poll(BlobContainerClient client, BlobWatch watch, WatchStateStore store, PollHistory history,
                      List<String> scheduled, boolean succeeds) throws Exception {
        BlobChangeDetector detector = BlobChangeDetector.builder(client).build();
        BlobPollCycle cycle = new BlobPollCycle(detector, store, BlobPollCycle.Mode.PER_BLOB,
                (changes, env) -> {
                    changes.forEach(c -> scheduled.add(c.name()));
                    texts.add(env.toString());
                });
        objects.addAll(List.of(client, detector, cycle, watch, store));
        PollReport report = cycle.run(watch);
        history.append(report.entry());
        texts.add(report.text());
        objects.add(report);
        assertThat(report.succeeded()).as(report.text()).isEqualTo(succeeds);
    }

    private void record(Runnable failing) {
        try {
            failing.run();
        } catch (RuntimeException e) {
            thrown.add(e);
            return;
        }
        throw new AssertionError("expected a failure");
    }

    private static ClientSecretCredential servicePrincipal(AzureMlSimulator sim, String secret) {
        return new ClientSecretCredentialBuilder().tenantId(TENANT).clientId(CLIENT_ID).clientSecret(secret)
                .authorityHost("https://login.microsoftonline.com").disableInstanceDiscovery()
                .httpClient(sim.httpClient()).build();
    }

    private static PipelineSubmission submission() {
        return PipelineSubmission.builder().experimentName("SecretScan").parameter("input_string", "x").build();
    }

    private static String signature(String sas) {
        for (String part : sas.split("&")) {
            if (part.startsWith("sig=")) {
                return URLDecoder.decode(part.substring(4), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no sig in the SAS");
    }

    /** The secret as written, URL-encoded and URL-decoded. */
    private static Set<String> forms(String secret) {
        return new LinkedHashSet<>(List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
                URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8)));
    }

    /** Copies what the flows print to the console and keeps it for the scan. */
    private static final class Tee extends OutputStream {
        private final OutputStream copy;
        private final OutputStream original;

        Tee(OutputStream copy, OutputStream original) {
            this.copy = copy;
            this.original = original;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            copy.write(b);
            original.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            copy.write(b, off, len);
            original.write(b, off, len);
        }
    }
}
