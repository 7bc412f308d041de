package io.jenkins.plugins.azureml.pipeline;

import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.models.MlflowTracking;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.client.models.RunReference;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * After a pipeline run failed: which of its steps failed, for the run page. The step runs are the run's MLflow
 * child runs (as {@code azureMlRunMetrics} reads them); one asynchronous read, after the step has already failed the
 * build, so it delays nothing. A credential that may not read the run history (or a v2 job without step runs)
 * leaves the page as it was: the error message says what the service said.
 */
final class FailedSteps {
    private static final Logger LOGGER = Logger.getLogger(FailedSteps.class.getName());
    private static final long TIMEOUT_SECONDS = 60;

    private FailedSteps() {
    }

    static void recordOn(AzureMlRunAction action, AzureMlClientBuilder builder, RunReference run) {
        builder.buildMetricsClient().getRunMetricsAsync(MlflowTracking.of(run), run.getRunId())
                .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((metrics, error) -> {
                    if (error != null) {
                        LOGGER.log(Level.FINE, "Could not read the steps of failed Azure ML run " + run.getRunId(),
                                error);
                        return;
                    }
                    List<String> failed = metrics.getSteps().stream()
                            .filter(step -> "FAILED".equalsIgnoreCase(step.getStatus())).map(RunMetrics::getName)
                            .toList();
                    if (!failed.isEmpty()) {
                        action.recordFailedSteps(failed);
                    }
                });
    }
}
