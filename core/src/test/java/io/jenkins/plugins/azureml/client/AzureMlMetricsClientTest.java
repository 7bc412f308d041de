package io.jenkins.plugins.azureml.client;

import static io.jenkins.plugins.azureml.client.AzureMlClientTest.IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import io.jenkins.plugins.azureml.client.models.MlflowTracking;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.MlflowTrackingService;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import io.jenkins.plugins.azureml.simulator.Route;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The metrics of a submitted run and of its steps, read over HTTPS from the simulator's MLflow tracking service, for
 * a v1 pipeline run (tracking found from the submit URL) and a v2 job (from the scoring URI and the workspace).
 */
@ParameterizedClass
@EnumSource(ServiceVersion.class)
class AzureMlMetricsClientTest {
    @Parameter
    ServiceVersion version;

    AzureMlSimulator sim;
    AzureMlMetricsClient metrics;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        metrics = metricsClientFor(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static AzureMlMetricsClient metricsClientFor(AzureMlSimulator sim) {
        return new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .identityDescription(IDENTITY).responseTimeout(Duration.ofMillis(1500))
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(3)
                        .setBaseDelay(Duration.ofMillis(50)).setMaxDelay(Duration.ofMillis(200))))
                .buildMetricsClient();
    }

    /** Submits a run of {@code pipeline} and returns where its metrics are, as a Pipeline author would give it. */
    private Submitted submit(PublishedPipeline pipeline) {
        String endpoint = version.endpointUrl(sim, pipeline);
        String workspace = version.workspace(sim);
        PipelineRun run = AzureMlClientTest.clientFor(sim).submit(
                io.jenkins.plugins.azureml.client.models.PipelineEndpoint.parse(endpoint, workspace),
                AzureMlClientTest.seedSubmission());
        return new Submitted(run.getRunId(), MlflowTracking.parse(endpoint, workspace, false));
    }

    private record Submitted(String runId, MlflowTracking tracking) {
    }

    private static Map<String, Double> metrics(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void runAndStepMetricsOfASubmittedRun() {
        Submitted s = submit(PublishedPipeline.sample("pl-m").runMetrics(metrics("duration_s", 41.0))
                .stepMetrics("train", metrics("loss", 0.21))
                .stepMetrics("evaluate", metrics("auc", 0.91, "f1", 0.8)).build());

        RunMetrics run = metrics.getRunMetrics(s.tracking(), s.runId());

        assertThat(s.tracking().getServiceBaseUrl()).isEqualTo("https://westus.api.azureml.ms");
        assertThat(run.getRunId()).isEqualTo(s.runId());
        assertThat(run.getMetrics()).containsExactly(Map.entry("duration_s", 41.0));
        assertThat(run.getStatus()).isIn("SCHEDULED", "RUNNING", "FINISHED");
        assertThat(run.getSteps()).extracting(RunMetrics::getName).containsExactly("train", "evaluate");
        assertThat(run.step("evaluate").getMetrics()).containsExactly(Map.entry("auc", 0.91), Map.entry("f1", 0.8));
        assertThat(run.step("evaluate").getStatus()).isEqualTo("FINISHED");
        assertThat(run.step("train").getRunId()).isEqualTo(s.runId() + "_step1");

        RecordedRequest search = sim.requests(Route.MLFLOW_SEARCH).get(0);
        assertThat(search.path()).isEqualTo("/mlflow/v1.0/" + sim.workspace().servicePath()
                + "/api/2.0/mlflow/runs/search");
        assertThat(search.body()).contains("\"filter\":\"tags.mlflow.parentRunId = '" + s.runId() + "'\"",
                "\"experiment_ids\":[\"" + run.getExperimentId() + "\"]", "\"max_results\":200");
        assertThat(sim.requests(Route.MLFLOW_RUN).get(0).query()).isEqualTo("run_id=" + s.runId());
    }

    @Test
    void everySearchPageIsFollowedAndStepsComeInStartOrder() {
        PublishedPipeline.Builder pipeline = PublishedPipeline.sample("pl-many");
        for (int i = 1; i <= 7; i++) {
            pipeline.stepMetrics("step" + i, metrics("i", (double) i));
        }
        sim.mlflow().pageSize(3);
        Submitted s = submit(pipeline.build());

        RunMetrics run = metrics.getRunMetrics(s.tracking(), s.runId());

        assertThat(run.getSteps()).extracting(RunMetrics::getName)
                .containsExactly("step1", "step2", "step3", "step4", "step5", "step6", "step7");
        assertThat(sim.requests(Route.MLFLOW_SEARCH)).hasSize(3);
        assertThat(sim.requests(Route.MLFLOW_SEARCH).get(1).body()).contains("\"page_token\":");
    }

    @Test
    void nonFiniteValuesAreReadWhetherSentAsStringsOrBareTokens() {
        for (MlflowTrackingService.NonFinite style : MlflowTrackingService.NonFinite.values()) {
            sim.mlflow().nonFinite(style);
            Submitted s = submit(PublishedPipeline.sample("pl-nan-" + style.ordinal())
                    .stepMetrics("evaluate", metrics("auc", Double.NaN, "up", Double.POSITIVE_INFINITY,
                            "down", Double.NEGATIVE_INFINITY, "ok", 0.5)).build());

            RunMetrics evaluate = metrics.getRunMetrics(s.tracking(), s.runId()).step("evaluate");

            assertThat(evaluate.getMetrics().get("auc")).as(style.name()).isNaN();
            assertThat(evaluate.getMetrics()).as(style.name()).containsEntry("up", Double.POSITIVE_INFINITY)
                    .containsEntry("down", Double.NEGATIVE_INFINITY).containsEntry("ok", 0.5);
        }
    }

    @Test
    void theReturnedMapHoldsOnlySerializableJavaUtilValues() throws Exception {
        Submitted s = submit(PublishedPipeline.sample("pl-map").runMetrics(metrics("loss", 0.1))
                .stepMetrics("evaluate", metrics("auc", 0.93, "f1", Double.NaN)).build());
        Map<String, Object> map = metrics.getRunMetrics(s.tracking(), s.runId()).toMap();

        assertThat(map).containsOnlyKeys("runId", "name", "status", "metrics", "params", "steps");
        assertThat(map.get("metrics")).isInstanceOf(LinkedHashMap.class).isEqualTo(Map.of("loss", 0.1));
        List<?> steps = (List<?>) map.get("steps");
        assertThat(steps).hasSize(1);
        Map<?, ?> evaluate = (Map<?, ?>) steps.get(0);
        assertThat(evaluate.get("name")).isEqualTo("evaluate");
        // NaN is null in the map: Groovy orders NaN above every number, so a NaN would pass "auc >= 0.85".
        Map<?, ?> evaluateMetrics = (Map<?, ?>) evaluate.get("metrics");
        assertThat(evaluateMetrics.get("auc")).isEqualTo(0.93);
        assertThat(evaluateMetrics.containsKey("f1")).isTrue();
        assertThat(evaluateMetrics.get("f1")).isNull();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(map);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(map);
        }
    }
}
