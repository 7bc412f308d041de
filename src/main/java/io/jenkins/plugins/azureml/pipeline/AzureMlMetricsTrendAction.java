package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.run.MetricsTrend;
import io.jenkins.plugins.echarts.AsyncConfigurableTrendChart;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;
import net.sf.json.JSONException;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * The job page's trend chart of the Azure ML metrics its builds recorded ({@code azureMlRunMetrics}): one metric at
 * a time on a scale of its own, over the last builds (builds without it as gaps; see {@link MetricsTrend}), each
 * point linked to its build. Drawn by the echarts-api plugin ({@code floatingBox.jelly}) as a configurable trend:
 * its setup dialog picks the metric, kept per user in the browser as echarts-api's other trend charts keep theirs.
 * Added to a job by {@link Factory} when one of its recent builds has metrics. Holds no state: the data is read from
 * the builds' actions when the chart asks.
 */
public final class AzureMlMetricsTrendAction implements Action, AsyncConfigurableTrendChart {
    /** Builds charted at most, newest first when read. */
    static final int BUILDS = 50;
    /** The most builds a user may ask the chart for. */
    static final int MAX_BUILDS = 500;
    /** Builds looked at to decide whether a job shows the chart at all. */
    static final int RECENT = 10;

    private final Job<?, ?> job;

    AzureMlMetricsTrendAction(Job<?, ?> job) {
        this.job = job;
    }

    /** The trend of the job's last {@value #BUILDS} builds. */
    MetricsTrend trend() {
        return trend(job, BUILDS, null);
    }

    /**
     * The trend of a job's last builds.
     *
     * @param job the job
     * @param builds how many builds at most, newest first
     * @param skip a build to leave out (the running one, for a Pipeline), or null
     */
    static MetricsTrend trend(Job<?, ?> job, int builds, Run<?, ?> skip) {
        MetricsTrend trend = new MetricsTrend();
        int seen = 0;
        for (Run<?, ?> build : job.getBuilds()) {
            if (build == skip) {
                continue;
            }
            if (seen++ >= builds) {
                break;
            }
            trend.add(build.getNumber(), metricsOf(build));
        }
        return trend;
    }

    /** The metric shown until the user picks one: a step's metric, as a validation stage gates on. */
    public String getDefaultMetric() {
        return trend().defaultMetric();
    }

    /** The metrics the chart's setup dialog offers. */
    public List<String> getMetricNames() {
        return trend().metricNames();
    }

    private static List<RunMetrics> metricsOf(Run<?, ?> build) {
        List<RunMetrics> result = new ArrayList<>();
        for (AzureMlRunAction action : build.getActions(AzureMlRunAction.class)) {
            RunMetrics m = action.getMetrics();
            if (m != null) {
                result.add(m);
            }
        }
        return result;
    }

    /**
     * The chart of the metric the user picked.
     *
     * @param configuration echarts-api's trend configuration from the browser: {@code numberOfBuilds} and ours,
     *     {@code metric}; missing or unknown values take the defaults
     */
    @JavaScriptMethod
    @Override
    public String getConfigurableBuildTrendModel(String configuration) {
        job.checkPermission(Item.READ);
        JSONObject json;
        try {
            json = JSONObject.fromObject(configuration == null || configuration.isBlank() ? "{}" : configuration);
        } catch (JSONException e) {
            json = new JSONObject();
        }
        int builds = json.optInt("numberOfBuilds", BUILDS);
        return trend(job, builds < 2 ? BUILDS : Math.min(builds, MAX_BUILDS), null)
                .toChartJson(json.optString("metric", null));
    }

    /** {@link Factory} adds this action only to jobs whose recent builds have metrics: not read again per view. */
    @Override
    public boolean isTrendVisible() {
        return true;
    }

    @Override
    public String getIconFileName() {
        return null; // shown as a chart on the job page, not as a link
    }

    @Override
    public String getDisplayName() {
        return "Azure ML metrics trend";
    }

    /**
     * Each chart point links to {@code <build number>/<this>}: "." makes that the build's page (echarts-api's links
     * append the job action's URL name to the build number). No page of its own: it has no icon and no view.
     */
    @Override
    public String getUrlName() {
        return ".";
    }

    /** Adds the trend to jobs whose recent builds recorded Azure ML metrics. */
    @Extension
    public static final class Factory extends TransientActionFactory<Job> {
        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            int seen = 0;
            for (Object build : target.getBuilds()) {
                if (seen++ >= RECENT) {
                    break;
                }
                if (!metricsOf((Run<?, ?>) build).isEmpty()) {
                    return List.of(new AzureMlMetricsTrendAction((Job<?, ?>) target));
                }
            }
            return List.of();
        }
    }
}
