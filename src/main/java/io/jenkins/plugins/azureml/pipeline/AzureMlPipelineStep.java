package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.run.AssignmentLines;
import io.jenkins.plugins.azureml.run.LogMode;
import io.jenkins.plugins.azureml.run.SubmissionArguments;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jenkins.util.SystemProperties;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code triggerAzureMlPipeline}: submits an Azure ML published-pipeline run with a Jenkins-stored Azure
 * credential, optionally waits for it without holding an executor (see {@link AzureMlPipelineExecution}), and returns
 * {@code runId}, {@code status}, {@code studioUrl}, {@code experimentName} and {@code endpoint} as a map.
 *
 * <p>{@code parameters}, {@code dataPaths} and {@code tags} take Groovy maps ({@code parameters: [input_string: 'x']})
 * through {@code Object} setters: structs' DescribableModel passes the map through unchanged (its coerce step accepts
 * any instance of the erased type), the Snippetizer writes it back as a map literal, and the Steps Reference shows
 * the argument as "not enumerable" with its help (structs cannot categorise {@code Map<String, ?>} and would show
 * an exception there instead), as core's {@code ChoiceParameterDefinition.choices} does. Lists of Describable
 * entries would change the Jenkinsfile syntax. The Snippet Generator's form cannot post a map, so its form shows
 * one {@code name=value} per line ({@link AssignmentLines}), which {@link DescriptorImpl#newInstance} converts.
 */
public final class AzureMlPipelineStep extends Step {
    /** Set to true (system property) to allow http(s) endpoints on this machine, for trials against a simulator. */
    static final String ALLOW_INSECURE_LOOPBACK = AzureMlPipelineStep.class.getName() + ".allowInsecureLoopback";

    private final String credentialsId;
    private final String endpoint;
    private final String experimentName;
    private Map<String, String> parameters = Collections.emptyMap();
    private Map<String, Map<String, String>> dataPaths = Collections.emptyMap();
    private Map<String, String> tags = Collections.emptyMap();
    private String description;
    private String workspace;
    private boolean wait = true;
    private int timeout;
    private boolean propagate = true;
    private String logs = LogMode.RUN.argument();

    @DataBoundConstructor
    public AzureMlPipelineStep(String credentialsId, String endpoint, String experimentName) {
        this.credentialsId = trim(credentialsId);
        this.endpoint = trim(endpoint);
        this.experimentName = trim(experimentName);
    }

    /**
     * Unsafe outside tests and local trials: tokens may then go to any process on this machine. Off unless an
     * administrator starts Jenkins with {@code -Dio.jenkins.plugins.azureml.pipeline.AzureMlPipelineStep.allowInsecureLoopback=true}.
     */
    static boolean allowInsecureLoopback() {
        return SystemProperties.getBoolean(ALLOW_INSECURE_LOOPBACK, false);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public String getExperimentName() {
        return experimentName;
    }

    /** Pipeline parameter name → value. */
    public Map<String, String> getParameters() {
        return parameters;
    }

    /** @param parameters a map of name → value */
    @DataBoundSetter
    public void setParameters(Object parameters) {
        this.parameters = SubmissionArguments.strings("parameters", SubmissionArguments.map("parameters", parameters));
    }

    /** Datapath parameter name → {@code [datastore: ..., path: ...]} and optionally {@code type: 'file'}. */
    public Map<String, Map<String, String>> getDataPaths() {
        return dataPaths;
    }

    /** @param dataPaths a map of name → {@code [datastore: ..., path: ...]}, optionally with {@code type: 'file'} */
    @DataBoundSetter
    public void setDataPaths(Object dataPaths) {
        Map<?, ?> given = SubmissionArguments.map("dataPaths", dataPaths);
        SubmissionArguments.dataPaths(given); // the engine's rules, so a bad entry fails at once
        Map<String, Map<String, String>> converted = new LinkedHashMap<>();
        if (given != null) {
            given.forEach((name, entry) ->
                    converted.put(name.toString(), SubmissionArguments.strings("dataPaths", (Map<?, ?>) entry)));
        }
        this.dataPaths = Collections.unmodifiableMap(converted);
    }

    /** Tags of the run; the build is always added as tags {@value AzureMlPipelineExecution#BUILD_TAG} and {@value AzureMlPipelineExecution#BUILD_URL_TAG}. */
    public Map<String, String> getTags() {
        return tags;
    }

    /** @param tags a map of name → value */
    @DataBoundSetter
    public void setTags(Object tags) {
        this.tags = SubmissionArguments.strings("tags", SubmissionArguments.map("tags", tags));
    }

    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(String description) {
        // Blank is "no description": the form posts "", which must not become description: '' in snippets.
        String d = trim(description);
        this.description = d == null || d.isEmpty() ? null : d;
    }

    /**
     * The workspace's resource id, {@code /subscriptions/.../workspaces/<name>}: required for an Azure ML v2 batch
     * endpoint (its scoring URI does not name the workspace whose jobs it runs), optional for v1 endpoints.
     */
    public String getWorkspace() {
        return workspace;
    }

    @DataBoundSetter
    public void setWorkspace(String workspace) {
        String w = trim(workspace);
        this.workspace = w == null || w.isEmpty() ? null : w;
    }

    /** Whether to wait for the run to end (default true). */
    public boolean getWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(boolean wait) {
        this.wait = wait;
    }

    /** Minutes to wait at most before canceling the run; 0 (default) waits without limit. */
    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        if (timeout < 0) {
            throw new InvalidFieldException("timeout", "Minutes to wait must be 0 (no limit) or more.");
        }
        this.timeout = timeout;
    }

    /** Whether a failed or canceled run fails the step (default true). */
    public boolean getPropagate() {
        return propagate;
    }

    @DataBoundSetter
    public void setPropagate(boolean propagate) {
        this.propagate = propagate;
    }

    /**
     * Which run logs a waiting build prints in its console: {@code run} (default: the pipeline run's own log),
     * {@code steps} (also each step's user log) or {@code none} (status changes only).
     */
    public String getLogs() {
        return logs;
    }

    @DataBoundSetter
    public void setLogs(String logs) {
        this.logs = LogMode.parse(logs).argument();
    }

    /** For the Snippet Generator form ({@code config.jelly}). */
    public String getParametersText() {
        return AssignmentLines.format(parameters);
    }

    public String getDataPathsText() {
        return AssignmentLines.formatDataPaths(dataPaths);
    }

    public String getTagsText() {
        return AssignmentLines.format(tags);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new AzureMlPipelineExecution(this, context);
    }

    /**
     * What to submit; {@code buildTags} are added after the user's tags so they cannot be overridden.
     *
     * @throws InvalidFieldException naming the argument to fix
     */
    PipelineSubmission toSubmission(Map<String, String> buildTags) {
        return PipelineSubmission.builder().experimentName(experimentName).description(description)
                .parameterAssignments(parameters).dataPathAssignments(SubmissionArguments.dataPaths(dataPaths))
                .tags(tags).tags(buildTags).build();
    }

    PipelineEndpoint parseEndpoint() {
        return PipelineEndpoint.parse(endpoint, workspace, allowInsecureLoopback());
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    /** Registers the step; form filling and validation for the Snippet Generator. */
    @Extension
    @Symbol("triggerAzureMlPipeline")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "triggerAzureMlPipeline";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Run an Azure Machine Learning pipeline or batch endpoint";
        }

        /** What Pipeline Steps and stage views show next to the step: the experiment. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object experiment = namedArgs.get("experimentName");
            return experiment instanceof String ? (String) experiment : null;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** The form labels (config.jelly titles) of the text areas, for what the Snippet Generator shows. */
        private static final Map<String, String> TEXT_LABELS = Map.of("parameters", "Pipeline parameters",
                "dataPaths", "Datapath parameters", "tags", "Run tags");

        /**
         * Converts the form's {@code name=value} lines into the step's maps; a line that cannot be read is a
         * {@link SnippetProblem}, which the Snippet Generator shows where the snippet would be.
         */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject rest = JSONObject.fromObject(formData);
            String parametersText = removeText(rest, "parametersText");
            String dataPathsText = removeText(rest, "dataPathsText");
            String tagsText = removeText(rest, "tagsText");
            AzureMlPipelineStep step = (AzureMlPipelineStep) super.newInstance(req, rest);
            try {
                step.setParameters(AssignmentLines.parse("parameters", parametersText));
                step.setDataPaths(AssignmentLines.parseDataPaths(dataPathsText));
                step.setTags(AssignmentLines.parse("tags", tagsText));
            } catch (InvalidFieldException e) {
                throw new SnippetProblem(TEXT_LABELS.getOrDefault(e.getField(), e.getField()), e.getProblem());
            }
            return step;
        }

        private static String removeText(JSONObject form, String key) {
            Object value = form.remove(key);
            return value instanceof String ? (String) value : null;
        }

        /** Lists Azure credentials to users who may configure the job (or administrators, outside a job). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepFormPermission.credentialItems(item, credentialsId);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            return FormValidation.validateRequired(value); // core's "Required"; the help says which kinds
        }

        /** The engine's endpoint rules: Azure ML hosts over https only, and the submit URL shape. */
        @POST
        public FormValidation doCheckEndpoint(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String workspace) {
            return checkEndpointField(item, "endpoint", value, workspace);
        }

        /** Whether the workspace is needed (v2 batch endpoints) and well formed; reported next to workspace. */
        @POST
        public FormValidation doCheckWorkspace(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String endpoint) {
            return checkEndpointField(item, "workspace", endpoint, value);
        }

        /**
         * Parses endpoint and workspace together; shows only the problem that belongs to {@code field}, without the
         * long example of a valid URL (the field's help shows the URL forms). Blank is core's "Required".
         */
        private static FormValidation checkEndpointField(@CheckForNull Item item, String field, String endpoint,
                String workspace) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            if ("endpoint".equals(field) && (endpoint == null || endpoint.isBlank())) {
                return FormValidation.validateRequired(endpoint);
            }
            try {
                PipelineEndpoint.parse(endpoint, workspace == null || workspace.isBlank() ? null : workspace.trim(),
                        allowInsecureLoopback());
                return FormValidation.ok();
            } catch (InvalidFieldException e) {
                return e.getField().equals(field)
                        ? FormValidation.error(e.getProblem().replace(" " + EndpointRules.EXAMPLE, "")
                                + ("endpoint".equals(field) ? " The help shows the URL forms." : ""))
                        : FormValidation.ok();
            }
        }

        @POST
        public FormValidation doCheckExperimentName(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            if (value == null || value.isBlank()) {
                return FormValidation.validateRequired(value);
            }
            return validate(() -> PipelineSubmission.builder().experimentName(value).build());
        }

        @POST
        public FormValidation doCheckParametersText(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            return validate(() -> PipelineSubmission.builder().experimentName("check")
                    .parameterAssignments(AssignmentLines.parse("parameters", value)).build());
        }

        @POST
        public FormValidation doCheckDataPathsText(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            return validate(() -> PipelineSubmission.builder().experimentName("check")
                    .dataPathAssignments(SubmissionArguments.dataPaths(AssignmentLines.parseDataPaths(value)))
                    .build());
        }

        @POST
        public FormValidation doCheckTagsText(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            return validate(() -> PipelineSubmission.builder().experimentName("check")
                    .tags(AssignmentLines.parse("tags", value)).build());
        }

        /** The three {@code logs} choices; static, so no permission check. */
        public ListBoxModel doFillLogsItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("The run's own log", LogMode.RUN.argument());
            items.add("The run's log and each step's log", LogMode.STEPS.argument());
            items.add("None: status changes only", LogMode.NONE.argument());
            return items;
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepFormPermission.mayConfigure(item)) {
                return FormValidation.ok();
            }
            return FormValidation.validateNonNegativeInteger(value);
        }

        private static FormValidation validate(Runnable check) {
            try {
                check.run();
                return FormValidation.ok();
            } catch (InvalidFieldException e) {
                return FormValidation.error(e.getProblem());
            }
        }
    }
}
