package io.jenkins.plugins.azureml.client.models;

import java.util.Locale;
import java.util.Optional;

/**
 * The Azure clouds Azure ML runs in, with what differs between them: the token audiences (Azure Resource Manager
 * for the v1 services and v2 job status; Azure ML for v2 batch endpoint invocations), the sign-in host, the studio
 * host and the service domains. The cloud of an endpoint follows from its host, so a token is always requested for
 * the audience of the cloud the request goes to.
 */
public enum AzureCloud {
    PUBLIC("Azure", "https://management.azure.com", "https://ml.azure.com", "https://login.microsoftonline.com",
            "ml.azure.com", "api.azureml.ms", "inference.ml.azure.com"),
    US_GOVERNMENT("Azure US Government", "https://management.usgovcloudapi.net", "https://ml.azure.us",
            "https://login.microsoftonline.us", "ml.azure.us", "api.ml.azure.us", "inference.ml.azure.us"),
    CHINA("Azure China", "https://management.chinacloudapi.cn", "https://ml.azure.cn",
            "https://login.chinacloudapi.cn", "studio.ml.azure.cn", "api.ml.azure.cn", "inference.ml.azure.cn");

    private final String environmentName;
    private final String resourceManagerUrl;
    private final String machineLearningAudience;
    private final String authorityHost;
    private final String studioHost;
    private final String apiDomain;
    private final String inferenceDomain;

    AzureCloud(String environmentName, String resourceManagerUrl, String machineLearningAudience,
               String authorityHost, String studioHost, String apiDomain, String inferenceDomain) {
        this.environmentName = environmentName;
        this.resourceManagerUrl = resourceManagerUrl;
        this.machineLearningAudience = machineLearningAudience;
        this.authorityHost = authorityHost;
        this.studioHost = studioHost;
        this.apiDomain = apiDomain;
        this.inferenceDomain = inferenceDomain;
    }

    /** The azure-credentials plugin's name of this cloud's environment, e.g. {@code Azure US Government}. */
    public String environmentName() {
        return environmentName;
    }

    /** Azure Resource Manager, e.g. {@code https://management.usgovcloudapi.net} (no trailing slash). */
    public String resourceManagerUrl() {
        return resourceManagerUrl;
    }

    /** The ARM token scope, e.g. {@code https://management.usgovcloudapi.net/.default}. */
    public String resourceManagerScope() {
        return resourceManagerUrl + "/.default";
    }

    /** The Azure ML data plane token scope of v2 batch endpoints, e.g. {@code https://ml.azure.us/.default}. */
    public String machineLearningScope() {
        return machineLearningAudience + "/.default";
    }

    /** The Microsoft Entra ID sign-in host, e.g. {@code https://login.microsoftonline.us}. */
    public String authorityHost() {
        return authorityHost;
    }

    /** The Azure ML studio host, e.g. {@code studio.ml.azure.cn}. */
    public String studioHost() {
        return studioHost;
    }

    /** The domain of the regional v1 services and private-link workspace hosts, e.g. {@code api.ml.azure.us}. */
    public String apiDomain() {
        return apiDomain;
    }

    /** The domain of v2 batch endpoint scoring hosts, e.g. {@code inference.ml.azure.us}. */
    public String inferenceDomain() {
        return inferenceDomain;
    }

    /**
     * The cloud whose service domains a host name ends in; empty for any other host (loopback included). It reads
     * only the suffix: whether the host may receive a token at all is decided by the endpoint rules.
     */
    public static Optional<AzureCloud> ofHost(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (AzureCloud cloud : values()) {
            if (h.endsWith("." + cloud.apiDomain) || h.endsWith("." + cloud.inferenceDomain)
                    || h.equals(cloud.resourceManagerUrl.substring("https://".length()))) {
                return Optional.of(cloud);
            }
        }
        return Optional.empty();
    }

    /**
     * The cloud of an azure-credentials environment name ({@code Azure}, {@code Azure US Government},
     * {@code Azure China}; case and spaces ignored, the Azure CLI names {@code AzureCloud}, {@code AzureUSGovernment}
     * and {@code AzureChinaCloud} too). Empty for other names, e.g. the retired {@code Azure Germany}.
     */
    public static Optional<AzureCloud> ofEnvironmentName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        switch (key) {
            case "azure":
            case "azurecloud":
            case "azurepubliccloud":
                return Optional.of(PUBLIC);
            case "azureusgovernment":
            case "azureusgovernmentcloud":
                return Optional.of(US_GOVERNMENT);
            case "azurechina":
            case "azurechinacloud":
                return Optional.of(CHINA);
            default:
                return Optional.empty();
        }
    }
}
