package io.jenkins.plugins.azureml.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A controller restart while the step waits: the step resumes from its saved progress and does not resubmit. */
class AzureMlPipelineStepRestartTest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private AzureMlSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = AzureMlSimulator.startHttps();
        sim.advancePerPoll(false); // the run stays put across the restart until the test moves it
        SimulatorServices.install(sim);
    }

    @AfterEach
    void stopSimulator() {
        SimulatorServices.reset();
        sim.close();
    }

    @Test
    void resumesWaitingAfterRestartAndCompletes() throws Throwable {
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-1").build());
        sessions.then(r -> {
            SimulatorServices.storeServicePrincipal();
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("def run = triggerAzureMlPipeline(credentialsId: 'aml-sp',"
                    + " endpoint: '" + sim.submitUrl(pipeline) + "', experimentName: 'MyRestPipeline',"
                    + " parameters: [input_string: 'x'])\necho \"after restart: ${run.status}\"", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            r.waitForMessage("Submitted Azure ML run", b);
            r.waitForMessage(": NotStarted", b);
        });
        sim.advanceRuns(); // Queued
        sim.advanceRuns(); // Running
        sim.advanceRuns(); // Completed
        sessions.then(r -> {
            WorkflowRun b = r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("Resuming the wait for Azure ML run", b);
            r.assertLogContains("after restart: Completed", b);
        });
        assertThat(sim.requests(Route.SUBMIT)).hasSize(1);
        assertThat(sim.runs()).hasSize(1);
        assertThat(sim.runs().get(0).status()).isEqualTo(RunStatus.COMPLETED);
    }
}
