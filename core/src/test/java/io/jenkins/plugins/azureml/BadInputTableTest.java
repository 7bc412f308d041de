package io.jenkins.plugins.azureml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azureml.blob.BlobChangeDetector;
import io.jenkins.plugins.azureml.blob.BlobContainerClientFactory;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step argument and trigger field, wrong, through the engine APIs the glue calls, as one table: each bad value
 * ends in an {@link InvalidFieldException} naming the field, before anything is sent (the simulator records no
 * request) and before any trigger state is written. The unit tables {@code PipelineEndpointTest} and
 * {@code BlobWatchTest} hold the detailed URL and glob rules; this table adds the shapes they do not
 * (other schemes, encoded and very long hosts, userinfo in the account URL, the submission fields) and the
 * "nothing left the machine" property.
 */
class BadInputTableTest {
    static AzureMlSimulator sim;
    static String goodEndpoint;
    /** A private-link workspace host (accepted); the table refuses its look-alikes. */
    static final String PRIVATE_LINK = "fb7e20a0-8891-458b-b969-55ddb3382f51.workspace.eastus.api.azureml.ms";
    static final String PATH_TAIL = "/pipelines/v1.0/subscriptions/s/resourceGroups/r/providers/"
            + "Microsoft.MachineLearningServices/workspaces/w/PipelineRuns/PipelineSubmit/p";

    @TempDir
    Path jobDir;
    int requestsBefore;

