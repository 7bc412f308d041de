package io.jenkins.plugins.azureml.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.MetricPoint;
import io.jenkins.plugins.azureml.client.models.MlflowTracking;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.Fault;
import io.jenkins.plugins.azureml.simulator.MlflowRun;
import io.jenkins.plugins.azureml.simulator.Route;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a validation stage is told when the metrics cannot be read, and which failures are retried. */
class AzureMlMetricsFaultTest {
    static final String RUN = "a1b2c3d4-run";

    AzureMlSimulator sim;
    AzureMlMetricsClient client;
    MlflowTracking tracking;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        client = AzureMlMetricsClientTest.metricsClientFor(sim);
        tracking = MlflowTracking.parse(null, "azureml://westus.api.azureml.ms/mlflow/v1.0/"
                + sim.workspace().servicePath(), false);
        String experiment = sim.mlflow().experimentId("Train");
        sim.mlflow().add(MlflowRun.finished(RUN, "pipeline", experiment, 1).log("loss", 0.5, 0));
        sim.mlflow().add(MlflowRun.finished(RUN + "-s1", "evaluate", experiment, 2).childOf(RUN).log("auc", 0.9, 0));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void unknownRunSaysThereIsNoSuchRunInThisWorkspace() {
        AzureMlException e = catchThrowableOfType(AzureMlException.class,
                () -> client.getRunMetrics(tracking, "no-such-run"));

        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(e.getMessage()).contains("There is no run no-such-run in workspace 'ml-ws'",
                "RESOURCE_DOES_NOT_EXIST", "Run 'no-such-run' not found.");
        assertThat(sim.requests(Route.MLFLOW_RUN)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = Route.class, names = {"MLFLOW_RUN", "MLFLOW_SEARCH"})
    void forbiddenNamesTheRunTheIdentityAndTheRoleToGrant(Route route) {
        sim.inject(route, Fault.FORBIDDEN);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.getRunMetrics(tracking, RUN));

        assertThat(e.getStatusCode()).isEqualTo(403);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains(AzureMlClientTest.IDENTITY + " is not allowed to read the metrics of run "
                + RUN + " in workspace 'ml-ws'", "'AzureML Data Scientist'",
                "Microsoft.MachineLearningServices/workspaces/experiments/*/read");
        assertThat(sim.requests(route)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"THROTTLED", "SERVER_ERROR", "UNAVAILABLE", "CONNECTION_RESET"})
    void transientFailuresOfEitherReadAreRetried(Fault fault) {
        sim.retryAfterSeconds(0);
        sim.inject(Route.MLFLOW_RUN, fault);
        sim.inject(Route.MLFLOW_SEARCH, fault, 2);

        RunMetrics run = client.getRunMetrics(tracking, RUN);

        assertThat(run.step("evaluate").getMetrics()).containsEntry("auc", 0.9);
        assertThat(sim.requests(Route.MLFLOW_RUN)).hasSize(2);
        assertThat(sim.requests(Route.MLFLOW_SEARCH)).hasSize(3);
    }

    @Test
    void persistentThrottlingEndsWithATransientErrorNamingTheRun() {
        sim.retryAfterSeconds(0);
        sim.inject(Route.MLFLOW_RUN, Fault.THROTTLED, 10);
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.getRunMetrics(tracking, RUN));

        assertThat(e.getStatusCode()).isEqualTo(429);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("read the metrics of run " + RUN);
        assertThat(sim.requests(Route.MLFLOW_RUN)).hasSize(4); // the first try and three retries
    }

    @Test
    void aRunIdThatCannotBeOneIsRefusedBeforeAnyRequest() {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> client.getRunMetrics(tracking, "x' or tags.a = 'b"));

        assertThat(e.getField()).isEqualTo("runId");
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void malformedAnswerIsReportedAsUnreadable() {
        sim.inject(Route.MLFLOW_RUN, Fault.MALFORMED_JSON);
        // A truncated body is a 200: not retried by the pipeline; the client says it could not be read.
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.getRunMetrics(tracking, RUN));
        assertThat(e.getMessage()).contains("could not be read");
    }

    @Test
    void aUsGovernmentWorkspaceGetsATokenForItsOwnCloudsResourceManager() {
        MlflowTracking usGov = MlflowTracking.parse(null, "azureml://usgovvirginia.api.ml.azure.us/mlflow/v1.0/"
                + sim.workspace().servicePath(), false);

        RunMetrics run = client.getRunMetrics(usGov, RUN);

        assertThat(run.step("evaluate").getMetrics()).containsEntry("auc", 0.9);
        assertThat(sim.tokens().issued()).extracting(t -> t.scope())
                .containsOnly("https://management.usgovcloudapi.net/.default");
        assertThat(sim.requests(Route.MLFLOW_RUN).get(0).header("Host")).startsWith("usgovvirginia.api.ml.azure.us");
    }

    @Test
    void aCredentialOfAnotherCloudIsRefusedBeforeAnyRequest() {
        AzureMlMetricsClient publicCloudClient = new AzureMlClientBuilder().credential(sim.credential())
                .httpClient(sim.httpClient()).credentialEnvironment("Azure").buildMetricsClient();
        MlflowTracking china = MlflowTracking.parse(null, "azureml://chinaeast2.api.ml.azure.cn/mlflow/v1.0/"
                + sim.workspace().servicePath(), false);

        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> publicCloudClient.getRunMetrics(china, RUN));

        assertThat(e.getField()).isEqualTo("credentialsId");
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void metricHistoryFollowsItsPages() {
        MlflowRun run = sim.mlflow().run(RUN);
        for (int step = 1; step <= 5; step++) {
            run.log("loss", 1.0 / step, step);
        }
        run.log("loss", Double.NaN, 6);
        sim.mlflow().pageSize(2);

        List<MetricPoint> history = client.getMetricHistory(tracking, RUN, "loss");

        assertThat(history).extracting(MetricPoint::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(history.get(6).value()).isNaN();
        assertThat(sim.requests(Route.MLFLOW_HISTORY)).hasSize(4);
        assertThat(client.getRunMetrics(tracking, RUN).getMetrics().get("loss")).isNaN();
    }
}
