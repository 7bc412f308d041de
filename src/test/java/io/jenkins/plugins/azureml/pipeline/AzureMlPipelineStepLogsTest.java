package io.jenkins.plugins.azureml.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import io.jenkins.plugins.azureml.simulator.SimulatedLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * {@code logs: 'steps'} in a real Jenkins: the waiting build's console shows the pipeline run's and its step's log
 * lines as the simulator grows them, and a controller restart in the middle prints neither a gap nor a duplicate;
 * no SAS signature reaches the console or the build's files (build.xml, program.dat, the log).
 */
class AzureMlPipelineStepLogsTest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private AzureMlSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = AzureMlSimulator.startHttps();
        sim.advancePerPoll(false); // the run and its logs move only when the test says so
        sim.logs().expireOldSas(true);
        SimulatorServices.install(sim);
    }

    @AfterEach
    void stopSimulator() {
        SimulatorServices.reset();
        sim.close();
    }

    @Test
    void stepLogLinesReachTheConsoleOnceAcrossARestart() throws Throwable {
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-logs").runningFor(4, RunStatus.COMPLETED)
                .stepMetrics("train", Map.of("auc", 0.9)).build());
        sessions.then(r -> {
            SimulatorServices.storeServicePrincipal();
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("def run = triggerAzureMlPipeline(credentialsId: 'aml-sp',"
                    + " endpoint: '" + sim.submitUrl(pipeline) + "', experimentName: 'MyRestPipeline',"
                    + " parameters: [input_string: 'x'], logs: 'steps')\necho \"done: ${run.status}\"", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            r.waitForMessage(": NotStarted", b);
            sim.advanceRuns(); // Queued
            sim.advanceRuns(); // Running: the first lines
            sim.advanceRuns(); // Running: more lines
            r.waitForMessage("[train] train epoch 6 loss", b);
            r.waitForMessage("(line 2)", b);
        });
        sim.advanceRuns(); // Running: lines written while Jenkins is down
        sim.advanceRuns(); // Running
        sim.advanceRuns(); // Completed
        sessions.then(r -> {
            WorkflowRun b = r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("Resuming the wait for Azure ML run", b);
            r.assertLogContains("done: Completed", b);
            String log = JenkinsRule.getLog(b);
            String runId = sim.runs().get(0).runId();
            String stepId = sim.logs().steps(runId).get(0).runId();
            List<String> expected = new ArrayList<>();
            sim.logs().content(runId, SimulatedLogs.EXECUTION_LOG).lines()
                    .forEach(l -> expected.add("[executionlogs] " + l));
            sim.logs().content(stepId, SimulatedLogs.USER_LOG).lines().forEach(l -> expected.add("[train] " + l));
            assertThat(expected).hasSize(5 + 12);
            for (String line : expected) {
                assertThat(occurrences(log, line + "\n")).as(line).isEqualTo(1);
            }
            assertThat(log.indexOf("[train] train epoch 7 ")).as("lines written while down come after the resume")
                    .isGreaterThan(log.indexOf("Resuming the wait"));
            StringBuilder files = new StringBuilder(log);
            try (Stream<Path> all = Files.walk(b.getRootDir().toPath())) {
                for (Path f : all.filter(Files::isRegularFile).toList()) {
                    files.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
            for (String sig : sim.logs().issuedSignatures()) {
                assertThat(files.toString()).doesNotContain(sig, sig.replace("+", "%2B"));
            }
            assertThat(files.toString()).doesNotContain(SimulatedLogs.STORAGE_HOST);
        });
        assertThat(sim.requests(Route.SUBMIT)).hasSize(1);
        assertThat(sim.requests(Route.LOG_BLOB)).isNotEmpty()
                .allSatisfy(req -> assertThat(req.header("Authorization")).isNull());
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
