package io.jenkins.plugins.azureml.simulator;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone on 127.0.0.1 for a local trial (docs/local-trial.md), with the seed's sample
 * published pipeline, until the process is stopped:
 *
 * <pre>
 * mvn -B -ntp -f core/pom.xml -DskipAzuriteInstall=true test-compile exec:java \
 *     -Dexec.mainClass=io.jenkins.plugins.azureml.simulator.AzureMlSimulatorMain \
 *     -Dexec.classpathScope=test -Dexec.args="8765 http"
 * </pre>
 *
 * Arguments: port (default 8765), {@code http} (default) or {@code https}, and optionally {@code any-token}. It
 * prints the v1 submit URL to paste as the step's {@code endpoint}, the v2 batch endpoint's scoring URI and
 * {@code workspace}, the sample pipeline's parameter, datapath and datastore names, and the
 * {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER} values to export before starting Jenkins: an "Azure Managed
 * Identity" credential then gets its tokens from this simulator, which accepts only tokens it issued (unless
 * {@code any-token} is given). Runs advance one status per status poll: NotStarted, Queued, Running (3 polls),
 * Completed. The URLs are loopback URLs, so Jenkins needs its explicit {@code allowInsecureLoopback} switch.
 */
public final class AzureMlSimulatorMain {
    private AzureMlSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8765;
        boolean https = args.length > 1 && args[1].equalsIgnoreCase("https");
        boolean anyToken = args.length > 2 && args[2].equalsIgnoreCase("any-token");
        AzureMlSimulator sim = AzureMlSimulator.start(https, port).acceptAnyToken(anyToken);
        PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("00000000-0000-0000-0000-0000000000aa")
                .endpoint("endpoint-1", "sample-endpoint").runningFor(3, RunStatus.COMPLETED).build());
        sim.deploy(BatchEndpoint.of("sample-batch", pipeline));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        describe(sim, pipeline, anyToken, System.out);
        stopped.await();
    }

    static void describe(AzureMlSimulator sim, PublishedPipeline pipeline, boolean anyToken, PrintStream out) {
        out.println("Azure ML simulator listening on " + sim.loopbackBaseUrl() + " (trials only, never production)");
        out.println();
        out.println("1. Before starting Jenkins (mvn hpi:run) in another terminal, export:");
        out.println("     export IDENTITY_ENDPOINT=" + sim.managedIdentityEndpoint());
        out.println("     export IDENTITY_HEADER=" + sim.managedIdentityHeader());
        out.println("   and start it with -D" + "io.jenkins.plugins.azureml.pipeline.AzureMlPipelineStep"
                + ".allowInsecureLoopback=true");
        out.println("   An \"Azure Managed Identity\" credential then gets its tokens from this simulator"
                + (anyToken ? "; any bearer token is accepted (any-token)." : ", which accepts only tokens it issued."));
        if (sim.isHttps()) {
            out.println("   Note: https uses a self-signed certificate Jenkins does not trust; use http for a trial.");
        }
        out.println();
        out.println("2. triggerAzureMlPipeline, v1 published pipeline:");
        out.println("     endpoint:       " + sim.loopbackSubmitUrl(pipeline));
        out.println("     experimentName: any valid name, e.g. MyRestPipeline");
        out.println("     parameters:     " + String.join(", ", pipeline.parameters()));
        out.println("     dataPaths:      " + String.join(", ", pipeline.dataPaths()) + " with datastore: "
                + String.join(", ", pipeline.datastores()));
        out.println("   v2 batch endpoint (same pipeline):");
        out.println("     endpoint:       " + sim.loopbackScoringUri());
        out.println("     workspace:      " + sim.workspaceResourceId());
        out.println();
        String curl = sim.isHttps() ? "curl -s -k" : "curl -s";
        out.println("3. Check it without Jenkins:");
        out.println("     TOKEN=$(" + curl + " -H \"X-IDENTITY-HEADER: " + sim.managedIdentityHeader() + "\" '"
                + sim.managedIdentityEndpoint() + "?api-version=2019-08-01&resource=https://management.azure.com/'"
                + " | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')");
        out.println("     " + curl + " -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d "
                + "'{\"ExperimentName\":\"MyRestPipeline\",\"ParameterAssignments\":{\"input_string\":\"hi\"}}' "
                + sim.loopbackSubmitUrl(pipeline));
        out.println();
        out.println("Stop with Ctrl-C.");
    }
}
