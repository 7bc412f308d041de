package io.jenkins.plugins.azureml.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A scripted v2 batch endpoint: named deployments, each a pipeline component deployment of a
 * {@link PublishedPipeline} whose parameters are its {@code Literal} inputs and whose datapaths are its
 * {@code UriFolder}/{@code UriFile} inputs (the migration mapping of contracts section 3), with the same lifecycle
 * script. The first deployment is the default.
 */
public final class BatchEndpoint {
    private final String name;
    private final Map<String, PublishedPipeline> deployments = new LinkedHashMap<>();
    private final Set<String> outputs;

    private BatchEndpoint(String name, Set<String> outputs) {
        this.name = name;
        this.outputs = Set.copyOf(outputs);
    }

    /** An endpoint whose default deployment {@code default} runs {@code pipeline}. */
    public static BatchEndpoint of(String name, PublishedPipeline pipeline) {
        return new BatchEndpoint(name, Set.of()).deployment("default", pipeline);
    }

    /** The same, declaring output names that invocations may redirect. */
    public static BatchEndpoint withOutputs(String name, PublishedPipeline pipeline, String... outputs) {
        return new BatchEndpoint(name, Set.of(outputs)).deployment("default", pipeline);
    }

    /** Adds a deployment (the first one added is the default). */
    public BatchEndpoint deployment(String deploymentName, PublishedPipeline pipeline) {
        deployments.put(deploymentName, pipeline);
        return this;
    }

    public String name() {
        return name;
    }

    public Set<String> outputs() {
        return outputs;
    }

    /** The deployment's pipeline; null for an unknown name; the default deployment for a null name. */
    public PublishedPipeline deploymentPipeline(String deploymentName) {
        return deploymentName == null ? deployments.values().iterator().next() : deployments.get(deploymentName);
    }
}
