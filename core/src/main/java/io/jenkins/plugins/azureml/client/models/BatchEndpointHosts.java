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
        if (labels.length < 5 || !h.contains(".inference.ml.azure.")) {
            return new BatchEndpointHosts(LOOPBACK_ENDPOINT, baseUrl, baseUrl);
        }
        String region = labels[1];
        if (h.endsWith(".us")) {
            return new BatchEndpointHosts(labels[0], "https://management.usgovcloudapi.net",
                    "https://" + region + ".api.ml.azure.us");
        }
        if (h.endsWith(".cn")) {
            return new BatchEndpointHosts(labels[0], "https://management.chinacloudapi.cn",
                    "https://" + region + ".api.ml.azure.cn");
        }
        return new BatchEndpointHosts(labels[0], "https://management.azure.com", "https://" + region + ".api.azureml.ms");
    }
}
