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
 * The metrics of a job's builds across builds (a run's own metric by its name, a step's as {@code step/metric}),
 * one point per build, oldest first; a build without that metric, or whose value is NaN or infinite, is a gap. The
 * job page charts one metric at a time, on a scale of its own ({@link #toChartJson(String)}: metrics of different
 * magnitudes, a duration of 49 s and an AUC of 0.9, would flatten each other on a shared axis), as the JSON line
 * chart model of the Jenkins echarts-api plugin; a Pipeline reads a metric's values ({@link #values(String)}).
 */
public final class MetricsTrend {
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
        return !metricNames().isEmpty();
    }

    /** Every metric with at least one finite value, sorted: what the chart's metric selector offers. */
    public List<String> metricNames() {
        TreeSet<String> names = new TreeSet<>();
        builds.values().forEach(values -> values.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                names.add(k);
            }
        }));
        return new ArrayList<>(names);
    }

    /**
     * The metric the chart shows until a user picks another: a step's metric (the kind a validation stage gates
     * on), the first by name among those of the newest build that has any; else the first metric.
     */
    public String defaultMetric() {
        for (Map<String, Double> values : builds.descendingMap().values()) {
            String step = new TreeSet<>(values.keySet()).stream().filter(n -> n.contains("/"))
                    .filter(n -> Double.isFinite(values.get(n))).findFirst().orElse(null);
            if (step != null) {
                return step;
            }
        }
        List<String> names = metricNames();
        return names.isEmpty() ? null : names.get(0);
    }

    /** One build's value of a metric. */
    public record Point(int build, double value) {
    }

    /** The metric's finite values, oldest build first (builds without it are left out). */
    public List<Point> values(String metric) {
        List<Point> points = new ArrayList<>();
        builds.forEach((number, values) -> {
            Double v = values.get(metric);
            if (v != null && Double.isFinite(v)) {
                points.add(new Point(number, v));
            }
        });
        return points;
    }

    /**
     * The echarts-api line chart model of one metric as JSON: its own axis, from a round value below its smallest
     * to a round value above its largest (not the data's odd extremes), points linked to their builds.
     *
     * @param metric the metric; an unknown or null one charts {@link #defaultMetric()}
     */
    public String toChartJson(String metric) {
        String shown = metric != null && metricNames().contains(metric) ? metric : defaultMetric();
        List<Point> points = shown == null ? List.of() : values(shown);
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
            if (!points.isEmpty()) {
                double min = points.stream().mapToDouble(Point::value).min().orElse(0);
                double max = points.stream().mapToDouble(Point::value).max().orElse(0);
                double step = roundStep(min, max);
                double low = Math.floor(min / step) * step;
                double high = Math.ceil(max / step) * step;
                w.writeDoubleField("rangeMin", round(low));
                w.writeDoubleField("rangeMax", round(high > low ? high : low + step));
            }
            w.writeStartArray("series");
            if (shown != null) {
                w.writeStartObject();
                w.writeStringField("name", shown);
                w.writeStringField("type", "line");
                w.writeStringField("symbol", "circle");
                w.writeBooleanField("connectNulls", true);
                w.writeStartArray("data");
                for (Map<String, Double> values : builds.values()) {
                    Double v = values.get(shown);
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

    /** Drops the binary noise of the multiplications above (0.30000000000000004). */
    private static double round(double value) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.10g", value));
    }

    /** A power of ten near the values' spread (or magnitude, for a flat line), for round axis ends. */
    private static double roundStep(double min, double max) {
        double spread = max - min > 0 ? max - min : Math.max(Math.abs(max), 1e-9);
        return Math.pow(10, Math.floor(Math.log10(spread)));
    }
}
