package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.AzureMlException;
import io.jenkins.plugins.azureml.client.AzureMlMetricsClient;
import io.jenkins.plugins.azureml.client.models.MlflowTracking;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.credentials.AzureCredentialLookup;
import io.jenkins.plugins.azureml.credentials.ResolvedAzureCredential;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code azureMlRunMetrics}: reads an Azure ML run's metrics and its steps' (child runs') from the workspace's MLflow
 * tracking service, for a validation stage to gate on; records them on the build's {@link AzureMlRunAction}, and
 * returns {@code runId}, {@code name}, {@code status}, {@code metrics} (name → last value, a Double), {@code params}
 * and {@code steps} (a list of maps of the same keys). One read, so it runs on a background thread and holds no
 * executor; the engine ({@link AzureMlMetricsClient}) does the work.
 */
public final class AzureMlRunMetricsStep extends Step {
    private final String credentialsId;
    private final String runId;
    private String endpoint;
    private String workspace;

    @DataBoundConstructor
    public AzureMlRunMetricsStep(String credentialsId, String runId) {
        this.credentialsId = trimToNull(credentialsId);
        this.runId = trimToNull(runId);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getRunId() {
        return runId;
    }

    /** The endpoint the run was submitted to ({@code run.endpoint} of {@code triggerAzureMlPipeline}). */
    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = trimToNull(endpoint);
    }

    /**
     * The workspace's MLflow tracking URI (without endpoint), or its resource id (with a v2 batch endpoint, or
     * optionally with a v1 endpoint).
     */
    public String getWorkspace() {
        return workspace;
    }

    @DataBoundSetter
    public void setWorkspace(String workspace) {
        this.workspace = trimToNull(workspace);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    MlflowTracking parseTracking() {
        return MlflowTracking.parse(endpoint, workspace, AzureMlPipelineStep.allowInsecureLoopback());
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Reads the metrics on a background thread (not the CPS VM thread); fails with the engine's message. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient AzureMlRunMetricsStep step;

        Execution(AzureMlRunMetricsStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> build = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            if (step.runId == null) {
                throw new AbortException("runId: no run id. Use the runId that triggerAzureMlPipeline returned.");
            }
            RunMetrics metrics;
            MlflowTracking tracking;
            try {
                tracking = step.parseTracking();
                ResolvedAzureCredential credential = AzureCredentialLookup.forRun(step.credentialsId, build);
                StepServices services = StepServices.current;
                AzureMlMetricsClient client = new AzureMlClientBuilder()
                        .credential(services.tokenCredential(credential)).httpClient(services.httpClient())
                        .identityDescription(credential.identityDescription())
                        .credentialEnvironment(credential.azureEnvironmentName())
                        .allowInsecureLoopback(AzureMlPipelineStep.allowInsecureLoopback()).buildMetricsClient();
                metrics = client.getRunMetrics(tracking, step.runId);
            } catch (InvalidFieldException | AzureMlException e) {
                throw new AbortException(e.getMessage());
            }
            metrics.consoleLines().forEach(listener.getLogger()::println);
            AzureMlRunAction.getOrAdd(build, step.runId, null, tracking.studioUrl(step.runId)).recordMetrics(metrics);
            return metrics.toMap();
        }
    }

    /** Registers the step; form filling and validation for the Snippet Generator. */
    @Extension
    @Symbol("azureMlRunMetrics")
    public static final class DescriptorImpl extends StepDescriptor {
        /**
         * A form without a run id makes no usable step: the Snippet Generator says so where the snippet would be
         * ({@link SnippetProblem}) rather than printing a call that lacks its required argument.
         */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            if (formData.optString("runId", "").isBlank()) {
                throw new SnippetProblem("Run id", "required. Give the id of the run, e.g. runId: run.runId with the"
                        + " value triggerAzureMlPipeline returned.");
            }
            return super.newInstance(req, formData);
        }

        @Override
        public String getFunctionName() {
            return "azureMlRunMetrics";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Read the metrics of an Azure Machine Learning run and its steps";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** Lists Azure credentials to users who may configure the job (or administrators, outside a job). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepFormPermission.credentialItems(item, credentialsId);
        }

        @POST
        public FormValidation doCheckRunId(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            return value == null || value.isBlank()
                    ? FormValidation.error("The run id, e.g. run.runId of triggerAzureMlPipeline.")
                    : FormValidation.ok();
        }

        /** The engine's rules for where a run's metrics are; a problem is shown next to the field it concerns. */
        @POST
        public FormValidation doCheckEndpoint(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String workspace) {
            return checkTrackingField(item, "endpoint", value, workspace);
        }

        @POST
        public FormValidation doCheckWorkspace(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String endpoint) {
            return checkTrackingField(item, "workspace", endpoint, value);
        }

        private static FormValidation checkTrackingField(@CheckForNull Item item, String field, String endpoint,
                String workspace) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            try {
                MlflowTracking.parse(endpoint, workspace, AzureMlPipelineStep.allowInsecureLoopback());
                return FormValidation.ok();
            } catch (InvalidFieldException e) {
                return e.getField().equals(field) ? FormValidation.error(e.getProblem()) : FormValidation.ok();
            }
        }
    }
}
