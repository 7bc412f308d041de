package io.jenkins.plugins.azureml.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

/**
 * The writers of {@link ChaosPollTest}: each creates and overwrites blobs under nested folders of {@code data/}
 * (plus a few outside the watched prefix), with mixed sizes and three ways of committing: one Put Blob, a 0-byte blob
 * later committed with content, and blocks staged (invisible) then committed. Every commit's ETag is recorded with
 * when it was surely visible and, once overwritten, when it was surely replaced: the oracle's raw material.
 *
 * <p>Each operation holds the shared "write" lock, which the chaos controller takes to stop Azurite between
 * operations: a write cut in half would leave an ETag nobody knows, which says nothing about the detector.
 */
final class ChaosWriters {
    /** One committed version; {@code supersededNanos[0]} is 0 while it is the blob's current version. */
    record Version(String name, String etag, long size, long committedNanos, long[] supersededNanos) {
        String key() {
            return name + "@" + etag;
        }
    }

    private static final int[] SIZES = {1, 17, 512, 1024, 4096, 10_000, 65_536};

    private final BlobContainerClient container;
    private final Lock writeLock;
    private final int commitsWanted;
    private final int overwritePercent;
    private final AtomicInteger commits = new AtomicInteger();
    final ConcurrentLinkedQueue<Version> versions = new ConcurrentLinkedQueue<>();
    /** Told of every commit right after it (push mode: the test's Event Grid); set before writing starts. */
    volatile Consumer<Version> onCommit = v -> { };

    /**
     * @param overwritePercent how many operations overwrite an existing blob (multiple of 10); more overwrites keep
     *     the container, and so each back-to-back listing, smaller for the same number of commits
     */
    ChaosWriters(BlobContainerClient container, Lock writeLock, int commitsWanted, int overwritePercent) {
        this.overwritePercent = overwritePercent;
        this.container = container;
        this.writeLock = writeLock;
        this.commitsWanted = commitsWanted;
    }

    /** Commits made so far (all writers). */
    int commits() {
        return commits.get();
    }

    /** One writer's loop; runs until the writers together made {@code commitsWanted} commits. */
    void write(int writer) {
        Random random = new Random(1000 + writer);
        List<Version> latest = new ArrayList<>();
        int created = 0;
        while (commits.get() < commitsWanted) {
            boolean overwrite = !latest.isEmpty() && random.nextInt(10) < overwritePercent / 10;
            int slot = overwrite ? random.nextInt(latest.size()) : latest.size();
            String name;
            if (overwrite) {
                name = latest.get(slot).name();
            } else {
                boolean outside = random.nextInt(20) == 0;
                name = (outside ? "outside/" : "data/") + "w" + writer + "/d" + (created % 7) + "/e" + (created % 3)
                        + "/blob-" + String.format("%05d", created) + ".bin";
                created++;
            }
            int kind = random.nextInt(10);
            byte[] content = content(random, writer);
            writeLock.lock();
            try {
                if (overwrite) {
                    latest.get(slot).supersededNanos()[0] = System.nanoTime();
                }
                Version v;
                if (kind < 6) {
                    v = putBlob(name, content);
                } else if (kind < 8) {
                    Version empty = putBlob(name, new byte[0]); // the uploader's placeholder: ignored by the watch
                    empty.supersededNanos()[0] = System.nanoTime();
                    v = stageAndCommit(name, content, random);
                } else {
                    v = stageAndCommit(name, content, random);
                }
                if (overwrite) {
                    latest.set(slot, v);
                } else {
                    latest.add(v);
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    private Version putBlob(String name, byte[] content) {
        BlockBlobItem item = container.getBlobClient(name).uploadWithResponse(
                new BlobParallelUploadOptions(BinaryData.fromBytes(content)), null, null).getValue();
        return record(name, item, content.length);
    }

    /** Stages one to three blocks (not listed while uncommitted), then commits them. */
    private Version stageAndCommit(String name, byte[] content, Random random) {
        BlockBlobClient blocks = container.getBlobClient(name).getBlockBlobClient();
        int parts = 1 + random.nextInt(2);
        List<String> ids = new ArrayList<>();
        int step = (content.length + parts - 1) / parts;
        for (int from = 0, i = 0; from < content.length; from += step, i++) {
            String id = Base64.getEncoder().encodeToString(String.format("block-%06d", i)
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] part = java.util.Arrays.copyOfRange(content, from, Math.min(content.length, from + step));
            blocks.stageBlock(id, BinaryData.fromBytes(part));
            ids.add(id);
        }
        BlockBlobItem item = blocks.commitBlockListWithResponse(ids, null, null, null, null, null, null)
                .getValue();
        return record(name, item, content.length);
    }

    private Version record(String name, BlockBlobItem item, long size) {
        Version v = new Version(name, BlobChange.normaliseEtag(item.getETag()), size, System.nanoTime(), new long[1]);
        versions.add(v);
        onCommit.accept(v);
        commits.incrementAndGet();
        return v;
    }

    private static byte[] content(Random random, int writer) {
        int size = random.nextInt(50) == 0 ? 200_000 : SIZES[random.nextInt(SIZES.length)];
        byte[] bytes = new byte[size];
        bytes[0] = (byte) writer;
        if (random.nextBoolean()) {
            random.nextBytes(bytes);
        }
        return bytes;
    }
}