    @BeforeAll
    static void startSimulator() {
        sim = AzureMlSimulator.startHttps();
        goodEndpoint = sim.submitUrl(sim.publish(PublishedPipeline.sample("pl-bad-input").build()));
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void mark() {
        requestsBefore = sim.requests().size();
    }

    /** The step's path: parse the endpoint, build the submission, then submit; returns only if both were valid. */
    private void stepCall(String endpoint, String workspace, UnaryOperator<PipelineSubmission.Builder> submission) {
        PipelineEndpoint parsed = PipelineEndpoint.parse(endpoint, workspace, false);
        PipelineSubmission built = submission.apply(PipelineSubmission.builder().experimentName("MyRestPipeline"))
                .build();
        AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .buildClient();
        client.submit(parsed, built);
    }

    static Stream<Arguments> stepArguments() {
        String longHost = "a".repeat(300) + ".api.azureml.ms";
        return Stream.of(
                step("endpoint", "ftp://westus.api.azureml.ms" + PATH_TAIL, null, b -> b),
                step("endpoint", "file:///etc/passwd", null, b -> b),
                step("endpoint", "file://westus.api.azureml.ms" + PATH_TAIL, null, b -> b),
                step("endpoint", "westus.api.azureml.ms" + PATH_TAIL, null, b -> b),
                step("endpoint", "//westus.api.azureml.ms" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://user:secret@westus.api.azureml.ms" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api.azureml.ms:443@169.254.169.254" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api.azureml.ms%40evil.example" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus%2Eapi.azureml.ms" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api.azureml.ms.evil.example:443" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api-azureml.ms" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api.azureml.ms.cn" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://169.254.169.254" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://0x7f000001" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://[::ffff:127.0.0.1]" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api.azureml.ms:80" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api.azureml.ms:0" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://" + longHost + PATH_TAIL, null, b -> b),
                step("endpoint", "https://westus.api.azureml.ms" + PATH_TAIL + "/" + "x".repeat(100_000), null,
                        b -> b),
                step("endpoint", "https://westus.api.azureml.ms/pipelines/v1.0/../../admin", null, b -> b),
                step("endpoint", "https://management.azure.com/subscriptions/s/providers", null, b -> b),
                step("endpoint", "https://" + PRIVATE_LINK + ".evil.example" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://" + PRIVATE_LINK + "." + PATH_TAIL, null, b -> b),
                step("endpoint", "https://" + PRIVATE_LINK + ":8443" + PATH_TAIL, null, b -> b),
                step("endpoint", "https://u:p@" + PRIVATE_LINK + PATH_TAIL, null, b -> b),
                step("endpoint", "https://" + PRIVATE_LINK.replace(".workspace.", "%2Eworkspace.") + PATH_TAIL, null,
                        b -> b),
                step("endpoint", "https://not-a-guid.workspace.eastus.api.azureml.ms" + PATH_TAIL, null, b -> b),
                step("workspace", null, "not-a-resource-id", b -> b),
                step("workspace", null, "/subscriptions/s/resourceGroups/r/providers/"
                        + "Microsoft.MachineLearningServices/workspaces/other", b -> b),
                step("experimentName", null, null, b -> b.experimentName("")),
                step("experimentName", null, null, b -> b.experimentName("   ")),
                step("experimentName", null, null, b -> b.experimentName("x".repeat(256))),
                step("experimentName", null, null, b -> b.experimentName("my experiment")),
                step("experimentName", null, null, b -> b.experimentName("exp/../../other")),
                step("experimentName", null, null, b -> b.experimentName("-leading-dash")),
                step("experimentName", null, null, b -> b.experimentName("caf\u00e9")),
                step("experimentName", null, null, b -> b.experimentName("line\nbreak")),
                step("parameters", null, null, b -> b.parameter("", "v")),
                step("parameters", null, null, b -> b.parameter(" ", "v")),
                step("dataPaths", null, null, b -> b.dataPath("", "workspaceblobstore", "a.csv")),
                step("dataPaths", null, null, b -> b.dataPath("input_datapath", "", "a.csv")),
                step("dataPaths", null, null, b -> b.dataPath("input_datapath", "workspaceblobstore", null)),
                step("dataPaths", null, null, b -> b.dataPath("input_datapath", "workspaceblobstore", "  ")),
                step("tags", null, null, b -> b.tags(Map.of("", "v"))),
                step("parameters", null, null, b -> b.parameterAssignments(entries(10_000, "v"))),
                step("tags", null, null, b -> b.tags(entries(10_000, "v"))),
                step("parameters", null, null, b -> b.parameter("input_string", "v".repeat(5 * 1024 * 1024))));
    }

    private static Arguments step(String field, String endpoint, String workspace,
                                  UnaryOperator<PipelineSubmission.Builder> submission) {
        return Arguments.of(field, endpoint, workspace, submission);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("stepArguments")
    void badStepArgumentIsRefusedNamingItsFieldAndNothingIsSent(String field, String endpoint, String workspace,
            UnaryOperator<PipelineSubmission.Builder> submission) {
        String url = endpoint == null ? goodEndpoint : endpoint;
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> stepCall(url, workspace, submission));
        assertThat(e).as("refused before sending").isNotNull();
        assertThat(e.getField()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field + ": ").hasSizeLessThan(2_000);
        assertThat(e.getMessage()).doesNotContain("secret", "x".repeat(200));
        assertThat(sim.requests()).as("nothing sent").hasSize(requestsBefore);
    }

    @Test
    void oneMegabyteParameterValueIsSentIntact() {
        String big = "v".repeat(1024 * 1024);
        stepCall(goodEndpoint, null, b -> b.parameter("input_string", big));
        assertThat(sim.requests().get(sim.requests().size() - 1).body()).contains("\"input_string\":\"" + big + "\"");
    }

    static Stream<Arguments> triggerFields() {
        return Stream.of(
                trigger("accountUrl", b -> b.accountUrl(null)),
                trigger("accountUrl", b -> b.accountUrl("ftp://acct.blob.core.windows.net")),
                trigger("accountUrl", b -> b.accountUrl("file:///var/lib/jenkins/secrets")),
                trigger("accountUrl", b -> b.accountUrl("http://169.254.169.254/metadata")),
                trigger("accountUrl", b -> b.accountUrl("http://acct.blob.core.windows.net.127.0.0.1.nip.io")),
                trigger("accountUrl", b -> b.accountUrl("https://user:p4ss@acct.blob.core.windows.net")),
                trigger("accountUrl", b -> b.accountUrl("https://acct%2eblob.core.windows.net")),
                trigger("accountUrl", b -> b.accountUrl("https://acct.blob.core.windows.net/#frag")),
                trigger("accountUrl", b -> b.accountUrl("acct.blob.core.windows.net")),
                trigger("container", b -> b.container(null)),
                trigger("container", b -> b.container("../etc")),
                trigger("container", b -> b.container("c".repeat(64))),
                trigger("container", b -> b.container("UPPER")),
                trigger("prefix", b -> b.prefix("/in/")),
                trigger("prefix", b -> b.prefix("p".repeat(1025))),
                trigger("include", b -> b.include("")),
                trigger("include", b -> b.include("/in/*.csv")),
                trigger("exclude", b -> b.exclude("tmp//x")),
                trigger("exclude", b -> b.exclude("x**")),
                trigger("maxChangesPerPoll", b -> b.maxChangesPerPoll(-1)),
                trigger("maxChangesPerPoll", b -> b.maxChangesPerPoll(Integer.MIN_VALUE)),
                trigger("lateArrivalMargin", b -> b.lateArrivalMargin(java.time.Duration.ZERO)),
                trigger("lateArrivalMargin", b -> b.lateArrivalMargin(java.time.Duration.ofMinutes(-10))),
                trigger("lateArrivalMargin", b -> b.lateArrivalMargin(java.time.Duration.ofMinutes(1441))));
    }

    private static Arguments trigger(String field, UnaryOperator<BlobWatch.Builder> change) {
        return Arguments.of(field, change);
    }

    /** The trigger glue's path: build the watch, then the client, detector and poll cycle, then poll. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("triggerFields")
    void badTriggerFieldIsRefusedNamingItAndNoStateIsWritten(String field, UnaryOperator<BlobWatch.Builder> change)
            throws Exception {
        BlobWatch.Builder builder = change.apply(BlobWatch.builder().accountUrl("https://acct.blob.core.windows.net")
                .container("incoming"));
        Path state = jobDir.resolve("azure-blob-trigger-state.json");
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> {
            BlobWatch watch = builder.build();
            BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                    .withSas("sv=2024-01-01&sig=unused")).build();
            new BlobPollCycle(detector, new WatchStateStore(state), BlobPollCycle.Mode.PER_BLOB,
                    (changes, env) -> { }).run(watch);
        });
        assertThat(e).as("refused before polling").isNotNull();
        assertThat(e.getField()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field + ": ").doesNotContain("p4ss", "p".repeat(100));
        try (Stream<Path> files = Files.list(jobDir)) {
            assertThat(files).as("no state file").isEmpty();
        }
    }

    @Test
    void oddButValidNamesAndPrefixesAreAcceptedAndMatchedLiterally() {
        for (String prefix : List.of("in put/", "\u00fcnicode/\u65e5\u672c/", "100%/", "a+b/", "..", "x?y/")) {
            BlobWatch watch = BlobWatch.builder().accountUrl("https://acct.blob.core.windows.net").container("input")
                    .prefix(prefix).include("*.csv").build();
            assertThat(watch.matches(prefix + "file name %2F+.csv")).as(prefix).isTrue();
            assertThat(watch.matches(prefix + "file.csv.tmp")).as(prefix).isFalse();
        }
    }

    private static Map<String, String> entries(int n, String value) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put("p" + i, value);
        }
        return map;
    }
}
