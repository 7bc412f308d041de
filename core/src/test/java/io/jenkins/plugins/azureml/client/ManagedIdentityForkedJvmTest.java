package io.jenkins.plugins.azureml.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.BatchEndpoint;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import io.jenkins.plugins.azureml.simulator.Route;
import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local trial's token path, end to end with the real libraries: a real azure-identity 1.18.3
 * {@code ManagedIdentityCredential} (msal4j's App Service source) in a child JVM whose environment has
 * {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER} pointing at the simulator, and the client with its loopback
 * switch. A child JVM because the credential reads the real environment and msal4j caches tokens statically.
 */
class ManagedIdentityForkedJvmTest {
    private static final long CHILD_DEADLINE_SECONDS = 90;
    /** What azure-identity 1.18.3 sends as {@code resource}: the scope without "/.default" (no trailing slash). */
    private static final String ARM_RESOURCE = "https://management.azure.com";
    private static final String ML_RESOURCE = "https://ml.azure.com";

    @TempDir
    Path dir;

    @Test
    void managedIdentityTokensFromTheSimulatorAuthoriseV1AndV2() throws Exception {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttp()) {
            PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("trial-pipeline").build());
            sim.deploy(BatchEndpoint.of("trial-batch", pipeline));

            Child child = runChild(sim, pipeline, sim.managedIdentityEndpoint(), sim.managedIdentityHeader());

            assertThat(child.exitCode).as("child stderr:%n%s", child.stderr).isZero();
            List<RecordedRequest> msi = sim.requests(Route.MSI_TOKEN);
            // One token per audience for two credentials and four clients: msal4j's cache is static.
            assertThat(msi).hasSize(2).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).isEqualTo("/msi/token");
                assertThat(r.header("X-IDENTITY-HEADER")).isEqualTo(sim.managedIdentityHeader());
                assertThat(query(r)).containsEntry("api-version", "2019-08-01");
            });
            assertThat(msi).extracting(r -> query(r).get("resource")).containsExactly(ARM_RESOURCE, ML_RESOURCE);
            assertThat(sim.tokens().issued()).extracting(t -> t.scope())
                    .containsExactly(ARM_RESOURCE + "/.default", ML_RESOURCE + "/.default");
            int armToken = sim.tokens().issued().get(0).serial();
            int mlToken = sim.tokens().issued().get(1).serial();

            RecordedRequest submit = sim.requests(Route.SUBMIT).get(0);
            assertThat(submit.receivedAt()).isAfterOrEqualTo(msi.get(0).receivedAt());
            assertThat(submit.tokenSerial()).isEqualTo(armToken);
            assertThat(submit.body()).contains("\"RelativePath\":\"incoming/sales.csv\"");
            assertThat(sim.requests(Route.DETAILS)).singleElement().extracting(RecordedRequest::tokenSerial)
                    .isEqualTo(armToken);
            assertThat(sim.requests(Route.INVOKE)).singleElement().extracting(RecordedRequest::tokenSerial)
                    .isEqualTo(mlToken);
            assertThat(sim.requests(Route.JOB)).singleElement().extracting(RecordedRequest::tokenSerial)
                    .isEqualTo(armToken);

            assertThat(sim.runs()).hasSize(2);
            assertThat(child.stdout).containsExactly(
                    "v1 " + sim.runs().get(0).runId() + " " + RunStatus.QUEUED,
                    "v2 " + sim.runs().get(1).runId() + " " + RunStatus.QUEUED);
        }
    }

    @Test
    void wrongIdentityHeaderFailsBeforeAnythingIsSubmitted() throws Exception {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttp()) {
            PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("trial-pipeline").build());
            sim.deploy(BatchEndpoint.of("trial-batch", pipeline));

            Child child = runChild(sim, pipeline, sim.managedIdentityEndpoint(), "not-the-header");

            assertThat(child.exitCode).isEqualTo(2);
            assertThat(child.stderr).contains("error: ", "managed identity", "has this managed identity assigned").doesNotContain("sim-");
            assertThat(sim.requests(Route.MSI_TOKEN)).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.header("X-IDENTITY-HEADER")).isEqualTo("not-the-header"));
            assertThat(sim.tokens().issued()).isEmpty();
            assertThat(sim.requests(Route.SUBMIT)).isEmpty();
            assertThat(sim.runs()).isEmpty();
        }
    }

    private record Child(int exitCode, List<String> stdout, String stderr) {
    }

    private Child runChild(AzureMlSimulator sim, PublishedPipeline pipeline, String identityEndpoint,
                           String identityHeader) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classpath, ManagedIdentityTrialClient.class.getName(),
                sim.loopbackSubmitUrl(pipeline), sim.loopbackScoringUri(), sim.workspaceResourceId(),
                "incoming/sales.csv");
        Map<String, String> env = builder.environment();
        // Only the App Service source may apply, and nothing may send loopback traffic to a proxy.
        env.keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("MSI_") || k.startsWith("IDENTITY_")
                || k.equals("IMDS_ENDPOINT") || k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
        env.put("IDENTITY_ENDPOINT", identityEndpoint);
        env.put("IDENTITY_HEADER", identityHeader);
        File out = dir.resolve("stdout.txt").toFile();
        File err = dir.resolve("stderr.txt").toFile();
        builder.redirectOutput(out).redirectError(err);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(CHILD_DEADLINE_SECONDS, TimeUnit.SECONDS))
                    .as("the child JVM finished within %d s", CHILD_DEADLINE_SECONDS).isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Child(process.exitValue(), Files.readAllLines(out.toPath(), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).collect(Collectors.toList()),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(RecordedRequest request) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (String pair : request.query() == null ? new String[0] : request.query().split("&")) {
            int eq = pair.indexOf('=');
            result.put(URLDecoder.decode(pair.substring(0, eq < 0 ? pair.length() : eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }
}
