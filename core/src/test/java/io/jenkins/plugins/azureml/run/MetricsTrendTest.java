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
    void buildsWithoutMetricsAndNonFiniteValuesAreGapsInChronologicalOrder() {
        MetricsTrend trend = new MetricsTrend()
                .add(3, List.of(run(30, 0.9, Double.NaN)))
                .add(1, List.of(run(10, 0.8, Double.NaN)))
                .add(2, List.of());

        assertThat(trend.seriesNames()).containsExactly("duration_s", "evaluate/auc");
        assertThat(trend.toChartJson()).isEqualTo("{\"domainAxisItemName\":\"Build\","
                + "\"domainAxisLabels\":[\"#1\",\"#2\",\"#3\"],\"buildNumbers\":[1,2,3],\"series\":["
                + "{\"name\":\"duration_s\",\"type\":\"line\",\"symbol\":\"circle\",\"data\":[10.0,null,30.0]},"
                + "{\"name\":\"evaluate/auc\",\"type\":\"line\",\"symbol\":\"circle\",\"data\":[0.8,null,0.9]}]}");
    }

    @Test
    void aLaterRunOfTheSameBuildOverridesTheSameName() {
        MetricsTrend trend = new MetricsTrend().add(1, List.of(run(10, 0.8, 0.5), run(11, 0.85, 0.6)));
        assertThat(trend.toChartJson()).contains("\"data\":[0.85]", "\"data\":[11.0]", "\"data\":[0.6]");
    }

    @Test
    void noFiniteValueMeansNothingToDraw() {
        assertThat(new MetricsTrend().add(1, List.of()).hasData()).isFalse();
        assertThat(new MetricsTrend().add(1, List.of(run(Double.NaN, Double.NaN, Double.NaN))).hasData()).isFalse();
        assertThat(new MetricsTrend().add(1, List.of(run(1, Double.NaN, Double.NaN))).hasData()).isTrue();
    }

    @Test
    void atMostSixteenLines() {
        Map<String, Double> many = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            many.put(String.format("m%02d", i), (double) i);
        }
        MetricsTrend trend = new MetricsTrend().add(1, List.of(new RunMetrics("r", "Train", "FINISHED", "e", 0,
                many, Map.of(), List.of())));
        assertThat(trend.seriesNames()).hasSize(MetricsTrend.MAX_SERIES).startsWith("m00").endsWith("m15");
    }
}
