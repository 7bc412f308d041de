package io.jenkins.plugins.azureml.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.Fault;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import java.util.LinkedHashMap;
import java.util.Map;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A validation stage that gates on a step's metric: trains with {@code triggerAzureMlPipeline}, reads the run's and
 * its steps' metrics with {@code azureMlRunMetrics} from the simulator's MLflow tracking service over HTTPS, and
 * passes or fails on a threshold.
 */
@WithJenkins
class AzureMlRunMetricsStepTest {
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

    private PublishedPipeline pipelineWithAuc(double auc) {
        Map<String, Double> evaluate = new LinkedHashMap<>();
        evaluate.put("auc", auc);
        evaluate.put("f1", 0.8);
        return sim.publish(PublishedPipeline.sample("pl-gate").runMetrics(Map.of("duration_s", 41.0))
                .stepMetrics("train", Map.of("loss", 0.21)).stepMetrics("evaluate", evaluate).build());
    }

    private String gate(PublishedPipeline pipeline) {
        return "def run\n"
                + "stage('train') {\n"
                + "  run = triggerAzureMlPipeline(credentialsId: 'aml-sp', endpoint: '" + sim.submitUrl(pipeline) + "',\n"
                + "    experimentName: 'Train', parameters: [input_string: 'x'],\n"
                + "    dataPaths: [input_datapath: [datastore: 'workspaceblobstore', path: 'in/a.csv']])\n"
                + "}\n"
                + "stage('validate') {\n"
                + "  def m = azureMlRunMetrics(credentialsId: 'aml-sp', runId: run.runId, endpoint: run.endpoint)\n"
                + "  def evaluate = m.steps.find { it.name == 'evaluate' }\n"
                + "  echo \"run ${m.name} ${m.status} duration=${m.metrics.duration_s} steps=${m.steps.size()}\"\n"
                + "  def auc = evaluate.metrics.auc\n"
                + "  if (auc == null || auc < 0.85) { error \"AUC ${auc} is below 0.85\" }\n"
                + "  echo \"model accepted with AUC ${auc}\"\n"
                + "}\n";
    }

    private WorkflowJob job(JenkinsRule r, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void gatePassesWhenTheStepMetricMeetsTheThreshold(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        WorkflowRun b = r.buildAndAssertSuccess(job(r, gate(pipelineWithAuc(0.91))));

        String runId = sim.runs().get(0).runId();
        r.assertLogContains("model accepted with AUC 0.91", b);
        r.assertLogContains("run Train FINISHED duration=41.0 steps=2", b);
        r.assertLogContains("step evaluate (FINISHED, run " + runId + "_step2): auc=0.91, f1=0.8", b);
        r.assertLogNotContains(SimulatorServices.SECRET, b);
        assertThat(sim.requests(Route.MLFLOW_RUN)).hasSize(1);

        AzureMlRunAction action = b.getAction(AzureMlRunAction.class);
        assertThat(b.getActions(AzureMlRunAction.class)).hasSize(1);
        RunMetrics recorded = action.getMetrics();
        assertThat(recorded.step("evaluate").getMetrics()).containsEntry("auc", 0.91);
        assertThat(recorded.rows()).extracting(RunMetrics.Row::getMetric).containsExactly("duration_s", "loss",
                "auc", "f1");

        HtmlPage page = r.createWebClient().withJavaScriptEnabled(false).getPage(b);
        assertThat(page.asNormalizedText()).contains("evaluate", "auc", "0.91", "loss", "0.21");
    }

    @Test
    void gateFailsTheBuildWhenTheStepMetricIsBelowTheThreshold(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, gate(pipelineWithAuc(0.80))));

