package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.run.MetricsTrend;
import io.jenkins.plugins.echarts.AsyncTrendChart;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;
import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * The job page's trend chart of the Azure ML metrics its builds recorded ({@code azureMlRunMetrics}): one line per
 * metric over the last {@value #BUILDS} builds, builds without metrics as gaps (see {@link MetricsTrend}). Drawn by
 * the echarts-api plugin ({@code floatingBox.jelly}); its legend shows and hides lines. Added to a job by
 * {@link Factory} when one of its recent builds has metrics. Holds no state: the data is read from the builds' actions
 * when the chart asks.
 */
public final class AzureMlMetricsTrendAction implements Action, AsyncTrendChart {
    /** Builds charted at most, newest first when read. */
    static final int BUILDS = 50;
    /** Builds looked at to decide whether a job shows the chart at all. */
    static final int RECENT = 10;

    private final Job<?, ?> job;

    AzureMlMetricsTrendAction(Job<?, ?> job) {
        this.job = job;
    }

    /** The trend of the job's last {@value #BUILDS} builds. */
    MetricsTrend trend() {
        MetricsTrend trend = new MetricsTrend();
        int seen = 0;
        for (Run<?, ?> build : job.getBuilds()) {
            if (seen++ >= BUILDS) {
                break;
            }
            trend.add(build.getNumber(), metricsOf(build));
        }
        return trend;
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

    @JavaScriptMethod
    @Override
    public String getBuildTrendModel() {
        job.checkPermission(Item.READ);
        return trend().toChartJson();
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

    @Override
    public String getUrlName() {
        return null;
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
