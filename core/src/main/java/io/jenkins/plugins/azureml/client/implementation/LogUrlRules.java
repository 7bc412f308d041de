package io.jenkins.plugins.azureml.client.implementation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which log file URLs from run details may be read: Azure Storage blob endpoints of the three clouds
 * ({@code <account>.blob.core.windows.net}, {@code .usgovcloudapi.net}, {@code .chinacloudapi.cn}) over https on the
 * default port, without user info; loopback only when a test or local trial asks for it. The SAS in the query is the
 * credential, so these URLs are read without a bearer token, and a details answer cannot make the client send one
 * anywhere. Never throws and never says the URL: a refused URL is only counted.
 */
public final class LogUrlRules {
    private static final Pattern BLOB_HOST = Pattern.compile(
            "[a-z0-9]{3,24}\\.blob\\.core\\.(?:windows\\.net|usgovcloudapi\\.net|chinacloudapi\\.cn)");

    private final boolean allowInsecureLoopback;

    public LogUrlRules(boolean allowInsecureLoopback) {
        this.allowInsecureLoopback = allowInsecureLoopback;
    }

    /** Whether a log file URL that run details returned may be read. */
    public boolean isReadable(String url) {
        if (url == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")) {
            return allowInsecureLoopback && (scheme.equals("https") || scheme.equals("http"));
        }
        return scheme.equals("https") && (uri.getPort() == -1 || uri.getPort() == 443)
                && BLOB_HOST.matcher(host).matches();
    }
}
