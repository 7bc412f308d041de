package io.jenkins.plugins.azureml.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.BatchEndpoint;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import io.jenkins.plugins.azureml.simulator.SimulatedRun;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.ErrorType;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.graphanalysis.NodeStepTypePredicate;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The step end to end against the Azure ML simulator over HTTPS, with a service principal stored in Jenkins. */
@WithJenkins
class AzureMlPipelineStepTest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

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

    private String script(PublishedPipeline pipeline, String extraArguments) {
        return "def run\n"
                + "stage('train') {\n"
                + "  run = triggerAzureMlPipeline(credentialsId: 'aml-sp', endpoint: '" + sim.submitUrl(pipeline) + "',\n"
                + "    experimentName: 'MyRestPipeline', parameters: [input_string: 'sample_string3'],\n"
                + "    dataPaths: [input_datapath: [datastore: 'workspaceblobstore', path: \"incoming/${env.BUILD_NUMBER}.csv\"]]"
                + extraArguments + ")\n"
                + "}\n"
                + "stage('validate') {\n"
                + "  echo \"validating ${run.runId} status=${run.status} studio=${run.studioUrl} experiment=${run.experimentName}\"\n"
                + "}\n";
    }

    private WorkflowJob job(JenkinsRule r, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void completedRunReturnsItsMapToLaterStages(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-1").build());
        WorkflowRun b = r.buildAndAssertSuccess(job(r, script(pipeline, "")));

        SimulatedRun run = sim.runs().get(0);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.experimentName()).isEqualTo("MyRestPipeline");
        assertThat(run.tags()).containsEntry(AzureMlPipelineExecution.BUILD_TAG, "p#1")
                .containsKey(AzureMlPipelineExecution.BUILD_URL_TAG);
        assertThat(sim.requests(Route.SUBMIT).get(0).body()).contains("sample_string3", "incoming/1.csv");
        r.assertLogContains("Submitted Azure ML run " + run.runId(), b);
        r.assertLogContains("validating " + run.runId() + " status=Completed studio=https://ml.azure.com/runs/"
                + run.runId(), b);
        r.assertLogContains("experiment=MyRestPipeline", b);
        r.assertLogNotContains(SimulatorServices.SECRET, b);

        AzureMlRunAction action = b.getAction(AzureMlRunAction.class);
        assertThat(action.getRunId()).isEqualTo(run.runId());
        assertThat(action.getStatus()).isEqualTo("Completed");
        assertThat(action.isWaiting()).isFalse();
        assertThat(action.getProgressText()).isEqualTo("Completed");
        assertThat(action.getDisplayName()).isEqualTo("Azure ML run");
        String page = r.createWebClient().getPage(b, action.getUrlName()).getWebResponse().getContentAsString();
        assertThat(page).contains(run.runId(), "MyRestPipeline", "Completed",
                "href=\"https://ml.azure.com/runs/" + run.runId(), "target=\"_blank\"");

        FlowNode step = new DepthFirstScanner().findFirstMatch(b.getExecution(),
                new NodeStepTypePredicate("triggerAzureMlPipeline"));
        assertThat(ArgumentsAction.getStepArgumentsAsString(step)).as("shown in Pipeline Steps")
                .isEqualTo("MyRestPipeline");
        assertThat(step.getDisplayFunctionName()).as("and the run, once known")
                .isEqualTo("triggerAzureMlPipeline (Azure ML run " + run.runId() + ")");
    }

    @Test
    void batchEndpointIsSubmittedAndFollowedWithTheWorkspace(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        BatchEndpoint endpoint = sim.deploy(BatchEndpoint.of("nightly", sim.publish(PublishedPipeline.sample("pl-v2").build())));
        String script = "def run = triggerAzureMlPipeline(credentialsId: 'aml-sp', endpoint: '" + sim.scoringUri(endpoint)
                + "',\n  workspace: '" + sim.workspaceResourceId() + "', experimentName: 'MyRestPipeline',\n"
                + "  parameters: [input_string: 'sample_string3'],\n"
                + "  dataPaths: [input_datapath: [datastore: 'workspaceblobstore', path: 'incoming/a.csv', type: 'file']])\n"
                + "echo \"v2 ${run.runId} ${run.status}\"\n";
        WorkflowRun b = r.buildAndAssertSuccess(job(r, script));

        assertThat(sim.requests(Route.INVOKE)).hasSize(1);
        assertThat(sim.requests(Route.INVOKE).get(0).body()).contains("\"JobInputType\":\"UriFile\"",
                "azureml://datastores/workspaceblobstore/paths/incoming/a.csv");
        assertThat(sim.requests(Route.JOB)).isNotEmpty();
        r.assertLogContains("v2 " + sim.runs().get(0).runId() + " Completed", b);
    }

    @Test
    void batchEndpointWithoutWorkspaceFailsNamingTheArgument(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        BatchEndpoint endpoint = sim.deploy(BatchEndpoint.of("nightly", sim.publish(PublishedPipeline.sample("pl-v2").build())));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, "triggerAzureMlPipeline(credentialsId: 'aml-sp', "
                + "endpoint: '" + sim.scoringUri(endpoint) + "', experimentName: 'MyRestPipeline')"));

        r.assertLogContains("workspace: ", b);
        assertThat(sim.requests(Route.INVOKE)).isEmpty();
    }

    @Test
    void failedRunFailsTheBuildWithTheServiceMessage(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-fail")
                .lifecycle(RunStatus.NOT_STARTED, RunStatus.RUNNING, RunStatus.FAILED)
                .stepMetrics("prepare", Map.of("rows", 10.0)).stepMetrics("train", Map.of())
                .failedStep("train").failure("UserError", "Step 'train' failed: ValueError: bad input").build());
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, script(pipeline, "")));

        r.assertLogContains("Step 'train' failed: ValueError: bad input. See https://", b);
        assertThat(JenkinsRule.getLog(b).split("ValueError: bad input", -1)).as("the service message, once")
                .hasSize(2);
        r.assertLogNotContains("validating", b);

        AzureMlRunAction action = b.getAction(AzureMlRunAction.class);
        assertThat(action.getFailure()).contains("UserError", "Step 'train' failed: ValueError: bad input");
        // The failed step is read from the run's step runs after the build failed: await it with a deadline.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (action.getFailedSteps() == null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // re-check interval, not a synchronisation
        }
        assertThat(action.getFailedSteps()).as("the pipeline step that failed").containsExactly("train");
        JenkinsRule.WebClient wc = r.createWebClient().withJavaScriptEnabled(false);
        org.htmlunit.html.HtmlPage runPage = wc.getPage(b, action.getUrlName());
        assertThat(runPage.getElementById("azure-ml-run-failure").asNormalizedText())
                .as("the run page says why, as the ERROR line does")
                .contains("UserError", "Step 'train' failed: ValueError: bad input");
        assertThat(runPage.getElementById("azure-ml-run-failed-steps").asNormalizedText()).contains("train")
                .doesNotContain("prepare");
        assertThat(wc.getPage(b).asNormalizedText()).contains("Step 'train' failed: ValueError: bad input")
                .containsPattern("Experiment \\S+[ \\u00A0]·[ \\u00A0]Open in Azure ML studio");
    }

    @Test
    void failedRunWithoutPropagateReturnsItsStatus(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-fail")
                .lifecycle(RunStatus.NOT_STARTED, RunStatus.FAILED).build());
        WorkflowRun b = r.buildAndAssertSuccess(job(r, script(pipeline, ", propagate: false")));

        r.assertLogContains("status=Failed", b);
    }

    @Test
    void abortingTheBuildCancelsTheRun(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        sim.advancePerPoll(false); // the run stays NotStarted until the test moves it
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-long").build());
        WorkflowRun b = job(r, script(pipeline, "")).scheduleBuild2(0).waitForStart();
        r.waitForMessage("Submitted Azure ML run", b);

        b.getExecutor().interrupt();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));

        assertThat(sim.requests(Route.CANCEL)).hasSize(1);
        assertThat(sim.runs().get(0).status()).isEqualTo(RunStatus.CANCEL_REQUESTED);
        r.assertLogContains("asked Azure ML to cancel run " + sim.runs().get(0).runId(), b);
    }

    @Test
    void missingCredentialsNameTheIdAndTheExpectedTypes(JenkinsRule r) throws Exception {
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-1").build());
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, script(pipeline, "")));

        r.assertLogContains("could not find credentials 'aml-sp' of type \"Azure Service Principal\" or"
                + " \"Azure Managed Identity\"", b);
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void endpointOutsideAzureIsRefusedBeforeAnyTokenIsRequested(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, "triggerAzureMlPipeline(credentialsId:"
                + " 'aml-sp', endpoint: 'https://attacker.example.com/pipelines/v1.0/x', experimentName: 'e')"));

        r.assertLogContains("endpoint: ", b);
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void snippetAndConfigRoundTrip(JenkinsRule r) throws Exception {
        AzureMlPipelineStep step = new AzureMlPipelineStep("aml-sp", "https://westus.api.azureml.ms/x", "exp");
        step.setParameters(Map.of("input_string", "a b"));
        Map<String, String> path = new LinkedHashMap<>();
        path.put("datastore", "workspaceblobstore");
        path.put("path", "in/a.csv");
        step.setDataPaths(Map.of("input_datapath", path));
        step.setWait(false);
        step.setTimeout(30);
        new SnippetizerTester(r).assertRoundTrip(step, "triggerAzureMlPipeline credentialsId: 'aml-sp', dataPaths:"
                + " [input_datapath: [datastore: 'workspaceblobstore', path: 'in/a.csv']], endpoint:"
                + " 'https://westus.api.azureml.ms/x', experimentName: 'exp', parameters: [input_string: 'a b'],"
                + " timeout: 30, wait: false");

        step.setTags(Map.of("team", "ml"));
        step.setDescription("nightly");
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("input_datapath", path);
        paths.put("single_file", Map.of("datastore", "ds", "path", "x.csv", "type", "file"));
        step.setDataPaths(paths);
        AzureMlPipelineStep after = new StepConfigTester(r).configRoundTrip(step);
        assertThat(after.getDataPaths().get("single_file")).as("the form keeps type: 'file'")
                .containsEntry("type", "file");
        assertThat(after.getCredentialsId()).isEqualTo("aml-sp");
        assertThat(after.getEndpoint()).isEqualTo(step.getEndpoint());
        assertThat(after.getExperimentName()).isEqualTo("exp");
        assertThat(after.getParameters()).isEqualTo(step.getParameters());
        assertThat(after.getDataPaths()).isEqualTo(step.getDataPaths());
        assertThat(after.getTags()).isEqualTo(step.getTags());
        assertThat(after.getDescription()).isEqualTo("nightly");
        assertThat(after.getWait()).isFalse();
        assertThat(after.getTimeout()).isEqualTo(30);
        assertThat(after.getPropagate()).isTrue();
    }

    /** structs cannot categorise Map<String, ?>: the Steps Reference showed an exception for these arguments. */
    @Test
    void stepsReferenceDescribesTheMapArgumentsWithoutAnError(JenkinsRule r) {
        DescribableModel<AzureMlPipelineStep> model = DescribableModel.of(AzureMlPipelineStep.class);
        for (String map : List.of("parameters", "dataPaths", "tags")) {
            assertThat(model.getParameter(map).getType()).as(map).isNotInstanceOf(ErrorType.class);
        }
    }

    @Test
    void everyFormFieldTheServerRefusesIsCheckedInline(JenkinsRule r) throws Exception {
        r.createProject(WorkflowJob.class, "p");
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        String base = "job/p/descriptorByName/" + AzureMlPipelineStep.class.getName() + "/";
        assertThat(post(r, "admin", base + "checkDataPathsText?value=input_datapath%3Dworkspaceblobstore"))
                .contains("name=datastore:path");
        assertThat(post(r, "admin", base + "checkDataPathsText?value=input%3D%5Bfile%5D+ds%3Ax.csv"))
                .doesNotContain("error");
        assertThat(post(r, "admin", base + "checkTagsText?value=no+name+here")).contains("has no name");
        assertThat(post(r, "admin", base + "checkParametersText?value=%3Dvalue")).contains("has no name");
    }

    @Test
    void formEndpointsRevealNothingWithoutConfigurePermission(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        r.createProject(WorkflowJob.class, "p");
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("configurer"));
        String base = "job/p/descriptorByName/" + AzureMlPipelineStep.class.getName() + "/";

        assertThat(post(r, "reader", base + "fillCredentialsIdItems")).doesNotContain("aml-sp");
        assertThat(post(r, "configurer", base + "fillCredentialsIdItems")).contains("aml-sp");
        String badEndpoint = "checkEndpoint?value=http%3A%2F%2Fexample.com%2Fpipelines";
        assertThat(post(r, "reader", base + badEndpoint)).doesNotContain("https");
        assertThat(post(r, "configurer", base + badEndpoint)).contains("must use https");
        assertThat(post(r, "configurer", base + "checkExperimentName?value=")).contains("Required")
                .doesNotContain("MyRestPipeline");
        assertThat(post(r, "configurer", base + "checkEndpoint?value=")).contains("Required")
                .doesNotContain("A valid endpoint looks like");
        assertThat(post(r, "configurer", base + "checkCredentialsId?value=")).contains("Required");
    }

    /** What "Generate Pipeline Script" shows when a field cannot be read: the reason, where the snippet would be. */
    @Test
    void theSnippetGeneratorSaysWhyItCannotGenerateInsteadOfAnEmptyBox(JenkinsRule r) throws Exception {
        net.sf.json.JSONObject form = new net.sf.json.JSONObject()
                .element("stapler-class", AzureMlPipelineStep.class.getName()).element("credentialsId", "aml-sp")
                .element("endpoint", "https://westus.api.azureml.ms/x").element("experimentName", "exp")
                .element("dataPathsText", "input_datapath=no-datastore-here");
        String bad = generateSnippet(r, form);
        assertThat(bad).startsWith("Cannot generate the snippet: Datapath parameters: ").doesNotContain("\tat ")
                .doesNotContain("Exception");
        assertThat(generateSnippet(r, form.element("dataPathsText", "input_datapath=workspaceblobstore:in/a.csv")))
                .startsWith("triggerAzureMlPipeline ");

        net.sf.json.JSONObject metrics = new net.sf.json.JSONObject()
                .element("stapler-class", AzureMlRunMetricsStep.class.getName()).element("credentialsId", "aml-sp")
                .element("runId", "");
        assertThat(generateSnippet(r, metrics)).startsWith("Cannot generate the snippet: Run id: required.");
        assertThat(generateSnippet(r, metrics.element("runId", "abc"))).startsWith("azureMlRunMetrics ");
    }

    private static String generateSnippet(JenkinsRule r, net.sf.json.JSONObject form) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        WebRequest request = new WebRequest(new URL(r.getURL(), "pipeline-syntax/generateSnippet"), HttpMethod.POST);
        request.setRequestParameters(List.of(new org.htmlunit.util.NameValuePair("json", form.toString())));
        wc.addCrumb(request);
        return wc.getPage(request).getWebResponse().getContentAsString();
    }

    private static String post(JenkinsRule r, String user, String path) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().withBasicApiToken(user);
        WebRequest request = new WebRequest(new URL(r.getURL(), path), HttpMethod.POST);
        return wc.getPage(request).getWebResponse().getContentAsString();
    }
}