        r.assertLogContains("AUC 0.8 is below 0.85", b);
        r.assertLogNotContains("model accepted", b);
        assertThat(b.getAction(AzureMlRunAction.class).getMetrics().step("evaluate").getMetrics())
                .containsEntry("auc", 0.80);
    }

    @Test
    void gateFailsOnANaNMetric(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, gate(pipelineWithAuc(Double.NaN))));

        // Groovy would order a NaN above 0.85; the step returns it as null, which fails the gate.
        r.assertLogContains("AUC null is below 0.85", b);
        r.assertLogContains("auc=NaN", b);
    }

    @Test
    void forbiddenReadFailsNamingTheRunAndTheRole(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        sim.inject(Route.MLFLOW_RUN, Fault.FORBIDDEN);
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, gate(pipelineWithAuc(0.91))));

        r.assertLogContains("is not allowed to read the metrics of run " + sim.runs().get(0).runId(), b);
        r.assertLogContains("AzureML Data Scientist", b);
    }

    @Test
    void workspaceAloneMustBeTheTrackingUri(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, "azureMlRunMetrics(credentialsId: 'aml-sp',"
                + " runId: 'r1', workspace: '" + sim.workspaceResourceId() + "')"));

        r.assertLogContains("workspace: A workspace resource id does not say the workspace's region", b);
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void jobPageChartsTheMetricsAcrossBuildsWithGaps(JenkinsRule r) throws Exception {
        SimulatorServices.storeServicePrincipal();
        WorkflowJob p = job(r, gate(pipelineWithAuc(0.91)));
        r.buildAndAssertSuccess(p);
        p.setDefinition(new CpsFlowDefinition("echo 'no Azure ML run in this build'", true));
        r.buildAndAssertSuccess(p);
        p.setDefinition(new CpsFlowDefinition(gate(pipelineWithAuc(0.80)), true));
        r.buildAndAssertStatus(Result.FAILURE, p);

        AzureMlMetricsTrendAction trend = p.getAction(AzureMlMetricsTrendAction.class);
        assertThat(trend).isNotNull();
        assertThat(trend.getMetricNames()).containsExactly("duration_s", "evaluate/auc", "evaluate/f1",
                "train/loss");
        assertThat(trend.getConfigurableBuildTrendModel("{}")).as("by default a step's metric, alone on its axis")
                .contains("\"domainAxisLabels\":[\"#1\",\"#2\",\"#3\"]", "\"rangeMin\":0.8,\"rangeMax\":1.0",
                        "\"name\":\"evaluate/auc\"", "\"data\":[0.91,null,0.8]")
                .doesNotContain("duration_s");
        assertThat(trend.getConfigurableBuildTrendModel("{\"metric\":\"duration_s\",\"numberOfBuilds\":\"2\"}"))
                .as("the metric the user picked, over the builds asked for")
                .contains("\"name\":\"duration_s\"", "\"domainAxisLabels\":[\"#2\",\"#3\"]")
                .doesNotContain("evaluate/auc");

        // The page offers the chart with its setup dialog listing the metrics, the default one selected; its points
        // link to builds ("." after the build number). echarts-api and Bootstrap draw it in a browser (their ES2015
        // scripts are beyond HtmlUnit's engine): the page is read as the server renders it.
        HtmlPage page = r.createWebClient().withJavaScriptEnabled(false).getPage(p);
        assertThat(page.asNormalizedText()).contains("Azure ML metrics");
        org.htmlunit.html.HtmlSelect metric = page.getHtmlElementById("azure-ml-metric-azureMlMetrics");
        assertThat(metric.getOptions()).extracting(org.htmlunit.html.HtmlOption::getValueAttribute)
                .containsExactly("duration_s", "evaluate/auc", "evaluate/f1", "train/loss");
        assertThat(metric.getSelectedOptions()).extracting(org.htmlunit.html.HtmlOption::getValueAttribute)
                .containsExactly("evaluate/auc");
        assertThat(page.getByXPath("//div[contains(@class,'echarts-trend') and @tool='.']")).hasSize(1);
        assertThat(page.getElementById("trend-configuration-azureMlMetrics")).as("the setup dialog").isNotNull();

        // A Pipeline reads the same series, for a moving baseline.
        p.setDefinition(new CpsFlowDefinition("def past = azureMlMetricTrend(metric: 'evaluate/auc', builds: 5)\n"
                + "echo \"TREND ${past.collect { it.build + '=' + it.value }}\"\n"
                + "echo \"MEAN ${past.collect { it.value }.sum() / past.size()}\"", true));
        WorkflowRun fourth = r.buildAndAssertSuccess(p);
        r.assertLogContains("TREND [1=0.91, 3=0.8]", fourth);
        r.assertLogContains("MEAN 0.85", fourth);
    }

    @Test
    void jobWithoutMetricsHasNoChart(JenkinsRule r) throws Exception {
        WorkflowJob p = job(r, "echo 'hello'");
        r.buildAndAssertSuccess(p);
        assertThat(p.getAction(AzureMlMetricsTrendAction.class)).isNull();
    }

    @Test
    void metricTrendStepSnippetAndConfigRoundTrip(JenkinsRule r) throws Exception {
        AzureMlMetricTrendStep step = new AzureMlMetricTrendStep("evaluate/auc");
        new SnippetizerTester(r).assertRoundTrip(step, "azureMlMetricTrend 'evaluate/auc'");
        step.setBuilds(5);
        new SnippetizerTester(r).assertRoundTrip(step, "azureMlMetricTrend builds: 5, metric: 'evaluate/auc'");
        AzureMlMetricTrendStep after = new StepConfigTester(r).configRoundTrip(step);
        assertThat(after.getMetric()).isEqualTo("evaluate/auc");
        assertThat(after.getBuilds()).isEqualTo(5);

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, job(r, "azureMlMetricTrend(metric: 'x', builds: 0)"));
        r.assertLogContains("builds: must be between 1 and 500, not 0", b);
    }

    @Test
    void snippetAndConfigRoundTrip(JenkinsRule r) throws Exception {
        AzureMlRunMetricsStep step = new AzureMlRunMetricsStep("aml-sp", "run-1");
        step.setEndpoint("https://westus.api.azureml.ms/x");
        new SnippetizerTester(r).assertRoundTrip(step, "azureMlRunMetrics credentialsId: 'aml-sp', endpoint:"
                + " 'https://westus.api.azureml.ms/x', runId: 'run-1'");

        step.setWorkspace("/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w");
        AzureMlRunMetricsStep after = new StepConfigTester(r).configRoundTrip(step);
        assertThat(after.getCredentialsId()).isEqualTo("aml-sp");
        assertThat(after.getRunId()).isEqualTo("run-1");
        assertThat(after.getEndpoint()).isEqualTo(step.getEndpoint());
        assertThat(after.getWorkspace()).isEqualTo(step.getWorkspace());
    }
}
