package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.run.MetricsTrend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code azureMlMetricTrend}: a metric's values in the job's previous builds, as {@code azureMlRunMetrics} recorded
 * them (the series the job page charts), so that a validation stage can compare with a moving baseline, not only
 * with the previous build. Returns a list of maps {@code [build: 12, value: 0.91]}, oldest first; builds without the
 * metric (or with NaN) are left out. Reads only what the builds recorded: no Azure call, no credential; the builds
 * are loaded on a background thread, not the Pipeline's.
 */
public final class AzureMlMetricTrendStep extends Step {
    static final int DEFAULT_BUILDS = 10;
    static final int MAX_BUILDS = AzureMlMetricsTrendAction.MAX_BUILDS;

    private final String metric;
    private int builds = DEFAULT_BUILDS;

    /** @param metric a run's metric by its name ({@code duration_s}) or a step's as {@code step/metric} */
    @DataBoundConstructor
    public AzureMlMetricTrendStep(String metric) {
        this.metric = Util.fixEmptyAndTrim(metric);
    }

    public String getMetric() {
        return metric;
    }

    public int getBuilds() {
        return builds;
    }

    /** How many previous builds to look at (the running one is not among them), 1 to {@value #MAX_BUILDS}. */
    @DataBoundSetter
    public void setBuilds(int builds) {
        this.builds = builds;
    }

    @Override
    public StepExecution start(StepContext context) {
        if (metric == null) {
            throw new InvalidFieldException("metric", "required: a run's metric by its name (duration_s) or a step's "
                    + "as step/metric (evaluate/auc)");
        }
        if (builds < 1 || builds > MAX_BUILDS) {
            throw new InvalidFieldException("builds", "must be between 1 and " + MAX_BUILDS + ", not " + builds);
        }
        return new Execution(context, metric, builds);
    }

    private static final class Execution extends SynchronousNonBlockingStepExecution<List<Map<String, Object>>> {
        private static final long serialVersionUID = 1L;
        private final String metric;
        private final int builds;

        Execution(StepContext context, String metric, int builds) {
            super(context);
            this.metric = metric;
            this.builds = builds;
        }

        @Override
        protected List<Map<String, Object>> run() throws Exception {
            Run<?, ?> build = getContext().get(Run.class);
            MetricsTrend trend = AzureMlMetricsTrendAction.trend(build.getParent(), builds, build);
            List<Map<String, Object>> points = new ArrayList<>();
            for (MetricsTrend.Point p : trend.values(metric)) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("build", p.build());
                point.put("value", p.value());
                points.add(point);
            }
            return points;
        }
    }

    @Extension
    @Symbol("azureMlMetricTrend")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "azureMlMetricTrend";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Read a metric's values in the previous builds of this job";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class);
        }
    }
}
