package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.AzureCloud;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which URLs may receive a bearer token, and which token: the Azure ML v1 service hosts (regional, and
 * private-link workspace hosts) and Azure Resource Manager get ARM tokens, v2 batch endpoint scoring hosts get Azure
 * ML tokens, each of the host's cloud (public, US Government, China), over https on the default port; loopback
 * only when a test or local trial asks for it explicitly. Checked before any token is requested, so a Jenkinsfile
 * cannot send a stored credential's token elsewhere.
 */
public final class EndpointRules {
    /** What a valid endpoint looks like, appended to every rejection so the user knows the fix. */
    public static final String EXAMPLE = "A valid endpoint looks like https://<region>.api.azureml.ms/pipelines/v1.0/"
            + "subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.MachineLearningServices/"
            + "workspaces/<workspace>/PipelineRuns/PipelineSubmit/<pipeline id> (US Government: *.api.ml.azure.us,"
            + " China: *.api.ml.azure.cn; behind a private endpoint <workspace id>.workspace.<region>.api.azureml.ms),"
            + " as shown by Azure ML studio for the published pipeline, or, for a v2 batch"
            + " endpoint, its REST endpoint https://<endpoint>.<region>.inference.ml.azure.com/jobs"
            + " (*.inference.ml.azure.us, *.inference.ml.azure.cn).";

    /** Where a host belongs, which decides the token audience it may receive. */
    public enum HostFamily {
        /**
         * {@code <region>.api.azureml.ms}, private-link workspace hosts
         * {@code <guid>.workspace.<region>[.cert].api.azureml.ms}, and their sovereign twins: Azure ML v1 services,
         * ARM tokens.
         */
        AML_SERVICE(TokenAudience.RESOURCE_MANAGER),
        /** {@code <endpoint>.<region>.inference.ml.azure.com} and twins: v2 batch endpoints, Azure ML tokens. */
        INFERENCE(TokenAudience.MACHINE_LEARNING),
        /** {@code management.azure.com} and twins: ARM (v2 jobs), ARM tokens. */
        RESOURCE_MANAGER(TokenAudience.RESOURCE_MANAGER),
        /** 127.0.0.1, localhost, [::1]: only with the explicit loopback option; audience chosen per call. */
        LOOPBACK(null);

        private final TokenAudience audience;

        HostFamily(TokenAudience audience) {
            this.audience = audience;
        }

        /** The only audience whose tokens hosts of this family may receive; null for loopback. */
        public TokenAudience audience() {
            return audience;
        }
    }

    private static final String API_DOMAIN = "\\.api\\.(?:azureml\\.ms|ml\\.azure\\.us|ml\\.azure\\.cn)";
    private static final String REGION = "[a-z0-9]+(?:-[a-z0-9]+)*";
    /** {@code <region>.api.azureml.ms} and its sovereign twins. */
    private static final Pattern AML_SERVICE_HOST = Pattern.compile(REGION + API_DOMAIN);
    /**
     * A workspace behind a private endpoint: {@code <workspace guid>.workspace.<region>[.cert].api.azureml.ms} and
     * its sovereign twins (Azure ML, "custom DNS": the workspace FQDNs). Only a GUID as the first label.
     */
    private static final Pattern PRIVATE_LINK_HOST = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.workspace\\." + REGION + "(?:\\.cert)?"
                    + API_DOMAIN);
    private static final Pattern INFERENCE_HOST = Pattern.compile(
            "[a-z][a-z0-9]*(?:-[a-z0-9]+)*\\.[a-z0-9]+\\.inference\\.ml\\.azure\\.(?:com|us|cn)");
    private static final Pattern RESOURCE_MANAGER_HOST =
            Pattern.compile("management\\.(?:azure\\.com|usgovcloudapi\\.net|chinacloudapi\\.cn)");
    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

    private final boolean allowInsecureLoopback;

    public EndpointRules(boolean allowInsecureLoopback) {
        this.allowInsecureLoopback = allowInsecureLoopback;
    }

    /**
     * Parses and checks a URL.
     *
     * @return the parsed URI, safe to send a token of its {@link #family(URI) family's} audience to
     * @throws InvalidFieldException for field {@code endpoint}, saying what is wrong and what a valid URL is
     */
    public URI check(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("is empty.");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("is not a valid URL (" + e.getReason() + ").");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawAuthority() == null) {
            throw invalid("must be an absolute https URL.");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("must not contain a user name or '@' before the host.");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("must not contain a '#' fragment.");
        }
        String host = uri.getHost();
        if (host == null) {
            throw invalid("has no valid host name.");
        }
        host = host.toLowerCase(Locale.ROOT);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (isLoopback(host)) {
            if (!allowInsecureLoopback) {
                throw invalid("points to this machine (" + host + "); only Azure ML service hosts are allowed.");
            }
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw invalid("must use http or https.");
            }
            return uri;
        }
        if (!scheme.equals("https")) {
            throw invalid("must use https; tokens are never sent over " + scheme + ".");
        }
        if (host.length() > 253 || java.util.Arrays.stream(host.split("\\.")).anyMatch(l -> l.length() > 63)) {
            throw invalid("has a host name longer than DNS allows (labels of at most 63 characters, 253 in all).");
        }
        if (host.startsWith("[") || IPV4.matcher(host).matches()) {
            throw invalid("must name an Azure ML host, not an IP address.");
        }
        if (uri.getPort() != -1 && uri.getPort() != 443) {
            throw invalid("must use the default https port, not " + uri.getPort() + ".");
        }
        if (azureFamily(host) == null) {
            throw invalid("host '" + host + "' is not an Azure ML service host.");
        }
        return uri;
    }

    /** The family of a URI that passed {@link #check}. */
    public HostFamily family(URI checked) {
        String host = checked.getHost().toLowerCase(Locale.ROOT);
        return isLoopback(host) ? HostFamily.LOOPBACK : azureFamily(host);
    }

    /** The cloud of a URI that passed {@link #check}; null for loopback. */
    public AzureCloud cloud(URI checked) {
        if (family(checked) == HostFamily.LOOPBACK) {
            return null;
        }
        return AzureCloud.ofHost(checked.getHost()).orElseThrow(() -> new IllegalStateException(
                "no cloud for " + checked.getHost()));
    }

    /** Checks a URL and returns its family. */
    public HostFamily familyOf(String url) {
        return family(check(url));
    }

    /** Whether the URL's host is an allowed token audience; never throws. */
    public boolean isAllowed(String url) {
        try {
            check(url);
            return true;
        } catch (InvalidFieldException e) {
            return false;
        }
    }

    private static HostFamily azureFamily(String host) {
        if (AML_SERVICE_HOST.matcher(host).matches() || PRIVATE_LINK_HOST.matcher(host).matches()) {
            return HostFamily.AML_SERVICE;
        }
        if (INFERENCE_HOST.matcher(host).matches()) {
            return HostFamily.INFERENCE;
        }
        if (RESOURCE_MANAGER_HOST.matcher(host).matches()) {
            return HostFamily.RESOURCE_MANAGER;
        }
        return null;
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }

    private static InvalidFieldException invalid(String problem) {
        return new InvalidFieldException("endpoint", "The endpoint URL " + problem + " " + EXAMPLE);
    }
}
