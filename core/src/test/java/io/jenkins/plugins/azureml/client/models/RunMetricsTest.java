package io.jenkins.plugins.azureml.client.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the build page and the console show of a run's metrics. */
class RunMetricsTest {
    private static RunMetrics run() {
        Map<String, Double> evaluate = new LinkedHashMap<>();
        evaluate.put("auc", 0.91);
        evaluate.put("f1", Double.NaN);
        RunMetrics step = new RunMetrics("r1_s2", "evaluate", "FINISHED", "e", 2, evaluate, Map.of(), List.of());
        RunMetrics train = new RunMetrics("r1_s1", null, "FAILED", "e", 1, Map.of(), Map.of(), List.of());
        return new RunMetrics("r1", "pipeline", "FINISHED", "e", 0, Map.of("epochs", 10.0), Map.of("lr", "0.1"),
                List.of(train, step));
    }

    @Test
    void rowsListTheRunThenEachStep() {
        assertThat(run().rows()).extracting(RunMetrics.Row::getSource, RunMetrics.Row::getMetric,
                RunMetrics.Row::getValue).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pipeline", "epochs", "10"),
                        org.assertj.core.groups.Tuple.tuple("evaluate", "auc", "0.91"),
                        org.assertj.core.groups.Tuple.tuple("evaluate", "f1", "NaN"));
    }

    @Test
    void consoleNamesEveryStepAndItsRunAndAStepWithoutNameByItsId() {
        assertThat(run().consoleLines()).containsExactly(
                "Metrics of Azure ML run r1 (FINISHED): epochs=10",
                "  step r1_s1 (FAILED, run r1_s1): no metrics",
                "  step evaluate (FINISHED, run r1_s2): auc=0.91, f1=NaN");
    }

    @Test
    void stepIsFoundByName() {
        assertThat(run().step("evaluate").getRunId()).isEqualTo("r1_s2");
        assertThat(run().step("missing")).isNull();
    }
}
