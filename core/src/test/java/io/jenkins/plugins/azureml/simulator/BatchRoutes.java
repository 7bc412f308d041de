package io.jenkins.plugins.azureml.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.jenkins.plugins.azureml.client.models.Workspace;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;

/**
 * The v2 routes (contracts section 3): batch endpoint invocation on {@code {endpoint}.{region}.inference.ml.azure.com}
 * and the ARM job resource and its cancel action on {@code management.azure.com}. Authentication, faults and
 * recording happen before, in {@link SimulatorRoutes}.
 */
final class BatchRoutes {
    private final AzureMlSimulator sim;

    BatchRoutes(AzureMlSimulator sim) {
        this.sim = sim;
    }

    void handle(HttpExchange exchange, Route route, String host, String path, byte[] body) throws IOException {
        if (route == Route.INVOKE) {
            invoke(exchange, host, body);
            return;
        }
        Matcher m = (route == Route.JOB ? SimulatorRoutes.ARM_JOB : SimulatorRoutes.ARM_JOB_CANCEL).matcher(path);
        if (!m.matches()) {
            throw new IllegalStateException("route without its path: " + path);
        }
        Map<String, String> query = SimulatorRoutes.query(exchange.getRequestURI().getRawQuery());
        if (query.get("api-version") == null) {
            SimulatorRoutes.send(exchange, 400, SimulatorJson.error("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.", id(exchange)));
            return;
        }
        if (!sim.workspace().equals(new Workspace(m.group(1), m.group(2), m.group(3)))) {
            SimulatorRoutes.send(exchange, 404, SimulatorJson.error("ResourceNotFound", "The Resource"
                    + " 'Microsoft.MachineLearningServices/workspaces/" + m.group(3) + "' was not found.",
                    id(exchange)));
            return;
        }
        SimulatedRun job = sim.run(URLDecoder.decode(m.group(4), StandardCharsets.UTF_8));
        if (job == null || !job.batchJob()) {
            SimulatorRoutes.send(exchange, 404, SimulatorJson.error("UserError", "Job " + m.group(4)
                    + " not found.", id(exchange)));
            return;
        }
        if (route == Route.JOB_CANCEL) {
            job.cancel();
            exchange.getResponseHeaders().set("Location", "https://management.azure.com/"
                    + sim.workspace().servicePath() + "/operationResults/" + UUID.randomUUID());
            SimulatorRoutes.send(exchange, 202, new byte[0]);
            return;
        }
        if (sim.advancePerPoll()) {
            job.tick();
        }
        SimulatorRoutes.send(exchange, 200, SimulatorJson.job(job, sim.workspace(),
                sim.jobStudioUrl(job, SimulatedCloud.ofHost(host))));
    }

    private void invoke(HttpExchange exchange, String host, byte[] body) throws IOException {
        boolean loopback = !host.contains(".inference.ml.azure.");
        BatchEndpoint endpoint = loopback ? sim.loopbackBatchEndpoint() : sim.batchEndpoint(host.split("\\.")[0]);
        if (endpoint == null) {
            SimulatorRoutes.send(exchange, 404, SimulatorJson.error("UserError", "Endpoint not found.",
                    id(exchange)));
            return;
        }
        String deployment = exchange.getRequestHeaders().getFirst("azureml-model-deployment");
        PublishedPipeline pipeline = endpoint.deploymentPipeline(deployment);
        if (pipeline == null) {
            SimulatorRoutes.send(exchange, 404, SimulatorJson.error("UserError", "Deployment " + deployment
                    + " not found in endpoint " + endpoint.name() + ".", id(exchange)));
            return;
        }
        try {
            String experiment = BatchInvokeValidator.validate(body, endpoint, pipeline);
            SimulatedRun job = new SimulatedRun("batchjob-" + UUID.randomUUID(), experiment, pipeline, Map.of(),
                    sim.clock(), true);
            sim.addRun(job);
            SimulatorRoutes.send(exchange, 202, SimulatorJson.job(job, sim.workspace(),
                    sim.jobStudioUrl(job, SimulatedCloud.ofHost(host))));
        } catch (SubmitValidator.Rejected e) {
            SimulatorRoutes.send(exchange, 400, SimulatorJson.error(e.code, e.getMessage(), id(exchange)));
        }
    }

    private static String id(HttpExchange exchange) {
        return SimulatorRoutes.requestId(exchange);
    }
}
