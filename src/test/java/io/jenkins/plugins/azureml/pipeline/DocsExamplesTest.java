package io.jenkins.plugins.azureml.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import hudson.model.Result;
import hudson.model.TaskListener;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import io.jenkins.plugins.azureml.simulator.SimulatedRun;
import io.jenkins.plugins.azureml.trigger.AzureBlobTriggerCause;
import io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every Jenkinsfile the docs show (docs/examples and the README's) runs as written in a sandboxed Pipeline, the way
 * a user follows the docs: the first build, started by hand, registers the trigger; then a blob arrives, a poll
 * starts the build, and the build submits its Azure ML run. Only addresses change: the example's storage account
 * and container become Azurite's, its Azure ML endpoint the simulator's (a pipeline published with the example's
 * parameter and datapath names, so a name that drifts in the docs fails the submission). Credentials are stored
 * with the example's ids.
 */
@WithJenkins
class DocsExamplesTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    private static final Pattern ML_ENDPOINT = Pattern.compile("'https://[^'.]*\\.api\\.azureml\\.ms/[^']*'");
    private static final Pattern ACCOUNT_URL = Pattern.compile("accountUrl: '[^']*'");
    private static final Pattern CONTAINER = Pattern.compile("container: '[^']*'");

    private AzureMlSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = AzureMlSimulator.startHttps();
        SimulatorServices.install(sim);
    }

    @AfterEach
    void stopSimulator() {
        SimulatorServices.reset();
        sim.close();
    }

    @Test
    void readmeExample(JenkinsRule r) throws Exception {
        String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```groovy\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("the README's Jenkinsfile").isTrue();
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("readme")
                .stepMetrics("evaluate", Map.of("auc", 0.9)).build());
        BlobContainerClient container = AZURITE.createContainer("readme");
        WorkflowJob p = job(r, "readme", block.group(1), container, sim.submitUrl(pipeline), "storage");
        SimulatorServices.storeServicePrincipal();

        WorkflowRun first = firstBuildRegistersTheTrigger(r, p);
        r.assertLogNotContains("triggerAzureMlPipeline", first);

        TestBlobs.upload(container, "data/day1.csv", "a,b\n1,2\n");
        WorkflowRun b = triggeredBuild(r, p, "data/day1.csv");
        SimulatedRun run = sim.runs().get(0);
        assertThat(submittedBody(0)).contains("\"input_datapath\"", "\"RelativePath\":\"data/day1.csv\"");
        r.assertLogContains(run.runId() + " Completed ", b);
    }

    @Test
    void perBlobDeclarativeExample(JenkinsRule r) throws Exception {
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("11111111-1111-1111-1111-111111111111")
                .build());
        BlobContainerClient container = AZURITE.createContainer("perblob");
        WorkflowJob p = job(r, "per-blob", example("per-blob-declarative.Jenkinsfile"), container,
                sim.submitUrl(pipeline), "storage-reader");
        SimulatorServices.storeServicePrincipal();

        firstBuildRegistersTheTrigger(r, p);
        // The Validate stage runs the repository's script in the workspace; the job has none, so the test writes it.
        r.jenkins.getWorkspaceFor(p).child("validate-model.sh").write("echo \"validating run $1\"\n", "UTF-8");
        r.jenkins.getWorkspaceFor(p).child("validate-model.sh").chmod(0755);

        TestBlobs.upload(container, "data/2026/12/day1.csv", "a,b\n1,2\n");
        TestBlobs.upload(container, "data/_tmp/partial.csv", "a,b\n");
        WorkflowRun b = triggeredBuild(r, p, "data/2026/12/day1.csv");
        SimulatedRun run = sim.runs().get(0);
        assertThat(sim.runs()).as("the excluded _tmp blob started nothing").hasSize(1);
        r.assertLogContains("Run " + run.runId() + ": Completed (https://", b);
        r.assertLogContains("validating run " + run.runId(), b);
    }

    @Test
    void batchDeclarativeExample(JenkinsRule r) throws Exception {
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("batch-pipeline")
                .endpoint("22222222-2222-2222-2222-222222222222", "nightly").build());
        BlobContainerClient container = AZURITE.createContainer("batch");
        WorkflowJob p = job(r, "batch", example("batch-declarative.Jenkinsfile"), container,
                sim.endpointSubmitUrl(pipeline), "storage-reader");
        SimulatorServices.storeManagedIdentity("aml-identity");

        firstBuildRegistersTheTrigger(r, p);
        TestBlobs.upload(container, "a.parquet", "1");
        TestBlobs.upload(container, "b.parquet", "2");
        TestBlobs.upload(container, "sub/c.parquet", "3");
        BlobTriggerTestSupport.poll(r, p);

        WorkflowRun b = p.getLastBuild();
        assertThat(b.getNumber()).as("one build for the batch").isEqualTo(2);
        r.assertBuildStatusSuccess(b);
        r.assertLogContains("2 new blobs", b);
        assertThat(sim.runs()).as("one run per blob of the batch, top level only").hasSize(2);
        assertThat(submittedBody(0) + submittedBody(1)).contains("\"RelativePath\":\"a.parquet\"",
                "\"RelativePath\":\"b.parquet\"").doesNotContain("c.parquet");
    }

    @Test
    void scriptedExample(JenkinsRule r) throws Exception {
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.builder("33333333-3333-3333-3333-333333333333")
                .parameters("threshold").dataPaths("images").datastores("workspaceblobstore").build());
        BlobContainerClient container = AZURITE.createContainer("scripted");
        WorkflowJob p = job(r, "scripted", example("scripted.Jenkinsfile"), container, sim.submitUrl(pipeline),
                "storage-sas");
        SimulatorServices.storeServicePrincipal();

        WorkflowRun first = firstBuildRegistersTheTrigger(r, p);
        r.assertLogContains("Started by hand: the trigger is now registered", first);

        TestBlobs.upload(container, "images/cat.png", "png");
        WorkflowRun b = triggeredBuild(r, p, "images/cat.png");
        assertThat(submittedBody(0)).contains("\"threshold\":\"0.8\"", "\"RelativePath\":\"images/cat.png\"");
        assertThat(b.getResult()).as("a completed run leaves the build successful").isEqualTo(Result.SUCCESS);
    }

    /** Twice and more: the gate compares each build's AUC with the last successful build's. */
    @Test
    void validationStageExample(JenkinsRule r) throws Exception {
        String endpointId = "44444444-4444-4444-4444-444444444444";
        sim.publish(validationPipeline(endpointId, 0.90));
        BlobContainerClient container = AZURITE.createContainer("validation");
        WorkflowJob p = job(r, "validation", example("validation-stage.Jenkinsfile"), container,
                sim.submitUrl(validationPipeline(endpointId, 0.90)), "storage-reader");
        SimulatorServices.storeServicePrincipal();

        WorkflowRun first = firstBuildRegistersTheTrigger(r, p);
        r.assertLogContains("Model accepted: AUC 0.9 (last successful build: none)", first);

        TestBlobs.upload(container, "training/day1.csv", "a,b\n1,2\n");
        WorkflowRun second = triggeredBuild(r, p, "training/day1.csv");
        r.assertLogContains("Model accepted: AUC 0.9 (last successful build: 0.9)", second);

        sim.publish(validationPipeline(endpointId, 0.87));
        TestBlobs.upload(container, "training/day2.csv", "a,b\n3,4\n");
        BlobTriggerTestSupport.poll(r, p);
        WorkflowRun third = p.getLastBuild();
        assertThat(third.getNumber()).isEqualTo(3);
        r.assertBuildStatus(Result.FAILURE, third);
        r.assertLogContains("AUC 0.87 is worse than the last successful build's 0.9", third);
        r.assertLogNotContains("RejectedAccessException", third);
        r.assertLogNotContains("Scripts not permitted", third);
    }

    /** Started by hand (no trigger): the console shows the pipeline run's and its step's log lines. */
    @Test
    void stepLogsExample(JenkinsRule r) throws Exception {
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("44444444-4444-4444-4444-444444444444")
                .runningFor(2, io.jenkins.plugins.azureml.client.models.RunStatus.COMPLETED)
                .stepMetrics("train", Map.of("loss", 0.2)).build());
        String script = replaceAll(ML_ENDPOINT, example("step-logs.Jenkinsfile"), "'" + sim.submitUrl(pipeline) + "'");
        SimulatorServices.storeServicePrincipal();
        WorkflowJob p = r.createProject(WorkflowJob.class, "step-logs");
        p.setDefinition(new CpsFlowDefinition(script, true));
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("[train] train epoch 1 loss", b);
        r.assertLogContains("[executionlogs] ", b);
        r.assertLogContains(" ended Completed: https://ml.azure.com/runs/", b);
        r.assertLogNotContains("RejectedAccessException", b);
        assertThat(submittedBody(0)).contains("\"RelativePath\":\"data/latest.csv\"");
    }

    /** The JSON body of the n-th submission the simulator received. */
    private String submittedBody(int n) {
        return sim.requests(Route.SUBMIT).get(n).body().replace(" ", "");
    }

    private static PublishedPipeline validationPipeline(String id, double auc) {
        return PublishedPipeline.builder(id).dataPaths("training_data").datastores("workspaceblobstore")
                .stepMetrics("train", Map.of("loss", 0.2)).stepMetrics("evaluate", Map.of("auc", auc)).build();
    }

    /**
     * A sandboxed Pipeline job running the example, its account, container and Azure ML endpoint replaced by the
     * test's; each must occur in the example, so an example that changes shape fails here rather than silently.
     */
    private static WorkflowJob job(JenkinsRule r, String name, String example, BlobContainerClient container,
            String endpoint, String storageCredentialsId) throws Exception {
        r.jenkins.setQuietPeriod(0);
        String script = replaceAll(ACCOUNT_URL, example, "accountUrl: '" + AZURITE.blobEndpoint() + "'");
        script = replaceAll(CONTAINER, script, "container: '" + container.getBlobContainerName() + "'");
        script = replaceAll(ML_ENDPOINT, script, "'" + endpoint + "'");
        assertThat(script).as("the example's storage credential").contains("credentialsId: '" + storageCredentialsId
                + "'");
        BlobTriggerTestSupport.storeConnectionString(storageCredentialsId, AZURITE);
        WorkflowJob p = r.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private static String replaceAll(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("the example has %s", pattern).isTrue();
        return m.replaceAll(Matcher.quoteReplacement(replacement));
    }

    /** Build 1, by hand, as the docs say: it registers the trigger; then the trigger's first poll sets the baseline. */
    private static WorkflowRun firstBuildRegistersTheTrigger(JenkinsRule r, WorkflowJob p) throws Exception {
        WorkflowRun first = r.buildAndAssertSuccess(p);
        r.assertLogNotContains("RejectedAccessException", first);
        BlobTriggerTestSupport.poll(r, p);
        assertThat(p.getBuilds()).as("the baseline poll starts nothing").hasSize(1);
        return first;
    }

    /** Polls once and returns the one build it started, for the blob. */
    private static WorkflowRun triggeredBuild(JenkinsRule r, WorkflowJob p, String blob) throws Exception {
        int before = p.getBuilds().size();
        BlobTriggerTestSupport.poll(r, p);
        List<WorkflowRun> builds = p.getBuilds();
        assertThat(builds).as("builds after the poll").hasSize(before + 1);
        WorkflowRun b = p.getLastBuild();
        r.assertBuildStatusSuccess(b);
        assertThat(b.getEnvironment(TaskListener.NULL).get("AZURE_BLOB_NAME")).isEqualTo(blob);
        assertThat(b.getCause(AzureBlobTriggerCause.class)).isNotNull();
        r.assertLogNotContains("RejectedAccessException", b);
        return b;
    }

    private static String example(String file) throws IOException {
        return Files.readString(root().resolve("docs/examples").resolve(file), StandardCharsets.UTF_8);
    }

    /** The repository's top folder: the working directory of the plugin build, or a folder above it. */
    private static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(".ci/run")) && Files.isDirectory(d.resolve("docs/examples"))) {
                return d;
            }
        }
        throw new IllegalStateException("No folder above the working directory holds docs/examples");
    }
}
