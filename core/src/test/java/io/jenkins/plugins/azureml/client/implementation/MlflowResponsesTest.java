package io.jenkins.plugins.azureml.client.implementation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azureml.client.models.RunMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MLflow's JSON shapes, including the variants of numbers a tracking server may send. */
class MlflowResponsesTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lastValueIsTheHighestStepThenTheLatestAndNumbersMayBeText() throws IOException {
        RunMetrics run = MlflowResponses.fromGetRun(json("{\"run\": {\"info\": {\"run_uuid\": \"r1\","
                + " \"experiment_id\": \"7\", \"status\": \"FINISHED\", \"start_time\": 1700000000000},"
                + " \"data\": {\"metrics\": ["
                + "{\"key\": \"acc\", \"value\": 0.7, \"step\": \"2\", \"timestamp\": \"10\"},"
                + "{\"key\": \"acc\", \"value\": 0.9, \"step\": \"1\", \"timestamp\": \"20\"},"
                + "{\"key\": \"acc\", \"value\": \"0.75\", \"step\": 2, \"timestamp\": 30},"
                + "{\"key\": \"odd\", \"value\": \"not a number\"},"
                + "{\"key\": \"big\", \"value\": 1e400}],"
                + " \"params\": [{\"key\": \"lr\", \"value\": \"0.01\"}],"
                + " \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"nightly\"}]}}}"));

        assertThat(run.getRunId()).isEqualTo("r1");
        assertThat(run.getName()).isEqualTo("nightly");
        assertThat(run.getStartTime()).isEqualTo(1_700_000_000_000L);
        assertThat(run.getMetrics()).containsEntry("acc", 0.75).containsEntry("big", Double.POSITIVE_INFINITY);
        assertThat(run.getMetrics().get("odd")).isNaN();
        assertThat(run.getParams()).containsEntry("lr", "0.01");
    }

    @Test
    void anEmptySearchAnswerIsAnEmptyLastPage() throws IOException {
        MlflowResponses.Page<RunMetrics> page = MlflowResponses.fromSearch(json("{}"));
        assertThat(page.items()).isEmpty();
        assertThat(page.nextPageToken()).isNull();
    }

    @Test
    void aRunWithoutIdIsUnreadable() {
        IOException e = catchThrowableOfType(IOException.class,
                () -> MlflowResponses.fromGetRun(json("{\"run\": {\"info\": {}}}")));
        assertThat(e.getMessage()).contains("run_id");
    }
}
