package io.jenkins.plugins.azureml.client.models;

import java.util.Locale;

/**
 * The hosts that belong to a batch endpoint's cloud and region, derived from its scoring host
 * {@code {endpoint}.{region}.inference.ml.azure.{com|us|cn}}: Azure Resource Manager of that cloud (job status and
 * cancel) and the region's run history service (where a failed job's error message is kept). On loopback (tests,
 * local trials) all three are the same local server.
 */
record BatchEndpointHosts(String endpointName, String resourceManagerUrl, String historyBaseUrl) {
    /** The endpoint name a loopback scoring URI stands for (it has no name of its own). */
    static final String LOOPBACK_ENDPOINT = "local";

    static BatchEndpointHosts of(String host, String baseUrl) {
        String h = host.toLowerCase(Locale.ROOT);
        String[] labels = h.split("\\.");
        AzureCloud cloud = AzureCloud.ofHost(h).orElse(null);
        if (cloud == null || labels.length < 5 || !h.endsWith("." + cloud.inferenceDomain())) {
            return new BatchEndpointHosts(LOOPBACK_ENDPOINT, baseUrl, baseUrl);
        }
        return new BatchEndpointHosts(labels[0], cloud.resourceManagerUrl(), "https://" + labels[1] + "."
                + cloud.apiDomain());
    }
}
