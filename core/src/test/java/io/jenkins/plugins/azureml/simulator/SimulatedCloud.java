package io.jenkins.plugins.azureml.simulator;

import java.util.List;
import java.util.Locale;

/**
 * The three clouds as the simulator knows them (contracts section 8), written out here rather than taken from the
 * client's model, so a client that asks for the wrong cloud's scope is refused: each cloud's service hosts accept
 * only tokens for that cloud's audiences, and each sign-in host issues tokens only for its own cloud's resources.
 */
enum SimulatedCloud {
    PUBLIC("login.microsoftonline.com", "management.azure.com", "https://management.azure.com/.default",
            "https://ml.azure.com/.default", ".api.azureml.ms", ".inference.ml.azure.com", "ml.azure.com"),
    US_GOVERNMENT("login.microsoftonline.us", "management.usgovcloudapi.net",
            "https://management.usgovcloudapi.net/.default", "https://ml.azure.us/.default", ".api.ml.azure.us",
            ".inference.ml.azure.us", "ml.azure.us"),
    CHINA("login.chinacloudapi.cn", "management.chinacloudapi.cn", "https://management.chinacloudapi.cn/.default",
            "https://ml.azure.cn/.default", ".api.ml.azure.cn", ".inference.ml.azure.cn", "studio.ml.azure.cn");

    final String loginHost;
    final String armHost;
    final String armScope;
    final String mlScope;
    private final String apiSuffix;
    private final String inferenceSuffix;
    final String studioHost;

    SimulatedCloud(String loginHost, String armHost, String armScope, String mlScope, String apiSuffix,
                   String inferenceSuffix, String studioHost) {
        this.studioHost = studioHost;
        this.loginHost = loginHost;
        this.armHost = armHost;
        this.armScope = armScope;
        this.mlScope = mlScope;
        this.apiSuffix = apiSuffix;
        this.inferenceSuffix = inferenceSuffix;
    }

    /** The cloud a host belongs to; the loopback host (local trials) and unknown hosts count as public. */
    static SimulatedCloud ofHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (SimulatedCloud cloud : values()) {
            if (h.equals(cloud.loginHost) || h.equals(cloud.armHost) || h.endsWith(cloud.apiSuffix)
                    || h.endsWith(cloud.inferenceSuffix)) {
                return cloud;
            }
        }
        return PUBLIC;
    }

    /** The token audiences a route of this cloud accepts (v1: ARM or ML; v2 invoke: ML; ARM jobs and MLflow: ARM). */
    List<String> acceptedScopes(Route route) {
        switch (route) {
            case INVOKE: return List.of(mlScope);
            case JOB:
            case JOB_CANCEL:
            case MLFLOW_RUN:
            case MLFLOW_SEARCH:
            case MLFLOW_HISTORY: return List.of(armScope);
            default: return List.of(armScope, mlScope);
        }
    }

    /** Whether this cloud's sign-in host issues tokens for the scope (another cloud's resource is unknown there). */
    boolean issues(String scope) {
        return scope.equals(armScope) || scope.equals(mlScope);
    }
}
