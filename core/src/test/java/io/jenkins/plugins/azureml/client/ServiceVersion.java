package io.jenkins.plugins.azureml.client;

import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.BatchEndpoint;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The two ways a Jenkinsfile reaches a pipeline, for suites that check both behave the same: v1, a published
 * pipeline; v2, a batch endpoint whose default deployment is the same scripted pipeline (parameters as Literal
 * inputs, datapaths as UriFolder inputs). Each knows its routes and the wire facts that differ.
 */
public enum ServiceVersion {
    V1 {
        @Override
        public String endpointUrl(AzureMlSimulator sim, PublishedPipeline pipeline) {
            sim.publish(pipeline);
            return sim.submitUrl(pipeline);
        }

        @Override
        public String workspace(AzureMlSimulator sim) {
            return null;
        }

        @Override
        public Route submitRoute() {
            return Route.SUBMIT;
        }

        @Override
        public Route statusRoute() {
            return Route.DETAILS;
        }

        @Override
        public Route cancelRoute() {
            return Route.CANCEL;
        }

        @Override
        public String submitTokenScope() {
            return AzureMlClientBuilder.SCOPE;
        }

        @Override
        public String seedWireBody() {
            return "{\"ExperimentName\":\"MyRestPipeline\",\"Tags\":{},\"RunSource\":\"API\","
                    + "\"ParameterAssignments\":{\"input_string\":\"sample_string3\"},"
                    + "\"DataPathAssignments\":{\"input_datapath\":{\"DataStoreName\":\"workspaceblobstore\","
                    + "\"RelativePath\":\"incoming/2024/data.csv\"}}}";
        }

        @Override
        public String submitPath(AzureMlSimulator sim, PublishedPipeline pipeline) {
            return "/pipelines/v1.0/" + sim.workspace().servicePath() + "/PipelineRuns/PipelineSubmit/"
                    + pipeline.id();
        }

        @Override
        public String statusPath(AzureMlSimulator sim, RunReference run) {
            return "/history/v1.0/" + sim.workspace().servicePath() + "/runs/" + run.getRunId() + "/details";
        }

        @Override
        public String cancelPath(AzureMlSimulator sim, RunReference run) {
            return "/execution/v1.0/" + sim.workspace().servicePath() + "/experiments/" + run.getExperimentName()
                    + "/runId/" + run.getRunId() + "/cancel";
        }

        @Override
        public String studioUrl(AzureMlSimulator sim, String runId) {
            return "https://ml.azure.com/runs/" + runId + "?wsid=" + sim.workspace().studioWsid();
        }

        @Override
        public String submitStatusText() {
            return "0";
        }

        @Override
        public Set<RunStatus> statuses() {
            return EnumSet.allOf(RunStatus.class);
        }

        @Override
        public String notFoundSubmitMessage() {
            return "published pipeline no-such-pipeline was not found in workspace 'ml-ws'";
        }
    },
    V2 {
        @Override
        public String endpointUrl(AzureMlSimulator sim, PublishedPipeline pipeline) {
            return sim.scoringUri(sim.deploy(BatchEndpoint.of(endpointName(pipeline.id()), pipeline)));
        }

        @Override
        public String workspace(AzureMlSimulator sim) {
            return sim.workspaceResourceId();
        }

        @Override
        public Route submitRoute() {
            return Route.INVOKE;
        }

        @Override
        public Route statusRoute() {
            return Route.JOB;
        }

        @Override
        public Route cancelRoute() {
            return Route.JOB_CANCEL;
        }

        @Override
        public String submitTokenScope() {
            return AzureMlClientBuilder.ML_SCOPE;
        }

        @Override
        public String seedWireBody() {
            return "{\"properties\":{\"InputData\":{"
                    + "\"input_string\":{\"JobInputType\":\"Literal\",\"Value\":\"sample_string3\"},"
                    + "\"input_datapath\":{\"JobInputType\":\"UriFolder\","
                    + "\"Uri\":\"azureml://datastores/workspaceblobstore/paths/incoming/2024/data.csv\"}},"
                    + "\"properties\":{\"experimentName\":\"MyRestPipeline\"}}}";
        }

        @Override
        public String submitPath(AzureMlSimulator sim, PublishedPipeline pipeline) {
            return "/jobs";
        }

        @Override
        public String statusPath(AzureMlSimulator sim, RunReference run) {
            return "/" + sim.workspace().servicePath() + "/jobs/" + run.getRunId();
        }

        @Override
        public String cancelPath(AzureMlSimulator sim, RunReference run) {
            return "/" + sim.workspace().servicePath() + "/jobs/" + run.getRunId() + "/cancel";
        }

        @Override
        public String studioUrl(AzureMlSimulator sim, String runId) {
            return "https://ml.azure.com/runs/" + runId + "?wsid=" + sim.workspace().studioWsid() + "&tid="
                    + AzureMlSimulator.TENANT;
        }

        @Override
        public String submitStatusText() {
            return "NotStarted";
        }

        @Override
        public Set<RunStatus> statuses() {
            // properties.status of a v2 job (contracts section 3)
            return EnumSet.complementOf(EnumSet.of(RunStatus.UNAPPROVED, RunStatus.PAUSING));
        }

        @Override
        public String notFoundSubmitMessage() {
            return "batch endpoint no-such-endpoint (or its deployment) was not found";
        }
    };

    /** Deploys or publishes the pipeline; returns the URL a user would paste as {@code endpoint}. */
    public abstract String endpointUrl(AzureMlSimulator sim, PublishedPipeline pipeline);

    /** The {@code workspace} argument a user adds (null for v1, whose URL names its workspace). */
    public abstract String workspace(AzureMlSimulator sim);

    /** Parses the endpoint as the step does. */
    public PipelineEndpoint endpoint(AzureMlSimulator sim, PublishedPipeline pipeline) {
        return PipelineEndpoint.parse(endpointUrl(sim, pipeline), workspace(sim));
    }

    /** An endpoint that does not exist (nothing published or deployed under it). */
    public PipelineEndpoint missingEndpoint(AzureMlSimulator sim) {
        return this == V1
                ? PipelineEndpoint.parse(sim.serviceBaseUrl() + "/pipelines/v1.0/" + sim.workspace().servicePath()
                        + "/PipelineRuns/PipelineSubmit/no-such-pipeline")
                : PipelineEndpoint.parse("https://no-such-endpoint.westus.inference.ml.azure.com/jobs",
                        sim.workspaceResourceId());
    }

    public abstract Route submitRoute();

    public abstract Route statusRoute();

    public abstract Route cancelRoute();

    /** The audience of the submission's token. */
    public abstract String submitTokenScope();

    /** The exact body of the seed submission (parameter input_string, datapath input_datapath). */
    public abstract String seedWireBody();

    public abstract String submitPath(AzureMlSimulator sim, PublishedPipeline pipeline);

    public abstract String statusPath(AzureMlSimulator sim, RunReference run);

    public abstract String cancelPath(AzureMlSimulator sim, RunReference run);

    /** The studio link the step returns. */
    public abstract String studioUrl(AzureMlSimulator sim, String runId);

    /** The raw status text of a fresh submission's answer. */
    public abstract String submitStatusText();

    /** The statuses the service reports. */
    public abstract Set<RunStatus> statuses();

    /** What the 404 of {@link #missingEndpoint} says. */
    public abstract String notFoundSubmitMessage();

    static String endpointName(String pipelineId) {
        return "ep-" + pipelineId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
