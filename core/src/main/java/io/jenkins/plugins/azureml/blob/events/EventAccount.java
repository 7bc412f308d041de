package io.jenkins.plugins.azureml.blob.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether an event comes from the watched storage account. What identifies the account differs between schemas and
 * APIs: the account's resource id ({@code topic} or {@code source}, ending in {@code /storageAccounts/<name>}), the
 * {@code url} on the account's {@code blob.} host or, for the Data Lake API on a hierarchical-namespace account, its
 * {@code dfs.} host, and newer events' {@code blobUrl}. Each one the event carries must name the watched account,
 * and at least one must; an event that names another account anywhere is refused.
 *
 * <p>The account name of a URL is the first label of an Azure Storage host ({@code acct.blob.core.windows.net},
 * {@code acct.dfs.core.windows.net}, their sovereign-cloud suffixes and {@code acct.privatelink.blob...}), or the
 * first path segment of an emulator-style URL on an IP address or {@code localhost}
 * ({@code http://127.0.0.1:10000/devstoreaccount1}). A watch on a custom domain has no account name to compare: then
 * an event URL must start with the watch's container URL, as before.
 */
final class EventAccount {
    private static final String RESOURCE_ID_ACCOUNTS = "/storageaccounts/";

    private final String watchContainerUrl;
    private final String watchAccount;
    private final String container;

    /**
     * @param accountUrl the watch's account URL, without a trailing '/'
     * @param container the watch's container
     */
    EventAccount(String accountUrl, String container) {
        this.watchContainerUrl = accountUrl + "/" + container + "/";
        this.watchAccount = accountOfUrl(accountUrl);
        this.container = Objects.requireNonNull(container, "container");
    }

    boolean covers(BlobEvent event) {
        boolean identified = false;
        String fromResourceId = accountOfResourceId(event.account());
        if (fromResourceId != null && watchAccount != null) {
            if (!fromResourceId.equalsIgnoreCase(watchAccount)) {
                return false;
            }
            identified = true;
        }
        for (String url : new String[] {event.url(), event.blobUrl()}) {
            if (url == null) {
                continue;
            }
            if (url.regionMatches(true, 0, watchContainerUrl, 0, watchContainerUrl.length())) {
                identified = true;
                continue;
            }
            String account = accountOfUrl(url);
            if (watchAccount == null || account == null || !account.equalsIgnoreCase(watchAccount)
                    || !container.equals(containerOfUrl(url))) {
                return false;
            }
            identified = true;
        }
        return identified;
    }

    /** The name after {@code /storageAccounts/} in a resource id, or null. */
    static String accountOfResourceId(String resourceId) {
        if (resourceId == null) {
            return null;
        }
        int at = resourceId.toLowerCase(Locale.ROOT).lastIndexOf(RESOURCE_ID_ACCOUNTS);
        if (at < 0) {
            return null;
        }
        String rest = resourceId.substring(at + RESOURCE_ID_ACCOUNTS.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        return name.isEmpty() ? null : name;
    }

    /** The storage account a URL points into, or null when the URL does not tell (a custom domain). */
    static String accountOfUrl(String url) {
        URI uri = uri(url);
        if (uri == null || uri.getHost() == null) {
            return null;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (isEmulatorHost(host)) {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String[] segments = path.split("/");
            return segments.length > 1 && !segments[1].isEmpty() ? segments[1] : null;
        }
        int dot = host.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        String rest = host.substring(dot + 1);
        boolean storageHost = rest.startsWith("blob.") || rest.startsWith("dfs.")
                || rest.startsWith("privatelink.blob.") || rest.startsWith("privatelink.dfs.");
        return storageHost ? host.substring(0, dot) : null;
    }

    /** The first path segment after the account: the container (file system), or null. */
    private static String containerOfUrl(String url) {
        URI uri = uri(url);
        if (uri == null || uri.getRawPath() == null) {
            return null;
        }
        String[] segments = uri.getRawPath().split("/");
        int index = isEmulatorHost(uri.getHost().toLowerCase(Locale.ROOT)) ? 2 : 1;
        return segments.length > index ? segments[index] : null;
    }

    private static boolean isEmulatorHost(String host) {
        return host.equals("localhost") || host.startsWith("[") || host.chars().allMatch(c -> c == '.'
                || Character.isDigit(c)) || host.contains(":");
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
