package io.jenkins.plugins.azureml.blob;

import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/** Turns what the storage SDK throws during a listing into a {@link BlobPollException} a user can act on. */
final class BlobPollFailures {
    private BlobPollFailures() {
    }

    static BlobPollException translate(RuntimeException e, BlobWatch watch, int pagesDone) {
        if (e instanceof BlobPollException) {
            return (BlobPollException) e;
        }
        String where = "container '" + watch.container() + "' in storage account " + watch.accountUrl();
        BlobStorageException storage = find(e);
        if (storage != null) {
            int status = storage.getStatusCode();
            String code = storage.getErrorCode() == null ? null : storage.getErrorCode().toString();
            String requestId = storage.getResponse() == null ? null
                    : storage.getResponse().getHeaders().getValue("x-ms-request-id");
            String detail = "HTTP " + status + (code == null ? "" : " " + code)
                    + (requestId == null ? "" : ", request id " + requestId);
            if (status == 404) {
                return new BlobPollException("The " + where + " does not exist (" + detail + "). Create the container "
                        + "or correct the container name and account URL.", status, code);
            }
            if (status == 403 || status == 401) {
                return new BlobPollException("Listing the " + where + " was refused (" + detail + "). The identity "
                        + "needs the 'Storage Blob Data Reader' role on the container (or the storage account); a SAS "
                        + "needs the Read and List permissions and must not be expired; an account key must be the "
                        + "account's current key.", status, code);
            }
            return new BlobPollException("Listing the " + where + " failed (" + detail + "): "
                    + firstLine(storage.getServiceMessage()) + ". The poll is retried next time.", status, code);
        }
        if (isTransport(e)) {
            return new BlobPollException("Listing the " + where + " failed after " + pagesDone + " page(s): "
                    + rootCause(e) + ". Check that the account URL is reachable (DNS, proxy, firewall); the poll is "
                    + "retried next time and nothing is lost.", 0, null);
        }
        // Not the network: a defect of the plugin or of a library it uses. Say what failed and where, not "check
        // the URL", which would send the user after a problem they do not have.
        return new BlobPollException("Polling the " + where + " failed after " + pagesDone + " page(s) with an "
                + "unexpected error: " + rootCause(e) + where(e) + ". This is not a connection problem; the poll is "
                + "retried next time and nothing is lost. If it keeps failing, report it with this polling log.",
                0, null);
    }

    /** Whether the failure came from the transport: an I/O error or a time-out anywhere in its causes. */
    static boolean isTransport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** " (at Class.method:line)" for the root cause's first frame, or "" when it has none. */
    private static String where(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StackTraceElement[] frames = root.getStackTrace();
        if (frames.length == 0) {
            return "";
        }
        StackTraceElement top = frames[0];
        String type = top.getClassName().substring(top.getClassName().lastIndexOf('.') + 1);
        return " (at " + type + "." + top.getMethodName() + ":" + top.getLineNumber() + ")";
    }

    private static BlobStorageException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BlobStorageException) {
                return (BlobStorageException) t;
            }
        }
        return null;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no message";
        }
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
