package io.jenkins.plugins.azureml.simulator;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone on 127.0.0.1 for a local trial (e.g. a Jenkins started with the loopback option),
 * with the seed's sample published pipeline, until the process is stopped:
 *
 * <pre>
 * mvn -B -ntp -f core/pom.xml -DskipAzuriteInstall=true test-compile exec:java \
 *     -Dexec.mainClass=io.jenkins.plugins.azureml.simulator.AzureMlSimulatorMain \
 *     -Dexec.classpathScope=test -Dexec.args="8765 http"
 * </pre>
 *
 * It also deploys the same pipeline as a v2 batch endpoint and prints its loopback scoring URI and the workspace
 * resource id to pass as {@code workspace}.
 * Arguments: port (default 8765) and {@code http} (default) or {@code https}. It prints the submit URL. Any bearer
 * token is accepted (a local trial uses real credentials the simulator cannot check); runs advance one status per
 * status poll: NotStarted, Queued, Running (3 polls), Completed. The submit URL is a loopback URL, so the client
 * needs its explicit {@code allowInsecureLoopback} option.
 */
public final class AzureMlSimulatorMain {
    private AzureMlSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8765;
        boolean https = args.length > 1 && args[1].equalsIgnoreCase("https");
        AzureMlSimulator sim = AzureMlSimulator.start(https, port).acceptAnyToken(true);
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("00000000-0000-0000-0000-0000000000aa")
                .endpoint("endpoint-1", "sample-endpoint").runningFor(3, RunStatus.COMPLETED).build());
        sim.deploy(BatchEndpoint.of("sample-batch", pipeline));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        System.out.println("Azure ML simulator listening on " + sim.loopbackBaseUrl());
        System.out.println("Submit URL: " + sim.loopbackSubmitUrl(pipeline));
        System.out.println("v2 batch endpoint: " + sim.loopbackScoringUri() + " with workspace "
                + sim.workspaceResourceId());
        System.out.println("Parameters: input_string; datapaths: input_datapath; datastore: workspaceblobstore");
        System.out.println("Try: curl -s -H 'Authorization: Bearer x' -H 'Content-Type: application/json' -d "
                + "'{\"ExperimentName\":\"MyRestPipeline\",\"ParameterAssignments\":{\"input_string\":\"hi\"}}' "
                + sim.loopbackSubmitUrl(pipeline) + (https ? " -k" : ""));
        System.out.println("Stop with Ctrl-C.");
        stopped.await();
    }
}
