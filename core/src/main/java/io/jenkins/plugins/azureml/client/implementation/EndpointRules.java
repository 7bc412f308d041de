package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.InvalidFieldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which URLs may receive a bearer token: Azure ML service hosts of the public, US Government and China
 * clouds over https on the default port, and loopback only when a test or local trial asks for it explicitly.
 * Checked before any token is requested, so a Jenkinsfile cannot send a stored credential's token elsewhere.
 */
public final class EndpointRules {
    /** What a valid endpoint looks like, appended to every rejection so the user knows the fix. */
    public static final String EXAMPLE = "A valid endpoint looks like https://<region>.api.azureml.ms/pipelines/v1.0/"
            + "subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.MachineLearningServices/"
            + "workspaces/<workspace>/PipelineRuns/PipelineSubmit/<pipeline id> (US Government: *.api.ml.azure.us,"
            + " China: *.api.ml.azure.cn), as shown by Azure ML studio for the published pipeline.";

    private static final Pattern AZURE_ML_HOST =
            Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*\\.api\\.(?:azureml\\.ms|ml\\.azure\\.us|ml\\.azure\\.cn)");
    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

    private final boolean allowInsecureLoopback;

    public EndpointRules(boolean allowInsecureLoopback) {
        this.allowInsecureLoopback = allowInsecureLoopback;
    }

    /**
     * Parses and checks a URL.
     *
     * @return the parsed URI, safe to send a token to
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
        if (host.startsWith("[") || IPV4.matcher(host).matches()) {
            throw invalid("must name an Azure ML host, not an IP address.");
        }
        if (uri.getPort() != -1 && uri.getPort() != 443) {
            throw invalid("must use the default https port, not " + uri.getPort() + ".");
        }
        if (!AZURE_ML_HOST.matcher(host).matches()) {
            throw invalid("host '" + host + "' is not an Azure ML service host.");
        }
        return uri;
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

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }

    private static InvalidFieldException invalid(String problem) {
        return new InvalidFieldException("endpoint", "The endpoint URL " + problem + " " + EXAMPLE);
    }
}
