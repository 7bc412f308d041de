package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.models.RunMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job page's trend chart data: one line per metric across builds, gaps where a build has no value. */
class MetricsTrendTest {
    private static RunMetrics run(double duration, double auc, double f1) {
        Map<String, Double> evaluate = new LinkedHashMap<>();
        evaluate.put("auc", auc);
        evaluate.put("f1", f1);
        RunMetrics step = new RunMetrics("s", "evaluate", "FINISHED", "e", 1, evaluate, Map.of(), List.of());
        return new RunMetrics("r", "Train", "FINISHED", "e", 0, Map.of("duration_s", duration), Map.of(),
                List.of(step));
    }

    @Test
    void oneMetricPerChartOnItsOwnRoundedScaleWithGapsInChronologicalOrder() {
        MetricsTrend trend = new MetricsTrend()
                .add(3, List.of(run(49.4, 0.91, Double.NaN)))
                .add(1, List.of(run(47.2, 0.8, Double.NaN)))
                .add(2, List.of());

        assertThat(trend.metricNames()).containsExactly("duration_s", "evaluate/auc");
        assertThat(trend.defaultMetric()).as("a step's metric, what a gate reads").isEqualTo("evaluate/auc");
        assertThat(trend.toChartJson("evaluate/auc")).isEqualTo("{\"domainAxisItemName\":\"Build\","
                + "\"domainAxisLabels\":[\"#1\",\"#2\",\"#3\"],\"buildNumbers\":[1,2,3],\"rangeMin\":0.8,"
                + "\"rangeMax\":1.0,\"series\":[{\"name\":\"evaluate/auc\",\"type\":\"line\",\"symbol\":\"circle\","
                + "\"connectNulls\":true,\"data\":[0.8,null,0.91]}]}");
        assertThat(trend.toChartJson("duration_s")).as("the duration on its own scale, round ends")
                .contains("\"rangeMin\":47.0,\"rangeMax\":50.0", "\"name\":\"duration_s\"", "[47.2,null,49.4]");
        assertThat(trend.toChartJson("no/such")).as("an unknown choice shows the default")
                .contains("\"name\":\"evaluate/auc\"");
        assertThat(trend.values("evaluate/auc")).containsExactly(new MetricsTrend.Point(1, 0.8),
                new MetricsTrend.Point(3, 0.91));
    }

    @Test
    void aFlatLineStillHasTwoDifferentAxisEnds() {
        String json = new MetricsTrend().add(1, List.of(run(5, 0.9, 0.9))).add(2, List.of(run(5, 0.9, 0.9)))
                .toChartJson("duration_s");
        assertThat(json).contains("\"rangeMin\":5.0,\"rangeMax\":6.0");
    }

    @Test
    void aLaterRunOfTheSameBuildOverridesTheSameName() {
        MetricsTrend trend = new MetricsTrend().add(1, List.of(run(10, 0.8, 0.5), run(11, 0.85, 0.6)));
        assertThat(trend.toChartJson("evaluate/auc")).contains("\"data\":[0.85]");
        assertThat(trend.toChartJson("duration_s")).contains("\"data\":[11.0]");
        assertThat(trend.values("evaluate/f1")).containsExactly(new MetricsTrend.Point(1, 0.6));
    }

    @Test
    void noFiniteValueMeansNothingToDraw() {
        assertThat(new MetricsTrend().add(1, List.of()).hasData()).isFalse();
        assertThat(new MetricsTrend().add(1, List.of(run(Double.NaN, Double.NaN, Double.NaN))).hasData()).isFalse();
        assertThat(new MetricsTrend().add(1, List.of(run(1, Double.NaN, Double.NaN))).hasData()).isTrue();
        assertThat(new MetricsTrend().add(1, List.of(run(1, Double.NaN, Double.NaN))).defaultMetric())
                .isEqualTo("duration_s");
    }
}
