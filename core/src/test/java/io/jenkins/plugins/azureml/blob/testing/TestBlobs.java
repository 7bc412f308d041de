package io.jenkins.plugins.azureml.blob.testing;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.jenkins.plugins.azureml.blob.BlobChange;

import java.nio.charset.StandardCharsets;

/** Writes blobs for tests and returns the ETag the service gave each commit (normalised). */
public final class TestBlobs {
    private TestBlobs() {
    }

    /**
     * Uploads (or overwrites) a block blob in one Put Blob.
     *
     * @return the committed ETag without quotes
     */
    public static String upload(BlobContainerClient container, String name, String content) {
        BlockBlobItem item = container.getBlobClient(name).uploadWithResponse(
                new BlobParallelUploadOptions(BinaryData.fromString(content)), null, null).getValue();
        return BlobChange.normaliseEtag(item.getETag());
    }

    /** The bytes of a string, UTF-8. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
