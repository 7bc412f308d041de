package io.jenkins.plugins.azureml.blob;

import java.nio.charset.StandardCharsets;

/**
 * Blob URLs as a person expects them and as the Azure portal shows them: {@code <container URL>/in/2026/a%20b.csv}.
 * Each '/'-separated segment of the name is percent-encoded (UTF-8, everything but RFC 3986's unreserved characters),
 * the '/' between segments is kept. The storage SDK encodes '/' as {@code %2F}, which works but reads badly.
 */
public final class BlobUrls {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private BlobUrls() {
    }

    /**
     * @param containerUrl the container's URL, without a trailing '/' and without a query
     * @param blobName the blob name, exactly as stored
     * @return the blob's URL
     */
    public static String blobUrl(String containerUrl, String blobName) {
        StringBuilder url = new StringBuilder(containerUrl.length() + blobName.length() * 2 + 1).append(containerUrl);
        for (String segment : blobName.split("/", -1)) {
            url.append('/');
            if (segment.equals(".") || segment.equals("..")) {
                // Clients resolve dot segments away ("a/../b" would become "b"): encode the dots.
                url.append(segment.replace(".", "%2E"));
            } else {
                encodeSegment(segment, url);
            }
        }
        return url.toString();
    }

    private static void encodeSegment(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }
}
