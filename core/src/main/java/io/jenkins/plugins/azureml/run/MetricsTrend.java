package io.jenkins.plugins.azureml.run;

import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metrics of a job's builds across builds, as the job page's trend chart draws them: one line per metric (a
 * run's own metric by its name, a step's as {@code step/metric}), one point per build, oldest first. A build
 * without that metric, or whose value is NaN or infinite, is a gap. Written as the JSON line chart model of the
 * Jenkins echarts-api plugin ({@code domainAxisLabels}, {@code buildNumbers}, {@code series} of ECharts line series),
 * whose legend lets a user hide and show lines without any configuration.
 */
public final class MetricsTrend {
    /** Lines drawn at most (the first by name): more would make the chart unreadable. */
    public static final int MAX_SERIES = 16;

    private final TreeMap<Integer, Map<String, Double>> builds = new TreeMap<>();

    /**
     * Adds a build and the metrics its Azure ML run actions recorded (empty for a build without any, which then
     * shows as a gap). A later run of the same build overrides a value of the same name.
     */
    public MetricsTrend add(int buildNumber, List<RunMetrics> runs) {
        Map<String, Double> values = new HashMap<>();
        for (RunMetrics run : runs) {
            values.putAll(run.getMetrics());
            for (RunMetrics step : run.getSteps()) {
                step.getMetrics().forEach((k, v) -> values.put(step.getName() + "/" + k, v));
            }
        }
        builds.put(buildNumber, values);
        return this;
    }

    /** Whether any build has a finite value to draw. */
    public boolean hasData() {
        return !seriesNames().isEmpty();
    }

    /** The lines drawn: names with at least one finite value, sorted, at most {@link #MAX_SERIES}. */
    public List<String> seriesNames() {
        TreeSet<String> names = new TreeSet<>();
        builds.values().forEach(values -> values.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                names.add(k);
            }
        }));
        List<String> result = new ArrayList<>(names);
        return result.size() > MAX_SERIES ? result.subList(0, MAX_SERIES) : result;
    }

    /** The echarts-api line chart model as JSON. */
    public String toChartJson() {
        List<String> series = seriesNames();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject();
            w.writeStringField("domainAxisItemName", "Build");
            w.writeStartArray("domainAxisLabels");
            for (Integer number : builds.keySet()) {
                w.writeString("#" + number);
            }
            w.writeEndArray();
            w.writeStartArray("buildNumbers");
            for (Integer number : builds.keySet()) {
                w.writeInt(number);
            }
            w.writeEndArray();
            w.writeStartArray("series");
            for (String name : series) {
                w.writeStartObject();
                w.writeStringField("name", name);
                w.writeStringField("type", "line");
                w.writeStringField("symbol", "circle");
                w.writeStartArray("data");
                for (Map<String, Double> values : builds.values()) {
                    Double v = values.get(name);
                    if (v == null || !Double.isFinite(v)) {
                        w.writeNull();
                    } else {
                        w.writeDouble(v);
                    }
                }
                w.writeEndArray();
                w.writeEndObject();
            }
            w.writeEndArray();
            w.writeEndObject();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
